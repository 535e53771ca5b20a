/**
 * The highlighter: page text → matcher → marks, and keeping them right while the page
 * changes.
 *
 *   start() ─▶ collect text nodes (page-text) ─▶ queue, viewport first
 *                                                  │  time-sliced, ≤ SLICE_MS per task
 *                                                  ▼
 *        matcher.find(node.data) ─▶ startMarking (marks) ─▶ runs (for exact undo)
 *                                                  ▲
 *   MutationObserver (one per document, + open shadow roots) ─▶ added/changed nodes
 *   (our own mutations are taken off the record and ignored; busy pages are throttled)
 *
 * Typos are resolved in two phases: unknown long words are sent to the background in
 * one batch, and the nodes they came from are processed again with the answers.
 */
import { startMarking, withSingleNodeIterators, unmarkRun, isRunStale, type DecorateMark, type MarkedRun, type MarkJob } from './marks';
import { findWindow, type Match, type Matcher, type TypoHit } from './matcher';
import { createTextWalker, ELEMENT_NODE, FRAGMENT_NODE, isExcludedElement, isInExcludedContext, MARK_TAG, TEXT_NODE, type TextWalker } from './page-text';

/** Main-thread time per reading slice: with garbage collection on top, a task stays well under 50 ms. */
export const SLICE_MS = 20;
/**
 * Per writing slice (once everything is read). Each slice that adds marks costs the page
 * a layout in the frame after it, and on a long page a layout is the expensive part:
 * fewer, longer writing slices mean fewer layouts.
 */
export const WRITE_SLICE_MS = 30;
/** A text node longer than this is read a window of WINDOW_CHARS at a time (a plain-text file is one node). */
const LONG_TEXT = 32_768;
const WINDOW_CHARS = 16_384;
/** Queue marker: write the marks found so far before reading on (after the visible blocks). */
const FLUSH = { next: () => null } as TextWalker;

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
  /** False once the content script's context is gone: no more work is scheduled. */
  isAlive?: () => boolean;
}

export interface Highlighter {
  start(): void;
  /** Removes every mark and stops watching. The page is left exactly as it was. */
  stop(): void;
  /** Resolves when the queue is empty (tests, benchmark). */
  idle(): Promise<void>;
  marks(): HTMLElement[];
  counts(): Map<string, number>;
  readonly stats: { batches: number; nodesScanned: number; longestSliceMs: number; busyMs: number; throttled: number; writeMs: number; writeSlices: number };
}

const OBSERVE: MutationObserverInit = { childList: true, subtree: true, characterData: true };

