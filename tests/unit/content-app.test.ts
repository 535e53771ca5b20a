/**
 * The content app's start-up, with its messaging replaced by direct calls: the page
 * index is asked for only where Drug Lens is on and there is something to read (not in
 * a blank or text-less frame, yes in a page made of open shadow roots), and
 * side-effect words only when the popup asks for them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NameIndex } from '../../data/types';
import { startContentApp, type ContentApp, type ContentDeps } from '../../utils/content-app';
import { pageIndexToText } from '../../utils/matcher';
import { DEFAULT_SETTINGS, type SettingsValues } from '../../utils/settings-core';
import { DATA } from './helpers';

const PAGE_INDEX = pageIndexToText(DATA.names);
const EFFECTS: NameIndex = { version: 1, ids: ['nausea'], names: [['feeling sick', 0, 'g', 0]] };

let app: ContentApp | undefined;
afterEach(() => {
  app?.stop();
  app = undefined;
  document.body.innerHTML = '';
});

function start(settings: Partial<SettingsValues> = {}, url = 'https://forum.example/thread') {
  const asked = { pageIndex: 0, effectTerms: 0 };
  const deps: ContentDeps = {
    getPageIndex: async () => (asked.pageIndex++, PAGE_INDEX),
    getEffectTerms: async () => (asked.effectTerms++, EFFECTS),
    doc: document,
    url: () => url,
    getSettings: async () => ({ ...DEFAULT_SETTINGS, ...settings }),
    saveView: async () => undefined,
    lookupDrug: async () => null,
    resolveTypos: async (words) => Object.fromEntries(words.map((w) => [w, null])),
    reportDrugs: () => undefined,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    isAlive: () => true,
    addListener: (target, type, fn, options) => target.addEventListener(type, fn, options),
  };
  return { asked, ready: startContentApp(deps).then((a) => (app = a)) };
}

/** Waits until every mark the highlighter will make is made. */
async function settled() {
  for (let i = 0; i < 50 && !app?.highlighter(); i++) await new Promise((r) => setTimeout(r, 10));
  await app?.highlighter()?.idle();
}
const marks = () => [...document.querySelectorAll('druglens-mark')].map((m) => m.textContent);

describe('content app start-up', () => {
  it('marks the page with the index it asked the background for, once', async () => {
    document.body.innerHTML = '<p>On Glivec (imatinib) since May.</p>';
    const { asked, ready } = start();
    await ready;
    await settled();
    expect(marks()).toEqual(['Glivec', 'imatinib']);
    expect(asked.pageIndex).toBe(1);
  });

  it('never asks for the index on a site that is switched off', async () => {
    document.body.innerHTML = '<p>On Glivec (imatinib) since May.</p>';
    const { asked, ready } = start({ disabledSites: ['forum.example'] });
    await ready;
    await new Promise((r) => setTimeout(r, 100));
    expect(asked.pageIndex).toBe(0);
    expect(marks()).toEqual([]);
    expect(app!.highlighter()).toBeNull();
  });

  it('waits for a blank document to get content before asking for the index', async () => {
    const { asked, ready } = start();
    await ready;
    await new Promise((r) => setTimeout(r, 100));
    expect(asked.pageIndex).toBe(0);
    document.body.innerHTML = '<p>Started dasatinib today.</p>';
    await settled();
    expect(marks()).toEqual(['dasatinib']);
    expect(asked.pageIndex).toBe(1);
  });

  it('leaves a frame with nothing to read alone (an image, scripts, styles, a hidden line) until readable text arrives', async () => {
    document.body.innerHTML = [
      '<a href="#ad"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Glivec"></a>',
      '<script>var brand = "Glivec imatinib";</script>',
      '<style>.imatinib { color: red }</style>',
      '<div aria-hidden="true">imatinib</div>',
      '<textarea>Sprycel</textarea>',
      '<div>  12 345  </div>',
    ].join('');
    const { asked, ready } = start();
    await ready;
    // The page keeps changing without text: no index yet.
    for (let i = 0; i < 5; i++) {
      document.body.append(document.createElement('span'));
      await new Promise((r) => setTimeout(r, 40));
    }
    await new Promise((r) => setTimeout(r, 150));
    expect(asked.pageIndex).toBe(0);
    expect(app!.highlighter()).toBeNull();
    const p = document.createElement('p');
    p.textContent = 'Switched to dasatinib.';
    document.body.append(p);
    await settled();
    expect(marks()).toEqual(['dasatinib']);
    expect(asked.pageIndex).toBe(1);
  });

  it('reads a document whose text is all in an open shadow root', async () => {
    const host = document.body.appendChild(document.createElement('div'));
    host.attachShadow({ mode: 'open' }).innerHTML = '<p>Ponatinib (Iclusig) is a tablet.</p>';
    const { asked, ready } = start();
    await ready;
    await settled();
    expect(asked.pageIndex).toBe(1);
    expect([...host.shadowRoot!.querySelectorAll('druglens-mark')].map((m) => m.textContent)).toEqual(['Ponatinib', 'Iclusig']);
  });

  it('asks for side-effect words only when they are wanted', async () => {
    document.body.innerHTML = '<p>Imatinib left me feeling sick.</p>';
    const { asked, ready } = start();
    await ready;
    await settled();
    expect(asked.effectTerms).toBe(0);
    expect(await app!.sideEffectsOnPage()).toEqual(['nausea']);
    expect(await app!.sideEffectsOnPage()).toEqual(['nausea']);
    expect(asked.effectTerms).toBe(1);
  });
});
