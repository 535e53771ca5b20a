/**
 * The highlighter: page text → matcher → marks, and keeping them right while the page
 * changes.
 *
 *   start() ─▶ collect text nodes (page-text) ─▶ queue, viewport first
 *                                                  │  time-sliced, ≤ SLICE_MS per task
 *                                                  ▼
 *        matcher.find(node.data) ─▶ markTextNode (marks) ─▶ runs (for exact undo)
 *                                                  ▲
 *   MutationObserver (one per document, + open shadow roots) ─▶ added/changed nodes
 *   (our own mutations are taken off the record and ignored; busy pages are throttled)
 *
 * Typos are resolved in two phases: unknown long words are sent to the background in
 * one batch, and the nodes they came from are processed again with the answers.
 */
import { markTextNode, unmarkRun, isRunStale, type DecorateMark, type MarkedRun } from './marks';
import type { Matcher, TypoHit } from './matcher';
import { collectTextNodes, ELEMENT_NODE, FRAGMENT_NODE, isExcludedElement, isInExcludedContext, MARK_TAG, TEXT_NODE } from './page-text';

export const SLICE_MS = 8;

export interface HighlighterOptions {
  matcher: Matcher;
  decorate: DecorateMark;
  /** Asks the background which unknown words are one-edit typos of a drug name. */
  resolveTypos?: (words: string[]) => Promise<Record<string, TypoHit | null>>;
  firstOnly?: boolean;
  maxMarks?: number;
  /** Called (debounced) when the set of marked drugs changes. */
  onChange?: (counts: Map<string, number>) => void;
  /** Style text for marks, added to the document and to each open shadow root we mark in. */
  markCss?: string;
  /** Timers (the content-script context's, so an invalidated script goes quiet). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

export interface Highlighter {
  start(): void;
  /** Removes every mark and stops watching. The page is left exactly as it was. */
  stop(): void;
  /** Resolves when the queue is empty (tests, benchmark). */
  idle(): Promise<void>;
  marks(): HTMLElement[];
  counts(): Map<string, number>;
  readonly stats: { batches: number; nodesScanned: number; longestSliceMs: number; throttled: number };
}

const OBSERVE: MutationObserverInit = { childList: true, subtree: true, characterData: true };

