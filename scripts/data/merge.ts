/**
 * Joins the datasets into drugs.
 *
 * 1. Admission: a substance is a medicine if it is an ingredient in Drugs@FDA, an EMA human
 *    medicine, an NCI drug summary, a DrugCentral drug, or has a therapeutic MeSH action
 *    (and DrugBank knows it). DrugBank alone never adds a drug.
 * 2. Identity: names are reduced to a base key (salt, brackets and US suffix removed). Keys
 *    are joined with a union-find through DrugBank (common name or a synonym unique to one
 *    record), the curated alias table and the reviewed records.
 * 3. Facts (names, brands, codes, classes evidence, forms) are then attached to each drug.
 */
import type { ReviewedDrug } from '../../data/schema';
import type { Alias } from './curated-extra';
import { bracketCodes, emaBrandNames, splitEmaSubstances, splitFdaIngredients, splitNciName } from './ingredients';
import {
  baseName, joinKey, brandCase, cleanName, compareText, displayGeneric, fold, genericCase, isDevCode, isJunkName,
  isLabCode, looksLikeAbbreviation, nameKey, slugify, stripBrackets,
} from './normalise';
import type { Sources } from './read-sources';

export type SourceKey = 'fda' | 'ema' | 'nci' | 'mesh' | 'drugbank' | 'drugcentral' | 'curated';
export type Region = 'UK' | 'EU' | 'US';

/** Source order when choosing how a name is written: the first source wins. */
const SOURCE_RANK: Record<SourceKey, number> = { curated: 0, ema: 1, nci: 2, drugbank: 3, mesh: 4, drugcentral: 5, fda: 6 };

export interface NameFact {
  text: string;
  sources: Set<SourceKey>;
  rank: number; // best source rank seen
}
export interface BrandFact extends NameFact {
  regions: Set<Region>;
  match?: 'case-sensitive' | 'never';
  /** Seen on a single-ingredient product or curated record (not only a MeSH trade name). */
  strong: boolean;
}

/** Everything known about one drug before classes, routes and guards are applied. */
export interface Draft {
  id: string;
  name: string;
  nameSources: Set<SourceKey>;
  pronunciation?: { text: string; source: SourceKey };
  keys: Set<string>;
  admittedBy: Set<SourceKey>;
  generics: Map<string, NameFact>;
  brands: Map<string, BrandFact>;
  codes: Map<string, NameFact>;
  abbreviations: Map<string, NameFact>;
  misspellings: Map<string, NameFact>;
  ids: { drugbank?: string; mesh?: string; ncit?: string; unii?: string };
  idSources: Set<SourceKey>;
  evidence: {
    mesh: Set<string>; // MeSH pharmacological actions (MeSH file and DrugCentral)
    epc: Set<string>; // FDA classes via DrugCentral (EPC, MoA, PE)
    ema: Set<string>; // EMA human pharmacotherapeutic groups
    atc: Set<string>; // ATC codes from EMA
    meshFrom: Set<SourceKey>;
    epcFrom: Set<SourceKey>;
  };
  /** FDA form strings → number of products (single-ingredient first, combinations apart). */
  forms: Map<string, number>;
  comboForms: Map<string, number>;
  reviewed?: ReviewedDrug;
  alias?: Alias;
}

export interface MergeStats {
  admitted: Record<string, number>;
  droppedCombinations: string[];
  idCollisions: string[];
  reviewedConflicts: string[];
  brandConflicts: number;
}

/** Surface key used to de-duplicate names: folded, lower case, single spaces. */
export function surfaceKey(s: string): string {
  return fold(s).toLowerCase().replace(/\s+/g, ' ').trim();
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x);
    if (p === undefined) {
      this.parent.set(x, x);
      return x;
    }
    while (p !== x) {
      const gp = this.parent.get(p)!;
      this.parent.set(x, gp);
      x = p;
      p = this.parent.get(x)!;
    }
    return x;
  }
  union(a: string, b: string) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // Deterministic: the smaller string becomes the root.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
  nodes() {
    return [...this.parent.keys()];
  }
}

