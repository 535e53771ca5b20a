/**
 * The experience, end to end in real Chromium with the built extension: the card's
 * content and order, the patient/student switch, class-level and basic records, the
 * context-menu lookup, keyboard-only use, pinning, positioning, looks (theme, text size,
 * reduced motion, forced colours, no layout shift, nothing remote), the toolbar popup
 * (search, medicines on this page, side effects, switches, badge), axe checks, and the
 * README screenshots.
 *
 * Expected values come from the same bundled data and lookup the background uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadLookupData } from '../../data/bundle';
import { FREQUENCY_LEGEND, URGENCY_LABEL, type Frequency } from '../../data/schema';
import { createLookup, type CardData } from '../../utils/lookup';
import { type Settings } from '../../utils/settings';
import { DEFAULT_SETTINGS } from '../../utils/settings-core';
import { CardReader, launchExtension, ROOT, startServer, watchErrors, type Ext, type Server } from './harness';

const lookup = createLookup(loadLookupData());
const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = path.join(ROOT, 'screenshots');
const FREQ_WORD: Record<Frequency, string> = {
  'very-common': 'Very common',
  common: 'Common',
  uncommon: 'Uncommon',
  rare: 'Rare',
  'not-known': 'Not known',
};

let ext: Ext;
let server: Server;

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension();
  // The first page compiles the content script: let it finish before the timed tests.
  const warm = await ext.context.newPage();
  await warm.goto(fixture('card.html'));
  await marksOn(warm, 5, 60_000);
  await warm.close();
}, 120_000);
afterAll(async () => {
  if (shared) {
    await shared.page.close();
    expect(shared.errors).toEqual([]);
  }
  await ext?.close();
  await server?.close();
});
beforeEach(async () => {
  await swEval(() => chrome.storage.local.clear());
});

function fixture(name: string, origin = server.origin) {
  return `${origin}/pages/experience/${name}`;
}

/** The extension's service worker (woken by opening an extension page if it went idle). */
async function serviceWorker(): Promise<Worker> {
  const [sw] = ext.context.serviceWorkers();
  if (sw) return sw;
  const wake = await ext.context.newPage();
  const next = ext.context.waitForEvent('serviceworker', { timeout: 20_000 });
  await wake.goto(`chrome-extension://${ext.extensionId}/options.html`);
  const w = ext.context.serviceWorkers()[0] ?? (await next);
  await wake.close();
  return w;
}

async function swEval<R, A>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
  const run = async () => (await serviceWorker()).evaluate(fn as (a: unknown) => R | Promise<R>, arg as unknown) as Promise<R>;
  try {
    return await run();
  } catch (e) {
    if (!/Target|closed|destroyed/i.test(String(e))) throw e;
    return run();
  }
}

async function setSettings(patch: Partial<Settings>) {
  await swEval(
    async ([defaults, p]) => {
      const current = (await chrome.storage.local.get('settings')).settings ?? defaults;
      await chrome.storage.local.set({ settings: { ...current, ...p } });
    },
    [DEFAULT_SETTINGS, patch] as const,
  );
}

async function storedSettings(): Promise<Settings | undefined> {
  return swEval(async () => (await chrome.storage.local.get('settings')).settings as Settings | undefined);
}

/** The browser's id for a page's tab. */
async function tabIdOf(page: Page): Promise<number> {
  await page.bringToFront();
  const ids = await swEval(async () => (await chrome.tabs.query({ active: true })).map((t) => t.id!));
  expect(ids).toHaveLength(1);
  return ids[0];
}

async function marksOn(page: Page, min: number, timeout = 20_000): Promise<string[]> {
  await page.waitForFunction((n) => document.querySelectorAll('druglens-mark[data-druglens]').length >= n, min, { timeout });
  return page.locator('druglens-mark[data-druglens]').allTextContents();
}

async function openPage(name: string, minMarks: number, opts: { width?: number; height?: number } = {}): Promise<{ page: Page; card: CardReader; errors: string[] }> {
  const page = await ext.context.newPage();
  if (opts.width) await page.setViewportSize({ width: opts.width, height: opts.height ?? 640 });
  const errors = watchErrors(page);
  await page.goto(fixture(name));
  if (minMarks) await marksOn(page, minMarks);
  return { page, card: new CardReader(page), errors };
}

const bgOf = 'function () { return getComputedStyle(this.querySelector(".dl-popover")).backgroundColor; }';

