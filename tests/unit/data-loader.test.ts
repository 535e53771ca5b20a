// @vitest-environment node
/** Input validation of the data build: every bad row is reported with its file and line. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYamlList } from '../../scripts/lib/curated';
import { Alias, Guard } from '../../scripts/data/curated-extra';
import { FDA_PRODUCT_COLUMNS, FdaProductRow, repairFdaProduct, readSources } from '../../scripts/data/read-sources';
import { InputError, parseDelimited, readTable } from '../../scripts/data/table';

const FIX = path.resolve(import.meta.dirname, '../fixtures/data');
const rel = (f: string) => path.relative(process.cwd(), path.join(FIX, f));

describe('curated YAML rows', () => {
  it('loads a valid file', () => {
    const problems: string[] = [];
    const rows = loadYamlList(path.join(FIX, 'aliases-good.yaml'), Alias, problems);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.id)).toEqual(['paracetamol', 'salbutamol']);
  });

  it('reports a malformed row with its file and line', () => {
    const problems: string[] = [];
    loadYamlList(path.join(FIX, 'aliases-bad.yaml'), Alias, problems);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${rel('aliases-bad.yaml')}:6: Bad_Id\\.id: must be a lower-case slug`)));
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${rel('aliases-bad.yaml')}:7: furosemide\\.generics:`)));
    expect(problems).toHaveLength(2);
  });

  it('reports a YAML syntax error with its line', () => {
    const problems: string[] = [];
    loadYamlList(path.join(FIX, 'guards-bad-syntax.yaml'), Guard, problems);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${rel('guards-bad-syntax.yaml')}:[45]: `));
  });

  it('reports a bad enum value on its line', () => {
    const problems: string[] = [];
    loadYamlList(path.join(FIX, 'guards-bad-value.yaml'), Guard, problems);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${rel('guards-bad-value.yaml')}:3: #2\\.match: `))]);
  });
});

describe('source table rows', () => {
  const opts = { delimiter: '\t' as const, quotes: false, columns: FDA_PRODUCT_COLUMNS, schema: FdaProductRow, repair: repairFdaProduct };

  it('reads a valid table and keeps line numbers', () => {
    const rows = readTable(path.join(FIX, 'fda-good/Products.txt'), opts);
    expect(rows.map((r) => [r.line, r.DrugName, r.ActiveIngredient])).toEqual([
      [2, 'GLEEVEC', 'IMATINIB MESYLATE'],
      [3, 'GLEEVEC', 'IMATINIB MESYLATE'],
    ]);
  });

  it('fails on a malformed row with file:line and the column', () => {
    const file = path.join(FIX, 'fda-bad/Products.txt');
    expect(() => readTable(file, opts)).toThrow(InputError);
    try {
      readTable(file, opts);
    } catch (e) {
      const problems = (e as InputError).problems;
      expect(problems).toEqual([
        `${rel('fda-bad/Products.txt')}:3: ApplNo: must be a 6-digit application number`,
        `${rel('fda-bad/Products.txt')}:4: expected 8 fields, found 6`,
      ]);
      expect((e as Error).message).toContain('problem(s) in source data');
    }
  });

  it('parses quoted CSV fields with commas, quotes and line numbers', () => {
    const rows = parseDelimited('a,b\n1,"x, ""y"""\n2,"multi\nline"\n3,z\n', { delimiter: ',', quotes: true });
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'x, "y"'] },
      { line: 3, fields: ['2', 'multi\nline'] },
      { line: 5, fields: ['3', 'z'] },
    ]);
  });

  it('repairs only the documented quirks of Products.txt', () => {
    expect(repairFdaProduct(['1', '2', 'LENS', ';OPHTHALMIC', 's', '1', 'N', 'I', '1'])).toEqual(['1', '2', 'LENS;OPHTHALMIC', 's', '1', 'N', 'I', '1']);
    expect(repairFdaProduct(['1', '2', 'F', 's', '0', 'N', 'I', '', ''])).toEqual(['1', '2', 'F', 's', '0', 'N', 'I', '']);
    expect(repairFdaProduct(['1', '2', 'F', 's', '0', 'N', 'I', 'x', 'y'])).toHaveLength(9);
  });

  it('reads every real dataset without a problem', () => {
    const S = readSources(path.resolve(import.meta.dirname, '../../../shared/data-sources'));
    expect(S.fdaProducts.length).toBe(43877);
    expect(S.drugbank.length).toBe(17430);
    expect(S.meshTerms.length).toBe(93029);
    expect(S.nci.length).toBe(436);
    expect(S.ema.length).toBe(2005);
  }, 60_000);
});