interface Mention {
  key: string;
  text: string;
  source: SourceKey;
  /** What the name is, for choosing the display name: EMA INN first. */
  role: 'inn' | 'drugbank' | 'nci' | 'mesh' | 'drugcentral' | 'fda';
}

const ROLE_RANK: Record<Mention['role'], number> = { inn: 0, drugbank: 1, nci: 2, drugcentral: 3, mesh: 4, fda: 5 };

/** DrugBank lists the Latin INN ("Ambroxolum") of substances that have an INN. */
function hasLatinInn(e: { name: string; synonyms: string[] }): boolean {
  const stem = fold(e.name).toLowerCase().slice(0, 4);
  return e.synonyms.some((s) => /um$/i.test(s) && !s.includes(' ') && fold(s).toLowerCase().startsWith(stem));
}

/** Latin INN forms ("imatinibum", "paracetamolum") next to the English name add nothing. */
function isLatinVariant(text: string, otherKeys: string[]): boolean {
  const k = surfaceKey(text);
  if (!/um$/.test(k) || k.length < 7) return false;
  const stem = k.slice(0, -2);
  const prefix = stem.slice(0, Math.max(5, stem.length - 1));
  return otherKeys.some((ok) => ok !== k && ok.length < k.length && ok.startsWith(prefix));
}

function addName(map: Map<string, NameFact>, text: string, source: SourceKey) {
  const t = cleanName(text);
  if (!t) return;
  const k = surfaceKey(t);
  const cur = map.get(k);
  const rank = SOURCE_RANK[source];
  if (!cur) map.set(k, { text: t, sources: new Set([source]), rank });
  else {
    cur.sources.add(source);
    if (rank < cur.rank) {
      cur.rank = rank;
      cur.text = t;
    }
  }
}

function addBrand(
  map: Map<string, BrandFact>, text: string, source: SourceKey, regions: Region[], strong: boolean,
  match?: 'case-sensitive' | 'never',
) {
  const t = source === 'fda' ? brandCase(text) : cleanName(text);
  if (!t || isJunkName(t)) return;
  const k = surfaceKey(t);
  const rank = SOURCE_RANK[source];
  let cur = map.get(k);
  if (!cur) {
    cur = { text: t, sources: new Set(), rank, regions: new Set(), strong: false };
    map.set(k, cur);
  }
  cur.sources.add(source);
  for (const r of regions) cur.regions.add(r);
  cur.strong ||= strong;
  if (rank < cur.rank) {
    cur.rank = rank;
    cur.text = t;
  }
  if (source === 'curated' && match) cur.match = match;
}

export interface MergeInput {
  sources: Sources;
  reviewed: ReviewedDrug[];
  aliases: Alias[];
  meshTherapeutic: string[];
}

