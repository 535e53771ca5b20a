/**
 * Text primitives shared by the matcher, the data build and the lookup:
 * tokenising with UTF-16 offsets and folding case and diacritics.
 */

export interface Token {
  start: number;
  end: number;
  /** Lower-cased, diacritics removed. */
  key: string;
  /** 'a' for letters, 'd' for digits. */
  type: 'a' | 'd';
}

const RUN = /[\p{L}\p{M}\p{N}]+/gu;
const SPLIT = /\p{N}+|[\p{L}\p{M}]+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}/gu;
const IS_DIGIT = /^\p{N}/u;

/** Lower-cases and removes diacritics: "Lévothyrox" → "levothyrox". */
export function fold(s: string): string {
  const lower = s.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(MARKS, '').normalize('NFC') : lower;
}

/**
 * Splits text into word tokens: runs of letters, or runs of digits ("STI571" → sti, 571),
 * with their offsets. Separators (spaces, hyphens, punctuation) are not tokens.
 */
export function tokenize(text: string): Token[] {
  if (!NON_ASCII.test(text)) return tokenizeAscii(text);
  const out: Token[] = [];
  RUN.lastIndex = 0;
  for (let run = RUN.exec(text); run; run = RUN.exec(text)) {
    const s = run[0];
    const base = run.index;
    if (/^[\p{L}\p{M}]+$/u.test(s)) {
      out.push({ start: base, end: base + s.length, key: fold(s), type: 'a' });
      continue;
    }
    SPLIT.lastIndex = 0;
    for (let part = SPLIT.exec(s); part; part = SPLIT.exec(s)) {
      const p = part[0];
      const digit = IS_DIGIT.test(p);
      out.push({
        start: base + part.index,
        end: base + part.index + p.length,
        key: digit ? p : fold(p),
        type: digit ? 'd' : 'a',
      });
    }
  }
  return out;
}

/** The same as tokenize() for ASCII-only text, with a plain character loop (the hot path). */
function tokenizeAscii(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!digit && !letter) {
      i++;
      continue;
    }
    const start = i;
    if (digit) {
      do c = text.charCodeAt(++i);
      while (i < n && c >= 48 && c <= 57);
      out.push({ start, end: i, key: text.slice(start, i), type: 'd' });
    } else {
      do c = text.charCodeAt(++i);
      while (i < n && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)));
      out.push({ start, end: i, key: text.slice(start, i).toLowerCase(), type: 'a' });
    }
  }
  return out;
}

/** The token keys of a name: "STI-571" → ["sti", "571"]. */
export function nameKeys(name: string): string[] {
  return tokenize(name).map((t) => t.key);
}

/** A stable key for a whole name: "STI 571", "sti-571" and "STI571" share "sti 571". */
export function nameKey(name: string): string {
  return nameKeys(name).join(' ');
}

/** True if `c` (one UTF-16 unit or code point) is a letter or digit. */
export function isWordChar(c: string | undefined): boolean {
  return !!c && /[\p{L}\p{M}\p{N}]/u.test(c);
}

/** Lower-case ASCII slug: "Inotuzumab ozogamicin" → "inotuzumab-ozogamicin". */
export function slugify(s: string): string {
  return fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
