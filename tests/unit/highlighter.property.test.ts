/**
 * Property-based tests of the highlighter over random DOM trees (fast-check, fixed seed).
 *
 * Each tree mixes ordinary elements (p, div, span, b, a, li, table cells) with contexts
 * that must never be marked (script, style, textarea, input, button, select/option,
 * [contenteditable], .cm-editor, svg, template), and text made of drug names (whole, in
 * other cases, or split over adjacent text nodes), noise, empty text nodes and random
 * characters. For every tree:
 *
 *   - start() and idle() never throw;
 *   - no mark inside an excluded context, and excluded subtrees are untouched;
 *   - marks are never nested;
 *   - the text content of the whole tree is unchanged;
 *   - a second highlighter over the highlighted tree adds no marks and changes nothing;
 *   - stop() restores the exact structure and the page's own Text node objects;
 *   - highlighting again after stop() gives the same result as the first time.
 *
 * Seed: FC_SEED from the environment, or a constant. Runs: FC_RUNS, at least 1000.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createHighlighter, type Highlighter } from '../../utils/highlighter';
import { MARK_TAG } from '../../utils/page-text';
import { MATCHER } from './helpers';
import { snapshot, textNodes } from './dom-snapshot';

const SEED = Number(process.env.FC_SEED ?? 20240611);
const RUNS = Math.max(1000, Number(process.env.FC_RUNS ?? 1000));
const SVG_NS = 'http://www.w3.org/2000/svg';

/** What the test itself calls excluded, written out independently of utils/page-text.ts. */
const EXCLUDED = 'script, style, textarea, input, button, select, option, [contenteditable]:not([contenteditable="false"]), .cm-editor, svg, template';

type TextSpec = { t: 'text'; text: string; cuts: number[] };
type Spec =
  | TextSpec
  | { t: 'el'; tag: 'p' | 'div' | 'span' | 'b' | 'a' | 'li'; children: Spec[] }
  | { t: 'table'; cells: Spec[][] }
  | { t: 'excluded'; kind: ExcludedKind; children: Spec[] };
type ExcludedKind = 'script' | 'style' | 'textarea' | 'input' | 'button' | 'select' | 'contenteditable' | 'cm-editor' | 'svg' | 'template';

const DRUG_NAMES = ['imatinib', 'Glivec', 'STI-571', 'inotuzumab ozogamicin', 'Kymriah', 'IMATINIB', 'glivec', 'sti-571', 'Inotuzumab Ozogamicin', 'KYMRIAH'];
const NOISE = ['the', 'and', 'dose', 'mg', 'daily', 'with', '(', ')', ',', '.', ':', 'ima', 'tinib', 'Kym', 'riah', 'Gli', 'vec', 'STI', '571', 'inotuzumab', 'ozogamicin', 'imatinibxyz', 'preimatinib', 'Glivecs', 'é', '—', '\u00a0', '🙂', '\t', '\n'];
const SEPARATORS = [' ', ' ', ' ', '', '-', '/', ', ', '\n', '\u00a0', '  '];

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DRUG_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...NOISE) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 3, unit: 'binary' }) },
);
const textArb: fc.Arbitrary<TextSpec> = fc
  .record({
    words: fc.array(fc.tuple(token, fc.constantFrom(...SEPARATORS)), { maxLength: 8 }),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .map(({ words, cuts }) => {
    const text = words.map(([w, s]) => w + s).join('');
    return { t: 'text' as const, text, cuts: cuts.map((c) => c % (text.length + 1)).sort((a, b) => a - b) };
  });

const EXCLUDED_KINDS: ExcludedKind[] = ['script', 'style', 'textarea', 'input', 'button', 'select', 'contenteditable', 'cm-editor', 'svg', 'template'];

const { tree } = fc.letrec<{ tree: Spec[]; node: Spec }>((tie) => ({
  tree: fc.array(tie('node'), { maxLength: 4 }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: textArb },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('el' as const), tag: fc.constantFrom('p', 'div', 'span', 'b', 'a', 'li'), children: tie('tree') }) as fc.Arbitrary<Spec> },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('table' as const), cells: fc.array(fc.array(tie('node'), { maxLength: 2 }), { minLength: 1, maxLength: 3 }) }) as fc.Arbitrary<Spec> },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('excluded' as const), kind: fc.constantFrom(...EXCLUDED_KINDS), children: tie('tree') }) as fc.Arbitrary<Spec> },
  ),
}));

/** Appends a text spec as adjacent text nodes, cut at the given offsets (equal cuts give empty nodes). */
function appendText(parent: Node, spec: TextSpec) {
  let at = 0;
  for (const cut of [...spec.cuts, spec.text.length]) {
    parent.appendChild(document.createTextNode(spec.text.slice(at, cut)));
    at = cut;
  }
}

/** Only the text of a subtree (for elements that hold nothing but text). */
function flatText(specs: Spec[]): string {
  return specs.map((s) => (s.t === 'text' ? s.text : s.t === 'table' ? s.cells.flat().map((c) => flatText([c])).join(' ') : flatText(s.children))).join(' ');
}

