import { afterEach, describe, expect, it } from 'vitest';
import { createHighlighter, type Highlighter } from '../../utils/highlighter';
import { MATCHER } from './helpers';
import { snapshot, textNodes } from './dom-snapshot';

let hl: Highlighter | undefined;
afterEach(() => {
  hl?.stop();
  hl = undefined;
  document.body.innerHTML = '';
});

function setup(html: string, opts: Partial<Parameters<typeof createHighlighter>[1]> = {}) {
  document.body.innerHTML = html;
  hl = createHighlighter(document, { matcher: MATCHER, decorate: () => {}, ...opts });
  hl.start();
  return hl;
}
const markTexts = () => [...document.querySelectorAll('druglens-mark')].map((m) => m.textContent);
const flush = () => new Promise((r) => setTimeout(r, 20));

describe('highlighter on a page', () => {
  it('marks names in ordinary text and nothing in excluded contexts', async () => {
    const h = setup(`
      <article>
        <p>Imatinib (Glivec) and <b>blinatumomab</b>; imatinibxyz is not one.</p>
        <script>var x = "imatinib"</script><style>.imatinib{}</style><noscript>imatinib</noscript>
        <textarea>imatinib</textarea><input value="imatinib"><select><option>imatinib</option></select>
        <button>imatinib</button><div contenteditable="true">imatinib <span>Glivec</span></div>
        <div role="textbox">imatinib</div><div class="CodeMirror">imatinib</div><div class="monaco-editor">imatinib</div>
        <svg><text>imatinib</text></svg><template><p>imatinib</p></template>
        <druglens-card>imatinib</druglens-card>
      </article>`);
    await h.idle();
    expect(markTexts()).toEqual(['Imatinib', 'Glivec', 'blinatumomab']);
    expect((document.querySelector('textarea') as HTMLTextAreaElement).value).toBe('imatinib');
    expect(h.counts()).toEqual(new Map([['imatinib', 2], ['blinatumomab', 1]]));
  });

  it('undo is exact: same structure, same Text objects, no merged or lost nodes', async () => {
    document.body.innerHTML = '<p id="p">Start with imatinib then Glivec.</p><p>plain</p>';
    const p = document.getElementById('p')!;
    // The page keeps two adjacent text nodes and an empty one apart.
    p.appendChild(document.createTextNode(' Also dasatinib'));
    p.appendChild(document.createTextNode(''));
    const before = snapshot(document.body);
    const originals = textNodes(document.body);
    hl = createHighlighter(document, { matcher: MATCHER, decorate: () => {} });
    hl.start();
    await hl.idle();
    expect(markTexts()).toEqual(['imatinib', 'Glivec', 'dasatinib']);
    hl.stop();
    expect(snapshot(document.body)).toBe(before);
    const after = textNodes(document.body);
    expect(after.length).toBe(originals.length);
    after.forEach((t, i) => expect(t).toBe(originals[i]));
  });

  it('repairs a text node the page rewrites after we split it (no ghost text)', async () => {
    const h = setup('<p id="p">Taking imatinib daily</p>');
    await h.idle();
    const original = textNodes(document.getElementById('p')!)[0];
    expect(markTexts()).toEqual(['imatinib']);
    // A framework updates its own text node in place (like React setting nodeValue).
    original.data = 'Now taking Sprycel daily';
    await flush();
    await h.idle();
    expect(document.getElementById('p')!.textContent).toBe('Now taking Sprycel daily');
    expect(markTexts()).toEqual(['Sprycel']);
  });

  it('removes our pieces when the page removes a node it owns', async () => {
    const h = setup('<div id="d"><span>a </span>Before imatinib after</div>');
    await h.idle();
    const d = document.getElementById('d')!;
    const text = [...d.childNodes].find((n) => n.nodeType === 3)!;
    d.removeChild(text);
    await flush();
    await h.idle();
    expect(d.textContent).toBe('a ');
    expect(markTexts()).toEqual([]);
  });

  it('marks text added later, and ignores its own mutations', async () => {
    const h = setup('<main id="m"><p>nothing here</p></main>');
    await h.idle();
    const p = document.createElement('p');
    p.textContent = 'New message: started ponatinib';
    document.getElementById('m')!.appendChild(p);
    await flush();
    await h.idle();
    expect(markTexts()).toEqual(['ponatinib']);
    const scanned = h.stats.nodesScanned;
    await flush();
    await flush();
    expect(h.stats.nodesScanned).toBe(scanned);
  });

  it('honours first-occurrence-only and the cap on marks', async () => {
    let h = setup('<p>imatinib imatinib Glivec dasatinib dasatinib</p>', { firstOnly: true });
    await h.idle();
    expect(markTexts()).toEqual(['imatinib', 'dasatinib']);
    h.stop();
    h = setup('<p>imatinib imatinib Glivec dasatinib dasatinib</p>', { maxMarks: 3 });
    await h.idle();
    expect(markTexts()).toEqual(['imatinib', 'imatinib', 'Glivec']);
  });

  it('walks open shadow roots', async () => {
    document.body.innerHTML = '<div id="host"></div>';
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<p>Shadow text about Kymriah</p>';
    hl = createHighlighter(document, { matcher: MATCHER, decorate: () => {} });
    hl.start();
    await hl.idle();
    await flush();
    await hl.idle();
    expect([...root.querySelectorAll('druglens-mark')].map((m) => m.textContent)).toEqual(['Kymriah']);
  });

  it('resolves typos in a second pass through the resolver', async () => {
    const asked: string[][] = [];
    const h = setup('<p>He was switched to ponatinob last week</p>', {
      resolveTypos: async (words) => {
        asked.push(words);
        return Object.fromEntries(words.map((w) => [w, w === 'ponatinob' ? { id: 'ponatinib', name: 'Ponatinib' } : null]));
      },
    });
    await h.idle();
    await flush();
    await h.idle();
    expect(asked).toEqual([['switched', 'ponatinob']]);
    const mark = document.querySelector('druglens-mark') as HTMLElement;
    expect(mark.textContent).toBe('ponatinob');
    expect(mark.dataset.drugId).toBe('ponatinib');
  });

  it('marks a typo that reaches the resolver in a later batch, and reads only its own node again', async () => {
    // 2,500 distinct unknown long words come first: the resolver is asked 2,000 at a time.
    const filler = Array.from({ length: 2500 }, (_, i) => `<p>wordy${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26) % 26)}${String.fromCharCode(97 + Math.floor(i / 676))}x here</p>`).join('');
    const asked: string[][] = [];
    const h = setup(`${filler}<p id="t">Now on dasatinob, was on imatinib</p><p>also dasatinob again</p>`, {
      resolveTypos: async (words) => {
        asked.push(words);
        return Object.fromEntries(words.map((w) => [w, w === 'dasatinob' ? { id: 'dasatinib', name: 'Dasatinib' } : null]));
      },
    });
    for (let i = 0; i < 5; i++) {
      await h.idle();
      await flush();
    }
    expect(asked.map((a) => a.length)).toEqual([2000, 501]);
    expect(asked[1]).toContain('dasatinob');
    expect(markTexts()).toEqual(['dasatinob', 'imatinib', 'dasatinob']);
    const scannedBefore = h.stats.nodesScanned;
    expect(scannedBefore).toBeLessThan(2500 + 2 + 2 + 5);
  });

  it('reads and marks a 100,000-character text node in windows, and undoes it exactly', async () => {
    const filler = 'The clinic letter went over the plan, the blood tests and the next visit again. '.repeat(6);
    const line = `Day 12: imatinib 400 mg, then Sprycel (dasatinib) from week three. ${filler}`;
    const text = line.repeat(Math.ceil(100_000 / line.length));
    const h = setup('<pre id="t"></pre>');
    const pre = document.getElementById('t')!;
    const node = pre.appendChild(document.createTextNode(text));
    await h.idle();
    const expected = MATCHER.find(text).map((m) => m.text);
    expect(expected.length).toBeGreaterThan(400);
    expect(markTexts()).toEqual(expected);
    expect(pre.textContent).toBe(text);
    h.stop();
    expect([...pre.childNodes]).toEqual([node]);
    expect(node.data).toBe(text);
  });
});