export function createHighlighter(doc: Document, opts: HighlighterOptions): Highlighter {
  const setT = opts.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const runs = new Map<Text, MarkedRun>();
  const ours = new WeakSet<Node>(); // every node we created
  const countByDrug = new Map<string, number>();
  const firstMarked = new Set<string>();
  const typoCache = new Map<string, TypoHit | null>();
  const pendingTypos = new Set<string>();
  const typoNodes = new Set<Text>();
  const queue: Node[] = [];
  const queued = new Set<Node>();
  const roots = new Set<Document | ShadowRoot>();
  const stats = { batches: 0, nodesScanned: 0, longestSliceMs: 0, throttled: 0 };
  let observer: MutationObserver | null = null;
  let running = false;
  let scheduled = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  let changeTimer = false;
  let totalMarks = 0;
  // Throttle for pages that mutate all the time.
  let recentBatches: number[] = [];
  let backoffMs = 0;

  const sheet = opts.markCss ? makeSheet(doc, opts.markCss) : null;

  function makeSheet(d: Document, css: string): CSSStyleSheet | null {
    try {
      const s = new (d.defaultView ?? window).CSSStyleSheet();
      s.replaceSync(css);
      return s;
    } catch {
      return null;
    }
  }

  function addRoot(root: Document | ShadowRoot) {
    if (roots.has(root)) return;
    roots.add(root);
    if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    observer?.observe(root, OBSERVE);
  }

  function enqueue(node: Node, front = false) {
    if (queued.has(node) || stopped) return;
    queued.add(node);
    if (front) queue.unshift(node);
    else queue.push(node);
    schedule(0);
  }

  function schedule(delay: number) {
    if (scheduled || stopped) return;
    scheduled = true;
    setT(() => {
      scheduled = false;
      runSlice();
    }, delay + backoffMs);
  }

  /** Expands a queued node (element or text) into text nodes to mark. */
  function expand(node: Node): Text[] {
    if (!node.isConnected) return [];
    if (node.nodeType === TEXT_NODE) {
      if (ours.has(node) || isInExcludedContext(node)) return [];
      return collectTextNodes(node);
    }
    if (node.nodeType !== ELEMENT_NODE && node.nodeType !== FRAGMENT_NODE) return [];
    if (node.nodeType === ELEMENT_NODE) {
      const el = node as Element;
      if (ours.has(el) || isExcludedElement(el) || isInExcludedContext(el)) return [];
    }
    const shadows: ShadowRoot[] = [];
    const texts = collectTextNodes(node, shadows);
    for (const s of shadows) {
      addRoot(s);
      enqueue(s);
    }
    return texts.filter((t) => !ours.has(t));
  }

  function runSlice() {
    if (stopped) return;
    const t0 = performance.now();
    flushOwnRecords();
    running = true;
    try {
      while (queue.length && performance.now() - t0 < SLICE_MS) {
        const node = queue.shift()!;
        queued.delete(node);
        if (node.nodeType === TEXT_NODE && !ours.has(node)) processText(node as Text);
        else {
          const texts = expand(node);
          // Large subtrees: put their text nodes at the front so order is kept.
          if (texts.length > 50) {
            for (let k = texts.length - 1; k >= 0; k--) {
              if (!queued.has(texts[k])) {
                queued.add(texts[k]);
                queue.unshift(texts[k]);
              }
            }
          } else texts.forEach(processText);
        }
      }
    } finally {
      running = false;
      observer?.takeRecords(); // our own mutations: not news
    }
    const dt = performance.now() - t0;
    stats.longestSliceMs = Math.max(stats.longestSliceMs, dt);
    stats.batches++;
    if (queue.length) schedule(0);
    else {
      askTypos();
      if (!queue.length && !pendingTypoRequest) {
        const w = idleWaiters;
        idleWaiters = [];
        w.forEach((f) => f());
      }
    }
  }

  function processText(node: Text) {
    if (!node.isConnected || ours.has(node)) return;
    stats.nodesScanned++;
    const existing = runs.get(node);
    if (existing) {
      if (!isRunStale(existing)) return;
      dropRun(existing);
    }
    let sawCandidate = false;
    const found = opts.matcher.find(node.data, {
      typo: (w) => (typoCache.has(w) ? typoCache.get(w) : undefined),
      onTypoCandidate: (w) => {
        if (!opts.resolveTypos) return;
        sawCandidate = true;
        if (!typoCache.has(w)) pendingTypos.add(w);
      },
    });
    if (sawCandidate) typoNodes.add(node);
    let budget = opts.maxMarks === undefined ? Infinity : opts.maxMarks - totalMarks;
    const accepted = found.filter((m) => {
      if (budget <= 0) return false;
      if (opts.firstOnly) {
        if (firstMarked.has(m.id)) return false;
        firstMarked.add(m.id);
      }
      budget--;
      return true;
    });
    if (!accepted.length) return;
    const run = markTextNode(node, accepted, (el, m) => {
      ours.add(el);
      if (el.firstChild) ours.add(el.firstChild);
      el.dataset.drugId = m.id;
      opts.decorate(el, m);
    });
    if (!run) return;
    for (const p of run.pieces) ours.add(p);
    runs.set(node, run);
    for (const m of accepted) countByDrug.set(m.id, (countByDrug.get(m.id) ?? 0) + 1);
    totalMarks += run.marks.length;
    changed();
  }

  function dropRun(run: MarkedRun) {
    unmarkRun(run);
    runs.delete(run.original);
    totalMarks -= run.marks.length;
    for (const el of run.marks) {
      const id = el.dataset.drugId;
      if (!id) continue;
      const n = (countByDrug.get(id) ?? 1) - 1;
      if (n > 0) countByDrug.set(id, n);
      else {
        countByDrug.delete(id);
        firstMarked.delete(id);
      }
    }
    changed();
  }

  let pendingTypoRequest = false;
  function askTypos() {
    if (!opts.resolveTypos || !pendingTypos.size || pendingTypoRequest || stopped) return;
    const words = [...pendingTypos].slice(0, 2000);
    words.forEach((w) => pendingTypos.delete(w));
    pendingTypoRequest = true;
    opts
      .resolveTypos(words)
      .then((answers) => {
        for (const w of words) typoCache.set(w, answers[w] ?? null);
      })
      .catch(() => {
        for (const w of words) typoCache.set(w, null);
      })
      .finally(() => {
        pendingTypoRequest = false;
        if (stopped) return;
        const nodes = [...typoNodes];
        typoNodes.clear();
        let any = false;
        for (const n of nodes) {
          // Only nodes where one of the answered words turned out to be a drug.
          const text = (runs.get(n)?.text ?? n.data).toLowerCase();
          if (!words.some((w) => typoCache.get(w) && text.includes(w))) continue;
          const run = runs.get(n);
          if (run) dropRun(run);
          enqueue(n);
          any = true;
        }
        if (!any) {
          if (pendingTypos.size) askTypos();
          else schedule(0);
        }
      });
  }

  function changed() {
    if (changeTimer || !opts.onChange) return;
    changeTimer = true;
    setT(() => {
      changeTimer = false;
      if (!stopped) opts.onChange?.(new Map(countByDrug));
    }, 250);
  }

  /** Page mutations that arrived before our own work: handle them, then drop ours. */
  function flushOwnRecords() {
    if (!observer) return;
    const pending = observer.takeRecords();
    if (pending.length) onMutations(pending);
  }

  function onMutations(records: MutationRecord[]) {
    if (running || stopped) return;
    const now = performance.now();
    recentBatches = recentBatches.filter((t) => now - t < 1000);
    recentBatches.push(now);
    // A page that changes itself more than 20 times a second gets scanned at most every 250 ms.
    if (recentBatches.length > 20) {
      backoffMs = Math.min(2000, Math.max(250, backoffMs * 2));
      stats.throttled++;
    } else if (recentBatches.length < 5) backoffMs = 0;
    for (const r of records) {
      if (r.type === 'characterData') {
        const t = r.target as Text;
        if (ours.has(t)) continue;
        const run = runs.get(t);
        if (run) dropRun(run); // the page rewrote a node we split: repair, then rescan
        enqueue(t);
        continue;
      }
      for (const n of r.removedNodes) {
        if (ours.has(n)) continue;
        // The page removed one of its nodes that we had split: take our pieces away too.
        if (n.nodeType === TEXT_NODE) {
          const run = runs.get(n as Text);
          if (run) dropRun(run);
        } else if (n.nodeType === ELEMENT_NODE && runs.size) {
          for (const run of [...runs.values()]) if (!run.original.isConnected) dropRun(run);
        }
      }
      for (const n of r.addedNodes) {
        if (ours.has(n)) continue;
        if (n.nodeType === ELEMENT_NODE && (n as Element).localName === MARK_TAG) continue;
        enqueue(n);
      }
    }
  }

  function orderViewportFirst(texts: Text[]): Text[] {
    const view = doc.defaultView;
    if (!view || texts.length < 200) return texts;
    const bottomOf = (t: Text) => t.parentElement?.getBoundingClientRect().bottom ?? 0;
    let lo = 0;
    let hi = texts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bottomOf(texts[mid]) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? texts : [...texts.slice(lo), ...texts.slice(0, lo)];
  }

  return {
    start() {
      if (observer || stopped) return;
      const View = doc.defaultView ?? window;
      observer = new View.MutationObserver(onMutations);
      addRoot(doc);
      const shadows: ShadowRoot[] = [];
      const body = doc.body ?? doc.documentElement;
      const texts = orderViewportFirst(collectTextNodes(body, shadows));
      for (const t of texts) {
        queued.add(t);
        queue.push(t);
      }
      for (const s of shadows) {
        addRoot(s);
        enqueue(s);
      }
      schedule(0);
    },
    stop() {
      stopped = true;
      observer?.disconnect();
      observer = null;
      for (const run of [...runs.values()]) unmarkRun(run);
      runs.clear();
      countByDrug.clear();
      queue.length = 0;
      queued.clear();
      if (sheet) {
        for (const r of roots) r.adoptedStyleSheets = r.adoptedStyleSheets.filter((s) => s !== sheet);
      }
      roots.clear();
      const w = idleWaiters;
      idleWaiters = [];
      w.forEach((f) => f());
    },
    idle() {
      if (stopped || (!queue.length && !scheduled && !pendingTypoRequest && !pendingTypos.size)) return Promise.resolve();
      return new Promise((res) => idleWaiters.push(res));
    },
    marks() {
      return [...runs.values()].flatMap((r) => r.marks);
    },
    counts() {
      return new Map(countByDrug);
    },
    stats,
  };
}
