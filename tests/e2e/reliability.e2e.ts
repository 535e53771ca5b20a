/**
 * "Never break a page": every fixture under tests/fixtures/pages/reliability/ is loaded
 * twice in the same Chromium build, once without the extension (the baseline) and once
 * with it, and for each one:
 *
 *   - 0 page errors and 0 console errors (with and without the extension);
 *   - the marks are exactly the ones the fixture declares (per frame, open shadow roots included);
 *   - the page's text equals the baseline's, and framework apps render exactly what they
 *     meant to after every update;
 *   - form values and editable markup equal the baseline's and hold nothing of ours;
 *   - no page element moves by more than 1 px;
 *   - switching the site off undoes everything: the structural serialisation of every
 *     frame equals the baseline's, and the Text objects are the page's own;
 *   - switching it on again marks the page again;
 *
 * then the fixture's own behaviour is exercised (re-renders, typing, submits, scrolling,
 * route changes, clicks, the page's own DOM surgery).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { CardReader, launchExtension, startServer, watchErrors, type Ext, type Server } from './harness';
import {
  allMarks,
  buildFixtureApps,
  CAPTURE_TEXT_NODES,
  CARD_METRICS_FN,
  formState,
  frameMarks,
  highlighterStarted,
  launchBaseline,
  layoutDiff,
  layoutRects,
  nodeCounts,
  pageText,
  readExpect,
  sameTextObjects,
  setSettings,
  structure,
  until,
  waitReady,
  type Expectation,
} from './reliability-helpers';
import PAGE_NAMES from '../../data/generated/names.json';

let server: Server;
let ext: Ext;
let base: { context: BrowserContext; close(): Promise<void> };
const report: string[] = [];

beforeAll(async () => {
  await buildFixtureApps();
  server = await startServer();
  const [e, b] = await Promise.all([launchExtension(), launchBaseline()]);
  ext = e;
  base = { context: b.context, close: () => b.browser.close() };
  await setSettings(ext, {});
}, 120_000);

afterAll(async () => {
  await ext?.close();
  await base?.close();
  await server?.close();
  if (report.length) console.log(`\nreliability report\n  ${report.join('\n  ')}`);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sites switched off in the extension's settings (as the options page would store them). */
let sitesOff: string[] = [];
async function switchOff(sites: string[]) {
  await setSettings(ext, { disabledSites: sites });
  sitesOff = sites;
}

interface FrameInfo {
  key: string;
  frame: Frame;
  expect: Expectation | null;
}

interface Loaded {
  page: Page;
  errors: string[];
  frames: FrameInfo[];
  /** ms from the start of navigation until every frame had its declared marks. */
  marksMs?: number;
}

interface Ctx {
  page: Page;
  basePage: Page;
  errors: string[];
  baseErrors: string[];
  frames: FrameInfo[];
  baseFrames: FrameInfo[];
  url: string;
  marksMs: number;
}

interface Options {
  query?: () => string;
  /**
   * Check that undo gives back the very same Text objects (pages that never replace
   * their own text nodes); they are captured at DOMContentLoaded by an init script.
   */
  identity?: boolean;
  /** Time allowed for the declared marks to appear. */
  marksTimeout?: number;
  steps?: (ctx: Ctx) => Promise<void>;
}

function frameKey(page: Page, f: Frame): string {
  return f === page.mainFrame() ? 'top' : f.name() || f.url();
}

async function describeFrames(page: Page): Promise<FrameInfo[]> {
  const top = await readExpect(page.mainFrame());
  const out: FrameInfo[] = [];
  for (const frame of page.frames()) {
    const key = frameKey(page, frame);
    const declared = key === 'top' ? top : (top?.frames?.[key] ?? (await readExpect(frame)));
    out.push({ key, frame, expect: declared });
  }
  return out;
}

function lightMarkCount(frame: Frame): Promise<number> {
  return frame.evaluate(() => document.querySelectorAll('druglens-mark[data-druglens]').length).catch(() => -2);
}

/** Our marks in a frame, optionally only those inside `scope`. */
async function scopedMarks(frame: Frame, scope?: string): Promise<string[]> {
  if (!scope) return frameMarks(frame);
  return frame.evaluate(
    (sel) =>
      [...document.querySelectorAll(sel)].flatMap((el) =>
        [...el.querySelectorAll('druglens-mark[data-druglens]')].map((m) => m.textContent ?? ''),
      ),
    scope,
  );
}

/** Waits until a frame has the marks it declares (no-op where the content script cannot run). */
async function waitDeclaredMarks(f: FrameInfo, timeout: number): Promise<void> {
  const want = f.expect?.marks;
  if (!want || f.expect?.runs === false || f.expect?.starts === false) return;
  const scope = f.expect?.scope;
  // Cheap poll first (a native count of the light DOM's marks); the full walk only once it holds still.
  let last = -1;
  await until(async () => {
    const n = await lightMarkCount(f.frame);
    const still = n === last;
    last = n;
    if (!still) return false;
    const have = await scopedMarks(f.frame, scope).catch(() => []);
    if (JSON.stringify(have) !== JSON.stringify(want)) return false;
    return want.length > 0 || highlighterStarted(f.frame);
  }, timeout, 50);
}