export function merge(input: MergeInput): { drafts: Draft[]; stats: MergeStats } {
  const { sources: S, reviewed, aliases } = input;
  const stats: MergeStats = { admitted: {}, droppedCombinations: [], idCollisions: [], reviewedConflicts: [], brandConflicts: 0 };
  const uf = new UnionFind();
  const K = (key: string) => `k:${key}`;

  // ------------------------------------------------------------ DrugBank index
  const dbCommon = new Map<string, number[]>();
  const dbSynonym = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, i: number) => {
    if (!k) return;
    const l = m.get(k);
    if (!l) m.set(k, [i]);
    else if (!l.includes(i)) l.push(i);
  };
  S.drugbank.forEach((d, i) => {
    push(dbCommon, joinKey(d.name), i);
    for (const s of d.synonyms) if (!isJunkName(s) && !isDevCode(s)) push(dbSynonym, joinKey(s), i);
  });
  const linkDb = (key: string): number | undefined => {
    const c = dbCommon.get(key);
    if (c) return c.length === 1 ? c[0] : undefined;
    const s = dbSynonym.get(key);
    return s && s.length === 1 ? s[0] : undefined;
  };

  // ------------------------------------------------------------ admission
  const mentions: Mention[] = [];
  const admittedKeys = new Map<string, Set<SourceKey>>();
  const admit = (text: string, source: SourceKey, role: Mention['role']) => {
    const key = joinKey(text);
    if (!key || key.replace(/ /g, '').length < 3) return undefined;
    mentions.push({ key, text: cleanName(text), source, role });
    let set = admittedKeys.get(key);
    if (!set) admittedKeys.set(key, (set = new Set()));
    set.add(source);
    return key;
  };

  // FDA: each ingredient of each product.
  interface FdaUse { key: string; single: boolean; brand: string; form: string; codes: string[] }
  const fdaUses: FdaUse[] = [];
  for (const p of S.fdaProducts) {
    const parts = splitFdaIngredients(p.ActiveIngredient);
    const keys = parts.map((part) => admit(part, 'fda', 'fda')).filter((k): k is string => !!k);
    const uniq = [...new Set(keys)];
    for (const k of uniq) {
      const codes = parts.filter((x) => joinKey(x) === k).flatMap(bracketCodes).filter(isDevCode);
      fdaUses.push({ key: k, single: uniq.length === 1, brand: p.DrugName, form: p.Form, codes });
    }
  }

  // EMA: human medicines that were authorised (now or before).
  interface EmaUse { key: string; single: boolean; row: (typeof S.ema)[number]; substance: string }
  const emaUses: EmaUse[] = [];
  for (const r of S.ema) {
    if (r.category !== 'Human' || r.status === 'Refused' || r.status === '') continue;
    const parts = splitEmaSubstances(r.inn || r.activeSubstance);
    const actives = splitEmaSubstances(r.activeSubstance);
    const keys = parts.map((part) => admit(part, 'ema', 'inn')).filter((k): k is string => !!k);
    const uniq = [...new Set(keys)];
    for (const k of uniq) {
      const active = actives.find((a) => joinKey(a) === k) ?? '';
      emaUses.push({ key: k, single: uniq.length === 1, row: r, substance: active });
    }
  }

  // NCI: single-drug summaries (rows with an NCIt code; index pages have none).
  interface NciUse { key: string; single: boolean; row: (typeof S.nci)[number] }
  const nciUses: NciUse[] = [];
  for (const r of S.nci) {
    if (r.isCombination || !r.ncit) continue;
    const parts = splitNciName(r.name);
    const keys = [...new Set(parts.map((p) => admit(p, 'nci', 'nci')).filter((k): k is string => !!k))];
    for (const k of keys) nciUses.push({ key: k, single: keys.length === 1, row: r });
  }

  // DrugCentral: approved small molecules, by DrugBank id.
  const dcByDb = new Map<string, (typeof S.dcDrugClass)[number][]>();
  for (const r of S.dcDrugClass) {
    const l = dcByDb.get(r.drugbank_id);
    if (l) l.push(r);
    else dcByDb.set(r.drugbank_id, [r]);
  }
  const dbById = new Map(S.drugbank.map((d, i) => [d.id, i]));
  const dcClassType = new Map(S.dcClasses.map((c) => [c.class_id, c.class_source]));
  for (const [dbId, rows] of [...dcByDb].sort((a, b) => compareText(a[0], b[0]))) {
    const key = admit(rows[0].drugbank_name, 'drugcentral', 'drugcentral');
    const i = dbById.get(dbId);
    if (key && i !== undefined) uf.union(K(key), `db:${i}`);
  }

  // MeSH: substances with a therapeutic action, if DrugBank knows them too.
  const therapeutic = new Set(input.meshTherapeutic.map((s) => s.toLowerCase()));
  const meshSubstances = new Map<string, { name: string; actions: Set<string> }>();
  for (const a of S.meshActions) {
    let e = meshSubstances.get(a.SubstanceUI);
    if (!e) meshSubstances.set(a.SubstanceUI, (e = { name: a.SubstanceName, actions: new Set() }));
    if (!e.name && a.SubstanceName) e.name = a.SubstanceName;
    e.actions.add(a.PharmActionName);
  }
  const meshTraded = new Set(S.meshTerms.filter((t) => t.LexicalTag === 'TRD').map((t) => t.DescriptorUI));
  for (const [ui, e] of [...meshSubstances].sort((a, b) => compareText(a[0], b[0]))) {
    if (!e.name || isJunkName(e.name)) continue;
    if (![...e.actions].some((x) => therapeutic.has(x.toLowerCase()))) continue;
    const key = joinKey(e.name);
    if (admittedKeys.has(key)) {
      admit(e.name, 'mesh', 'mesh');
      continue;
    }
    // Alone, MeSH admits a substance only if it is marketed somewhere (a MeSH trade name)
    // or has an INN (DrugBank lists its Latin INN form, "ambroxolum").
    const db = linkDb(key);
    if (db === undefined) continue;
    if (meshTraded.has(ui) || hasLatinInn(S.drugbank[db])) admit(e.name, 'mesh', 'mesh');
  }

  // ------------------------------------------------------------ identity (union-find)
  // Distinct INNs are distinct drugs: when one DrugBank record would join several EMA INNs
  // ("Erythropoietin" lists epoetin alfa, beta, theta and zeta), only the INN that is the
  // record's own name joins it.
  const innsByDb = new Map<number, Set<string>>();
  for (const m of mentions) {
    if (m.role !== 'inn') continue;
    const i = linkDb(m.key);
    if (i === undefined) continue;
    let set = innsByDb.get(i);
    if (!set) innsByDb.set(i, (set = new Set()));
    set.add(m.key);
  }
  for (const m of mentions) {
    uf.find(K(m.key));
    const i = linkDb(m.key);
    if (i === undefined) continue;
    const inns = innsByDb.get(i);
    if (inns && inns.size > 1 && m.key !== joinKey(S.drugbank[i].name) && (m.role === 'inn' || inns.has(m.key))) continue;
    uf.union(K(m.key), `db:${i}`);
  }
  // The same words in another order name the same substance ("insulin human", "human insulin").
  const byTokens = new Map<string, string>();
  for (const k of [...admittedKeys.keys()].sort(compareText)) {
    const sorted = k.split(' ').sort().join(' ');
    const first = byTokens.get(sorted);
    if (first === undefined) byTokens.set(sorted, k);
    else if (k.includes(' ')) uf.union(K(first), K(k));
  }
  for (const node of uf.nodes()) {
    if (!node.startsWith('db:')) continue;
    const d = S.drugbank[Number(node.slice(3))];
    uf.union(node, K(joinKey(d.name)));
  }
  for (const a of aliases) {
    const node = `alias:${a.id}`;
    for (const n of [a.id.replace(/-/g, ' '), a.name, ...a.generics]) uf.union(node, K(joinKey(n)));
  }
  for (const r of reviewed) {
    const node = `rev:${r.id}`;
    uf.find(node);
    for (const n of [r.id.replace(/-/g, ' '), r.name, ...(r.generics ?? [])]) uf.union(node, K(joinKey(n)));
  }

  // Components that hold an admitted key or a reviewed record become drafts.
  const members = new Map<string, string[]>();
  for (const node of uf.nodes().sort(compareText)) {
    const root = uf.find(node);
    const l = members.get(root);
    if (l) l.push(node);
    else members.set(root, [node]);
  }
  const groupOfKey = new Map<string, Draft>();
  const groupOfDb = new Map<number, Draft>();
  const drafts: Draft[] = [];
  const reviewedById = new Map(reviewed.map((r) => [r.id, r]));
  const aliasById = new Map(aliases.map((a) => [a.id, a]));

  for (const [, nodes] of [...members].sort((a, b) => compareText(a[0], b[0]))) {
    const keys = nodes.filter((n) => n.startsWith('k:')).map((n) => n.slice(2));
    const admittedBy = new Set<SourceKey>();
    for (const k of keys) for (const s of admittedKeys.get(k) ?? []) admittedBy.add(s);
    const revIds = nodes.filter((n) => n.startsWith('rev:')).map((n) => n.slice(4)).sort(compareText);
    if (!admittedBy.size && !revIds.length) continue;
    if (revIds.length > 1) stats.reviewedConflicts.push(revIds.join(' + '));
    const aliasIds = nodes.filter((n) => n.startsWith('alias:')).map((n) => n.slice(6)).sort(compareText);
    const d: Draft = {
      id: '',
      name: '',
      nameSources: new Set(),
      keys: new Set(keys),
      admittedBy,
      generics: new Map(),
      brands: new Map(),
      codes: new Map(),
      abbreviations: new Map(),
      misspellings: new Map(),
      ids: {},
      idSources: new Set(),
      evidence: { mesh: new Set(), epc: new Set(), ema: new Set(), atc: new Set(), meshFrom: new Set(), epcFrom: new Set() },
      forms: new Map(),
      comboForms: new Map(),
      reviewed: revIds.length ? reviewedById.get(revIds[0]) : undefined,
      alias: aliasIds.length ? aliasById.get(aliasIds[0]) : undefined,
    };
    drafts.push(d);
    for (const k of keys) groupOfKey.set(k, d);
    for (const n of nodes) if (n.startsWith('db:')) groupOfDb.set(Number(n.slice(3)), d);
  }

  // FDA combination strings that are really several drugs run together
  // ("DOLUTEGRAVIR LAMIVUDINE TENOFOVIR ALAFENAMIDE") are not drugs of their own.
  const singleWordKeys = new Set([...groupOfKey.keys()]);
  const isRunTogether = (key: string): boolean => {
    const w = key.split(' ');
    if (w.length < 2 || /\d/.test(key)) return false;
    const seg = (from: number, parts: number): boolean => {
      if (from === w.length) return parts >= 2;
      for (let to = w.length; to > from; to--) {
        const k = w.slice(from, to).join(' ');
        if (k !== key && singleWordKeys.has(k) && seg(to, parts + 1)) return true;
      }
      return false;
    };
    return seg(0, 0);
  };
  const linkedDrafts = new Set(groupOfDb.values());
  for (let i = drafts.length - 1; i >= 0; i--) {
    const d = drafts[i];
    if (d.reviewed || d.alias || linkedDrafts.has(d)) continue;
    if ([...d.admittedBy].some((s) => s !== 'fda')) continue;
    if ([...d.keys].every(isRunTogether)) {
      stats.droppedCombinations.push([...d.keys].join(' | '));
      for (const k of d.keys) groupOfKey.delete(k);
      drafts.splice(i, 1);
    }
  }

  // ------------------------------------------------------------ attach facts
  const draftOf = (text: string) => groupOfKey.get(joinKey(text));

  for (const m of mentions) {
    const d = groupOfKey.get(m.key);
    if (!d) continue;
    addGenericForms(d, m.text, m.source);
  }

  for (const u of fdaUses) {
    const d = groupOfKey.get(u.key);
    if (!d) continue;
    const forms = u.single ? d.forms : d.comboForms;
    forms.set(u.form, (forms.get(u.form) ?? 0) + 1);
    if (u.single) addBrand(d.brands, u.brand, 'fda', ['US'], true);
    for (const c of u.codes) addName(d.codes, c, 'fda');
  }

  for (const u of emaUses) {
    const d = groupOfKey.get(u.key);
    if (!d) continue;
    if (u.substance) addGenericForms(d, u.substance, 'ema');
    if (!u.single) continue;
    // EMA central authorisations covered the UK until 2021 (carried over into UK licences,
    // and still valid in Northern Ireland), so EMA brands are tagged UK and EU.
    for (const b of emaBrandNames(u.row.medicineName)) addBrand(d.brands, b, 'ema', ['UK', 'EU'], true);
    const group = u.row.group.replace(/[,;\s]+$/, '').trim();
    if (group) d.evidence.ema.add(group);
    for (const g of group.split(/,\s+|;\s*/)) if (g.trim()) d.evidence.ema.add(g.trim());
    for (const a of u.row.atc) d.evidence.atc.add(a);
  }

  for (const u of nciUses) {
    const d = groupOfKey.get(u.key);
    if (!d) continue;
    if (!u.single) continue;
    d.ids.ncit ??= u.row.ncit;
    d.idSources.add('nci');
    for (const b of u.row.brands) addBrand(d.brands, b, 'nci', ['US'], true);
    if (u.row.pronunciation && !d.pronunciation) d.pronunciation = { text: u.row.pronunciation, source: 'nci' };
  }

  // DrugBank names, ids and the DrugCentral classes of each linked record. The primary
  // record is the one whose common name is an admitted name of the drug.
  const keptDrafts = new Set(drafts);
  for (const [i, d] of [...groupOfDb].sort((a, b) => a[0] - b[0])) {
    if (!keptDrafts.has(d)) continue;
    const e = S.drugbank[i];
    const names = [e.name, ...e.synonyms];
    const nameKeys = names.map(surfaceKey);
    for (const s of names) {
      if (isDevCode(s)) addName(d.codes, s, 'drugbank');
      else if (looksLikeAbbreviation(s)) addName(d.abbreviations, s, 'drugbank');
      else if (!isJunkName(s) && !isLatinVariant(s, nameKeys)) addGenericForms(d, s, 'drugbank');
    }
    const admittedName = admittedKeys.has(joinKey(e.name));
    const cur = d.ids.drugbank ? dbById.get(d.ids.drugbank)! : undefined;
    const curAdmitted = cur !== undefined && admittedKeys.has(joinKey(S.drugbank[cur].name));
    if (cur === undefined || (admittedName && !curAdmitted)) {
      d.ids.drugbank = e.id;
      if (e.unii) d.ids.unii = e.unii;
      else delete d.ids.unii;
    }
    d.idSources.add('drugbank');
    for (const r of dcByDb.get(e.id) ?? []) {
      const cls = dcClassType.get(r.class_id);
      if (cls === 'MeSH') {
        d.evidence.mesh.add(r.class_name);
        d.evidence.meshFrom.add('drugcentral');
      } else if (cls === 'FDA') {
        d.evidence.epc.add(r.class_name);
        d.evidence.epcFrom.add('drugcentral');
      }
    }
  }

  // MeSH descriptors: a descriptor belongs to the drug named by it, or else to the one
  // drug that its preferred terms name.
  const byDescriptor = new Map<string, typeof S.meshTerms>();
  for (const t of S.meshTerms) {
    const l = byDescriptor.get(t.DescriptorUI);
    if (l) l.push(t);
    else byDescriptor.set(t.DescriptorUI, [t]);
  }
  const descriptorDraft = new Map<string, Draft>();
  const meshIsOwn = new Set<Draft>();
  for (const [ui, terms] of byDescriptor) {
    let d = isJunkName(terms[0].DescriptorName) ? undefined : draftOf(terms[0].DescriptorName);
    if (!d) {
      const cands = new Set<Draft>();
      for (const t of terms) if (t.LexicalTag === 'NON' && t.ConceptPreferredTermYN === 'Y') {
        const g = draftOf(t.TermName);
        if (g) cands.add(g);
      }
      if (cands.size === 1) d = [...cands][0];
    }
    if (!d) continue;
    descriptorDraft.set(ui, d);
    const own = admittedKeys.has(joinKey(terms[0].DescriptorName));
    if (!d.ids.mesh || (own && !meshIsOwn.has(d))) {
      d.ids.mesh = ui;
      if (own) meshIsOwn.add(d);
    }
    d.idSources.add('mesh');
    for (const t of terms) {
      const text = t.TermName;
      if (t.LexicalTag === 'TRD') addBrand(d.brands, text, 'mesh', [], false);
      else if (t.LexicalTag === 'LAB') {
        if (isLabCode(text) || isDevCode(text)) addName(d.codes, text, 'mesh');
      } else if (t.LexicalTag === 'ABB' || t.LexicalTag === 'ACR') {
        if (looksLikeAbbreviation(text)) addName(d.abbreviations, text, 'mesh');
      } else if (t.LexicalTag === 'NON' || t.LexicalTag === 'NAM') {
        if (text.includes(',') || isJunkName(text)) continue;
        if (isDevCode(text)) addName(d.codes, text, 'mesh');
        else addGenericForms(d, text, 'mesh');
      }
    }
  }
  for (const [ui, e] of meshSubstances) {
    const d = descriptorDraft.get(ui) ?? (e.name ? draftOf(e.name) : undefined);
    if (!d) continue;
    for (const a of e.actions) d.evidence.mesh.add(a);
    d.evidence.meshFrom.add('mesh');
    if (!d.ids.mesh) {
      d.ids.mesh = ui;
      d.idSources.add('mesh');
    }
  }

  // Curated: aliases and reviewed records (reviewed fields win).
  for (const d of drafts) {
    if (d.alias) {
      for (const g of [d.alias.name, ...d.alias.generics]) addGenericForms(d, g, 'curated');
      for (const a of d.alias.abbreviations ?? []) addName(d.abbreviations, a, 'curated');
      for (const c of d.alias.codes ?? []) addName(d.codes, c, 'curated');
    }
    const r = d.reviewed;
    if (!r) continue;
    for (const g of [r.name, ...(r.generics ?? [])]) addGenericForms(d, g, 'curated');
    for (const b of r.brands ?? []) addBrand(d.brands, b.name, 'curated', b.regions, true, b.match);
    for (const c of r.codes ?? []) addName(d.codes, c, 'curated');
    for (const a of r.abbreviations ?? []) addName(d.abbreviations, a, 'curated');
    for (const m of r.misspellings ?? []) addName(d.misspellings, m, 'curated');
    if (r.pronunciation) d.pronunciation = { text: r.pronunciation, source: 'curated' };
  }

  // ------------------------------------------------------------ names and ids
  const byRole = new Map<Draft, Mention[]>();
  for (const m of mentions) {
    const d = groupOfKey.get(m.key);
    if (!d) continue;
    const l = byRole.get(d);
    if (l) l.push(m);
    else byRole.set(d, [m]);
  }
  const usedIds = new Map<string, Draft>();
  for (const d of drafts) {
    if (d.reviewed) {
      d.id = d.reviewed.id;
      d.name = d.reviewed.name;
      d.nameSources.add('curated');
    } else if (d.alias) {
      d.id = d.alias.id;
      d.name = d.alias.name;
      d.nameSources.add('curated');
    } else {
      const ms = [...(byRole.get(d) ?? [])];
      const db = d.ids.drugbank ? S.drugbank[dbById.get(d.ids.drugbank)!] : undefined;
      if (db) ms.push({ key: joinKey(db.name), text: db.name, source: 'drugbank', role: 'drugbank' });
      const best = chooseName(ms.filter((m) => !isJunkName(baseName(m.text))));
      if (!best) continue;
      d.name = displayGeneric(baseName(best.text));
      d.id = slugify(d.name);
      d.nameSources.add(best.source);
    }
  }
  // Deterministic order (reviewed and alias ids first so they keep their ids).
  drafts.sort((a, b) => Number(!a.reviewed) - Number(!b.reviewed) || Number(!a.alias) - Number(!b.alias) || compareText(a.id, b.id));
  const kept: Draft[] = [];
  for (const d of drafts) {
    if (!d.id) continue;
    let id = d.id;
    if (usedIds.has(id)) {
      stats.idCollisions.push(`${id}: ${[...d.keys].join(' | ')}`);
      let n = 2;
      while (usedIds.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
      d.id = id;
    }
    usedIds.set(id, d);
    kept.push(d);
  }

  // Tidy the names of each drug.
  const allGenericKeys = new Map<string, Draft>();
  for (const d of kept) for (const k of d.generics.keys()) if (!allGenericKeys.has(k)) allGenericKeys.set(k, d);
  for (const d of kept) tidyNames(d, allGenericKeys);

  // A brand on several drugs stays only where the evidence is strongest.
  const brandOwners = new Map<string, Draft[]>();
  for (const d of kept) for (const k of d.brands.keys()) {
    const l = brandOwners.get(k);
    if (l) l.push(d);
    else brandOwners.set(k, [d]);
  }
  for (const [k, owners] of brandOwners) {
    if (owners.length < 2) continue;
    stats.brandConflicts++;
    const score = (d: Draft) => {
      const b = d.brands.get(k)!;
      return (b.sources.has('curated') ? 100 : 0) + (b.strong ? 10 : 0) + b.sources.size;
    };
    const top = Math.max(...owners.map(score));
    for (const d of owners) if (score(d) < top) d.brands.delete(k);
  }

  for (const s of ['fda', 'ema', 'nci', 'drugcentral', 'mesh'] as SourceKey[]) {
    stats.admitted[s] = kept.filter((d) => d.admittedBy.has(s)).length;
  }
  stats.admitted.reviewed = kept.filter((d) => d.reviewed).length;
  kept.sort((a, b) => compareText(a.id, b.id));
  return { drafts: kept, stats };

  // -------------------------------------------------------------- helpers
  function addGenericForms(d: Draft, text: string, source: SourceKey) {
    const t = cleanName(text);
    if (!t) return;
    if (source !== 'curated' && !plausibleGeneric(t, source)) return;
    const forms = new Set<string>();
    const plain = stripBrackets(t);
    if (!isJunkName(t)) forms.add(t);
    if (plain && !isJunkName(plain)) forms.add(plain);
    const base = baseName(t);
    if (base && !isJunkName(base)) forms.add(base);
    for (const f of forms) {
      if (isDevCode(f)) addName(d.codes, f, source);
      else addName(d.generics, genericCase(f), source);
    }
  }
}