export function createHighlighter(doc: Document, opts: HighlighterOptions): Highlighter {
  const setT = opts.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const runs = new Map<Text, MarkedRun>();
  const runOfPiece = new WeakMap<Node, MarkedRun>();
  const ours = new WeakSet<Node>(); // every node we created
  const countByDrug = new Map<string, number>();
  const firstMarked = new Set<string>();
  const typoCache = new Map<string, TypoHit | null>();
  const pendingTypos = new Set<string>();
  /** Unknown long words waiting for the resolver, and the text nodes each was seen in. */
  const typoNodes = new Map<string, Text[]>();
  // Work queue: text nodes, or walkers over subtrees that yield text nodes lazily.
  const queue: (Text | TextWalker | typeof FLUSH)[] = [];
  let head = 0;
  const queued = new Set<Node>(); // subtree roots and text nodes waiting in the queue
  const toMark: { node: Text; text: string; matches: Match[] }[] = []; // read, not yet written
  let planned = 0; // marks in toMark
  /** A long text node being read a window at a time, across slices. */
  let reading: { node: Text; text: string; pos: number; found: Match[] } | null = null;
  /** A node being marked one mark.js call at a time, across slices. */
  let writing: { job: MarkJob; counted: number } | null = null;
  const roots = new Set<Document | ShadowRoot>();
  const stats = { batches: 0, nodesScanned: 0, longestSliceMs: 0, busyMs: 0, throttled: 0, writeMs: 0, writeSlices: 0 };
  let observer: MutationObserver | null = null;
  let running = false;
  let scheduled = false;
  let stopped = false;
  let starting = false; // start() called, the first scan not queued yet
  let idleWaiters: (() => void)[] = [];
  let changeTimer = false;
  let totalMarks = 0;
  // Throttle for pages that mutate all the time.
  let recentBatches: number[] = [];
  let backoffMs = 0;
  let wroteAt = -Infinity; // when we last added marks

  const sheet = opts.markCss ? makeSheet(doc, opts.markCss) : null;
  const alive = opts.isAlive ?? (() => true);

  // Yielding between slices: a MessageChannel task runs right after the page's own
  // pending work, without setTimeout's 4 ms clamp on nested timers.
  const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
  const channelTasks: (() => void)[] = [];
  if (channel) channel.port1.onmessage = () => {
    const task = channelTasks.shift();
    if (task && alive()) task();
  };
  function nextTask(fn: () => void) {
    if (channel) {
      channelTasks.push(fn);
      channel.port2.postMessage(0);
    } else setT(fn, 0);
  }

  /**
   * Runs fn once the page has had a frame (in a task after the next animation frame),
   * so our start never forces a layout the page has not done yet. If no frame comes
   * within 100 ms, a timer stands in; a hidden page gets no frames and starts at once.
   */
  function afterRender(fn: () => void) {
    let done = false;
    const once = () => {
      if (done || !alive()) return;
      done = true;
      fn();
    };
    const view = doc.defaultView;
    if (view && typeof view.requestAnimationFrame === 'function' && doc.visibilityState === 'visible') {
      view.requestAnimationFrame(() => nextTask(once));
      setT(once, 100);
    } else nextTask(once);
  }

  function makeSheet(d: Document, css: string): CSSStyleSheet | null {
    try {
      const s = new (d.defaultView ?? window).CSSStyleSheet();
      s.replaceSync(css);
      return s;
    } catch {
      return null;
    }
  }

  function addRoot(root: Document | ShadowRoot, withSheet = true) {
    if (roots.has(root)) return;
    roots.add(root);
    if (withSheet) adoptSheet(root);
    observer?.observe(root, OBSERVE);
  }

  function adoptSheet(root: Document | ShadowRoot) {
    // (A document without adopted style sheets, such as jsdom's, gets unstyled marks.)
    if (sheet && root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }

  function pending(): number {
    return queue.length - head;
  }

  /** Queues a subtree (element, shadow root, document) or one text node for scanning. */
  function enqueue(node: Node) {
    if (queued.has(node) || stopped) return;
    if (node.nodeType === TEXT_NODE) {
      queued.add(node);
      queue.push(node as Text);
    } else {
      if (node.nodeType === ELEMENT_NODE) {
        const el = node as Element;
        if (ours.has(el) || isExcludedElement(el) || isInExcludedContext(el)) return;
      } else if (node.nodeType !== FRAGMENT_NODE && node.nodeType !== 9) return;
      queued.add(node);
      const root = node;
      const walker = createTextWalker(node, (sr) => {
        addRoot(sr);
        enqueue(sr);
      });
      queue.push({ next: () => (root.isConnected ? walker.next() : (queued.delete(root), null)), root } as TextWalker);
    }
    schedule(0);
  }

  function schedule(delay: number) {
    if (scheduled || stopped) return;
    scheduled = true;
    const run = () => {
      scheduled = false;
      runSlice();
    };
    if (delay + backoffMs === 0) nextTask(run);
    else setT(run, delay + backoffMs);
  }

  /**
   * One task of work, at most SLICE_MS. Reading (walking and matching) comes first and
   * does not touch the DOM; the marks found are then written together, so the page is
   * restyled a few times rather than once per slice. A FLUSH item in the queue (after
   * the blocks on screen) writes what was found so far straight away.
   */
  function runSlice() {
    if (stopped) return;
    const t0 = performance.now();
    const writingSlice = !pending() && !reading;
    const deadline = t0 + (writingSlice ? WRITE_SLICE_MS : SLICE_MS);
    flushOwnRecords();
    running = true;
    try {
      while (performance.now() < deadline) {
        if (reading) {
          readOn();
          continue;
        }
        if (!pending()) {
          // All read: write, and end the slice once nothing is left (no spinning to the deadline).
          if (applyMarks(deadline) && !pending()) break;
          continue;
        }
        const item = queue[head];
        if (item === FLUSH) {
          if (applyMarks(deadline)) head++;
          continue;
        }
        if (item instanceof Node) {
          head++;
          queued.delete(item);
          if (!ours.has(item) && item.isConnected && !isInExcludedContext(item)) scanText(item);
          continue;
        }
        // A walker: take text nodes from it until the slice is used up.
        let t: Text | null = null;
        for (let k = 0; k < 16 && !reading && (t = item.next()); k++) scanText(t);
        if (!t) {
          head++;
          queued.delete((item as unknown as { root: Node }).root);
        }
      }
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
    } finally {
      running = false;
      observer?.takeRecords(); // our own mutations: not news
    }
    const dt = performance.now() - t0;
    stats.longestSliceMs = Math.max(stats.longestSliceMs, dt);
    stats.busyMs += dt;
    stats.batches++;
    if (writingSlice) {
      stats.writeMs += dt;
      stats.writeSlices++;
    }
    if (pending() || toMark.length || reading || writing) schedule(0);
    else {
      askTypos();
      if (!pending() && !toMark.length && !pendingTypoRequest) {
        const w = idleWaiters;
        idleWaiters = [];
        w.forEach((f) => f());
      }
    }
  }

  /** Writes found marks until the deadline; true when none are left. */
  function applyMarks(deadline: number): boolean {
    return (toMark.length === 0 && !writing) || withSingleNodeIterators(doc, () => writeMarks(deadline));
  }

  const decorateMark: DecorateMark = (el, m) => {
    ours.add(el);
    if (el.firstChild) ours.add(el.firstChild);
    el.dataset.drugId = m.id;
    opts.decorate(el, m);
  };

  function writeMarks(deadline: number): boolean {
    if (writing && !continueWriting(deadline)) return false;
    let i = 0;
    while (i < toMark.length && performance.now() < deadline) {
      const { node, text, matches } = toMark[i++];
      planned -= matches.length;
      if (!node.isConnected || node.data !== text || runs.has(node)) {
        // The page changed it since we read it: read it again.
        for (const m of matches) if (!countByDrug.has(m.id)) firstMarked.delete(m.id);
        if (node.isConnected) enqueue(node);
        continue;
      }
      const job = startMarking(node, matches, decorateMark);
      if (!job) continue;
      runs.set(node, job.run);
      writing = { job, counted: 0 };
      if (!continueWriting(deadline)) break;
    }
    toMark.splice(0, i);
    return toMark.length === 0 && !writing;
  }

  /** Marks more of the node being written until the deadline; true when it is done. */
  function continueWriting(deadline: number): boolean {
    const w = writing!;
    const { run } = w.job;
    if (runs.get(run.original) !== run) {
      // The page changed the node meanwhile and its run was taken away.
      writing = null;
      return true;
    }
    let done: boolean;
    do done = w.job.step();
    while (!done && performance.now() < deadline);
    for (const p of run.pieces) {
      ours.add(p);
      runOfPiece.set(p, run);
    }
    for (; w.counted < run.marks.length; w.counted++) {
      const id = run.marks[w.counted].dataset.drugId!;
      countByDrug.set(id, (countByDrug.get(id) ?? 0) + 1);
      totalMarks++;
    }
    wroteAt = performance.now();
    changed();
    if (done) {
      writing = null;
      if (!run.marks.length) dropRun(run);
    }
    return done;
  }

  // Allocated once: scanText runs for every text node of the page.
  let scanning: Text | null = null;
  const findOptions = {
    typo: (w: string) => (typoCache.has(w) ? typoCache.get(w) : undefined),
    onTypoCandidate: opts.resolveTypos
      ? (w: string) => {
          if (typoCache.has(w) || !scanning) return;
          pendingTypos.add(w);
          const seenIn = typoNodes.get(w);
          if (!seenIn) typoNodes.set(w, [scanning]);
          else if (seenIn[seenIn.length - 1] !== scanning) seenIn.push(scanning);
        }
      : undefined,
  };

  /** Reads one text node and notes its marks (a long one is read in windows, see readOn). */
  function scanText(node: Text) {
    // A node can come twice (the blocks on screen are walked again with the whole page,
    // a subtree the page adds may lie ahead of a walk): once marked, it is left alone.
    if (ours.has(node)) return;
    stats.nodesScanned++;
    const existing = runs.get(node);
    if (existing) {
      if (!isRunStale(existing)) return;
      dropRun(existing);
    }
    const data = node.data;
    if (data.length > LONG_TEXT) {
      reading = { node, text: data, pos: 0, found: [] };
      return;
    }
    scanning = node;
    const found = opts.matcher.find(data, findOptions);
    scanning = null;
    accept(node, data, found);
  }

  /** Reads the next window of the long text node being read. */
  function readOn() {
    const r = reading!;
    if (!r.node.isConnected || r.node.data !== r.text) {
      // Changed while we read it: it is read again from the start.
      reading = null;
      if (r.node.isConnected) enqueue(r.node);
      return;
    }
    scanning = r.node;
    const { matches, next } = findWindow(opts.matcher, r.text, r.pos, WINDOW_CHARS, findOptions);
    scanning = null;
    for (const m of matches) r.found.push(m);
    r.pos = next;
    if (r.pos >= r.text.length) {
      reading = null;
      accept(r.node, r.text, r.found);
    }
  }

  /** Keeps the matches the options allow (first only, the cap) for writing. */
  function accept(node: Text, text: string, found: Match[]) {
    let budget = opts.maxMarks === undefined ? Infinity : opts.maxMarks - totalMarks - planned;
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
    toMark.push({ node, text, matches: accepted });
    planned += accepted.length;
  }

  function dropRun(run: MarkedRun, pageWrote = false) {
    unmarkRun(run, pageWrote);
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
        // Only the nodes where an answered word turned out to be a drug are read again
        // (a lookup per word: on a long page nearly every node has an unknown long word).
        const again = new Set<Text>();
        for (const w of words) {
          const seenIn = typoNodes.get(w);
          typoNodes.delete(w);
          if (seenIn && typoCache.get(w)) for (const n of seenIn) again.add(n);
        }
        for (const n of again) {
          const run = runs.get(n);
          if (run) dropRun(run);
          enqueue(n);
        }
        if (!again.size) {
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
    // A page that changes itself more than 20 times a second gets scanned at most every
    // 250 ms; while it keeps answering our marks at once (re-rendering what we marked),
    // the wait doubles up to 2 s, and it ends only once the page is calm and not answering.
    const answering = now - wroteAt < 100;
    if (recentBatches.length > 20 || (answering && backoffMs > 0)) {
      backoffMs = Math.min(2000, Math.max(250, backoffMs * 2));
      stats.throttled++;
    } else if (recentBatches.length < 5 && !answering) backoffMs = 0;
    // Runs whose own pieces the page deleted (not moved) or rewrote: only normalize() does
    // that (it deletes empty Text nodes, such as the one we leave before a mark, and merges neighbours).
    const normalized = new Set<MarkedRun>();
    for (const r of records) {
      for (const n of r.type === 'characterData' ? [r.target] : r.removedNodes) {
        const run = runOfPiece.get(n);
        if (run && runs.get(run.original) === run && (r.type === 'characterData' || !n.isConnected)) normalized.add(run);
      }
    }
    for (const r of records) {
      if (r.type === 'characterData') {
        const t = r.target as Text;
        if (ours.has(t)) continue;
        const run = runs.get(t);
        if (run) dropRun(run, true); // the page rewrote a node we split: its text stands, our pieces go; rescan
        enqueue(t);
        continue;
      }
      for (const n of r.removedNodes) {
        if (ours.has(n)) continue;
        // The page removed one of its nodes that we had split: take our pieces away too.
        if (n.nodeType === TEXT_NODE) {
          const run = runs.get(n as Text);
          if (run && normalized.has(run) && run.marks.every((m) => m.isConnected)) putBackNormalized(run);
          else if (run) dropRun(run);
        } else if (n.nodeType === ELEMENT_NODE && runs.size) {
          for (const run of [...runs.values()]) if (!run.original.isConnected) dropRun(run);
        }
      }
      for (const n of r.addedNodes) {
        if (ours.has(n)) continue;
        if (n.nodeType === ELEMENT_NODE && (n as Element).localName === MARK_TAG) continue;
        // The page put a node inside one of our runs (it places nodes after its own text
        // node's nextSibling, which is now our mark): put the text back together first.
        const prev = n.previousSibling;
        const split = prev ? (runs.get(prev as Text) ?? runOfPiece.get(prev)) : undefined;
        if (split && runs.get(split.original) === split && isRunStale(split)) {
          dropRun(split);
          enqueue(split.original);
        }
        enqueue(n);
      }
    }
  }

  /**
   * The page's normalize() removed the empty Text node we had left before a mark, but
   * its text is still meant to be there: the node goes back in place of our pieces with
   * their text, merged with the page's text after it as normalize() would have done.
   */
  function putBackNormalized(run: MarkedRun) {
    const { original } = run;
    const live = run.pieces.filter((p) => p.isConnected);
    const text = live.map((p) => p.textContent).join('');
    live[0].parentNode!.insertBefore(original, live[0]);
    dropRun(run, true);
    original.data = text;
    for (let next = original.nextSibling; next && next.nodeType === TEXT_NODE && !ours.has(next) && !runs.has(next as Text); next = original.nextSibling) {
      original.appendData((next as Text).data);
      next.parentNode!.removeChild(next);
    }
  }

  /**
   * Elements on screen now, sampled down the middle of the viewport: their text is
   * marked first, the rest of the page after. A point between paragraphs hits their
   * container (an article, a <main>): anything taller than the screen is left to the
   * walk over the whole page, or the "first" pass would read the whole page.
   */
  function visibleBlocks(): Element[] {
    const view = doc.defaultView;
    if (!view || !doc.elementFromPoint) return [];
    const out = new Set<Element>();
    const h = view.innerHeight || 0;
    const xs = [view.innerWidth * 0.3, view.innerWidth * 0.6];
    for (let y = 10; y < h; y += 60) {
      for (const x of xs) {
        const el = doc.elementFromPoint(x, y);
        if (!el || el === doc.body || el === doc.documentElement || out.has(el)) continue;
        if (el.getBoundingClientRect().height <= h) out.add(el);
      }
    }
    return [...out];
  }

  return {
    start() {
      if (observer || stopped) return;
      const View = doc.defaultView ?? window;
      observer = new View.MutationObserver(onMutations);
      // The style sheet for marks comes after the look at the screen: adopted now, it
      // would leave the page's style out of date and the look would force a restyle.
      addRoot(doc, false);
      starting = true;
      afterRender(() => {
        starting = false;
        if (stopped) return;
        // Finding what is on screen needs layout: asked after a frame, it is already done.
        if (doc.visibilityState === 'visible') for (const el of visibleBlocks()) enqueue(el);
        adoptSheet(doc);
        queue.push(FLUSH);
        enqueue(doc.body ?? doc.documentElement);
        schedule(0);
      });
    },
    stop() {
      stopped = true;
      if (channel) {
        channel.port1.onmessage = null;
        channel.port1.close();
      }
      observer?.disconnect();
      observer = null;
      for (const run of [...runs.values()]) unmarkRun(run);
      runs.clear();
      countByDrug.clear();
      queue.length = 0;
      head = 0;
      toMark.length = 0;
      reading = null;
      writing = null;
      queued.clear();
      typoNodes.clear();
      pendingTypos.clear();
      if (sheet) {
        for (const r of roots) if (r.adoptedStyleSheets) r.adoptedStyleSheets = r.adoptedStyleSheets.filter((s) => s !== sheet);
      }
      roots.clear();
      const w = idleWaiters;
      idleWaiters = [];
      w.forEach((f) => f());
    },
    idle() {
      if (stopped || (!starting && !pending() && !toMark.length && !reading && !writing && !scheduled && !pendingTypoRequest && !pendingTypos.size)) return Promise.resolve();
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