async function open(context: BrowserContext, url: string, withExt: boolean, marksTimeout: number, capture: boolean): Promise<Loaded> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  if (capture) await page.addInitScript(CAPTURE_TEXT_NODES);
  const t0 = Date.now();
  await page.goto(url);
  const frames = await describeFrames(page);
  for (const f of frames) await waitReady(f.frame).catch(() => undefined);
  if (!withExt) return { page, errors, frames };
  for (const f of frames) await waitDeclaredMarks(f, marksTimeout);
  const marksMs = Date.now() - t0;
  // Nothing more should arrive.
  await sleep(200);
  return { page, errors, frames, marksMs };
}

async function waitUndone(frame: Frame): Promise<boolean> {
  const gone = await until(async () => (await lightMarkCount(frame)) === 0 && !(await highlighterStarted(frame)), 5000, 50);
  return gone && (await frameMarks(frame).catch(() => ['?'])).length === 0;
}

async function checkFrameMarks(frames: FrameInfo[], label: string): Promise<void> {
  for (const f of frames) {
    if (!f.expect?.marks) continue;
    const scope = f.expect.scope;
    expect(await scopedMarks(f.frame, scope), `${label}: marks in frame "${f.key}"`).toEqual(f.expect.marks);
  }
}

function fixture(file: string, title: string, opts: Options = {}) {
  it(`${file}: ${title}`, async () => {
    const url = `${server.origin}/pages/reliability/${file}${opts.query?.() ?? ''}`;
    const timeout = opts.marksTimeout ?? 5000;
    const capture = opts.identity !== false;
    const [b, x] = await Promise.all([open(base.context, url, false, timeout, capture), open(ext.context, url, true, timeout, capture)]);
    try {
      // The fixture itself is sound: declared expectations, no errors without the extension.
      expect(b.frames.length, 'frames').toBe(x.frames.length);
      expect(x.frames[0].expect?.behaviour, 'the fixture declares its behaviour').toBeTruthy();

      // Marks: exactly as declared, per frame.
      await checkFrameMarks(x.frames, 'after load');

      // Text, form state and layout equal the baseline's.
      const baseSnap: Record<string, { structure: string; rects: Awaited<ReturnType<typeof layoutRects>> }> = {};
      for (const bf of b.frames) {
        const xf = x.frames.find((f) => f.key === bf.key);
        expect(xf, `frame ${bf.key} exists with the extension`).toBeTruthy();
        if (!(await bf.frame.evaluate(() => true).catch(() => false))) continue;
        expect(await pageText(xf!.frame), `text of frame "${bf.key}"`).toBe(await pageText(bf.frame));
        const form = await formState(xf!.frame);
        expect(form.filter((s) => /druglens/i.test(s)), `form state of frame "${bf.key}"`).toEqual([]);
        expect(form, `form state of frame "${bf.key}"`).toEqual(await formState(bf.frame));
        const rects = await layoutRects(bf.frame);
        baseSnap[bf.key] = { structure: await structure(bf.frame), rects };
        expect(layoutDiff(rects, await layoutRects(xf!.frame)), `layout of frame "${bf.key}"`).toEqual([]);
      }

      // Undo: switch 127.0.0.1 off; every frame it covers is exactly the baseline again.
      await switchOff(['127.0.0.1']);
      for (const f of x.frames) {
        if (!baseSnap[f.key]) continue;
        if (f.expect?.undo === false) {
          await sleep(300);
          expect(await frameMarks(f.frame), `frame "${f.key}" is not covered by the switch`).toEqual(f.expect.marks);
          continue;
        }
        expect(await waitUndone(f.frame), `frame "${f.key}" unmarked`).toBe(true);
        const now = await structure(f.frame);
        if (now !== baseSnap[f.key].structure) {
          const b1 = await nodeCounts(b.frames.find((g) => g.key === f.key)!.frame);
          const x1 = await nodeCounts(f.frame);
          expect({ frame: f.key, structure: now, counts: x1 }).toEqual({ frame: f.key, structure: baseSnap[f.key].structure, counts: b1 });
        }
        if (opts.identity !== false) {
          const same = await sameTextObjects(f.frame);
          // null: the frame runs no page scripts (sandbox without allow-scripts), so nothing was captured.
          if (same) expect(same, `frame "${f.key}": the page's own Text objects after undo`).toMatchObject({ same: true });
        }
      }
      // On again: marked again.
      await switchOff([]);
      for (const f of x.frames) await waitDeclaredMarks(f, timeout);
      await checkFrameMarks(x.frames, 'after switching the site on again');

      await opts.steps?.({
        page: x.page,
        basePage: b.page,
        errors: x.errors,
        baseErrors: b.errors,
        frames: x.frames,
        baseFrames: b.frames,
        url,
        marksMs: x.marksMs ?? 0,
      });

      expect(b.errors, 'errors without the extension').toEqual([]);
      expect(x.errors, 'errors with the extension').toEqual([]);
    } finally {
      if (sitesOff.length) await switchOff([]);
      await Promise.all([b.page.close(), x.page.close()]);
    }
  });
}

