/**
 * The matcher: pure text → matches, shared by the content script, the popup and the
 * `scan` CLI. One pass over the text for the whole dictionary:
 *
 *   text ──tokenize──▶ tokens ──walk token trie (longest match)──▶ exact matches
 *                            └─ unmatched long words ──typo resolver──▶ fuzzy matches
 *
 * The trie is keyed by whole folded tokens, so a lookup costs one hash probe per token
 * whatever the dictionary size, and the walk is linear in the text. A bit filter in
 * front of the first level turns most words away before that probe.
 */
import type { NameIndex, NameKind } from '../data/types';
import { tokenize, type Token } from './text';

export interface Match {
  start: number; // UTF-16 offset, inclusive
  end: number; // UTF-16 offset, exclusive
  text: string; // the text as written on the page
  id: string; // drug id
  kind: NameKind; // which kind of name matched
  /** Set for a one-edit typo: the dictionary name it was read as. */
  fuzzy?: string;
}

/** What the typo resolver says about an unmatched word (folded), or null. */
export interface TypoHit {
  id: string;
  name: string;
}
export type TypoResolver = (foldedWord: string) => TypoHit | null | undefined;

export interface FindOptions {
  typo?: TypoResolver;
  /** Words the resolver was asked about and had no answer for yet (two-phase use). */
  onTypoCandidate?: (foldedWord: string) => void;
}

interface Entry {
  drug: number;
  kind: NameKind;
  /** For case-sensitive names: the exact token texts. */
  exact?: string[];
  /**
   * For abbreviations and codes with a one- or two-letter prefix ("6-MP", "MT-103"):
   * which gaps between tokens must be written as in the name. "6MP" on a camera or
   * "MT103" in a bank message is not a drug; "STI571" still is.
   */
  gaps?: boolean[];
}
interface TrieNode {
  next?: Map<string, TrieNode>;
  entries?: Entry[];
}

const SIMPLE = /^[A-Za-z]+$/;

/** Minimum length of a word the typo resolver is asked about. */
export const TYPO_MIN_WORD = 6;
/** A hyphen at the end of a line, joining the two halves of one word. */
const SOFT_BREAK = /^[-‐]\r?\n\s*$/;
/** What may stand between the words of a multi-word name or a code: spaces, line breaks, a hyphen. */
const SEPARATOR = /^(?:\s+|\s*[-‐‑–]\s*)?$/u;

export interface Matcher {
  find(text: string, options?: FindOptions): Match[];
  readonly ids: readonly string[];
  readonly size: number;
}

/** Bits in the first-word filter: 2^20 (128 KB), under 2 % set with the whole dictionary. */
const FILTER_BITS = 20;
/** FNV-1a over the word's characters, mixed, top bits. */
function filterHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> (32 - FILTER_BITS);
}

/**
 * The trie's first level. Nearly every word on a page starts no name, and a hash probe
 * into tens of thousands of first words misses the cache more the bigger the dictionary;
 * a bit per hash in front of it answers most words from 128 KB. A clear bit is a certain
 * "no"; a set bit is checked in the map.
 */
class FirstWords {
  private readonly map = new Map<string, TrieNode>();
  private readonly bits = new Uint32Array(1 << (FILTER_BITS - 5));
  get(key: string): TrieNode | undefined {
    const h = filterHash(key);
    return this.bits[h >>> 5] & (1 << (h & 31)) ? this.map.get(key) : undefined;
  }
  /** The node for a first word, made if new. */
  node(key: string): TrieNode {
    let node = this.map.get(key);
    if (!node) {
      this.map.set(key, (node = {}));
      const h = filterHash(key);
      this.bits[h >>> 5] |= 1 << (h & 31);
    }
    return node;
  }
}

