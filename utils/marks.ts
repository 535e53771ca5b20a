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
/** Ranges handed to one mark.js call (see startMarking)... */
const MATCHES_PER_CALL = 16;
/** ...and how far into its text node the last of them may start. */
const CHARS_PER_CALL = 4096;

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

const FILTER_ACCEPT = 1;

/**
 * A NodeIterator over one text node. mark.js walks its context with
 * document.createNodeIterator; Chromium keeps every NodeIterator ever created on the
 * document and visits each one on every node removal until garbage collection, so
 * thousands of per-node mark.js calls made each later mutation slower (5 MB page:
 * 45 s). With a one-node context the walk is trivial, so during our own synchronous
 * mark.js call a context that is a single Text node gets this iterator instead.
 */
function singleNodeIterator(root: Node, filter: ((n: Node) => number) | null) {
  let before = true;
  const accepted = () => !filter || filter(root) === FILTER_ACCEPT;
  return {
    root,
    nextNode: () => (before ? ((before = false), accepted() ? root : null) : null),
    previousNode: () => (before ? null : ((before = true), accepted() ? root : null)),
    detach() {},
  };
}

let shimmed: Document | null = null;

/**
 * Runs fn with one-node iterators in place on `doc`. The highlighter wraps each batch
 * of writes in it, so the document's method is swapped once per batch rather than
 * twice per text node; a step outside a batch swaps it for itself.
 */
export function withSingleNodeIterators<T>(doc: Document, fn: () => T): T {
  if (shimmed === doc) return fn();
  const outer = shimmed;
  shimmed = doc;
  const own = Object.getOwnPropertyDescriptor(doc, 'createNodeIterator');
  const native = doc.createNodeIterator;
  Object.defineProperty(doc, 'createNodeIterator', {
    configurable: true,
    writable: true,
    value(root: Node, what?: number, filter?: ((n: Node) => number) | null) {
      return root.nodeType === 3 ? singleNodeIterator(root, filter ?? null) : native.call(doc, root, what, filter as NodeFilter);
    },
  });
  try {
    return fn();
  } finally {
    if (own) Object.defineProperty(doc, 'createNodeIterator', own);
    else delete (doc as unknown as Record<string, unknown>).createNodeIterator;
    shimmed = outer;
  }
}

/** Marking in progress: one mark.js call per step, so a node with many names is marked over several tasks. */
export interface MarkJob {
  /** The run so far: its pieces and marks grow with each step. */
  readonly run: MarkedRun;
  /** Marks the next group of matches; true once all are marked. */
  step(): boolean;
}

/**
 * Starts marking `matches` (offsets into node.data, sorted, not overlapping) in one
 * text node. mark.js copies the node's whole text for every range, so its cost grows
 * with ranges × length (a 750 kB node with 1,500 names: seconds on the main thread).
 * The node is first cut into pieces of MATCHES_PER_CALL matches, each marked by its
 * own mark.js call, one per step. Returns null if there is nothing to mark.
 */
export function startMarking(node: Text, matches: Match[], decorate: DecorateMark): MarkJob | null {
  const parent = node.parentNode;
  if (!parent || !matches.length) return null;
  const text = node.data;
  const after = node.nextSibling;
  const doc = node.ownerDocument ?? document;
  // Groups of matches, each for one mark.js call on its own text node.
  const groups: { node: Text; from: number; matches: Match[] }[] = [{ node, from: 0, matches: [] }];
  for (const m of matches) {
    const g = groups[groups.length - 1];
    if (g.matches.length >= MATCHES_PER_CALL || (g.matches.length && m.start - g.from > CHARS_PER_CALL)) {
      groups.push({ node: node, from: m.start, matches: [m] });
    } else g.matches.push(m);
  }
  if (groups.length > 1) {
    for (let k = 1; k < groups.length; k++) {
      const to = k + 1 < groups.length ? groups[k + 1].from : text.length;
      groups[k].node = doc.createTextNode(text.slice(groups[k].from, to));
      parent.insertBefore(groups[k].node, after);
    }
    node.data = text.slice(0, groups[1].from);
  }
  const run: MarkedRun = { original: node, text, pieces: [], marks: [] };
  const collectPieces = () => {
    run.pieces = [];
    for (let n = node.nextSibling; n && n !== after; n = n.nextSibling) run.pieces.push(n);
  };
  collectPieces();
  let next = 0;
  return {
    run,
    step() {
      const g = groups[next++];
      if (g) {
        let i = 0;
        withSingleNodeIterators(doc, () => new Mark(g.node as unknown as HTMLElement).markRanges(
          g.matches.map((m) => ({ start: m.start - g.from, length: m.end - m.start })),
          {
            element: MARK_TAG,
            className: MARK_TAG,
            iframes: false,
            exclude: [],
            each: (el: Element) => {
              const m = g.matches[i++];
              el.setAttribute(MARK_ATTR, '');
              decorate(el as HTMLElement, m);
              run.marks.push(el as HTMLElement);
            },
          },
        ));
        collectPieces();
      }
      return next >= groups.length;
    },
  };
}

/**
 * Undoes a run exactly: the original Text node gets its text back, and only the nodes
 * we created are removed. The text goes back even where the page has moved or removed
 * the original (the page still holds it, and may put it back). If the page rewrote the
 * original (`pageWrote`, or text that no longer fits), our pieces are stale: they are
 * removed and the page's text is left as it is.
 */
export function unmarkRun(run: MarkedRun, pageWrote = false): void {
  const { original, pieces } = run;
  const intact =
    !pageWrote && run.text.startsWith(original.data) && original.data + pieces.map((p) => p.textContent).join('') === run.text;
  for (const p of pieces) p.parentNode?.removeChild(p);
  if (intact) original.data = run.text;
}

/** True if the page changed the run under us (text rewritten, node moved or removed, a node put between our pieces). */
export function isRunStale(run: MarkedRun): boolean {
  const { original, pieces } = run;
  if (!original.parentNode) return true;
  let prev: Node = original;
  for (const p of pieces) {
    if (prev.nextSibling !== p) return true;
    prev = p;
  }
  return original.data + pieces.map((p) => p.textContent).join('') !== run.text;
}