const ROMAN_TOKEN = /^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII)$/;

/**
 * Source synonyms that are descriptions rather than names: "dicesium salt methotrexate",
 * "adoptive immunotherapy agent CTL019", "folinic acid SF".
 */
export function plausibleGeneric(t: string, source: SourceKey): boolean {
  const words = t.split(/\s+/);
  if (/\bsalts?\b/i.test(t)) return false;
  if ((source === 'drugbank' || source === 'mesh') && words.length > 3) return false;
  if ((source === 'drugbank' || source === 'mesh') && words.length > 1 && /^anti-/i.test(t)) return false;
  if (words.some((w) => /[a-z][A-Z]/.test(w) && /^[A-Za-z]{2,4}$/.test(w))) return false; // MAb, mAb
  if (words.length > 1 && words.some((w) => /^[A-Z]{2,4}$/.test(w) && !ROMAN_TOKEN.test(w))) return false;
  if (/[A-Za-z]\.[A-Za-z]/.test(t)) return false; // "CAR.CD19"
  if (words.length > 1 && words.some((w) => isDevCode(w))) return false;
  return true;
}

/** The display name: EMA INN first, then DrugBank, NCI, DrugCentral, MeSH, FDA. */
function chooseName(ms: Mention[]): Mention | undefined {
  const counts = new Map<string, number>();
  for (const m of ms) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  return [...ms].sort(
    (a, b) =>
      ROLE_RANK[a.role] - ROLE_RANK[b.role] ||
      (counts.get(b.key) ?? 0) - (counts.get(a.key) ?? 0) ||
      baseName(a.text).length - baseName(b.text).length ||
      compareText(a.key, b.key) ||
      compareText(a.text, b.text),
  )[0];
}

