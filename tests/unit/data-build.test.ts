// @vitest-environment node
/**
 * The data build end to end: deterministic output, failure on a bad input row with its
 * file and line, the shape and size of the generated files, and the report.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Slug } from '../../data/schema';
import type { DatasetInfo, DrugRecord, NameIndex } from '../../data/types';
import { SOURCE_FILES } from '../../scripts/data/read-sources';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCES = path.resolve(ROOT, '../shared/data-sources');
const FIX = path.join(ROOT, 'tests/fixtures/data');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drug-lens-data-'));
const outA = path.join(tmp, 'a');
const outB = path.join(tmp, 'b');

function run(script: string, args: string[]) {
  const env = { ...process.env };
  delete env.CURATED_SKIP_REFS;
  return spawnSync(TSX, [path.join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 240_000 });
}

/** A sources folder that links to the real files, with one file replaced. */
function sourcesWith(replace: string, by: string): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'src-'));
  for (const rel of Object.values(SOURCE_FILES)) {
    const to = path.join(dir, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (rel === replace) fs.copyFileSync(by, to);
    else fs.symlinkSync(path.join(SOURCES, rel), to);
  }
  return dir;
}

let drugsFile: { datasets: DatasetInfo[]; drugs: DrugRecord[] };
let index: NameIndex;

