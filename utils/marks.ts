/**
 * The mark.js facade: wraps matches in one text node in a single markRanges pass, and
 * undoes exactly what it did.
 *
 * mark.js splits a text node around each range: the page's original Text object keeps
 * the text before the first match; the marks and the text after them are new nodes.
 * We remember that run of new nodes per original node, so undo can put the text back
 * into the original node and remove only our nodes. mark.js's own unmark() would call
 * normalize() and merge or delete text nodes the page owns, so it is never used.
 */
import Mark from 'mark.js';
import type { Match } from './matcher';
import { MARK_TAG } from './page-text';

export const MARK_ATTR = 'data-druglens';

export interface MarkedRun {
  /** The page's own text node (now holding only the text before the first mark). */
  original: Text;
  /** Its full text before we split it. */
  text: string;
  /** The nodes we created after it, in order: marks and split-off text. */
  pieces: Node[];
  marks: HTMLElement[];
}

export type DecorateMark = (el: HTMLElement, match: Match) => void;

/**
 * Marks `matches` (offsets into node.data, sorted, not overlapping) in one text node.
 * Returns the run to undo it, or null if nothing was marked.
 */
export function markTextNode(node: Text, matches: Match[], decorate: DecorateMark): MarkedRun | null {
  const parent = node.parentNode;
  if (!parent || !matches.length) return null;
  const text = node.data;
  const after = node.nextSibling;
  const marks: HTMLElement[] = [];
  let i = 0;
  new Mark(node as unknown as HTMLElement).markRanges(
    matches.map((m) => ({ start: m.start, length: m.end - m.start })),
    {
      element: MARK_TAG,
      className: MARK_TAG,
      iframes: false,
      exclude: [],
      each: (el: Element) => {
        const m = matches[i++];
        el.setAttribute(MARK_ATTR, '');
        decorate(el as HTMLElement, m);
        marks.push(el as HTMLElement);
      },
    },
  );
  if (!marks.length) return null;
  const pieces: Node[] = [];
  for (let n = node.nextSibling; n && n !== after; n = n.nextSibling) pieces.push(n);
  return { original: node, text, pieces, marks };
}

/**
 * Undoes a run exactly: the original Text node gets its text back, and only the nodes
 * we created are removed. If the page has since removed or rewritten the original
 * node, our pieces are stale: they are removed and the page's text is left as it is.
 */
export function unmarkRun(run: MarkedRun): void {
  const { original, pieces } = run;
  const intact =
    original.parentNode &&
    pieces.every((p) => p.parentNode === original.parentNode) &&
    run.text.startsWith(original.data) &&
    original.data + pieces.map((p) => p.textContent).join('') === run.text;
  for (const p of pieces) p.parentNode?.removeChild(p);
  if (intact) original.data = run.text;
}

/** True if the page changed the run under us (text rewritten, node moved or removed). */
export function isRunStale(run: MarkedRun): boolean {
  const { original, pieces } = run;
  if (!original.parentNode) return true;
  if (!pieces.every((p) => p.parentNode === original.parentNode)) return true;
  return original.data + pieces.map((p) => p.textContent).join('') !== run.text;
}
