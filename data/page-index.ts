/**
 * The compact name index content scripts match with (names only, no records), as text.
 * It lives in the background, which sends it to a content script that asks
 * (getPageIndex): bundled into the content script, its 550 KB had to be compiled in
 * every frame of every page, even where the extension was off, in one long task. As
 * text it is compiled a slice at a time (utils/matcher.ts, compilePageIndexText).
 */
import text from './generated/page-index.txt?raw';

export const PAGE_INDEX_TEXT: string = text;