// ---------------------------------------------------------------------------------
// Shared checks used by the fixture steps

/** The app's rendered text (#app) against what it meant to render (window.__expected()). */
async function appText(page: Page): Promise<{ text: string | null; expected: string }> {
  return page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(r));
    const w = window as unknown as { __expected(): string };
    return { text: document.getElementById('app')?.textContent ?? null, expected: w.__expected() };
  });
}

async function expectAppText(page: Page, label: string) {
  const { text, expected } = await appText(page);
  expect(text, label).toBe(expected);
}

/** Waits until the marks inside #app are the ones the app declares for its state. */
async function expectAppMarks(page: Page, label: string, timeout = 2000) {
  const read = () =>
    page.evaluate(() => ({
      have: [...document.querySelectorAll('#app druglens-mark[data-druglens]')].map((m) => m.textContent),
      want: (window as unknown as { __expectedMarks(): string[] }).__expectedMarks(),
    }));
  await until(async () => {
    const r = await read();
    return JSON.stringify(r.have) === JSON.stringify(r.want);
  }, timeout);
  const r = await read();
  expect(r.have, label).toEqual(r.want);
}

let cardReference: Record<string, unknown> | null = null;

async function cardMetrics(page: Page, mark: string): Promise<Record<string, unknown>> {
  const card = new CardReader(page);
  await page.locator(mark).first().click();
  await card.waitOpen();
  await sleep(300);
  const m = (await card.eval<Record<string, unknown>>(CARD_METRICS_FN))!;
  await page.keyboard.press('Escape');
  await card.waitClosed();
  return m;
}

/** The card's size on a page with no site CSS, opened from an "imatinib" mark. */
async function referenceCard(): Promise<Record<string, unknown>> {
  if (cardReference) return cardReference;
  const page = await ext.context.newPage();
  await page.goto(`${server.origin}/pages/foundation.html`);
  await page.locator('#generics druglens-mark').first().waitFor();
  cardReference = await cardMetrics(page, '#generics druglens-mark >> nth=0');
  await page.close();
  return cardReference;
}

async function expectCardAtIntendedSize(page: Page, markSelector: string) {
  const ref = await referenceCard();
  const here = await cardMetrics(page, markSelector);
  expect(here, 'card metrics on this page vs a neutral page').toEqual(ref);
  expect(ref.rootFont).toBe('14px');
  expect(ref.width).toBe(400);
}

/**
 * Names a user might type: every name (no misspellings) of the drugs the fixtures use,
 * then a spread sample of the rest of the dictionary.
 */
const INDEX = PAGE_NAMES as unknown as { ids: string[]; names: [string, number, string, number][] };
const FIXTURE_DRUGS = new Set(['blinatumomab', 'dasatinib', 'imatinib', 'inotuzumab-ozogamicin', 'ponatinib', 'rituximab', 'tisagenlecleucel']);
const SEED_NAMES = INDEX.names.filter((n) => n[2] !== 'm' && FIXTURE_DRUGS.has(INDEX.ids[n[1]])).map((n) => n[0]);
const OTHER_NAMES = INDEX.names.filter((n) => n[2] !== 'm' && !FIXTURE_DRUGS.has(INDEX.ids[n[1]])).map((n) => n[0]);
const TYPED_NAMES = [...SEED_NAMES, ...OTHER_NAMES.filter((_, i) => i % Math.max(1, Math.floor(OTHER_NAMES.length / 40)) === 0).slice(0, 40)];

// ---------------------------------------------------------------------------------