/** One card.html tab shared by the tests that only open cards on it: reset, and in front. */
let shared: { page: Page; card: CardReader; errors: string[] } | undefined;
async function cardPage() {
  if (!shared || shared.page.isClosed()) shared = await openPage('card.html', 5);
  const { page, card } = shared;
  if (await card.isOpen()) {
    await page.keyboard.press('Escape');
    await card.waitClosed();
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference', forcedColors: 'none' });
  await page.evaluate(() => scrollTo(0, 0));
  await page.bringToFront();
  return shared;
}

const mark = (page: Page, where: string) => page.locator(`${where} druglens-mark[data-druglens]`).first();

type Rect = { x: number; y: number; width: number; height: number };

/** The card's rectangle once it has been placed and its opening animation is over. */
async function stableRect(card: CardReader, page: Page): Promise<Rect> {
  let last = '';
  let same = 0;
  for (let i = 0; i < 100; i++) {
    const r = await card.rect();
    const key = JSON.stringify(r);
    if (r && key === last) {
      if (++same >= 3) return r;
    } else same = 0;
    last = key;
    await page.waitForTimeout(60);
  }
  throw new Error(`card did not settle: ${last}`);
}

async function openCard(page: Page, card: CardReader, where: string): Promise<void> {
  await mark(page, where).click();
  await card.waitOpen();
}

/** data-testid values (and the leaflet line) inside the card, in document order. */
async function cardOutline(card: CardReader): Promise<string[]> {
  return (
    (await card.eval<string[]>(`function () {
      const out = [];
      for (const el of this.querySelectorAll('.dl-card *')) {
        if (el.dataset.testid) out.push(el.dataset.testid);
        else if (el.localName === 'p' && el.textContent.startsWith('Not every side effect is listed')) out.push('leaflet');
      }
      return out;
    }`)) ?? []
  );
}

/** The focused element inside the card, by data-testid, class or text. */
async function focusedInCard(card: CardReader): Promise<string | null> {
  return card.eval<string | null>(`function () {
    const el = this.activeElement;
    if (!el) return null;
    return el.dataset.testid || (el.classList.contains('dl-popover') ? 'popover' : el.localName + ':' + el.textContent.trim());
  }`);
}

/** Scrolls an element of the card into the card's view, then clicks it with the mouse. */
async function clickInCard(card: CardReader, selector: string) {
  await card.eval('function (s) { this.querySelector(s).scrollIntoView({ block: "nearest" }); }', selector);
  await card.click(selector);
}

/** Clicks (a real mouse click) the button in the card whose text is `text`. */
async function clickButtonInCard(page: Page, card: CardReader, text: string) {
  const r = await card.eval<Rect | null>(
    `function (t) {
      const b = [...this.querySelectorAll('button, summary')].find((x) => x.textContent.trim() === t);
      if (!b) return null;
      b.scrollIntoView({ block: 'nearest' });
      const r = b.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }`,
    text,
  );
  if (!r) throw new Error(`no button "${text}" in the card`);
  await page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
}

function expectBeside(r: Rect, m: Rect) {
  const below = r.y - (m.y + m.height);
  const above = m.y - (r.y + r.height);
  // Just below the mark, or (flipped) just above it; and overlapping it horizontally.
  expect((below >= 0 && below <= 16) || (above >= 0 && above <= 16), `card ${JSON.stringify(r)} beside mark ${JSON.stringify(m)}`).toBe(true);
  expect(r.x <= m.x + m.width && r.x + r.width >= m.x).toBe(true);
}

function expectInViewport(r: Rect, vp: { width: number; height: number }) {
  expect(r.x).toBeGreaterThanOrEqual(0);
  expect(r.y).toBeGreaterThanOrEqual(0);
  expect(r.x + r.width).toBeLessThanOrEqual(vp.width);
  expect(r.y + r.height).toBeLessThanOrEqual(vp.height);
}

async function runAxe(page: Page, context: string | object = 'document'): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (ctx) => {
    const axe = (window as unknown as { axe: { run(c: unknown, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(ctx === 'document' ? document : ctx, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, context);
}

function expectedCard(id: string, matched?: { text: string; kind?: 'g' | 'b' | 'c' | 'a' | 'm'; fuzzy?: string }): CardData {
  const c = lookup.card(id, matched);
  if (!c) throw new Error(`no ${id} in the bundled data`);
  return c;
}

describe('the card', () => {
  it('shows what was matched, then the urgent box, class, route, uses, side effects, the leaflet line, brands by region, sources with the review date and the disclaimer, in that order', async () => {
    const { page, card, errors } = await cardPage();
    const want = expectedCard('imatinib', { text: 'Glivec', kind: 'b' });
    await openCard(page, card, '#brand');
    expect(await card.eval('function () { return this.querySelector("[data-testid=drug-card]").dataset.tier; }')).toBe('reviewed');
    expect(await card.text('drug-name')).toBe('Imatinib');
    expect(await card.text('matched')).toBe('“Glivec” — brand name of Imatinib');
    expect(await card.text('pronunciation')).toBe(`Say it: ${want.pronunciation}`);
    expect(await card.text('tier-note')).toBe('');

    expect((await cardOutline(card)).filter((k) => k !== 'what' && k !== 'tips' && !k.startsWith('view-') && k !== 'pin' && k !== 'close')).toEqual([
      'drug-name', 'pronunciation', 'matched', 'urgent', 'drug-class', 'route', 'uses', 'side-effects', 'leaflet', 'brands', 'sources', 'reviewed-on', 'disclaimer',
    ]);

    expect(await card.text('drug-class')).toContain(`${want.classes[0].name} (${want.classes[1].name}): ${want.classes[0].plain}`);
    expect(await card.text('route')).toContain(want.given!);
    for (const u of want.uses) expect(await card.text('uses')).toContain(u);
    const brands = await card.eval<string[]>('function () { return [...this.querySelectorAll("[data-testid=brands] p")].map((p) => p.textContent); }');
    expect(brands).toEqual([`UK/EU: ${[...new Set([...want.brands.UK, ...want.brands.EU])].join(', ')}`, `US: ${want.brands.US.join(', ')}`]);
    expect(brands).toEqual(['UK/EU: Glivec', 'US: Gleevec']);
    expect(await card.text('reviewed-on')).toBe(`Last reviewed: ${want.reviewedOn}`);
    expect(want.reviewedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const sources = await card.text('sources');
    for (const r of want.references) expect(sources).toContain(r.title);
    expect(await card.text('disclaimer')).toBe('This supports, not replaces, advice from your doctor, nurse or pharmacist.');
    expect(await card.text('side-effects')).toContain('Not every side effect is listed — read the leaflet in the pack.');
    expect(errors).toEqual([]);
  });

  it('says "did you mean" for a one-edit typo, with the pronunciation, and lists urgent signs in three levels with their thresholds', async () => {
    const { page, card } = await cardPage();
    const m = mark(page, '#fuzzy');
    await page.waitForFunction(() => !!document.querySelector('#fuzzy druglens-mark[data-fuzzy]'), null, { timeout: 20_000 });
    expect(await m.textContent()).toBe('ponatinob');
    expect(await m.getAttribute('data-fuzzy')).toBe('Ponatinib');
    expect(await m.getAttribute('aria-label')).toBe('ponatinob: did you mean Ponatinib? Drug information');
    await m.click();
    await card.waitOpen();
    const want = expectedCard('ponatinib', { text: 'ponatinob', kind: 'm', fuzzy: 'Ponatinib' });
    expect(await card.text('drug-name')).toBe('Ponatinib');
    expect(await card.text('matched')).toBe('“ponatinob” — did you mean Ponatinib?');
    expect(await card.text('pronunciation')).toBe(`Say it: ${want.pronunciation}`);

    const levels = await card.eval<{ level: string; heading: string; items: { name: string; thresholds: string; advice: string }[] }[]>(`function () {
      return [...this.querySelectorAll('[data-testid=urgent] [data-level]')].map((d) => ({
        level: d.dataset.level,
        heading: d.querySelector('h4').textContent,
        items: [...d.querySelectorAll('li')].map((li) => ({
          name: li.querySelector('strong').textContent,
          thresholds: li.querySelector('.dl-thresholds')?.textContent ?? '',
          advice: li.querySelector('.dl-advice').textContent,
        })),
      }));
    }`);
    expect(levels!.map((l) => l.level)).toEqual(['emergency', 'now', 'next-visit']);
    expect(levels!.map((l) => l.heading)).toEqual([URGENCY_LABEL.emergency, URGENCY_LABEL.now, URGENCY_LABEL['next-visit']]);
    for (const l of levels!) {
      const items = want.urgent.filter((u) => u.level === l.level);
      expect(l.items).toEqual(items.map((u) => ({ name: u.name, thresholds: u.thresholds.length ? ` (${u.thresholds.join('; ')})` : '', advice: u.advice })));
    }
    const urgent = await card.text('urgent');
    expect(urgent).toContain('temperature above 37.5 °C');
    expect(urgent).toMatch(/\d/);
    // The urgent box comes before everything else below the heading.
    const outline = await cardOutline(card);
    expect(outline.indexOf('urgent')).toBeLessThan(outline.indexOf('drug-class'));
  });

  it('explains the frequency words on request, and each side effect expands to its advice', async () => {
    const { page, card } = await cardPage();
    await openCard(page, card, '#brand');
    const want = expectedCard('imatinib');
    const effects = await card.eval<{ name: string; freq: string; title: string; open: boolean; adviceShown: boolean }[]>(`function () {
      return [...this.querySelectorAll('.dl-effects > li')].map((li) => ({
        name: li.querySelector('.dl-effect-name').textContent,
        freq: li.querySelector('.dl-freq')?.textContent ?? '',
        title: li.querySelector('.dl-freq')?.title ?? '',
        open: li.querySelector('details').open,
        adviceShown: li.querySelector('.dl-advice').checkVisibility(),
      }));
    }`);
    expect(effects!.map((e) => e.name)).toEqual(want.common.map((e) => e.name));
    expect(effects!.map((e) => e.freq)).toEqual(want.common.map((e) => FREQ_WORD[e.frequency!]));
    expect(effects!.map((e) => e.title)).toEqual(want.common.map((e) => FREQUENCY_LEGEND[e.frequency!]));
    expect(effects!.every((e) => !e.open && !e.adviceShown)).toBe(true);

    // The legend: hidden, then shown with every frequency word, then hidden again.
    const toggle = 'function () { const b = this.querySelector(".dl-legend-toggle"); return b && b.getAttribute("aria-expanded"); }';
    expect(await card.eval(toggle)).toBe('false');
    expect(await card.text('legend')).toBe('');
    await clickInCard(card, '.dl-legend-toggle');
    await expect.poll(() => card.eval(toggle)).toBe('true');
    expect(await card.eval('function () { return [...this.querySelectorAll("[data-testid=legend] li")].map((l) => l.textContent); }')).toEqual(Object.values(FREQUENCY_LEGEND));
    await clickInCard(card, '.dl-legend-toggle');
    await expect.poll(() => card.eval(toggle)).toBe('false');
    expect(await card.text('legend')).toBe('');

    // The second side effect opens to its advice.
    await clickInCard(card, '.dl-effects > li:nth-child(2) summary');
    const second = 'function () { const li = this.querySelector(".dl-effects > li:nth-child(2)"); const a = li.querySelector(".dl-advice"); return { open: li.querySelector("details").open, shown: a.checkVisibility(), advice: a.textContent }; }';
    await expect.poll(() => card.eval(second)).toEqual({ open: true, shown: true, advice: want.common[1].advice });
    expect(await card.isOpen()).toBe(true);
  });

  it('says so plainly for a class-level record and a basic record, with no "Last reviewed" date', async () => {
    const { page, card } = await cardPage();
    const klass = expectedCard('abemaciclib');
    const basic = expectedCard('acetylcysteine');
    expect(klass.tier).toBe('class');
    expect(basic.tier).toBe('basic');
    expect(klass.reviewedOn).toBeUndefined();
    expect(basic.reviewedOn).toBeUndefined();

    await openCard(page, card, '#class');
    expect(await card.text('drug-name')).toBe('Abemaciclib');
    expect(await card.eval('function () { return this.querySelector("[data-testid=drug-card]").dataset.tier; }')).toBe('class');
    expect(await card.text('tier-note')).toBe(
      'Basic record: we have not written a reviewed summary for this medicine yet. The side effects below are typical of its class, not checked for this medicine.',
    );
    expect(await card.text('side-effects')).toContain('Side effects typical of this class');
    expect(await card.text('side-effects')).not.toContain('Common side effects');
    expect(await card.eval('function () { return this.querySelectorAll(".dl-freq, .dl-legend-toggle").length; }')).toBe(0);
    expect(await card.text('reviewed-on')).toBe('');
    expect(await card.text('sources')).not.toContain('Last reviewed');
    expect(await card.text('drug-class')).toContain(klass.classes[0].name);
    expect(await card.text('disclaimer')).toContain('supports, not replaces');
    await page.keyboard.press('Escape');
    await card.waitClosed();

    await openCard(page, card, '#basic');
    expect(await card.text('drug-name')).toBe('Acetylcysteine');
    expect(await card.eval('function () { return this.querySelector("[data-testid=drug-card]").dataset.tier; }')).toBe('basic');
    expect(await card.text('tier-note')).toBe(
      'Basic record: names, class and route from public datasets only. We have not written a reviewed summary for this medicine yet.',
    );
    expect(await card.text('side-effects')).toBe('');
    expect(await card.text('urgent')).toBe('');
    expect(await card.text('reviewed-on')).toBe('');
    expect(await card.text('sources')).not.toContain('Last reviewed');
    expect(await card.text('drug-card')).toContain('Not every side effect is listed — read the leaflet in the pack.');
    expect(await card.text('disclaimer')).toContain('supports, not replaces');
  });
});

describe('the patient ↔ student switch', () => {
  it('adds how it works, codes, same-class drugs (each opens its card, with Back) and the classification source; the choice is remembered for the next card and after a reload', async () => {
    const { page, card } = await openPage('card.html', 5);
    await openCard(page, card, '#brand');
    const pressed = 'function () { return [...this.querySelectorAll(".dl-switch button")].map((b) => b.textContent + ":" + b.getAttribute("aria-pressed")); }';
    expect(await card.eval(pressed)).toEqual(['Patient:true', 'Student:false']);
    expect(await card.text('student')).toBe('');

    await card.click('[data-testid=view-student]');
    await expect.poll(() => card.eval(pressed)).toEqual(['Patient:false', 'Student:true']);
    const im = expectedCard('imatinib');
    const student = await card.text('student');
    expect(student).toContain(`Target: ${im.target}`);
    expect(student).toContain(im.mechanism!);
    expect(await card.text('codes')).toBe(`Codes: ${im.codes.join(', ')}`);
    expect(await card.eval('function () { return [...this.querySelectorAll("[data-testid=siblings] button")].map((b) => b.textContent); }')).toEqual(im.siblings.map((s) => s.name));
    expect(await card.text('class-source')).toBe(`Classification from: ${im.classSource}`);
    // Student content sits after the class and before the route.
    const outline = await cardOutline(card);
    expect(outline.indexOf('drug-class')).toBeLessThan(outline.indexOf('student'));
    expect(outline.indexOf('student')).toBeLessThan(outline.indexOf('route'));
    await expect.poll(async () => (await storedSettings())?.view).toBe('student');

    await card.click('[data-testid=close]');
    await card.waitClosed();

    // Another mark: still the student view.
    await openCard(page, card, '#fuzzy');
    expect(await card.text('drug-name')).toBe('Ponatinib');
    expect(await card.eval(pressed)).toEqual(['Patient:false', 'Student:true']);
    const po = expectedCard('ponatinib');
    expect(await card.text('student')).toContain(`Target: ${po.target}`);
    expect(await card.text('back')).toBe('');

    // A drug in the same class opens its own card; Back returns.
    const sib = po.siblings.find((s) => s.id === 'dasatinib') ?? po.siblings[0];
    await clickButtonInCard(page, card, sib.name);
    await expect.poll(() => card.text('drug-name')).toBe(sib.name);
    // The new card starts at its top, with its name and the Back button in view.
    expect(await card.eval('function () { return this.querySelector(".dl-popover").scrollTop; }')).toBe(0);
    expect(await card.text('back')).toBe('←');
    expect(await card.eval('function () { return this.querySelector("[data-testid=back]").getAttribute("aria-label"); }')).toBe('Back');
    expect(await card.eval(pressed)).toEqual(['Patient:false', 'Student:true']);
    expect(await card.hasFocus()).toBe(true);
    await card.click('[data-testid=back]');
    await expect.poll(() => card.text('drug-name')).toBe('Ponatinib');
    expect(await card.eval('function () { return this.querySelector(".dl-popover").scrollTop; }')).toBe(0);
    expect(await card.text('back')).toBe('');
    expect(await card.text('matched')).toBe('“ponatinob” — did you mean Ponatinib?');

    // After a reload: still student.
    await page.keyboard.press('Escape');
    await card.waitClosed();
    await page.reload();
    await marksOn(page, 5);
    await openCard(page, card, '#effects');
    expect(await card.text('drug-name')).toBe('Imatinib');
    expect(await card.eval(pressed)).toEqual(['Patient:false', 'Student:true']);
    expect(await card.text('student')).toContain('How it works');

    // And back to patient, remembered too.
    await card.click('[data-testid=view-patient]');
    await expect.poll(() => card.eval(pressed)).toEqual(['Patient:true', 'Student:false']);
    expect(await card.text('student')).toBe('');
    await expect.poll(async () => (await storedSettings())?.view).toBe('patient');
    await page.close();
  });
});

describe('the context-menu lookup (the message the background sends for “Look up … in Drug Lens”)', () => {
  /** Sends showCard exactly as entrypoints/background.ts does, from the service worker. */
  async function showCard(tabId: number, text: string) {
    const card = lookup.byName(text) ?? lookup.guessByStem(text);
    return swEval(
      ([tab, message]) =>
        new Promise((resolve) => chrome.tabs.sendMessage(tab, message, { frameId: 0 }, (r) => resolve(r))),
      [tabId, { id: 4242, type: 'showCard', data: { text, card }, timestamp: Date.now() }] as const,
    );
  }

  async function selectionRect(page: Page): Promise<Rect> {
    return page.evaluate(() => {
      const r = document.getSelection()!.getRangeAt(0).getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
  }

  it('shows a “likely class, from its name” card beside a selected drug-like word, the card for a known name, and a not-found notice', async () => {
    const { page, card, errors } = await openPage('selection.html', 1);
    const tabId = await tabIdOf(page);

    // A word selected with the mouse (double-click), as before the context menu.
    const word = await page.evaluate(() => {
      const t = document.querySelector('#stem')!.firstChild as Text;
      const i = t.data.indexOf('zorbatinib');
      const r = document.createRange();
      r.setStart(t, i);
      r.setEnd(t, i + 'zorbatinib'.length);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    });
    await page.mouse.dblclick(word.x, word.y);
    expect(await page.evaluate(() => document.getSelection()!.toString())).toBe('zorbatinib');
    expect(await showCard(tabId, 'zorbatinib')).toEqual({ res: true });
    await card.waitOpen();
    expect(await card.eval('function () { return this.querySelector("[data-testid=drug-card]").dataset.tier; }')).toBe('stem');
    expect(await card.text('drug-name')).toBe('Zorbatinib');
    expect(await card.text('matched')).toBe('“zorbatinib” — not in our list of medicines');
    const note = await card.text('tier-note');
    expect(note).toContain('Likely class, from its name ending “-tinib”');
    expect(note).toContain('a guess from the naming rules for medicines, not a record');
    expect(await card.text('drug-class')).toContain('Tyrosine kinase inhibitor (TKI)');
    expect(await card.text('reviewed-on')).toBe('');
    expect(await card.text('urgent')).toBe('');
    expect(await card.text('disclaimer')).toContain('supports, not replaces');
    expect(await card.eval('function () { const d = this.querySelector("[role=dialog]"); return this.getElementById(d.getAttribute("aria-labelledby")).textContent; }')).toBe('Zorbatinib');
    expectBeside(await stableRect(card, page), await selectionRect(page));
    await page.keyboard.press('Escape');
    await card.waitClosed();

    // A known brand name.
    await page.evaluate(() => {
      const m = document.querySelector('#known druglens-mark')!;
      const r = document.createRange();
      r.selectNodeContents(m);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(r);
    });
    expect(await showCard(tabId, 'Gleevec')).toEqual({ res: true });
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Imatinib');
    expect(await card.text('matched')).toBe('“Gleevec” — brand name of Imatinib');
    expect(await card.text('reviewed-on')).toMatch(/^Last reviewed: \d{4}-\d{2}-\d{2}$/);
    expectBeside(await stableRect(card, page), await selectionRect(page));
    await page.keyboard.press('Escape');
    await card.waitClosed();

    // A word that is neither known nor drug-like.
    const other = await page.evaluate(() => {
      const t = document.querySelector('#unknown')!.firstChild as Text;
      const i = t.data.indexOf('xyzzyqq');
      const r = document.createRange();
      r.setStart(t, i);
      r.setEnd(t, i + 7);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    });
    await page.mouse.dblclick(other.x, other.y);
    expect(await showCard(tabId, 'xyzzyqq')).toEqual({ res: true });
    await card.waitOpen();
    expect(await card.text('not-found')).toBe('“xyzzyqq” is not a medicine Drug Lens knows, and its name does not suggest a class. Check the spelling on the box or leaflet.');
    expect(await card.eval('function () { const d = this.querySelector("[role=dialog]"); return this.getElementById(d.getAttribute("aria-labelledby")).textContent; }')).toBe('Not found');
    expectBeside(await stableRect(card, page), await selectionRect(page));
    await card.click('[data-testid=close]');
    await card.waitClosed();
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('keyboard only', () => {
  it('Tab reaches each mark (a button with a label), Enter and Space open the labelled dialog, focus moves in, Tab walks its controls, Esc closes and focus returns', async () => {
    const { page, card } = await openPage('card.html', 5);
    await page.waitForFunction(() => !!document.querySelector('#fuzzy druglens-mark[data-fuzzy]'), null, { timeout: 20_000 });
    const active = () =>
      page.evaluate(() => {
        const el = document.activeElement!;
        return { tag: el.localName, text: el.textContent, role: el.getAttribute('role'), label: el.getAttribute('aria-label'), popup: el.getAttribute('aria-haspopup') };
      });
    await page.keyboard.press('Tab');
    expect(await active()).toEqual({ tag: 'druglens-mark', text: 'Glivec', role: 'button', label: 'Glivec: drug information', popup: 'dialog' });
    await page.keyboard.press('Tab');
    expect(await active()).toEqual({ tag: 'druglens-mark', text: 'ponatinob', role: 'button', label: 'ponatinob: did you mean Ponatinib? Drug information', popup: 'dialog' });
    await page.keyboard.press('Shift+Tab');
    expect((await active()).text).toBe('Glivec');

    // Enter opens; the dialog is labelled by the drug's name; focus is inside.
    await page.keyboard.press('Enter');
    await card.waitOpen();
    expect(await card.eval('function () { const d = this.querySelector(".dl-popover"); return { role: d.getAttribute("role"), name: this.getElementById(d.getAttribute("aria-labelledby")).textContent }; }')).toEqual({
      role: 'dialog',
      name: 'Imatinib',
    });
    await expect.poll(() => focusedInCard(card)).toBe('popover');
    expect(await page.evaluate(() => document.activeElement!.localName)).toBe('druglens-card');

    // Tab walks the card's own controls, in order.
    const walk: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      walk.push(await focusedInCard(card));
    }
    expect(walk).toEqual(['view-patient', 'view-student', 'pin', 'close', 'button:What do the words mean?']);
    // Operate them: the legend by Enter, a side effect by Space, the student view by Space.
    await page.keyboard.press('Enter');
    await expect.poll(() => card.text('legend')).toContain(FREQUENCY_LEGEND['very-common']);
    await page.keyboard.press('Tab');
    expect(await focusedInCard(card)).toMatch(/^summary:/);
    await page.keyboard.press('Space');
    await expect.poll(() => card.eval('function () { return this.querySelector(".dl-effects details").open; }')).toBe(true);
    const back: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      back.push(await focusedInCard(card));
    }
    expect(back).toEqual(['button:What do the words mean?', 'close', 'pin', 'view-student']);
    await page.keyboard.press('Space');
    await expect.poll(() => card.text('student')).toContain('How it works');
    expect(await focusedInCard(card)).toBe('view-student');

    // Esc closes; focus is back on the mark.
    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(await active()).toMatchObject({ tag: 'druglens-mark', text: 'Glivec' });

    // Space opens too (and does not scroll the page).
    await page.keyboard.press('Tab');
    expect((await active()).text).toBe('ponatinob');
    const y0 = await page.evaluate(() => window.scrollY);
    await page.keyboard.press('Space');
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Ponatinib');
    expect(await card.text('student')).toContain('How it works');
    expect(await page.evaluate(() => window.scrollY)).toBe(y0);
    await expect.poll(() => focusedInCard(card)).toBe('popover');

    // Into a same-class drug and back, by keyboard.
    const sib = expectedCard('ponatinib').siblings[0];
    for (let i = 0; i < 40 && (await focusedInCard(card)) !== `button:${sib.name}`; i++) await page.keyboard.press('Tab');
    expect(await focusedInCard(card)).toBe(`button:${sib.name}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => card.text('drug-name')).toBe(sib.name);
    await expect.poll(() => focusedInCard(card)).toBe('popover');
    await page.keyboard.press('Tab');
    expect(await focusedInCard(card)).toBe('back');
    await page.keyboard.press('Enter');
    await expect.poll(() => card.text('drug-name')).toBe('Ponatinib');

    // Close by keyboard: the close button.
    for (let i = 0; i < 6 && (await focusedInCard(card)) !== 'close'; i++) await page.keyboard.press('Tab');
    expect(await focusedInCard(card)).toBe('close');
    await page.keyboard.press('Enter');
    await card.waitClosed();
    expect(await active()).toMatchObject({ tag: 'druglens-mark', text: 'ponatinob' });
    await page.close();
  });
});

describe('pin', () => {
  it('an unpinned card follows its mark and closes on a click outside; a pinned card stays open and in place while the page scrolls and after a click outside', async () => {
    const { page, card } = await cardPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openCard(page, card, '#brand');
    const start = await stableRect(card, page);
    const m0 = (await mark(page, '#brand').boundingBox())!;
    expectBeside(start, m0);

    // Unpinned: scrolling a little keeps it beside its mark.
    await page.mouse.move(700, 400);
    await page.mouse.wheel(0, 40);
    await page.waitForFunction(() => scrollY >= 40);
    const moved = await stableRect(card, page);
    const m1 = (await mark(page, '#brand').boundingBox())!;
    expect(m1.y).toBeLessThan(m0.y - 30);
    expectBeside(moved, m1);
    expect(moved.y).toBeLessThan(start.y - 30);

    await card.click('[data-testid=pin]');
    const pinState = 'function () { const b = this.querySelector("[data-testid=pin]"); return b.textContent + ":" + b.getAttribute("aria-pressed"); }';
    await expect.poll(() => card.eval(pinState)).toBe('Pinned:true');
    const pinned = await stableRect(card, page);

    await page.mouse.move(700, 400);
    await page.mouse.wheel(0, 900);
    await page.waitForFunction(() => scrollY >= 800);
    await page.waitForTimeout(300);
    expect(await card.isOpen()).toBe(true);
    expect(await stableRect(card, page)).toEqual(pinned);

    await page.mouse.click(960, 650);
    await page.waitForTimeout(300);
    expect(await card.isOpen()).toBe(true);
    expect(await stableRect(card, page)).toEqual(pinned);

    // Unpinned again: the next click outside closes it.
    await card.click('[data-testid=pin]');
    await expect.poll(() => card.eval(pinState)).toBe('Pin:false');
    await page.mouse.click(960, 650);
    await card.waitClosed();
  });
});

describe('positioning', () => {
  const corners: [string, 'below' | 'above'][] = [
    ['#tl', 'below'],
    ['#tr', 'below'],
    ['#bl', 'above'],
    ['#br', 'above'],
    ['#mid', 'below'],
  ];
  /** One tab with a mark near each edge, resized for each window size. */
  let edges: { page: Page; card: CardReader } | undefined;
  async function edgesPage(vp: { width: number; height: number }) {
    edges ??= await openPage('edges.html', 5, vp);
    await edges.page.setViewportSize(vp);
    await edges.page.bringToFront();
    await edges.page.emulateMedia({ reducedMotion: 'reduce' });
    return edges;
  }
  afterAll(async () => {
    await edges?.page.close();
  });

  async function expectPlaced(page: Page, card: CardReader, where: string, vp: { width: number; height: number }, side?: 'below' | 'above') {
    const r = await stableRect(card, page);
    const m = (await mark(page, where).boundingBox())!;
    expectInViewport(r, vp);
    expectBeside(r, m);
    if (side === 'below') expect(r.y).toBeGreaterThanOrEqual(m.y + m.height);
    if (side === 'above') expect(r.y + r.height).toBeLessThanOrEqual(m.y);
    expect(r.width).toBeLessThanOrEqual(Math.min(400, vp.width - 16));
    expect(r.x).toBeGreaterThanOrEqual(8 - 0.5);
    expect(r.x + r.width).toBeLessThanOrEqual(vp.width - 8 + 0.5);
    // Nothing scrolls sideways because of the card.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  }

  for (const vp of [
    { width: 1000, height: 700 },
    { width: 360, height: 640 },
  ]) {
    it(`places the card beside its mark and inside a ${vp.width}×${vp.height} window, flipping and shifting at each edge`, async () => {
      const { page, card } = await edgesPage(vp);
      for (const [where, side] of corners) {
        await openCard(page, card, where);
        await expectPlaced(page, card, where, vp, side);
        await page.keyboard.press('Escape');
        await card.waitClosed();
      }
    });
  }

  it('moves an open card back inside when the window narrows', async () => {
    const wide = { width: 1000, height: 700 };
    const narrow = { width: 360, height: 640 };
    const { page, card } = await edgesPage(wide);
    await openCard(page, card, '#tr');
    await expectPlaced(page, card, '#tr', wide, 'below');
    await page.setViewportSize(narrow);
    await expectPlaced(page, card, '#tr', narrow, 'below');
    await page.keyboard.press('Escape');
    await card.waitClosed();
  });
});

describe('looks', () => {
  const fontSizes = 'function () { return [".dl-root", ".dl-name", ".dl-matched"].map((s) => parseFloat(getComputedStyle(this.querySelector(s)).fontSize)); }';
  const LIGHT = 'rgb(255, 255, 255)';
  const DARK = 'rgb(30, 34, 39)';

  it('follows the system colour scheme, and the theme setting overrides it', async () => {
    const { page, card } = await cardPage();
    const bgWith = async (scheme: 'light' | 'dark') => {
      await page.emulateMedia({ colorScheme: scheme });
      await openCard(page, card, '#brand');
      const v = await card.eval<string>(bgOf);
      await page.keyboard.press('Escape');
      await card.waitClosed();
      return v;
    };
    expect(await bgWith('light')).toBe(LIGHT);
    expect(await bgWith('dark')).toBe(DARK);
    await setSettings({ theme: 'light' });
    await expect.poll(async () => (await storedSettings())?.theme).toBe('light');
    await page.waitForTimeout(200);
    expect(await bgWith('dark')).toBe(LIGHT);
    await setSettings({ theme: 'dark' });
    await page.waitForTimeout(200);
    expect(await bgWith('light')).toBe(DARK);
    // Text stays readable in dark: light text on the dark card.
    await openCard(page, card, '#brand');
    expect(await card.eval('function () { return getComputedStyle(this.querySelector(".dl-name")).color; }')).toBe('rgb(230, 237, 243)');
  });

  it('has its own font size, unchanged by the page (html { font-size: 10px } or 30px), and the text-size setting scales it', async () => {
    const sizes: number[][] = [];
    const widths: number[] = [];
    const pages: Page[] = [];
    for (const name of ['root-10.html', 'root-30.html']) {
      const { page, card } = await openPage(name, 1);
      pages.push(page);
      await openCard(page, card, '#p');
      sizes.push((await card.eval<number[]>(fontSizes))!);
      widths.push((await stableRect(card, page)).width);
      await page.keyboard.press('Escape');
      await card.waitClosed();
    }
    // The page's own root sizes differ threefold; the card's do not.
    expect(await pages[1].evaluate(() => parseFloat(getComputedStyle(document.querySelector('#p')!).fontSize))).toBe(48);
    expect(await pages[0].evaluate(() => parseFloat(getComputedStyle(document.querySelector('#p')!).fontSize))).toBe(16);
    expect(sizes[0]).toEqual([14, 19, 12.5]);
    expect(sizes[1]).toEqual(sizes[0]);
    expect(widths[1]).toBe(widths[0]);

    await setSettings({ fontScale: 1.4 });
    await expect.poll(async () => (await storedSettings())?.fontScale).toBe(1.4);
    for (const page of pages) {
      const card = new CardReader(page);
      await page.waitForTimeout(200);
      await openCard(page, card, '#p');
      const scaled = (await card.eval<number[]>(fontSizes))!;
      expect(scaled[0]).toBeCloseTo(19.6, 1);
      expect(scaled[1]).toBeCloseTo(26.6, 1);
      expect(scaled[2]).toBeCloseTo(17.5, 1);
      await page.close();
    }
  });

  it('does not animate with reduced motion, and renders in forced-colours mode', async () => {
    const { page, card, errors } = await cardPage();
    const anim = 'function () { return getComputedStyle(this.querySelector(".dl-popover")).animationName; }';
    await openCard(page, card, '#brand');
    expect(await card.eval(anim)).toBe('dl-in');
    await page.keyboard.press('Escape');
    await card.waitClosed();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openCard(page, card, '#brand');
    expect(await card.eval(anim)).toBe('none');
    await page.keyboard.press('Escape');
    await card.waitClosed();

    await page.emulateMedia({ reducedMotion: 'reduce', forcedColors: 'active' });
    expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
    expect(await mark(page, '#brand').evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('underline');
    await openCard(page, card, '#fuzzy');
    expect(await card.text('drug-name')).toBe('Ponatinib');
    expect(await card.text('urgent')).toContain(URGENCY_LABEL.emergency);
    // The card and each urgent level keep a visible border in the system's text colour.
    const look = await card.eval<{ border: string; levelBorder: string; canvasText: string; visible: boolean }>(`function () {
      const p = getComputedStyle(this.querySelector('.dl-popover'));
      const l = getComputedStyle(this.querySelector('.dl-level'));
      const probe = document.createElement('span');
      probe.style.color = 'CanvasText';
      this.querySelector('.dl-card').appendChild(probe);
      const canvasText = getComputedStyle(probe).color;
      probe.remove();
      const r = this.querySelector('.dl-popover').getBoundingClientRect();
      return {
        border: p.borderTopWidth + ' ' + p.borderTopStyle + ' ' + p.borderTopColor,
        levelBorder: l.borderTopWidth + ' ' + l.borderTopStyle + ' ' + l.borderTopColor,
        canvasText,
        visible: r.width > 0 && r.height > 0,
      };
    }`);
    expect(look).toEqual({ border: `1px solid ${look!.canvasText}`, levelBorder: `1px solid ${look!.canvasText}`, canvasText: look!.canvasText, visible: true });
    await card.click('[data-testid=view-student]');
    await expect.poll(() => card.text('student')).toContain('How it works');
    expect(errors).toEqual([]);
  });

  it('shifts nothing on the page: every element and every character is where it was before the marks (and with a card open)', async () => {
    await setSettings({ enabled: false });
    const page = await ext.context.newPage();
    await page.goto(fixture('layout.html'));
    await page.waitForTimeout(1500);
    expect(await page.locator('druglens-mark').count()).toBe(0);
    const measure = () =>
      page.evaluate(() => {
        const els = [...document.querySelectorAll('body *')].filter((e) => e.localName !== 'druglens-mark' && e.localName !== 'druglens-card');
        els.forEach((e, i) => ((e as HTMLElement).dataset.i ??= String(i)));
        const boxes = els.map((e) => {
          const r = e.getBoundingClientRect();
          return [(e as HTMLElement).dataset.i, r.x, r.y, r.width, r.height].join(' ');
        });
        const chars: number[][] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
          for (let i = 0; i < t.data.length; i++) {
            if (/\s/.test(t.data[i])) continue;
            range.setStart(t, i);
            range.setEnd(t, i + 1);
            const r = range.getBoundingClientRect();
            chars.push([r.x, r.y, r.width, r.height]);
          }
        }
        return { boxes, chars, size: [document.documentElement.scrollWidth, document.documentElement.scrollHeight] };
      });
    const before = await measure();
    expect(before.chars.length).toBeGreaterThan(500);

    await setSettings({ enabled: true });
    await marksOn(page, 20);
    // Until the highlighter has marked the whole page.
    let count = -1;
    for (let n = await page.locator('druglens-mark').count(); n !== count; n = await page.locator('druglens-mark').count()) {
      count = n;
      await page.waitForTimeout(700);
    }
    const texts = await page.locator('druglens-mark').allTextContents();
    expect(texts).toContain('Glivec');
    expect(texts).toContain('tisagenlecleucel');
    const after = await measure();
    const close = (a: { boxes: string[]; chars: number[][]; size: number[] }, b: typeof a) => {
      expect(b.size).toEqual(a.size);
      expect(b.boxes.length).toBe(a.boxes.length);
      for (let i = 0; i < a.boxes.length; i++) {
        const [ia, ...ra] = a.boxes[i].split(' ');
        const [ib, ...rb] = b.boxes[i].split(' ');
        expect(ib).toBe(ia);
        ra.forEach((v, k) => expect(Math.abs(Number(v) - Number(rb[k])), `element ${ia}`).toBeLessThanOrEqual(1));
      }
      expect(b.chars.length).toBe(a.chars.length);
      for (let i = 0; i < a.chars.length; i++) a.chars[i].forEach((v, k) => expect(Math.abs(v - b.chars[i][k]), `character ${i}`).toBeLessThanOrEqual(1));
    };
    close(before, after);

    const card = new CardReader(page);
    await openCard(page, card, '#p1');
    close(before, await measure());
    await page.close();
  });

  it('loads no remote images or fonts: the card has none, and the browser asked nothing of any other host', async () => {
    const { page, card } = await cardPage();
    await openCard(page, card, '#brand');
    const remote = await card.eval<{ elements: number; css: string[] }>(`function () {
      const css = [...this.querySelectorAll('style')].map((s) => s.textContent).join('\\n');
      return {
        elements: this.querySelectorAll('img, link, iframe, object, embed, video, audio, picture, source').length,
        css: (css.match(/url\\(|@import|@font-face/g) || []),
      };
    }`);
    expect(remote).toEqual({ elements: 0, css: [] });
    expect(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => !u.startsWith(location.origin)))).toEqual([]);
    expect(ext.foreignRequests()).toEqual([]);
  });
});

describe('the toolbar popup', () => {
  const popupUrl = (tabId: number) => `chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`;

  async function openPopup(tabId: number): Promise<Page> {
    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 400, height: 700 });
    await popup.goto(popupUrl(tabId));
    await popup.getByTestId('search').waitFor();
    return popup;
  }

  /** The page the popup is opened for (one tab for all popup tests), and its tab id. */
  let fx: { page: Page; card: CardReader; errors: string[]; tabId: number };
  beforeAll(async () => {
    const { page, card, errors } = await openPage('popup.html', 7);
    fx = { page, card, errors, tabId: await tabIdOf(page) };
  });
  afterAll(async () => {
    expect(fx.errors).toEqual([]);
    await fx.page.close();
  });
  const popupFixture = async () => {
    await fx.page.evaluate(() => scrollTo(0, 0));
    return fx;
  };

  const badge = (tabId: number) => swEval((id) => chrome.action.getBadgeText({ tabId: id }), tabId);

  it('searches by generic, brand or code name, typo-tolerant, with suggestions as you type, by keyboard alone', async () => {
    const { page, tabId } = await popupFixture();
    const popup = await openPopup(tabId);
    const errors = watchErrors(popup);
    expect(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search');
    const search = popup.getByTestId('search');
    const options = () => popup.locator('[role=option]').allTextContents();

    // Suggestions as you type.
    await popup.keyboard.type('glee');
    await expect.poll(options).toContain('Gleevec — brand name of Imatinib');
    expect(await search.getAttribute('aria-expanded')).toBe('true');
    await popup.keyboard.press('ArrowDown');
    expect(await search.getAttribute('aria-activedescendant')).toBe('pp-s-0');
    expect(await popup.locator('#pp-s-0').getAttribute('aria-selected')).toBe('true');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByTestId('drug-name').textContent()).toBe('Imatinib');
    expect(await popup.getByTestId('matched').textContent()).toBe('“Gleevec” — brand name of Imatinib');
    expect(await search.getAttribute('aria-expanded')).toBe('false');

    // A typo: a suggestion that says what it means, then its card.
    await search.press('Control+a');
    await popup.keyboard.type('dasatanib');
    await expect.poll(options).toEqual(['dasatanib — did you mean Dasatinib']);
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByTestId('drug-name').textContent()).toBe('Dasatinib');
    expect(await popup.getByTestId('matched').textContent()).toBe('“dasatanib” — misspelling of Dasatinib');

    // Enter without choosing a suggestion looks up what was typed.
    await search.press('Control+a');
    await popup.keyboard.type('acetominophen');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByTestId('drug-name').textContent()).toBe('Paracetamol');
    expect(await popup.getByTestId('matched').textContent()).toBe('“acetominophen” — misspelling of Paracetamol');

    // A development code, and Escape closes the suggestions.
    await search.press('Control+a');
    await popup.keyboard.type('STI-571');
    await expect.poll(options).toContain('STI-571 — development code of Imatinib');
    await popup.keyboard.press('Escape');
    expect(await popup.locator('[role=option]').count()).toBe(0);
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByTestId('drug-name').textContent()).toBe('Imatinib');

    // A fuzzy one-edit typo of a name that is not in the misspelling list.
    await search.press('Control+a');
    await popup.keyboard.type('ponatinob');
    await expect.poll(options).toEqual(['Ponatinib']);
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByTestId('matched').textContent()).toBe('“ponatinob” — did you mean Ponatinib?');

    // The card in the popup is operable by keyboard: Tab from the search box to the student switch.
    await search.focus();
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('view-patient');
    await popup.keyboard.press('Tab');
    await popup.keyboard.press('Space');
    await popup.getByTestId('student').waitFor();
    await expect.poll(async () => (await storedSettings())?.view).toBe('student');

    await search.press('Control+a');
    await popup.keyboard.type('notadrugatall');
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.getByTestId('not-found').textContent()).toBe('No medicine found for “notadrugatall”. Check the spelling on the box or leaflet.');
    expect(await popup.getByTestId('popup-card').count()).toBe(0);
    expect(errors).toEqual([]);
    await popup.close();
  });

  it('lists the medicines on the page grouped by class and route with counts, links side effects on the page to them, and the badge shows the count', async () => {
    const { page, tabId } = await popupFixture();
    const counts = new Map<string, number>();
    for (const m of await page.locator('druglens-mark[data-druglens]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.drugId!))) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ imatinib: 2, dasatinib: 1, rituximab: 1, paracetamol: 2, blinatumomab: 1 });
    await expect.poll(() => badge(tabId)).toBe(String(counts.size));

    const popup = await openPopup(tabId);
    await popup.getByTestId(`page-drug-imatinib`).waitFor();
    const groups = await popup.locator('.pp-group').evaluateAll((gs) =>
      gs.map((g) => ({
        klass: g.querySelector('h3')!.textContent,
        routes: [...g.querySelectorAll(':scope > div')].map((r) => ({
          route: r.querySelector('p')!.textContent,
          drugs: [...r.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim()),
        })),
      })),
    );
    // Expected from the bundled data: class → route → drugs, each with its count.
    const byClass = new Map<string, Map<string, string[]>>();
    const order = [...counts].map(([id, count]) => ({ card: expectedCard(id), count })).sort((a, b) => b.count - a.count || a.card.name.localeCompare(b.card.name));
    for (const { card, count } of order) {
      const k = card.classes[0]?.name ?? 'Other medicines';
      const r = card.routes[0] ?? 'Route not recorded';
      const routes = byClass.get(k) ?? new Map<string, string[]>();
      routes.set(r, [...(routes.get(r) ?? []), `${card.name} ×${count}`]);
      byClass.set(k, routes);
    }
    const expected = [...byClass]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([klass, routes]) => ({ klass, routes: [...routes].sort(([a], [b]) => a.localeCompare(b)).map(([route, drugs]) => ({ route, drugs })) }));
    expect(groups).toEqual(expected);
    // Imatinib and dasatinib share a class and a route.
    expect(groups.find((g) => g.klass === 'Tyrosine kinase inhibitor (TKI)')?.routes).toEqual([{ route: 'tablet by mouth', drugs: ['Imatinib ×2', 'Dasatinib ×1'] }]);

    // Side effects mentioned on the page, each linked to the drugs on the page that can cause it.
    const effects = await popup.getByTestId('page-effects').locator('li').evaluateAll((lis) =>
      lis.map((li) => ({ effect: li.querySelector('strong')!.textContent, drugs: [...li.querySelectorAll('button')].map((b) => b.textContent) })),
    );
    const causes = (effectId: string) =>
      order.filter(({ card }) => card.common.some((e) => e.id === effectId) || card.urgent.some((e) => e.id === effectId)).map(({ card }) => card.name);
    expect(effects).toEqual([
      { effect: 'Diarrhoea', drugs: causes('diarrhoea') },
      { effect: 'Infection and fever', drugs: causes('infection') },
    ]);
    expect(causes('diarrhoea')).toContain('Imatinib');
    expect(causes('infection')).toContain('Imatinib');
    await popup.getByTestId('page-effects').getByRole('button', { name: 'Imatinib' }).first().click();
    await expect.poll(() => popup.getByTestId('drug-name').textContent()).toBe('Imatinib');
    await popup.close();
  });

  it('clicking a medicine on the page scrolls the page to it and opens its card', async () => {
    const { page, card, tabId } = await popupFixture();
    expect(await page.evaluate(() => scrollY)).toBe(0);
    const popup = await openPopup(tabId);
    const closed = new Promise((r) => popup.once('close', r));
    await popup.getByTestId('page-drug-blinatumomab').click();
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Blinatumomab');
    const far = mark(page, '#far');
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(1000);
    const m = (await far.boundingBox())!;
    const vp = page.viewportSize()!;
    expect(m.y).toBeGreaterThan(0);
    expect(m.y + m.height).toBeLessThan(vp.height);
    await page.bringToFront();
    const r = await stableRect(card, page);
    expectBeside(r, (await far.boundingBox())!);
    expectInViewport(r, vp);
    // Focus is in the card, and goes back to the mark it belongs to when it closes.
    expect(await card.hasFocus()).toBe(true);
    // The popup closes itself once the card is open.
    await closed;
    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(await far.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('"Off for this site" and "Off everywhere" remove every mark from the open page (and the badge count), and turning back on restores them', async () => {
    const { page, tabId } = await popupFixture();
    const marks = () => page.locator('druglens-mark').count();
    const before = await marks();
    expect(before).toBe(7);
    await expect.poll(() => badge(tabId)).toBe('5');

    const popup = await openPopup(tabId);
    const site = popup.getByTestId('toggle-site');
    await site.waitFor();
    expect(await popup.getByText('Off for 127.0.0.1').count()).toBe(1);
    expect(await site.isChecked()).toBe(false);
    // By keyboard: Tab to the checkbox, Space.
    await popup.getByTestId('search').focus();
    for (let i = 0; i < 40 && !(await site.evaluate((el) => el === document.activeElement)); i++) await popup.keyboard.press('Tab');
    await popup.keyboard.press('Space');
    await expect.poll(async () => (await storedSettings())?.disabledSites).toEqual(['127.0.0.1']);
    await expect.poll(marks).toBe(0);
    expect(await page.evaluate(() => document.body.innerHTML.includes('druglens'))).toBe(false);
    await expect.poll(() => badge(tabId)).toBe('');
    expect(await site.isChecked()).toBe(true);

    await popup.keyboard.press('Space');
    await expect.poll(async () => (await storedSettings())?.disabledSites).toEqual([]);
    await expect.poll(marks).toBe(before);
    await expect.poll(() => badge(tabId)).toBe('5');

    const all = popup.getByTestId('toggle-all');
    await all.check();
    await expect.poll(async () => (await storedSettings())?.enabled).toBe(false);
    await expect.poll(marks).toBe(0);
    await expect.poll(() => badge(tabId)).toBe('');
    await all.uncheck();
    await expect.poll(async () => (await storedSettings())?.enabled).toBe(true);
    await expect.poll(marks).toBe(before);
    await expect.poll(() => badge(tabId)).toBe('5');
    await popup.close();
  });

  it('axe-core: the card — checked as rendered by the same DrugCard component and card CSS in the popup, since the in-page card is in a closed shadow root — and the popup have no violations, light and dark, patient and student', async () => {
    const { page, tabId } = await popupFixture();
    const popup = await openPopup(tabId);
    await popup.getByTestId('page-drug-imatinib').waitFor();
    // A card with every section: urgent levels, legend open, one side effect open.
    await popup.getByTestId('search').fill('ponatinib');
    await popup.getByTestId('search').press('Enter');
    await expect.poll(() => popup.getByTestId('drug-name').textContent()).toBe('Ponatinib');
    await popup.locator('.dl-legend-toggle').click();
    await popup.locator('.dl-effects summary').first().click();
    // The popup's card is the same component with the same stylesheet (components/card.css) as the in-page card.
    const cardRules = await popup.evaluate(() =>
      [...document.styleSheets].flatMap((s) => [...s.cssRules]).map((r) => (r as CSSStyleRule).selectorText).filter((t) => t === '.dl-popover' || t === '.dl-card h2' || t === '.dl-level-emergency'),
    );
    expect(cardRules.sort()).toEqual(['.dl-card h2', '.dl-level-emergency', '.dl-popover']);
    expect(await runAxe(popup)).toEqual([]);

    await popup.getByTestId('view-student').click();
    await popup.getByTestId('student').waitFor();
    expect(await runAxe(popup)).toEqual([]);

    await setSettings({ theme: 'dark' });
    await popup.reload();
    await popup.getByTestId('page-drug-imatinib').waitFor();
    expect(await popup.locator('.dl-root').first().getAttribute('data-theme')).toBe('dark');
    await popup.getByTestId('search').fill('Glivec');
    await popup.getByTestId('search').press('Enter');
    await popup.getByTestId('student').waitFor();
    await popup.locator('.dl-legend-toggle').click();
    expect(await runAxe(popup)).toEqual([]);

    // A class-level record (with its tier note), and the not-found notice.
    await popup.getByTestId('search').fill('abemaciclib');
    await popup.getByTestId('search').press('Enter');
    await popup.getByTestId('tier-note').waitFor();
    expect(await runAxe(popup)).toEqual([]);
    await popup.getByTestId('search').fill('notadrugatall');
    await popup.getByTestId('search').press('Enter');
    await popup.getByTestId('not-found').waitFor();
    expect(await runAxe(popup, { include: [['[data-testid=not-found]']] })).toEqual([]);
    await popup.close();

    // The marks on a page: buttons with names, nothing else wrong with them.
    expect(await runAxe(page, { include: [['druglens-mark']] })).toEqual([]);
  });
});

describe('README screenshots', () => {
  it('writes card-light.png, card-dark.png (the demo page with a card open), popup.png and options.png', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const demo = await ext.context.newPage();
    await demo.setViewportSize({ width: 1100, height: 760 });
    await demo.emulateMedia({ reducedMotion: 'reduce' });
    await demo.goto(`${server.origin}/demo/targeted-drugs-all.html`);
    await marksOn(demo, 10);
    const card = new CardReader(demo);
    for (const scheme of ['light', 'dark'] as const) {
      await demo.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      const glivec = demo.locator('druglens-mark[data-druglens]', { hasText: 'Glivec' }).first();
      await glivec.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await demo.evaluate(() => scrollBy(0, -120));
      await glivec.click();
      await card.waitOpen();
      await stableRect(card, demo);
      expect(await card.eval(bgOf)).toBe(scheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(30, 34, 39)');
      const file = path.join(SHOTS, `card-${scheme}.png`);
      await demo.screenshot({ path: file });
      expect(fs.statSync(file).size).toBeGreaterThan(20_000);
      await demo.keyboard.press('Escape');
      await card.waitClosed();
    }
    await demo.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await demo.evaluate(() => scrollTo(0, 0));
    const tabId = await tabIdOf(demo);

    const popup = await ext.context.newPage();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    await popup.getByTestId('page-drug-imatinib').waitFor();
    await popup.getByTestId('search').fill('gleev');
    await popup.getByTestId('suggestions').getByText('Gleevec').waitFor();
    await popup.getByTestId('search').press('Escape');
    await popup.getByTestId('search').fill('');
    await popup.getByTestId('search').focus();
    const popupFile = path.join(SHOTS, 'popup.png');
    await popup.screenshot({ path: popupFile, fullPage: true });
    expect(fs.statSync(popupFile).size).toBeGreaterThan(10_000);
    await popup.close();

    const options = await ext.context.newPage();
    await options.setViewportSize({ width: 900, height: 900 });
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.getByLabel('Text size').waitFor();
    const optionsFile = path.join(SHOTS, 'options.png');
    await options.screenshot({ path: optionsFile, fullPage: true });
    expect(fs.statSync(optionsFile).size).toBeGreaterThan(10_000);
    await options.close();
    await demo.close();
  });
});

describe('privacy', () => {
  it('sent no request anywhere but the fixture server and the extension', () => {
    expect(ext.requests.length).toBeGreaterThan(0);
    expect(ext.foreignRequests()).toEqual([]);
  });
});