function build(parent: Node, specs: Spec[]) {
  for (const s of specs) {
    if (s.t === 'text') appendText(parent, s);
    else if (s.t === 'el') {
      const el = document.createElement(s.tag);
      if (s.tag === 'a') el.setAttribute('href', '#x');
      build(el, s.children);
      parent.appendChild(el);
    } else if (s.t === 'table') {
      const table = document.createElement('table');
      const body = table.appendChild(document.createElement('tbody'));
      s.cells.forEach((row, i) => {
        const tr = body.appendChild(document.createElement('tr'));
        for (const cell of row) build(tr.appendChild(document.createElement(i === 0 ? 'th' : 'td')), [cell]);
      });
      parent.appendChild(table);
    } else parent.appendChild(buildExcluded(s.kind, s.children));
  }
}

function buildExcluded(kind: ExcludedKind, children: Spec[]): Element {
  const text = `imatinib ${flatText(children)} Glivec`;
  switch (kind) {
    case 'script':
    case 'style':
    case 'textarea': {
      const el = document.createElement(kind);
      // Inert under jsdom (it would run a script); the highlighter skips it by tag alone.
      if (kind === 'script') el.setAttribute('type', 'text/plain');
      appendText(el, { t: 'text', text, cuts: [4] });
      return el;
    }
    case 'input': {
      const el = document.createElement('input');
      el.setAttribute('value', text);
      return el;
    }
    case 'select': {
      const el = document.createElement('select');
      for (const part of ['Kymriah', text]) el.appendChild(document.createElement('option')).textContent = part;
      return el;
    }
    case 'svg': {
      const el = document.createElementNS(SVG_NS, 'svg');
      el.appendChild(document.createElementNS(SVG_NS, 'text')).textContent = text;
      return el;
    }
    case 'template': {
      const el = document.createElement('template');
      build(el, [{ t: 'text', text: 'imatinib', cuts: [] }, ...children]);
      build(el.content, [{ t: 'text', text, cuts: [] }]);
      return el;
    }
    default: {
      const el = document.createElement(kind === 'button' ? 'button' : 'div');
      if (kind === 'contenteditable') el.setAttribute('contenteditable', children.length % 2 ? 'true' : '');
      if (kind === 'cm-editor') el.className = 'cm-editor';
      build(el, [{ t: 'text', text: 'imatinib ', cuts: [] }, ...children]);
      return el;
    }
  }
}

function highlighter(): Highlighter {
  return createHighlighter(document, {
    matcher: MATCHER,
    decorate: (el, m) => {
      el.setAttribute('role', 'button');
      el.setAttribute('tabindex', '0');
      el.title = m.id;
    },
  });
}

/** Lets MutationObserver callbacks and queued slices run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

const marks = () => [...document.body.querySelectorAll(MARK_TAG)];

let total = { trees: 0, marks: 0, withMarks: 0 };
afterAll(() => {
  console.log(`highlighter properties: ${total.trees} random trees (seed ${SEED}), ${total.marks} marks in ${total.withMarks} trees`);
});

describe('highlighter properties over random DOM trees', () => {
  it(
    `holds for ${RUNS} random trees`,
    async () => {
      await fc.assert(
        fc.asyncProperty(tree, async (specs) => {
          document.body.replaceChildren();
          build(document.body, specs);
          const before = snapshot(document.body);
          const textBefore = document.body.textContent;
          const originals = textNodes(document.body);
          const excluded = [...document.body.querySelectorAll(EXCLUDED)];
          const excludedBefore = excluded.map((e) => snapshot(e));
          const templateContent = [...document.body.querySelectorAll('template')].map((t) => snapshot(t.content));

          const h1 = highlighter();
          const h2 = highlighter();
          const h3 = highlighter();
          try {
            // First pass.
            h1.start();
            await h1.idle();
            const found = marks();
            for (const m of found) {
              expect(m.parentElement!.closest(EXCLUDED)).toBeNull();
              expect(m.querySelector(MARK_TAG)).toBeNull();
              expect(m.parentElement!.closest(MARK_TAG)).toBeNull();
            }
            expect(h1.marks().length).toBe(found.length);
            expect(excluded.map((e) => snapshot(e))).toEqual(excludedBefore);
            expect([...document.body.querySelectorAll('template')].map((t) => snapshot(t.content))).toEqual(templateContent);
            expect(document.body.textContent).toBe(textBefore);
            const highlighted = snapshot(document.body);
            total.trees++;
            total.marks += found.length;
            if (found.length) total.withMarks++;

            // A second highlighter over the highlighted tree: nothing new, nothing changed.
            h2.start();
            await h2.idle();
            await settle();
            await h1.idle();
            expect(h2.marks()).toEqual([]);
            expect(snapshot(document.body)).toBe(highlighted);
            h2.stop();
            expect(snapshot(document.body)).toBe(highlighted);

            // Exact undo.
            h1.stop();
            expect(snapshot(document.body)).toBe(before);
            const after = textNodes(document.body);
            expect(after.length).toBe(originals.length);
            after.forEach((t, i) => expect(t).toBe(originals[i]));

            // Highlighting again after undo gives the same page, and undoes the same way.
            h3.start();
            await h3.idle();
            expect(snapshot(document.body)).toBe(highlighted);
            h3.stop();
            expect(snapshot(document.body)).toBe(before);
            textNodes(document.body).forEach((t, i) => expect(t).toBe(originals[i]));
          } finally {
            h1.stop();
            h2.stop();
            h3.stop();
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(total.trees).toBeGreaterThanOrEqual(RUNS);
    },
    180_000,
  );
});