/** Adds one name to the trie; false if it has no words. */
function insertName(root: FirstWords, name: string, drug: number, kind: NameKind, cs: boolean): boolean {
  let node: TrieNode | undefined;
  const entry: Entry = { drug, kind };
  if (SIMPLE.test(name)) {
    // Most names are one plain word: no tokenising needed (this runs at every page start).
    node = root.node(name.toLowerCase());
    if (cs) entry.exact = [name];
  } else {
    const tokens = tokenize(name);
    if (!tokens.length) return false;
    node = root.node(tokens[0].key);
    for (let k = 1; k < tokens.length; k++) {
      const level: Map<string, TrieNode> = (node.next ??= new Map());
      const key = tokens[k].key;
      node = level.get(key);
      if (!node) level.set(key, (node = {}));
    }
    if (cs) entry.exact = tokens.map((t) => name.slice(t.start, t.end));
    if (tokens.length > 1 && (kind === 'a' || (kind === 'c' && tokens[0].type === 'a' && tokens[0].key.length <= 2))) {
      entry.gaps = tokens.slice(1).map((t, k) => t.start > tokens[k].end);
    }
  }
  (node.entries ??= []).push(entry);
  return true;
}

/** Adds names[from, to) to the trie; returns how many were added. */
function insertNames(root: FirstWords, names: NameIndex['names'], from: number, to: number): number {
  let added = 0;
  for (let i = from; i < to; i++) {
    const [name, drug, kind, cs] = names[i];
    if (insertName(root, name, drug, kind, cs === 1)) added++;
  }
  return added;
}

/**
 * The page index as text, the form the content script ships: evaluating it as a
 * JavaScript or JSON structure cost a long task at every page start; text is read a
 * slice at a time. First line: drug ids separated by spaces. Then one name per line:
 * `<kind><0|1 case-sensitive><drug index>\t<name>`, e.g. `b0 1234\tGleevec`.
 */
export function pageIndexToText(index: NameIndex): string {
  const lines = [index.ids.join(' ')];
  for (const [name, drug, kind, cs] of index.names) lines.push(`${kind}${cs} ${drug}\t${name}`);
  return `${lines.join('\n')}\n`;
}

/** Time the compiler may hold the main thread before it yields to the page. */
export const COMPILE_BUDGET_MS = 8;

/**
 * Compiles the text form of the page index, yielding to the page whenever a slice has
 * used its time budget (checked every 32 names): the first run of this code is cold,
 * and a fixed count of names per slice took anything from 5 to 50 ms.
 */
export async function compilePageIndexText(
  text: string,
  yieldToPage: () => Promise<void>,
  budgetMs = COMPILE_BUDGET_MS,
  now: () => number = () => performance.now(),
): Promise<Matcher> {
  const root = new FirstWords();
  let pos = text.indexOf('\n');
  const ids = text.slice(0, pos).split(' ');
  let size = 0;
  let n = 0;
  // The first slice gets a task of its own, not the tail of the one that delivered the text.
  await yieldToPage();
  let sliceStart = now();
  while (pos >= 0 && pos < text.length - 1) {
    const end = text.indexOf('\n', pos + 1);
    const line = text.slice(pos + 1, end < 0 ? text.length : end);
    pos = end;
    const tab = line.indexOf('\t');
    if (tab < 4) continue;
    if (insertName(root, line.slice(tab + 1), Number(line.slice(3, tab)), line[0] as NameKind, line[1] === '1')) size++;
    if (++n % 32 === 0 && now() - sliceStart >= budgetMs) {
      await yieldToPage();
      sliceStart = now();
    }
  }
  return makeMatcher(root, ids, size);
}

export function compileMatcher(index: NameIndex): Matcher {
  const root = new FirstWords();
  return makeMatcher(root, index.ids, insertNames(root, index.names, 0, index.names.length));
}

