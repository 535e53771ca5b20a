/**
 * Typo tolerance, pure: one edit (substitution, insertion, deletion or transposition)
 * for dictionary names of 7 or more letters, never for ordinary English words.
 *
 * A deletion index (each name and every one-letter deletion of it) finds candidates
 * with a few hash probes per word; candidates are then checked with the
 * optimal-string-alignment distance.
 */
import type { NameIndex } from '../data/types';
import type { TypoHit } from './matcher';
import { fold } from './text';

export const TYPO_MIN_NAME = 7;

/** Optimal string alignment distance, capped: returns 2 as soon as it exceeds 1. */
export function editDistanceAtMostOne(a: string, b: string): 0 | 1 | 2 {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return 2;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return 1; // substitution
    if (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)) return 1; // transposition
    return 2;
  }
  return la > lb ? (a.slice(i + 1) === b.slice(i) ? 1 : 2) : (a.slice(i) === b.slice(i + 1) ? 1 : 2);
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

export interface TypoResolverIndex {
  resolve(word: string): TypoHit | null;
  readonly names: number;
}

/**
 * Builds the resolver from the page index (single-word, case-insensitive names of
 * 7+ letters) and a set of ordinary English words (folded) that are never read as typos.
 */
export function createTypoResolver(index: NameIndex, english: ReadonlySet<string>): TypoResolverIndex {
  const byKey = new Map<string, number[]>(); // key → indices into `names`
  const names: { key: string; display: string; drug: number }[] = [];
  const seen = new Set<string>();
  for (const [text, drug, kind, cs] of index.names) {
    if (cs || kind === 'c' || kind === 'a') continue;
    const key = fold(text);
    if (key.length < TYPO_MIN_NAME || !/^\p{L}+$/u.test(key) || seen.has(key)) continue;
    seen.add(key);
    const n = names.push({ key, display: text, drug }) - 1;
    for (const k of [key, ...deletions(key)]) {
      const list = byKey.get(k);
      if (list) list.push(n);
      else byKey.set(k, [n]);
    }
  }

  function resolve(raw: string): TypoHit | null {
    const word = fold(raw);
    if (word.length < TYPO_MIN_NAME - 1 || english.has(word) || seen.has(word)) return null;
    const drugs = new Set<number>();
    let found = -1;
    for (const k of [word, ...deletions(word)]) {
      for (const n of byKey.get(k) ?? []) {
        if (editDistanceAtMostOne(word, names[n].key) !== 1) continue;
        if (found < 0) found = n;
        drugs.add(names[n].drug);
      }
    }
    // Ambiguous (one edit from names of two different drugs): say nothing.
    if (found < 0 || drugs.size !== 1) return null;
    return { id: index.ids[names[found].drug], name: names[found].display };
  }

  return { resolve, names: names.length };
}