describe('never break a page: framework apps', () => {
  fixture('react-toggle.html', 'React 19 client app: 50 re-renders of conditional drug text', {
    steps: async ({ page }) => {
      await expectAppText(page, 'initial render');
      for (let i = 1; i <= 50; i++) {
        await page.evaluate(() => (window as unknown as { __app: { toggle(): number } }).__app.toggle());
        await expectAppText(page, `re-render ${i}`);
        if (i % 10 === 0 || i === 1) await expectAppMarks(page, `marks after re-render ${i}`);
      }
    },
  });

  /** SSR fixtures: hydration raised no error, then 10 re-renders each show the app's own text. */
  async function hydratedThenReRendered(page: Page) {
    expect(await page.evaluate(() => (window as unknown as { __hydrationErrors: string[] }).__hydrationErrors)).toEqual([]);
    await expectAppText(page, 'hydrated');
    for (let n = 1; n <= 10; n++) {
      await page.evaluate((k) => (window as unknown as { __app: { set(n: number): void } }).__app.set(k), n);
      await expectAppText(page, `re-render ${n}`);
    }
  }

  fixture('dist/react-ssr.html', 'React SSR markup + hydrateRoot: no hydration error, exact re-renders', {
    steps: ({ page }) => hydratedThenReRendered(page),
  });

  fixture('dist/react-ssr-late.html', 'React SSR hydrated from the load event: no hydration error', {
    steps: ({ page }) => hydratedThenReRendered(page),
  });

  fixture('vue-fragments.html', 'Vue 3 v-if / v-for fragments toggled and reordered', {
    steps: async ({ page }) => {
      await expectAppText(page, 'mounted');
      for (let i = 1; i <= 20; i++) {
        await page.evaluate(() => (window as unknown as { __app: { step(): Promise<number> } }).__app.step());
        await expectAppText(page, `update ${i}`);
        if (i % 5 === 0 || i === 1) await expectAppMarks(page, `marks after update ${i}`);
      }
    },
  });

  fixture('preact-app.html', 'Preact app re-rendering text next to marks', {
    steps: async ({ page }) => {
      await expectAppText(page, 'mounted');
      for (let i = 1; i <= 20; i++) {
        await page.evaluate(() => (window as unknown as { __app: { step(): Promise<number> } }).__app.step());
        await expectAppText(page, `update ${i}`);
        if (i % 5 === 0 || i === 1) await expectAppMarks(page, `marks after update ${i}`);
      }
    },
  });
});

describe('never break a page: editors and forms', () => {
  fixture('forum-editor.html', 'contenteditable forum editor: typed names, POSTed payload has no markup', {
    steps: async ({ page, basePage }) => {
      const typed = ` I take ${SEED_NAMES.join(', ')}`;
      const pasted = `, ${TYPED_NAMES.slice(SEED_NAMES.length).join(', ')}.`;
      await Promise.all(
        [basePage, page].map(async (p) => {
          await p.locator('#editor').click();
          await p.keyboard.press('End');
          await p.keyboard.type(typed);
          await p.keyboard.insertText(pasted);
        }),
      );
      await sleep(400);
      expect(await page.locator('#editor druglens-mark').count(), 'marks inside the editor').toBe(0);
      const html = await page.locator('#editor').innerHTML();
      expect(html).not.toMatch(/druglens/i);
      expect(html, 'editor markup vs no extension').toBe(await basePage.locator('#editor').innerHTML());
      for (const p of [basePage, page]) {
        await p.locator('button[type=submit]').click();
        await p.waitForFunction(() => (window as unknown as { __posts: string[] }).__posts.length === 1);
        await p.locator('button[type=submit]').click();
        await p.waitForFunction(() => (window as unknown as { __posts: string[] }).__posts.length === 2);
      }
      const posts = await page.evaluate(() => (window as unknown as { __posts: string[] }).__posts);
      expect(posts[0]).toBe(`received:${html}`);
      expect(posts[1], 'the second post does not grow').toBe(posts[0]);
      expect(posts, 'payloads vs no extension').toEqual(await basePage.evaluate(() => (window as unknown as { __posts: string[] }).__posts));
    },
  });

  fixture('textarea-form.html', 'textarea, input and select in a form that is submitted: payload exact', {
    steps: async ({ page }) => {
      const typedNotes = ` then ${TYPED_NAMES.slice(0, 20).join(' ')}`;
      const typedDrug = ` or ${TYPED_NAMES.slice(20, 30).join(' ')}`;
      await page.locator('#notes').click();
      await page.keyboard.press('End');
      await page.keyboard.type(typedNotes);
      await page.locator('#drug').click();
      await page.keyboard.press('End');
      await page.keyboard.type(typedDrug);
      await sleep(300);
      const notes = `Prefilled: Sprycel${typedNotes}`;
      const drug = `Iclusig${typedDrug}`;
      expect(await page.locator('#notes').inputValue()).toBe(notes);
      expect(await page.locator('#drug').inputValue()).toBe(drug);
      expect(await page.locator('form druglens-mark').count()).toBe(0);
      await Promise.all([page.waitForURL(/\/submit$/), page.locator('#send').click()]);
      const expected = new URLSearchParams([['notes', notes], ['drug', drug], ['h', 'ponatinib'], ['sel', 'dasatinib']]).toString();
      expect(await page.evaluate(() => document.body.textContent)).toBe(`received:${expected}`);
    },
  });

  fixture('react-input.html', 'React-controlled input: value exact at every step, payload exact', {
    steps: async ({ page }) => {
      await page.locator('#q').click();
      let typed = '';
      for (const name of SEED_NAMES.slice(0, 24)) {
        const chunk = (typed ? ', ' : '') + name;
        await page.keyboard.type(chunk);
        typed += chunk;
        expect(await page.locator('#q').inputValue(), `value after typing ${name}`).toBe(typed);
        await expectAppText(page, `echo after typing ${name}`);
      }
      // The echo, which React rewrote at every keystroke, ends up marked exactly like the
      // same text written once into a static paragraph.
      await page.evaluate(() => {
        const p = document.createElement('p');
        p.id = 'static-copy';
        p.textContent = document.getElementById('echo')!.textContent;
        document.body.appendChild(p);
      });
      const echoMarks = () => page.locator('#echo druglens-mark').allTextContents();
      const staticMarks = () => page.locator('#static-copy druglens-mark').allTextContents();
      await until(async () => (await staticMarks()).length >= 20 && JSON.stringify(await echoMarks()) === JSON.stringify(await staticMarks()), 3000);
      expect((await staticMarks()).length).toBeGreaterThanOrEqual(20);
      expect(await echoMarks(), 'marks in the echo vs the same text, static').toEqual(await staticMarks());
      await page.locator('button[type=submit]').click();
      await page.locator('#sent').waitFor();
      expect(await page.locator('#sent').textContent()).toBe(`received:${JSON.stringify({ value: typed })}`);
      await expectAppText(page, 'after submit');
    },
  });

  fixture('code-editors.html', 'code and rich-text editors: 0 marks inside, even for lines added later', {
    steps: async ({ page }) => {
      await page.evaluate(() => (window as unknown as { __addLines(): void }).__addLines());
      await page.locator('.cm-content').click();
      await page.keyboard.press('End');
      await page.keyboard.type(' imatinib Gleevec');
      await sleep(500);
      expect(await allMarks(page)).toEqual(['imatinib', 'Rituxan']);
    },
  });

  fixture('form-controls.html', 'select, button, noscript, template, role=textbox/combobox, fallback content: not marked', {});

  fixture('design-mode.html', "document.designMode = 'on': nothing marked, typed text stays ours-free", {
    steps: async ({ page, basePage }) => {
      for (const p of [basePage, page]) {
        await p.locator('#doc').click();
        await p.keyboard.press('End');
        await p.keyboard.type(' Also rituximab and Sprycel.');
      }
      await sleep(400);
      expect(await allMarks(page)).toEqual([]);
      expect(await page.evaluate(() => document.body.innerHTML)).toBe(await basePage.evaluate(() => document.body.innerHTML));
    },
  });
});