function makeMatcher(root: FirstWords, ids: readonly string[], size: number): Matcher {


  function pick(entries: Entry[] | undefined, text: string, toks: Token[], from: number): Entry | undefined {
    if (!entries) return undefined;
    for (const e of entries) {
      if (e.gaps && !e.gaps.every((gap, k) => !gap || toks[from + k + 1].start > toks[from + k].end)) continue;
      if (!e.exact) return e;
      if (e.exact.every((w, k) => text.slice(toks[from + k].start, toks[from + k].end) === w)) return e;
    }
    return undefined;
  }

  function find(text: string, options: FindOptions = {}): Match[] {
    const toks = tokenize(text);
    const out: Match[] = [];
    for (let i = 0; i < toks.length; i++) {
      const first = toks[i];
      // Left boundary: a match never starts glued to a letter or digit ("123imatinib").
      if (i > 0 && toks[i - 1].end === first.start) continue;
      let node = root.get(first.key);
      let best: { entry: Entry; last: number } | undefined;
      let j = i;
      while (node) {
        const entry = pick(node.entries, text, toks, i);
        if (entry && rightBoundaryOk(text, toks, j)) best = { entry, last: j };
        const nextTok = toks[j + 1];
        if (!node.next || !nextTok) break;
        const next = node.next.get(nextTok.key);
        if (!next || !SEPARATOR.test(text.slice(toks[j].end, nextTok.start))) break;
        node = next;
        j++;
      }
      // A word broken over a line with a hyphen ("dexa-\nmethasone").
      if (!best) {
        const second = toks[i + 1];
        if (second && first.type === 'a' && second.type === 'a' && SOFT_BREAK.test(text.slice(first.end, second.start))) {
          const entry = pick(root.get(first.key + second.key)?.entries?.filter((e) => !e.exact), text, toks, i);
          if (entry && rightBoundaryOk(text, toks, i + 1)) best = { entry, last: i + 1 };
        }
      }
      if (best) {
        const start = first.start;
        const end = toks[best.last].end;
        out.push({ start, end, text: text.slice(start, end), id: ids[best.entry.drug], kind: best.entry.kind });
        i = best.last;
        continue;
      }
      if (options.typo && first.type === 'a' && first.key.length >= TYPO_MIN_WORD && isStandalone(toks, i)) {
        const hit = options.typo(first.key);
        if (hit) {
          out.push({ start: first.start, end: first.end, text: text.slice(first.start, first.end), id: hit.id, kind: 'm', fuzzy: hit.name });
        } else if (hit === undefined) options.onTypoCandidate?.(first.key);
      }
    }
    return out;
  }

  return { find, ids, size };
}

/**
 * How far a window reads past its own end, so that no match starting inside it is cut
 * off (names are at most 60 characters; build-page-data checks MAX_NAME_CHARS).
 */
export const MAX_NAME_CHARS = 120;
const LOOKAHEAD = 2 * MAX_NAME_CHARS;
/** The first character at or after `from` that is not part of a word, or the text's end. */
const NON_WORD = /[^\p{L}\p{N}\p{M}]/gu;
function wordEnd(text: string, from: number): number {
  if (from >= text.length) return text.length;
  NON_WORD.lastIndex = from;
  return NON_WORD.exec(text)?.index ?? text.length;
}

/**
 * Finds the matches that start in one window of a long text: from `from` to about
 * `from + size` (never cutting a word), reading a little past it so that a name
 * running over the window's end is found whole. Returns where the next window starts.
 * Reading a long text window by window finds exactly what one find() over it finds
 * (tests/unit/matcher.test.ts checks this on random texts), so a huge text node can be
 * read a slice at a time.
 */
export function findWindow(matcher: Matcher, text: string, from: number, size: number, options?: FindOptions): { matches: Match[]; next: number } {
  const end = wordEnd(text, from + size);
  if (from === 0 && end >= text.length) return { matches: matcher.find(text, options), next: text.length };
  const readTo = wordEnd(text, end + LOOKAHEAD);
  const matches: Match[] = [];
  let next = end;
  for (const m of matcher.find(text.slice(from, readTo), options)) {
    if (from + m.start >= end) break;
    matches.push({ ...m, start: from + m.start, end: from + m.end });
    next = Math.max(next, from + m.end);
  }
  return { matches, next };
}

/** A match may end before a footnote digit ("Gleevec1") but never inside a word. */
function rightBoundaryOk(text: string, toks: Token[], last: number): boolean {
  const next = toks[last + 1];
  if (!next || next.start !== toks[last].end) return true;
  // Footnote digits glued to a word ("Gleevec1"), but not a longer token ("imatinib2b").
  const after = toks[last + 2];
  return toks[last].type === 'a' && next.type === 'd' && (!after || after.start !== next.end);
}

/** A typo candidate must be a whole word on its own, not glued to digits. */
function isStandalone(toks: Token[], i: number): boolean {
  const prev = toks[i - 1];
  const next = toks[i + 1];
  return (!prev || prev.end !== toks[i].start) && (!next || next.start !== toks[i].end || next.type === 'd');
}
