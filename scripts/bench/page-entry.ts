/**
 * The benchmark's in-page harness: the extension's own modules (matcher, page-text,
 * highlighter, marks), bundled for a plain page so that dictionaries can be swapped.
 */
import type { NameIndex } from '../../data/types';
import { createHighlighter, type Highlighter } from '../../utils/highlighter';
import { compileMatcher, compilePageIndexText, type Matcher } from '../../utils/matcher';
import { markCss } from '../../utils/mark-style';
import { collectTextNodes } from '../../utils/page-text';

let matcher: Matcher;
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
let hl: Highlighter | null = null;
const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });

/** The raw scan: TreeWalker + matcher over the page, counting only (no DOM changes). */
function scanCount(m: Matcher): number {
  let count = 0;
  for (const t of collectTextNodes(document.body)) count += m.find(t.data).length;
  return count;
}

const api = {
  compile(index: NameIndex) {
    const t0 = performance.now();
    matcher = compileMatcher(index);
    return { ms: performance.now() - t0, names: matcher.size };
  },
  /**
   * The content script's start: the page index, as text, compiled a slice at a time
   * with the page's turn between slices. Reports the total and the longest slice.
   */
  async compileText(text: string) {
    const slices: number[] = [];
    const t0 = performance.now();
    let s0 = t0;
    const m = await compilePageIndexText(text, async () => {
      slices.push(performance.now() - s0);
      await new Promise((r) => setTimeout(r, 0));
      s0 = performance.now();
    });
    slices.push(performance.now() - s0);
    return { ms: performance.now() - t0, busyMs: slices.reduce((a, b) => a + b, 0), slices: slices.length, longestSliceMs: Math.max(...slices), names: m.size };
  },
  /** TreeWalker + matcher, counting only: no DOM changes. */
  rawScan() {
    const t0 = performance.now();
    const count = scanCount(matcher);
    return { ms: performance.now() - t0, count };
  },
  /**
   * The cost of the dictionary's size, paired on one page: two matchers compiled side by
   * side, then the raw scan (TreeWalker + matcher) with each in turn, alternating which
   * goes first, `rounds` times each. Also the matcher alone over the collected text.
   * Medians; the first round (cold code) is left out.
   */
  dictionaryScaling(full: NameIndex, small: NameIndex, rounds = 7) {
    const matchers = [compileMatcher(full), compileMatcher(small)];
    const texts = collectTextNodes(document.body).map((t) => t.data);
    const scan = [[], []] as number[][];
    const matcherOnly = [[], []] as number[][];
    for (let r = 0; r <= rounds; r++) {
      for (const k of r % 2 ? [1, 0] : [0, 1]) {
        const m = matchers[k];
        let t0 = performance.now();
        let count = scanCount(m);
        const scanMs = performance.now() - t0;
        t0 = performance.now();
        for (const t of texts) count -= m.find(t).length;
        const matcherMs = performance.now() - t0;
        if (count !== 0) throw new Error('the two passes disagree');
        if (r > 0) {
          scan[k].push(scanMs);
          matcherOnly[k].push(matcherMs);
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    return {
      scanMs: scan.map(median),
      matcherMs: matcherOnly.map(median),
      scanScale: median(scan[0]) / median(scan[1]),
      matcherScale: median(matcherOnly[0]) / median(matcherOnly[1]),
    };
  },
  async highlight(withCss = true) {
    longTasks.length = 0;
    const t0 = performance.now();
    hl = createHighlighter(document, {
      matcher,
      decorate: (el) => {
        el.tabIndex = 0;
        el.setAttribute('role', 'button');
      },
      markCss: withCss ? markCss({ highlightStyle: 'underline', color: '#1a73e8' }) : undefined,
    });
    hl.start();
    await hl.idle();
    // Time to all marks includes the frame that shows them.
    await nextFrame();
    const ms = performance.now() - t0;
    // Let the long-task observer deliver.
    await new Promise((r) => setTimeout(r, 50));
    return { ms, writeMs: hl.stats.writeMs, writeSlices: hl.stats.writeSlices, busyMs: hl.stats.busyMs, slices: hl.stats.batches, nodes: hl.stats.nodesScanned, marks: hl.marks().length, longestSliceMs: hl.stats.longestSliceMs, longestTaskMs: Math.max(0, ...longTasks), longTasks: longTasks.length };
  },
  /**
   * Appends html and waits until it is marked and shown. Reports our own work (busy
   * time in the highlighter's tasks) and the wall time to the frame that shows it.
   */
  async append(html: string) {
    const div = document.createElement('div');
    const busy0 = hl ? hl.stats.busyMs : 0;
    const t0 = performance.now();
    div.innerHTML = html;
    document.body.appendChild(div);
    // The observer sees the addition in a microtask; then the highlighter works.
    await new Promise((r) => queueMicrotask(() => r(null)));
    if (hl) await hl.idle();
    await nextFrame();
    return { ms: performance.now() - t0, busyMs: hl ? hl.stats.busyMs - busy0 : 0, marks: div.querySelectorAll('druglens-mark').length };
  },
  stop() {
    hl?.stop();
    hl = null;
  },
};
(window as unknown as { __bench: typeof api }).__bench = api;