describe('never break a page: hostile CSS', () => {
  fixture('css-span-block.html', 'span{display:block}, [role=button], [tabindex], .highlight', {
    steps: ({ page }) => expectCardAtIntendedSize(page, '#p1 druglens-mark >> nth=0'),
  });
  fixture('css-mark-block.html', 'mark{display:block;font-size:40px} with the page\'s own <mark>', {
    steps: async ({ page }) => {
      expect(await page.locator('mark').count()).toBe(2);
      await expectCardAtIntendedSize(page, '#p1 druglens-mark >> nth=0');
    },
  });
  fixture('css-root-font.html', 'html{font-size:10px}: the card renders at its intended size', {
    steps: ({ page }) => expectCardAtIntendedSize(page, '#p1 druglens-mark >> nth=1'),
  });
  fixture('css-all-unset.html', '*{all:unset}', {
    steps: ({ page }) => expectCardAtIntendedSize(page, '#p1 druglens-mark >> nth=0'),
  });
});

describe('never break a page: pages that change', () => {
  // identity: false — the page itself replaces its status Text node whenever anything changes.
  fixture('mutation-echo.html', 'page re-renders on every mutation: work stops, marks stay', {
    identity: false,
    steps: async ({ page }) => {
      // The marks are in (the content script has started): 2 s later the page must be quiet.
      await sleep(2000);
      const r = await page.evaluate(async () => {
        const w = window as unknown as { __callbacks: number[]; __frames: number };
        const c0 = w.__callbacks.length;
        const f0 = w.__frames;
        await new Promise((res) => setTimeout(res, 1000));
        return { callbacks: w.__callbacks.length - c0, frames: w.__frames - f0 };
      });
      report.push(`mutation-echo: page callbacks in the 3rd second ${r.callbacks}, frames ${r.frames}`);
      expect(r.callbacks, 'page mutation callbacks per second after 2 s').toBe(0);
      expect(r.frames, 'requestAnimationFrame keeps running').toBeGreaterThan(20);
      expect(await allMarks(page)).toEqual(['imatinib', 'Sprycel', 'rituximab', 'Blincyto']);
    },
  });

  // identity: false — the page itself replaces #feed's nodes whenever anything changes.
  fixture('mutation-storm.html', 'page re-renders its drug content on every mutation: bounded work, idle within 2 s', {
    identity: false,
    steps: async ({ page }) => {
      const feedText = 'Latest: rituximab given.Next: Blincyto and dasatinib.';
      // The marks outside #feed are in (the content script has started): 2 s later our work must be bounded.
      await sleep(2000);
      const r = await page.evaluate(async (expectedFeed) => {
        const w = window as unknown as { __callbacks: number[]; __frames: number; __longTasks: [number, number][] };
        const t0 = performance.now();
        const c0 = w.__callbacks.length;
        const f0 = w.__frames;
        const bad: string[] = [];
        for (let i = 0; i < 20; i++) {
          await new Promise((res) => setTimeout(res, 100));
          const t = document.getElementById('feed')!.textContent;
          if (t !== expectedFeed) bad.push(t ?? '');
        }
        return {
          callbacks: w.__callbacks.length - c0,
          seconds: (performance.now() - t0) / 1000,
          frames: w.__frames - f0,
          longTasks: w.__longTasks.filter(([start]) => start >= t0),
          bad,
          total: w.__callbacks.length,
        };
      }, feedText);
      report.push(`mutation-storm: ${r.total} page callbacks in all; ${r.callbacks} in ${r.seconds.toFixed(1)} s after the first 2 s; frames ${r.frames}; long tasks ${r.longTasks.length}`);
      expect(r.bad, "#feed's text is always what the page rendered").toEqual([]);
      expect(r.callbacks / r.seconds, 'page mutation callbacks per second after 2 s').toBeLessThanOrEqual(2);
      expect(r.longTasks, 'no long tasks after 2 s').toEqual([]);
      expect(r.frames / r.seconds, 'requestAnimationFrame keeps running').toBeGreaterThan(20);
      expect(await scopedMarks(page.mainFrame(), '#control')).toEqual(['imatinib', 'Sprycel']);
      const feedMarks = await scopedMarks(page.mainFrame(), '#feed');
      expect(['rituximab', 'Blincyto', 'dasatinib'], 'marks in #feed, if any, are right').toEqual(expect.arrayContaining(feedMarks));
    },
  });

  fixture('infinite-scroll.html', 'infinite scroll: appended names marked within 500 ms', {
    steps: async ({ page }) => {
      const times: number[] = [];
      for (let chunk = 1; chunk <= 4; chunk++) {
        const ms = await page.evaluate(async (c) => {
          const w = window as unknown as { __chunks: number; __appendedAt: Record<number, number> };
          window.scrollTo(0, document.documentElement.scrollHeight);
          const t0 = performance.now();
          while (w.__chunks < c) {
            if (performance.now() - t0 > 3000) return -1;
            await new Promise((r) => requestAnimationFrame(r));
          }
          while (document.querySelectorAll(`[data-chunk="${c}"] druglens-mark[data-druglens]`).length < 5) {
            if (performance.now() - w.__appendedAt[c] > 3000) return -2;
            await new Promise((r) => setTimeout(r, 5));
          }
          return performance.now() - w.__appendedAt[c];
        }, chunk);
        times.push(Math.round(ms));
        expect(ms, `chunk ${chunk} appended and marked`).toBeGreaterThanOrEqual(0);
        expect(ms, `chunk ${chunk} marked within 500 ms`).toBeLessThanOrEqual(500);
      }
      report.push(`infinite-scroll: appended items marked after ${times.join(', ')} ms`);
      expect(await page.locator('.item druglens-mark').count()).toBe(6 + 4 * 5);
    },
  });

  fixture('spa-route.html', 'SPA route change (pushState + swap, popstate): new names marked within 500 ms', {
    steps: async ({ page }) => {
      const times: number[] = [];
      const waitRoute = async (label: string) => {
        const r = await page.evaluate(async () => {
          const w = window as unknown as { __route: string; __swappedAt: number; __routeMarks: Record<string, string[]> };
          const want = JSON.stringify(w.__routeMarks[w.__route]);
          const read = () => JSON.stringify([...document.querySelectorAll('#view druglens-mark[data-druglens]')].map((m) => m.textContent));
          while (read() !== want) {
            if (performance.now() - w.__swappedAt > 3000) break;
            await new Promise((res) => setTimeout(res, 5));
          }
          return { ms: performance.now() - w.__swappedAt, have: read(), want };
        });
        times.push(Math.round(r.ms));
        expect(r.have, `${label}: marks`).toBe(r.want);
        expect(r.ms, `${label}: marked within 500 ms`).toBeLessThanOrEqual(500);
      };
      await page.locator('nav a[data-route=leaflets]').click();
      await waitRoute('leaflets');
      expect(page.url()).toMatch(/\/spa\/leaflets$/);
      await page.locator('nav a[data-route=trials]').click();
      await waitRoute('trials');
      await page.goBack();
      await page.waitForFunction(() => (window as unknown as { __route: string }).__route === 'leaflets');
      await waitRoute('back to leaflets');
      report.push(`spa-route: new view marked after ${times.join(', ')} ms`);
    },
  });

  fixture('removes-split.html', 'the page removes and moves nodes we split: no ghost text', {
    steps: async ({ page }) => {
      const n = await page.evaluate(() => (window as unknown as { __ops: unknown[] }).__ops.length);
      for (let i = 0; i < n; i++) {
        const r = await page.evaluate(async (k) => {
          const w = window as unknown as { __ops: (() => void)[]; __expectedAfter: Record<string, string>[]; __texts(): Record<string, string> };
          w.__ops[k]();
          await new Promise((res) => requestAnimationFrame(res));
          return { have: w.__texts(), want: w.__expectedAfter[k] };
        }, i);
        expect(r.have, `after operation ${i}`).toEqual(r.want);
      }
      await until(async () => JSON.stringify(await allMarks(page)) === JSON.stringify(['ponatinib']), 2000);
      expect(await allMarks(page)).toEqual(['ponatinib']);
      expect(await page.locator('#target druglens-mark').count()).toBe(1);
    },
  });

  fixture('node-value.html', 'the page rewrites its text nodes with nodeValue: exact text, marks follow', {
    steps: async ({ page }) => {
      const n = await page.evaluate(() => (window as unknown as { __writes: unknown[] }).__writes.length);
      for (let i = 0; i < n; i++) {
        const w = await page.evaluate((k) => (window as unknown as { __write(i: number): { id: string; text: string; marks: string[] } }).__write(k), i);
        const text = await page.evaluate(async (id) => {
          await new Promise((res) => requestAnimationFrame(res));
          return document.getElementById(id)!.textContent;
        }, w.id);
        expect(text, `write ${i} to #${w.id}`).toBe(w.text);
        const read = () => page.locator(`#${w.id} druglens-mark`).allTextContents();
        await until(async () => JSON.stringify(await read()) === JSON.stringify(w.marks), 2000);
        expect(await read(), `marks after write ${i}`).toEqual(w.marks);
      }
    },
  });

  fixture('own-marks.html', "the page's own <mark> elements: counted, unwrapped and wrapped by the page", {
    steps: async ({ page, basePage }) => {
      const count = () => page.evaluate(() => (window as unknown as { __countMarks(): number }).__countMarks());
      expect(await count()).toBe(3);
      for (const op of ['__unwrap', '__wrapFirst'] as const) {
        for (const p of [basePage, page]) await p.evaluate((name) => (window as unknown as Record<string, () => void>)[name](), op);
        await sleep(100);
        expect(await pageText(page.mainFrame()), `text after ${op}`).toBe(await pageText(basePage.mainFrame()));
        expect(await count(), `page's <mark> count after ${op}`).toBe(await basePage.evaluate(() => document.querySelectorAll('mark').length));
      }
      expect(await allMarks(page)).toEqual(['imatinib', 'Gleevec', 'rituximab']);
    },
  });

  fixture('normalize.html', 'the page calls normalize() itself: no text lost, before or after undo', {
    steps: async ({ page, basePage }) => {
      for (const p of [basePage, page]) await p.evaluate(() => (window as unknown as { __normalize(): void }).__normalize());
      await sleep(200);
      const texts = () => page.evaluate(() => (window as unknown as { __texts(): string[] }).__texts());
      expect(await texts()).toEqual(await basePage.evaluate(() => (window as unknown as { __texts(): string[] }).__texts()));
      expect(await pageText(page.mainFrame())).toBe(await pageText(basePage.mainFrame()));
      await until(async () => (await allMarks(page)).length === 4, 2000);
      expect(await allMarks(page), 'marks after normalize()').toEqual(['imatinib', 'dasatinib', 'Sprycel', 'rituximab']);
      await switchOff(['127.0.0.1']);
      expect(await waitUndone(page.mainFrame())).toBe(true);
      expect(await texts(), 'after normalize() and undo').toEqual(await basePage.evaluate(() => (window as unknown as { __texts(): string[] }).__texts()));
      const after = await structure(page.mainFrame());
      expect(after).not.toMatch(/druglens/);
      for (const p of [basePage, page]) await p.evaluate(() => document.body.normalize());
      expect(await structure(page.mainFrame()), 'after normalize() and undo, up to text-node boundaries').toBe(await structure(basePage.mainFrame()));
    },
  });
});