beforeAll(() => {
  const a = run('scripts/data-build.ts', ['--out', outA, '--quiet']);
  expect(a.stderr).toBe('');
  expect(a.status).toBe(0);
  drugsFile = JSON.parse(fs.readFileSync(path.join(outA, 'drugs.json'), 'utf8'));
  index = JSON.parse(fs.readFileSync(path.join(outA, 'names.json'), 'utf8'));
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('data build', () => {
  it('is deterministic: the same input gives byte-identical files', () => {
    const b = run('scripts/data-build.ts', ['--out', outB, '--quiet']);
    expect(b.status).toBe(0);
    const files = fs.readdirSync(outA).sort();
    expect(fs.readdirSync(outB).sort()).toEqual(files);
    expect(files).toEqual(['classes.json', 'drugs.json', 'effects.json', 'names.json', 'routes.json']);
    for (const f of files) expect(fs.readFileSync(path.join(outB, f)).equals(fs.readFileSync(path.join(outA, f))), f).toBe(true);
  }, 300_000);

  it('fails with file:line when a source row is malformed', () => {
    const src = sourcesWith(SOURCE_FILES.fdaProducts, path.join(FIX, 'fda-bad/Products.txt'));
    const r = run('scripts/data-build.ts', ['--sources', src, '--out', path.join(tmp, 'never'), '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fda_drugsatfda_2022-08\/Products\.txt:3: ApplNo: must be a 6-digit application number/);
    expect(r.stderr).toMatch(/Products\.txt:4: expected 8 fields, found 6/);
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
  }, 120_000);

  it('fails with file:line when a curated row is malformed', () => {
    const curated = path.join(tmp, 'curated');
    fs.cpSync(path.join(ROOT, 'data/curated'), curated, { recursive: true });
    fs.copyFileSync(path.join(FIX, 'guards-bad-value.yaml'), path.join(curated, 'guards.yaml'));
    const r = run('scripts/data-build.ts', ['--curated', curated, '--out', path.join(tmp, 'never'), '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/guards\.yaml:3: #2\.match: /);
  }, 120_000);
});

describe('generated files', () => {
  it('hold at least 3,000 drugs and 20,000 names, sorted by a unique slug id', () => {
    const { drugs } = drugsFile;
    expect(drugs.length).toBeGreaterThanOrEqual(3000);
    const names = drugs.reduce((n, d) => n + 1 + d.generics.length + d.brands.length + d.codes.length + (d.abbreviations?.length ?? 0), 0);
    expect(names).toBeGreaterThanOrEqual(20000);
    const ids = drugs.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const id of ids) expect(Slug.safeParse(id).success, id).toBe(true);
    expect(index.ids).toEqual(ids);
  });

  it('keep the page index small and separate from the records', () => {
    expect(fs.statSync(path.join(outA, 'names.json')).size).toBeLessThan(1.5 * 1024 * 1024);
    expect(index.version).toBe(1);
    for (const [text, drug, kind, cs] of index.names) {
      expect(typeof text).toBe('string');
      expect(drug).toBeGreaterThanOrEqual(0);
      expect(drug).toBeLessThan(index.ids.length);
      expect('gbcam').toContain(kind);
      expect([0, 1]).toContain(cs);
    }
  });

  it('use only known classes, routes and datasets', () => {
    const classes = new Set((JSON.parse(fs.readFileSync(path.join(outA, 'classes.json'), 'utf8')) as { id: string }[]).map((c) => c.id));
    const routes = new Set((JSON.parse(fs.readFileSync(path.join(outA, 'routes.json'), 'utf8')) as { id: string }[]).map((r) => r.id));
    const datasets = new Set(drugsFile.datasets.map((d) => d.key));
    for (const d of drugsFile.drugs) {
      for (const c of d.classes) expect(classes.has(c), `${d.id}: ${c}`).toBe(true);
      for (const r of d.routes) expect(routes.has(r), `${d.id}: ${r}`).toBe(true);
      for (const keys of Object.values(d.sources)) for (const k of keys) expect(datasets.has(k), `${d.id}: ${k}`).toBe(true);
      for (const b of d.brands) expect(b.regions.every((r) => ['UK', 'EU', 'US'].includes(r))).toBe(true);
    }
    for (const key of ['fda', 'ema', 'nci', 'mesh', 'drugbank', 'drugcentral', 'curated']) expect(datasets.has(key), key).toBe(true);
  });

  it('copy no prose from NCI or EMA', () => {
    const text = fs.readFileSync(path.join(outA, 'drugs.json'), 'utf8');
    const nci = fs.readFileSync(path.join(SOURCES, SOURCE_FILES.nci), 'utf8').split('\n').slice(1);
    const ema = fs.readFileSync(path.join(SOURCES, SOURCE_FILES.ema), 'utf8').split('\n').slice(1);
    const prose = [
      ...nci.flatMap((l) => [l.split('\t')[9], l.split('\t')[10]]),
      ...ema.map((l) => l.split('\t')[24]),
    ].filter((p) => p && p.length > 80).map((p) => p.replace(/^"/, '').slice(0, 60));
    expect(prose.length).toBeGreaterThan(300);
    for (const p of prose) expect(text.includes(p), p).toBe(false);
    // Outside reviewed content, no field is a sentence.
    for (const d of drugsFile.drugs) {
      const { reviewed: _, ...rest } = d;
      for (const s of JSON.stringify(rest).match(/"(?:[^"\\]|\\.)*"/g) ?? []) expect(s.length, d.id).toBeLessThan(120);
    }
  });

  it('keep reviewed content from the curated records', () => {
    const imatinib = drugsFile.drugs.find((d) => d.id === 'imatinib')!;
    expect(imatinib.reviewed?.what).toMatch(/BCR-ABL/);
    expect(imatinib.reviewed?.references.length).toBeGreaterThan(0);
    expect(imatinib.classes).toEqual(['tki']);
    expect(imatinib.sources.classes).toEqual(['curated']);
  });
});

describe('data:report --json', () => {
  it('prints one JSON object with counts and coverage', () => {
    const r = run('scripts/data-report.ts', ['--json', '--dir', outA]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    expect(report.drugs).toBe(drugsFile.drugs.length);
    expect(report.names).toBeGreaterThanOrEqual(20000);
    expect(report.reviewed).toBeGreaterThan(0);
    for (const k of ['brands', 'codes', 'class', 'route', 'generics']) {
      expect(report.coverage[k]).toBeGreaterThan(0);
      expect(report.coverage[k]).toBeLessThanOrEqual(1);
    }
  }, 60_000);
});
