// @vitest-environment node
/** FDA "FORM;ROUTE" → plain route ids, and the curated override table. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RouteDef } from '../../data/schema';
import { loadYamlList } from '../../scripts/lib/curated';
import { loadCuratedExtra } from '../../scripts/data/curated-extra';
import { FDA_PRODUCT_COLUMNS, FdaProductRow, repairFdaProduct } from '../../scripts/data/read-sources';
import { FormMapper, normaliseForm, rankRoutes, splitForm } from '../../scripts/data/routes';
import { readTable } from '../../scripts/data/table';

const CURATED = path.resolve(import.meta.dirname, '../../data/curated');
const routes = loadYamlList(path.join(CURATED, 'routes.yaml'), RouteDef);
const mapper = new FormMapper(routes);

describe('FDA dosage form → route', () => {
  it('normalises and splits forms', () => {
    expect(normaliseForm('Tablet, Extended Release; Oral')).toBe('TABLET, EXTENDED RELEASE;ORAL');
    expect(splitForm('INJECTABLE;INTRAMUSCULAR, INTRAVENOUS')).toEqual(['INJECTABLE;INTRAMUSCULAR', 'INJECTABLE;INTRAVENOUS']);
    expect(splitForm('VIAL')).toEqual(['VIAL;']);
  });

  it.each([
    ['TABLET;ORAL', ['oral-tablet']],
    ['Tablet; Oral', ['oral-tablet']],
    ['TABLET, FILM COATED', ['oral-tablet']],
    ['TABLET;ORAL-28', ['oral-tablet']],
    ['CAPSULE, EXTENDED RELEASE;ORAL', ['oral-capsule']],
    ['SOLUTION;ORAL', ['oral-liquid']],
    ['FOR SUSPENSION;ORAL', ['oral-liquid']],
    ['GRANULE;ORAL', ['oral']],
    ['TABLET;SUBLINGUAL', ['sublingual']],
    ['TABLET;BUCCAL, SUBLINGUAL', ['buccal', 'sublingual']],
    ['INJECTABLE;INTRAMUSCULAR, INTRAVENOUS', ['intramuscular', 'iv-drip']],
    ['POWDER;IV (INFUSION)', ['iv-drip']],
    ['INJECTABLE;SUBCUTANEOUS', ['subcutaneous']],
    ['INJECTABLE;INTRATHECAL', ['intrathecal']],
    ['SOLUTION/DROPS;OPHTHALMIC', ['eye']],
    ['SOLUTION/DROPS;OTIC', ['ear']],
    ['SPRAY, METERED;NASAL', ['nasal']],
    ['AEROSOL, METERED;INHALATION', ['inhaled']],
    ['CREAM;TOPICAL', ['skin']],
    ['GEL;TRANSDERMAL', ['skin']],
    ['FILM, EXTENDED RELEASE;TRANSDERMAL', ['patch']],
    ['PATCH;TOPICAL', ['patch']],
    ['SUPPOSITORY;RECTAL', ['rectal']],
    ['CREAM;VAGINAL', ['vaginal']],
    ['IMPLANT;IMPLANTATION', ['implant']],
    ['IMPLANT;INTRAVITREAL', ['intravitreal']],
    ['INTRAUTERINE DEVICE;INTRAUTERINE', ['intrauterine']],
    ['TROCHE/LOZENGE;ORAL', ['mouthwash']],
    ['GEL;DENTAL', ['dental']],
    ['SOLUTION;INTRAVESICAL', ['intravesical']],
    ['INJECTABLE;INJECTION', ['other']],
    ['VIAL', ['other']],
  ])('%s → %j', (form, ids) => {
    expect(mapper.map(form)).toEqual(ids);
  });

  it('maps every form in Drugs@FDA (2022-08) to a route', () => {
    const file = path.resolve(import.meta.dirname, '../../../shared/data-sources/fda_drugsatfda_2022-08/Products.txt');
    const rows = readTable(file, { delimiter: '\t', quotes: false, columns: FDA_PRODUCT_COLUMNS, schema: FdaProductRow, repair: repairFdaProduct });
    const m = new FormMapper(routes);
    for (const f of new Set(rows.map((r) => r.Form))) m.map(f);
    expect([...m.unmapped.keys()]).toEqual([]);
  }, 60_000);

  it('ranks routes by product count and drops "other" when something specific is known', () => {
    const order = routes.map((r) => r.id);
    expect(rankRoutes(new Map([['other', 9], ['iv-drip', 2], ['subcutaneous', 5]]), order)).toEqual(['subcutaneous', 'iv-drip']);
    expect(rankRoutes(new Map([['other', 3]]), order)).toEqual(['other']);
    expect(rankRoutes(new Map([['oral-capsule', 2], ['oral-tablet', 2]]), order)).toEqual(['oral-tablet', 'oral-capsule']);
  });
});

describe('curated route overrides', () => {
  const extra = loadCuratedExtra(CURATED, new Set(routes.map((r) => r.id)));
  const byDrug = new Map(extra.routeOverrides.map((o) => [o.drug, o.routes]));

  it('holds the vague-source cases from the issue', () => {
    expect(byDrug.get('blinatumomab')).toEqual(['iv-continuous']);
    expect(byDrug.get('inotuzumab-ozogamicin')).toEqual(['iv-drip']);
    expect(byDrug.get('tisagenlecleucel')).toEqual(['infusion-cells']);
  });

  it('is sorted by drug id and uses only known route ids', () => {
    const ids = extra.routeOverrides.map((o) => o.drug);
    expect(ids).toEqual([...ids].sort());
    const known = new Set(routes.map((r) => r.id));
    for (const o of extra.routeOverrides) for (const r of o.routes) expect(known.has(r)).toBe(true);
  });
});