describe('never break a page: where text hides', () => {
  fixture('iframe-same-origin.html', 'same-origin iframe: marked, undone with the site', {});
  fixture('iframe-cross-origin.html', 'cross-origin iframe: marked, switched per its own site', {
    query: () => `?alt=${encodeURIComponent(server.altOrigin)}`,
    steps: async ({ page, baseFrames, frames }) => {
      const cross = frames.find((f) => f.key === 'cross')!;
      const before = await structure(baseFrames.find((f) => f.key === 'cross')!.frame);
      await switchOff(['localhost']);
      expect(await waitUndone(cross.frame)).toBe(true);
      expect(await structure(cross.frame)).toBe(before);
      expect(await frameMarks(page.mainFrame()), 'top page still marked').toEqual(['imatinib']);
      await switchOff([]);
      await until(async () => (await frameMarks(cross.frame)).length === 2, 5000);
      expect(await frameMarks(cross.frame)).toEqual(['rituximab', 'Blincyto']);
    },
  });
  fixture('iframe-srcdoc.html', 'srcdoc iframe: marked, undone with the site', {});
  // identity: false — a frame sandboxed without allow-scripts refuses the test's own
  // capture script (with a console error), so the Text objects cannot be captured there.
  fixture('iframe-sandboxed.html', 'sandboxed iframes: behaviour per sandbox flags', { identity: false });
  fixture('iframe-about-blank.html', 'about:blank iframes written by script: marked, undone with the site', {
  });
  fixture('iframe-textless.html', 'frames with nothing to read (an ad, a pixel): not started until text arrives, then marked', {
    steps: async ({ frames }) => {
      const frame = (key: string) => frames.find((f) => f.key === key)!.frame;
      await sleep(300);
      expect(await highlighterStarted(frame('ad'))).toBe(false);
      expect(await highlighterStarted(frame('pixel'))).toBe(false);
      await frame('ad').evaluate(() => {
        const p = document.createElement('p');
        p.textContent = 'Ask your team about Sprycel.';
        document.body.append(p);
      });
      expect(await until(async () => (await frameMarks(frame('ad'))).length === 1, 5000)).toBe(true);
      expect(await frameMarks(frame('ad'))).toEqual(['Sprycel']);
      expect(await highlighterStarted(frame('ad'))).toBe(true);
      expect(await highlighterStarted(frame('pixel'))).toBe(false);
    },
  });
  fixture('shadow-roots.html', 'open roots marked (also later content), closed roots left alone', {
    steps: async ({ page }) => {
      const closed = () =>
        page.evaluate(() => (window as unknown as { __closed: ShadowRoot }).__closed.querySelectorAll('druglens-mark').length);
      expect(await closed()).toBe(0);
      await page.evaluate(() => (window as unknown as { __addToOpen(): void }).__addToOpen());
      await until(async () => (await frameMarks(page.mainFrame())).includes('Blincyto'), 2000);
      expect(await frameMarks(page.mainFrame())).toEqual(['imatinib', 'dasatinib', 'Gleevec', 'Blincyto', 'rituximab', 'Sprycel']);
      expect(await closed()).toBe(0);
    },
  });
  fixture('svg-text.html', 'SVG text, foreignObject and MathML: not marked', {});
  fixture('rtl.html', 'right-to-left text with Latin drug names: marked, layout unchanged', {});
  fixture('split-inline.html', 'a name split across inline elements: not marked, no error', {});
  fixture('details.html', '<details> content: marked; toggling still works', {
    steps: async ({ page }) => {
      const box = (await page.locator('#closed summary').boundingBox())!;
      await page.mouse.click(box.x + 5, box.y + box.height / 2);
      expect(await page.locator('#closed').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await allMarks(page)).toEqual(['imatinib', 'rituximab', 'dasatinib', 'Blincyto']);
    },
  });
  fixture('table.html', 'a table: marked, column widths unchanged', {});
  fixture('pre-block.html', '<pre> and <code>: marked, whitespace kept', {});
  fixture('aria-hidden.html', 'aria-hidden regions: not marked', {});
  fixture('links.html', 'names inside links: clicking the mark opens the card, the link is not followed', {
    steps: async ({ page, basePage }) => {
      const card = new CardReader(page);
      const startUrl = page.url();
      for (const id of ['hash', 'away', 'handled']) {
        await page.locator(`#${id} druglens-mark`).click();
        await card.waitOpen();
        expect(page.url(), `#${id}: not followed`).toBe(startUrl);
        await page.keyboard.press('Escape');
        await card.waitClosed();
      }
      expect(await page.evaluate(() => (window as unknown as { __handled: number }).__handled)).toBe(0);
      // The card has been open: switching the site off still leaves the page exactly as it was.
      await switchOff(['127.0.0.1']);
      expect(await waitUndone(page.mainFrame())).toBe(true);
      expect(await structure(page.mainFrame()), 'after the card was used, then undo').toBe(await structure(basePage.mainFrame()));
      await switchOff([]);
      await until(async () => (await allMarks(page)).length === 3, 5000);
      // The rest of the link still works.
      const box = (await page.locator('#hash').boundingBox())!;
      await page.mouse.click(box.x + 3, box.y + box.height / 2);
      await page.waitForURL(/#dosing$/);
      await page.locator('#handled').evaluate((a) => (a as HTMLElement).click());
      expect(await page.evaluate(() => (window as unknown as { __handled: number }).__handled)).toBe(1);
    },
  });
});

describe('never break a page: size', () => {
  fixture('large-50k.html', 'a 50,000-node page: all marks appear', {
    marksTimeout: 20_000,
    steps: async ({ page, marksMs }) => {
      const counts = await nodeCounts(page.mainFrame());
      expect(counts.elements + counts.texts).toBeGreaterThanOrEqual(50_000);
      report.push(`large-50k: ${counts.elements + counts.texts} nodes, 1000 marks after ${marksMs} ms from navigation`);
    },
  });
  fixture('huge-text-node.html', 'one 750,000-character text node: all marks appear', {
    marksTimeout: 20_000,
    steps: async ({ page, marksMs }) => {
      const len = await page.evaluate(() => document.getElementById('huge')!.textContent!.length);
      report.push(`huge-text-node: ${len} characters, 1500 marks after ${marksMs} ms from navigation`);
    },
  });
});

describe('never break a page: the run as a whole', () => {
  it('sent no request anywhere but the fixture server and the extension', () => {
    expect(ext.foreignRequests()).toEqual([]);
  });
});
