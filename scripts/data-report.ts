/**
 * `npm run data:report`: counts and per-field coverage of the generated data.
 *
 *   npm run --silent data:report -- --json     one JSON object on stdout
 *   npm run data:report                         a readable table
 *   npm run data:report -- --dir DIR            another output folder (default data/generated)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetInfo, DrugRecord, NameIndex } from '../data/types';

export interface DataReport {
  drugs: number;
  names: number; // names across drugs.json: display name, generics, brands, codes, abbreviations
  indexNames: number; // entries in names.json (after the precision guards)
  reviewed: number;
  coverage: Record<string, number>; // share of drugs (0–1) that have the field
  counts: Record<string, number>; // how many drugs have the field
  namesByKind: Record<string, number>; // names.json entries by kind
  caseSensitive: number; // names.json entries matched only as written
  brandsByRegion: Record<string, number>; // drugs with at least one brand from the region
  classes: Record<string, number>; // drugs per class source ("curated", "mesh", ...)
  routes: Record<string, number>; // drugs per route source
  datasets: { key: string; version: string }[];
  files: Record<string, number>; // bytes
}

const KIND_NAMES: Record<string, string> = { g: 'generic', b: 'brand', c: 'code', a: 'abbreviation', m: 'misspelling' };

export function buildReport(dir: string): DataReport {
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  const drugsFile = JSON.parse(read('drugs.json')) as { datasets: DatasetInfo[]; drugs: DrugRecord[] };
  const index = JSON.parse(read('names.json')) as NameIndex;
  const drugs = drugsFile.drugs;
  const n = drugs.length || 1;
  const has: Record<string, (d: DrugRecord) => boolean> = {
    generics: (d) => d.generics.length > 0,
    brands: (d) => d.brands.length > 0,
    brandsUS: (d) => d.brands.some((b) => b.regions.includes('US')),
    brandsEU: (d) => d.brands.some((b) => b.regions.includes('EU')),
    brandsUK: (d) => d.brands.some((b) => b.regions.includes('UK')),
    codes: (d) => d.codes.length > 0,
    abbreviations: (d) => (d.abbreviations?.length ?? 0) > 0,
    class: (d) => d.classes.length > 0,
    route: (d) => d.routes.length > 0,
    routeSpecific: (d) => d.routes.some((r) => r !== 'other'),
    pronunciation: (d) => !!d.pronunciation,
    drugbankId: (d) => !!d.ids?.drugbank,
    meshId: (d) => !!d.ids?.mesh,
    ncitId: (d) => !!d.ids?.ncit,
    unii: (d) => !!d.ids?.unii,
    reviewed: (d) => !!d.reviewed,
  };
  const counts: Record<string, number> = {};
  const coverage: Record<string, number> = {};
  for (const [k, f] of Object.entries(has)) {
    counts[k] = drugs.filter(f).length;
    coverage[k] = Math.round((counts[k] / n) * 1000) / 1000;
  }
  const namesByKind: Record<string, number> = {};
  let caseSensitive = 0;
  for (const [, , kind, cs] of index.names) {
    const k = KIND_NAMES[kind] ?? kind;
    namesByKind[k] = (namesByKind[k] ?? 0) + 1;
    caseSensitive += cs;
  }
  const tally = (field: 'classes' | 'routes') => {
    const out: Record<string, number> = {};
    for (const d of drugs) for (const s of d.sources[field] ?? []) out[s] = (out[s] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  };
  const files: Record<string, number> = {};
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) files[f] = fs.statSync(path.join(dir, f)).size;
  return {
    drugs: drugs.length,
    names: drugs.reduce((s, d) => s + 1 + d.generics.length + d.brands.length + d.codes.length + (d.abbreviations?.length ?? 0), 0),
    indexNames: index.names.length,
    reviewed: counts.reviewed,
    coverage,
    counts,
    namesByKind,
    caseSensitive,
    brandsByRegion: { UK: counts.brandsUK, EU: counts.brandsEU, US: counts.brandsUS },
    classes: tally('classes'),
    routes: tally('routes'),
    datasets: drugsFile.datasets.map((d) => ({ key: d.key, version: d.version })),
    files,
  };
}

function table(r: DataReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  const lines = [
    `Drugs            ${r.drugs}`,
    `Names            ${r.names} in drugs.json, ${r.indexNames} in the page index (${r.caseSensitive} case-sensitive)`,
    `Reviewed         ${r.reviewed}`,
    '',
    'Coverage (share of drugs with the field)',
    ...Object.entries(r.coverage).map(([k, v]) => `  ${k.padEnd(15)} ${pct(v)}  (${r.counts[k]})`),
    '',
    `Page index by kind: ${Object.entries(r.namesByKind).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `Class sources:      ${Object.entries(r.classes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `Route sources:      ${Object.entries(r.routes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `Datasets:           ${r.datasets.map((d) => `${d.key} ${d.version}`).join(', ')}`,
    `Files:              ${Object.entries(r.files).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`).join(', ')}`,
  ];
  return lines.join('\n');
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const i = process.argv.indexOf('--dir');
  const dir = i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : path.resolve(import.meta.dirname, '../data/generated');
  const report = buildReport(dir);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report)}\n`);
  else console.log(table(report));
}
