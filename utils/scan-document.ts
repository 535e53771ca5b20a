/**
 * Scanning a whole document the way the extension does (same text-node selection,
 * same matcher), reporting offsets into the document's text content. Used by the
 * `scan` CLI for HTML files.
 */
import type { Match, Matcher, TypoResolver } from './matcher';
import { collectTextNodes } from './page-text';

export function scanDocument(doc: Document, matcher: Matcher, typo?: TypoResolver): Match[] {
  // Offsets of every text node in documentElement.textContent order.
  const offsets = new Map<Text, number>();
  let pos = 0;
  const walker = doc.createTreeWalker(doc.documentElement, 0x4 /* SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    offsets.set(n as Text, pos);
    pos += (n as Text).data.length;
  }
  const out: Match[] = [];
  for (const node of collectTextNodes(doc.body ?? doc.documentElement)) {
    const base = offsets.get(node) ?? 0;
    for (const m of matcher.find(node.data, { typo })) out.push({ ...m, start: m.start + base, end: m.end + base });
  }
  return out;
}