/**
 * Removes the display name from the generics, Latin variants, generics that are brands,
 * and brands that are generic names (of this or any drug: "Imatinib Accord").
 */
function tidyNames(d: Draft, allGenericKeys: Map<string, Draft>) {
  const nameKeySurface = surfaceKey(d.name);
  d.generics.delete(nameKeySurface);
  const genericKeys = [...d.generics.keys(), nameKeySurface];
  for (const [k, g] of [...d.generics]) {
    if (isLatinVariant(g.text, genericKeys)) d.generics.delete(k);
  }
  const ownKeys = new Set<string>([nameKey(d.name), ...[...d.generics.values()].map((g) => nameKey(g.text))]);
  for (const k of d.keys) ownKeys.add(k);
  for (const [k, b] of [...d.brands]) {
    if (b.sources.has('curated')) continue;
    const bk = nameKey(b.text);
    const bb = joinKey(b.text);
    let generic = ownKeys.has(bk) || ownKeys.has(bb) || allGenericKeys.has(surfaceKey(b.text));
    if (!generic) {
      for (const g of ownKeys) {
        if (g.length >= 4 && (bk.startsWith(`${g} `) || bk.endsWith(` ${g}`) || bk.includes(` ${g} `))) {
          generic = true;
          break;
        }
      }
    }
    if (generic || /%|\bin plastic container\b|\bin dextrose\b|\bin sodium chloride\b|\bkit\b/i.test(b.text)) d.brands.delete(k);
  }
  // A name that is a brand of this drug is not also a generic ("Hydrea" in DrugBank synonyms).
  for (const k of d.brands.keys()) d.generics.delete(k);
  for (const k of d.codes.keys()) d.generics.delete(k);
  for (const k of d.abbreviations.keys()) d.generics.delete(k);
  for (const k of d.misspellings.keys()) d.generics.delete(k);
}
