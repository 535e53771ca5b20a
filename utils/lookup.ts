/**
 * The lookup, pure: a drug id or any of its names → the data the card shows.
 * Runs in the background service worker (and in the `lookup` CLI and tests).
 */
import type { DrugClass, Frequency, Region, RouteDef, SideEffect, Source, Urgency } from '../data/schema';
import type { DatasetInfo, DrugRecord, NameIndex, NameKind } from '../data/types';
import { fold, nameKey } from './text';
import { createTypoResolver, type TypoResolverIndex } from './typo';

export interface LookupData {
  datasets: DatasetInfo[];
  drugs: DrugRecord[];
  classes: DrugClass[];
  effects: SideEffect[];
  routes: RouteDef[];
  names: NameIndex;
  typoVeto: string[];
}

export type NameKindLabel = 'generic name' | 'brand name' | 'development code' | 'abbreviation' | 'misspelling';
export const KIND_LABEL: Record<NameKind, NameKindLabel> = {
  g: 'generic name',
  b: 'brand name',
  c: 'development code',
  a: 'abbreviation',
  m: 'misspelling',
};

export interface CardEffect {
  id: string;
  name: string;
  advice: string;
  thresholds: string[];
  frequency?: Frequency;
  level?: Urgency;
  note?: string;
}

export interface CardData {
  id: string;
  name: string;
  pronunciation?: string;
  /** What was matched on the page or typed, and how it relates to the drug. */
  matched?: { text: string; kind: NameKind; label: NameKindLabel; fuzzy?: string };
  /**
   * reviewed: written and reviewed by us; class: side effects are typical of its class;
   * basic: names only; stem: not a known drug — its likely class is read from its name.
   */
  tier: 'reviewed' | 'class' | 'basic' | 'stem';
  /** For tier "stem": the name stem the class was read from, e.g. "-tinib". */
  stem?: string;
  classes: { id: string; name: string; plain: string }[];
  classSource?: string;
  routes: string[];
  given?: string;
  what?: string;
  target?: string;
  mechanism?: string;
  uses: string[];
  common: CardEffect[];
  urgent: CardEffect[];
  tips: string[];
  brands: Record<Region, string[]>;
  generics: string[];
  codes: string[];
  siblings: { id: string; name: string }[];
  references: Source[];
  datasets: DatasetInfo[];
  reviewedOn?: string;
}

export interface Suggestion {
  id: string;
  name: string; // drug display name
  label: string; // the name that matched the query
  kind: NameKind;
}

export interface Lookup {
  card(id: string, matched?: { text: string; kind?: NameKind; fuzzy?: string }): CardData | null;
  /** Resolves any generic, brand, code, abbreviation or one-edit typo to a drug. */
  resolve(name: string): { id: string; kind: NameKind; fuzzy?: string } | null;
  byName(name: string): CardData | null;
  /** For a word that is not a known drug: its likely class, read from its name stem. */
  guessByStem(word: string): CardData | null;
  suggest(query: string, limit?: number): Suggestion[];
  resolveTypos(words: string[]): Record<string, { id: string; name: string } | null>;
  classSiblings(classId: string): { id: string; name: string }[];
  readonly drugCount: number;
  readonly effects: ReadonlyMap<string, SideEffect>;
  readonly classes: ReadonlyMap<string, DrugClass>;
}

