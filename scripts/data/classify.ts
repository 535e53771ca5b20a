/**
 * Maps source classes to the curated plain-language class vocabulary
 * (data/curated/classes/*.yaml): MeSH pharmacological actions (`mesh`), FDA established
 * pharmacologic classes via DrugCentral (`epc`), EMA pharmacotherapeutic groups (`ema`),
 * ATC code prefixes from EMA (`atc`) and INN stems (`stems`).
 */
import type { DrugClass } from '../../data/schema';
import { compareText } from './normalise';

export interface ClassEvidence {
  id: string; // drug id (for stems)
  mesh: Iterable<string>;
  epc: Iterable<string>;
  ema: Iterable<string>;
  atc: Iterable<string>;
}

export type ClassSource = 'mesh' | 'epc' | 'ema' | 'atc' | 'stem';

export interface ClassResult {
  classes: string[]; // most specific first
  from: Set<ClassSource>; // which kinds of evidence gave the chosen classes
}

const WEIGHT: Record<ClassSource, number> = { atc: 3, epc: 3, mesh: 2, stem: 1.5, ema: 1 };
export const MAX_CLASSES = 3;
export const MIN_SHARE = 0.6;

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

export class Classifier {
  private readonly mesh = new Map<string, string[]>();
  private readonly epc = new Map<string, string[]>();
  private readonly ema = new Map<string, string[]>();
  private readonly atc: { prefix: string; id: string }[] = [];
  private readonly stems: { stem: string; id: string }[] = [];
  private readonly parent = new Map<string, string | undefined>();

  constructor(classes: DrugClass[]) {
    const add = (m: Map<string, string[]>, k: string, id: string) => {
      const key = norm(k);
      const l = m.get(key);
      if (!l) m.set(key, [id]);
      else if (!l.includes(id)) l.push(id);
    };
    for (const c of [...classes].sort((a, b) => compareText(a.id, b.id))) {
      this.parent.set(c.id, c.parent);
      for (const x of c.mesh ?? []) add(this.mesh, x, c.id);
      for (const x of c.epc ?? []) add(this.epc, x, c.id);
      for (const x of c.ema ?? []) add(this.ema, x, c.id);
      for (const x of c.atc ?? []) this.atc.push({ prefix: x.trim().toUpperCase(), id: c.id });
      for (const x of c.stems ?? []) if (x.replace(/-/g, '').length >= 3) this.stems.push({ stem: x.trim().toLowerCase(), id: c.id });
    }
  }

  /** True if `a` is an ancestor of `b` in the class tree. */
  isAncestor(a: string, b: string): boolean {
    const seen = new Set<string>();
    for (let p = this.parent.get(b); p && !seen.has(p); p = this.parent.get(p)) {
      if (p === a) return true;
      seen.add(p);
    }
    return false;
  }

  classify(e: ClassEvidence): ClassResult {
    const score = new Map<string, number>();
    const why = new Map<string, Set<ClassSource>>();
    const hit = (id: string, src: ClassSource, bonus = 0) => {
      score.set(id, (score.get(id) ?? 0) + WEIGHT[src] + bonus);
      let s = why.get(id);
      if (!s) why.set(id, (s = new Set()));
      s.add(src);
    };
    const once = (src: ClassSource, ids: Iterable<string>) => {
      for (const id of new Set(ids)) hit(id, src);
    };
    once('mesh', [...e.mesh].flatMap((x) => this.mesh.get(norm(x)) ?? []));
    once('epc', [...e.epc].flatMap((x) => this.epc.get(norm(x)) ?? []));
    once('ema', [...e.ema].flatMap((x) => this.ema.get(norm(x)) ?? []));
    // ATC: the longest matching prefix of each code counts, longer prefixes count more.
    const atcBest = new Map<string, number>();
    for (const code of e.atc) {
      for (const a of this.atc) {
        if (code.toUpperCase().startsWith(a.prefix)) atcBest.set(a.id, Math.max(atcBest.get(a.id) ?? 0, a.prefix.length));
      }
    }
    for (const [id, len] of atcBest) hit(id, 'atc', len / 10);
    const words = e.id.split('-');
    const stemIds = new Set<string>();
    for (const s of this.stems) {
      const core = s.stem.replace(/^-|-$/g, '');
      const ok = words.some((w) =>
        s.stem.startsWith('-') && s.stem.endsWith('-')
          ? w.includes(core) && !w.startsWith(core)
          : s.stem.startsWith('-')
            ? w.endsWith(core) && w.length > core.length
            : s.stem.endsWith('-')
              ? w.startsWith(core) && w.length > core.length
              : w === core,
      );
      if (ok) stemIds.add(s.id);
    }
    once('stem', stemIds);

    // Weak evidence next to strong evidence is noise: keep classes scoring at least
    // MIN_SHARE of the best one (a class's ancestors are kept when the class is).
    const top = Math.max(0, ...score.values());
    const strong = new Set([...score.keys()].filter((id) => score.get(id)! >= top * MIN_SHARE));
    for (const id of [...strong]) for (const a of score.keys()) if (this.isAncestor(a, id)) strong.add(a);
    let list = [...strong].sort((a, b) => score.get(b)! - score.get(a)! || compareText(a, b));
    // Most specific first: a class goes before its ancestors.
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < list.length && !changed; i++) {
        for (let j = i + 1; j < list.length; j++) {
          if (this.isAncestor(list[i], list[j])) {
            const [child] = list.splice(j, 1);
            list.splice(i, 0, child);
            changed = true;
            break;
          }
        }
      }
    }
    list = list.slice(0, MAX_CLASSES);
    const from = new Set<ClassSource>();
    for (const id of list) for (const s of why.get(id) ?? []) from.add(s);
    return { classes: list, from };
  }
}
