/** Shared test data: the generated index and lookup, loaded once per test file. */
import { compileMatcher } from '../../utils/matcher';
import { createLookup } from '../../utils/lookup';
import { loadGenerated } from '../../scripts/lib/runtime-data';

export const DATA = loadGenerated();
export const MATCHER = compileMatcher(DATA.names);
export const LOOKUP = createLookup(DATA);
export const typo = (w: string) => LOOKUP.resolveTypos([w])[w];

/** Runs the matcher with typo tolerance and returns [text, id] pairs. */
export function found(text: string): [string, string][] {
  return MATCHER.find(text, { typo }).map((m) => [m.text, m.id]);
}