export function createLookup(data: LookupData): Lookup {
  const drugs = new Map(data.drugs.map((d) => [d.id, d]));
  const classes = new Map(data.classes.map((c) => [c.id, c]));
  const effects = new Map(data.effects.map((e) => [e.id, e]));
  const routes = new Map(data.routes.map((r) => [r.id, r]));
  const typo: TypoResolverIndex = createTypoResolver(data.names, new Set(data.typoVeto.map(fold)));

  // Every name of every drug (including brands never highlighted on pages) → drug.
  const byKey = new Map<string, { id: string; kind: NameKind; label: string }>();
  const add = (name: string, id: string, kind: NameKind) => {
    const key = nameKey(name);
    if (key && !byKey.has(key)) byKey.set(key, { id, kind, label: name });
  };
  for (const d of data.drugs) add(d.name, d.id, 'g');
  for (const d of data.drugs) {
    d.generics.forEach((n) => add(n, d.id, 'g'));
    d.brands.forEach((b) => add(b.name, d.id, 'b'));
    d.codes.forEach((n) => add(n, d.id, 'c'));
    d.abbreviations?.forEach((n) => add(n, d.id, 'a'));
  }
  for (const [text, drug, kind] of data.names.names) add(text, data.names.ids[drug], kind);
  const sortedKeys = [...byKey.keys()].sort();

  const bySibling = new Map<string, { id: string; name: string }[]>();
  for (const d of data.drugs) {
    const c = d.classes[0];
    if (!c) continue;
    const list = bySibling.get(c) ?? [];
    list.push({ id: d.id, name: d.name });
    bySibling.set(c, list);
  }

  const effect = (id: string, extra: Partial<CardEffect>): CardEffect | null => {
    const e = effects.get(id);
    if (!e) return null;
    return { id, name: e.name, advice: e.advice, thresholds: e.thresholds ?? [], ...extra };
  };

  function classChain(id: string | undefined): DrugClass[] {
    const out: DrugClass[] = [];
    for (let c = id ? classes.get(id) : undefined; c && out.length < 5; c = c.parent ? classes.get(c.parent) : undefined) out.push(c);
    return out;
  }

  function card(id: string, matched?: { text: string; kind?: NameKind; fuzzy?: string }): CardData | null {
    const d = drugs.get(id);
    if (!d) return null;
    const chain = classChain(d.classes[0]);
    const r = d.reviewed;
    let common: CardEffect[] = [];
    let urgent: CardEffect[] = [];
    let tier: CardData['tier'] = 'basic';
    if (r) {
      tier = 'reviewed';
      common = r.common.map((c) => effect(c.effect, { frequency: c.frequency, note: c.note })).filter((x) => !!x);
      urgent = r.urgent.map((u) => effect(u.effect, { level: u.level, note: u.note })).filter((x) => !!x);
    } else {
      const withEffects = chain.find((c) => c.commonEffects?.length || c.urgentEffects?.length);
      if (withEffects) {
        tier = 'class';
        common = (withEffects.commonEffects ?? []).map((e) => effect(e, {})).filter((x) => !!x);
        urgent = (withEffects.urgentEffects ?? []).map((u) => effect(u.effect, { level: u.level })).filter((x) => !!x);
      }
    }
    const order: Urgency[] = ['emergency', 'now', 'next-visit'];
    urgent.sort((a, b) => order.indexOf(a.level!) - order.indexOf(b.level!));
    const brands: Record<Region, string[]> = { UK: [], EU: [], US: [] };
    for (const b of d.brands) for (const reg of b.regions) if (!brands[reg].includes(b.name)) brands[reg].push(b.name);
    const kind = matched?.kind ?? resolve(matched?.text ?? '')?.kind ?? 'g';
    const sourceKeys = new Set(Object.values(d.sources).flat());
    return {
      id: d.id,
      name: d.name,
      pronunciation: d.pronunciation,
      matched: matched
        ? { text: matched.text, kind, label: KIND_LABEL[kind], ...(matched.fuzzy ? { fuzzy: matched.fuzzy } : {}) }
        : undefined,
      tier,
      classes: chain.map((c) => ({ id: c.id, name: c.name, plain: c.plain })),
      classSource: d.sources.classes?.map((k) => data.datasets.find((s) => s.key === k)?.title ?? k).join(', '),
      routes: d.routes.map((x) => routes.get(x)?.plain).filter((x): x is string => !!x),
      given: r?.given,
      what: r?.what,
      target: r?.target,
      mechanism: r?.mechanism,
      uses: r?.uses ?? [],
      common,
      urgent,
      tips: r?.tips ?? [],
      brands,
      generics: d.generics,
      codes: d.codes,
      siblings: classSiblings(d.classes[0] ?? '').filter((s) => s.id !== d.id).slice(0, 12),
      references: r?.references ?? [],
      datasets: data.datasets.filter((s) => sourceKeys.has(s.key)),
      reviewedOn: r?.reviewedOn,
    };
  }

  function resolve(name: string): { id: string; kind: NameKind; fuzzy?: string } | null {
    const key = nameKey(name);
    if (!key) return null;
    const hit = byKey.get(key) ?? (drugs.has(name) ? { id: name, kind: 'g' as const } : undefined);
    if (hit) return { id: hit.id, kind: hit.kind };
    if (!key.includes(' ')) {
      const t = typo.resolve(key);
      if (t) return { id: t.id, kind: 'm', fuzzy: drugs.get(t.id)?.name ?? t.name };
    }
    return null;
  }

  function byName(name: string): CardData | null {
    const r = resolve(name);
    return r ? card(r.id, { text: name.trim(), kind: r.kind, fuzzy: r.fuzzy }) : null;
  }

  // Name stems, longest first, so "-brutinib" wins over "-tinib" and "-nib".
  const stems: { stem: string; at: 'end' | 'start' | 'word'; core: string; classId: string }[] = [];
  for (const c of data.classes) {
    for (const raw of c.stems ?? []) {
      const st = raw.toLowerCase();
      if (st.startsWith('-')) stems.push({ stem: raw, at: 'end', core: st.slice(1), classId: c.id });
      else if (st.endsWith('-')) stems.push({ stem: raw, at: 'start', core: st.slice(0, -1), classId: c.id });
      else stems.push({ stem: raw, at: 'word', core: st, classId: c.id });
    }
  }
  stems.sort((a, b) => b.core.length - a.core.length || a.classId.localeCompare(b.classId));

  function guessByStem(word: string): CardData | null {
    const w = fold(word.trim());
    if (!/^[a-z]{5,40}$/.test(w)) return null;
    const hit = stems.find((s) =>
      s.at === 'end' ? w.endsWith(s.core) && w.length >= s.core.length + 3 : s.at === 'start' ? w.startsWith(s.core) && w.length >= s.core.length + 3 : w === s.core,
    );
    if (!hit) return null;
    const chain = classChain(hit.classId);
    if (!chain.length) return null;
    const display = word.trim();
    return {
      id: `stem:${w}`,
      name: display[0].toUpperCase() + display.slice(1),
      matched: { text: display, kind: 'g', label: KIND_LABEL.g },
      tier: 'stem',
      stem: hit.stem,
      classes: chain.map((c) => ({ id: c.id, name: c.name, plain: c.plain })),
      routes: [],
      uses: [],
      common: [],
      urgent: [],
      tips: [],
      brands: { UK: [], EU: [], US: [] },
      generics: [],
      codes: [],
      siblings: classSiblings(hit.classId).slice(0, 12),
      references: [],
      datasets: [],
    };
  }

  function suggest(query: string, limit = 8): Suggestion[] {
    const q = nameKey(query);
    if (!q) return [];
    const out: Suggestion[] = [];
    const seen = new Set<string>();
    const push = (key: string) => {
      const hit = byKey.get(key);
      if (!hit || seen.has(hit.id)) return;
      seen.add(hit.id);
      out.push({ id: hit.id, name: drugs.get(hit.id)?.name ?? hit.label, label: hit.label, kind: hit.kind });
    };
    let lo = 0;
    let hi = sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedKeys[mid] < q) lo = mid + 1;
      else hi = mid;
    }
    if (byKey.has(q)) push(q);
    for (let i = lo; i < sortedKeys.length && out.length < limit && sortedKeys[i].startsWith(q); i++) push(sortedKeys[i]);
    if (out.length < limit) {
      const r = resolve(query);
      if (r) {
        const d = drugs.get(r.id);
        if (d && !seen.has(d.id)) out.push({ id: d.id, name: d.name, label: r.fuzzy ?? d.name, kind: r.kind });
      }
    }
    return out.slice(0, limit);
  }

  function resolveTypos(words: string[]) {
    const out: Record<string, { id: string; name: string } | null> = {};
    for (const w of words.slice(0, 5000)) {
      if (typeof w !== 'string' || w.length > 64) continue;
      const t = typo.resolve(w);
      out[w] = t ? { id: t.id, name: drugs.get(t.id)?.name ?? t.name } : null;
    }
    return out;
  }

  function classSiblings(classId: string) {
    return (bySibling.get(classId) ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
  }

  return { card, resolve, byName, guessByStem, suggest, resolveTypos, classSiblings, drugCount: drugs.size, effects, classes };
}
