/** Side-effect words the content script looks for on a page (for the popup's list). */
import terms from './generated/effect-terms.json';
import type { NameIndex } from './types';

export const EFFECT_TERMS = terms as unknown as NameIndex;
