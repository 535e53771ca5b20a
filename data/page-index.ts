/** The compact name index the content script ships (names only, no records). */
import names from './generated/names.json';
import type { NameIndex } from './types';

export const PAGE_INDEX = names as unknown as NameIndex;
