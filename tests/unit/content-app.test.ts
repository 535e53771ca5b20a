/**
 * The content app's start-up, with its messaging replaced by direct calls: the page
 * index is asked for only where Drug Lens is on and there is something to read, and
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
