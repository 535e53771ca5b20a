/**
 * The compact name index the content script ships (names only, no records), as text:
 * evaluating it as a JavaScript or JSON structure blocked page start; the text form is
 * compiled a slice at a time (utils/matcher.ts, compilePageIndexText).
 */
import text from './generated/page-index.txt?raw';

export const PAGE_INDEX_TEXT: string = text;
