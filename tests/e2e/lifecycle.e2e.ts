/**
 * Lifecycle in real Chromium (RELIABILITY.md §8):
 * - the MV3 service worker stopped between clicks: every card still opens;
 * - the extension reloaded with tabs open: no "Extension context invalidated" errors, the
 *   old content script's marks and card go away and leave the page as it was, and a page
 *   loaded after the reload is marked once by the new script;
 * - a new content script on a page that still holds an old one's marks and card host
 *   (what Firefox leaves after an update): nothing marked twice, the dead host removed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardReader, EXT_PATH, launchExtension, markTexts, SEED_MARKS, startServer, waitForMarks, watchErrors, type Ext, type Server } from './harness';

let ext: Ext;
let server: Server;


/**
 * The extension is loaded from a copy of the build: the reload below reads it from disk
 * again, and a build started elsewhere meanwhile would have emptied .output/chrome-mv3.
 */
let extDir: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(EXT_PATH, 'manifest.json'))) throw new Error(`No built extension at ${EXT_PATH}: run "npm run build" first`);
  extDir = fs.mkdtempSync(path.join(os.tmpdir(), 'druglens-chrome-'));
  fs.cpSync(EXT_PATH, extDir, { recursive: true });
  server = await startServer();
  ext = await launchExtension({ extPath: extDir });
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
  if (extDir) fs.rmSync(extDir, { recursive: true, force: true });
});

const foundation = () => `${server.origin}/pages/foundation.html`;

/**
 * Everything a page reports from every JavaScript world (the page's and the content
 * script's isolated world): uncaught exceptions, console errors and warnings, and
 * browser log entries. Playwright's console/pageerror events are collected too.
 */
async function watchAllWorlds(context: BrowserContext, page: Page): Promise<string[]> {
  const out = watchErrors(page);
  const cdp = await context.newCDPSession(page);
  cdp.on('Runtime.exceptionThrown', (e) => out.push(`exception: ${e.exceptionDetails.exception?.description ?? e.exceptionDetails.text}`));
  cdp.on('Runtime.consoleAPICalled', (e) => {
    if (e.type === 'error' || e.type === 'warning' || e.type === 'assert') {
      out.push(`console.${e.type}: ${e.args.map((a) => String(a.value ?? a.description ?? '')).join(' ')}`);
    }
  });
  cdp.on('Log.entryAdded', (e) => {
    if (e.entry.level === 'error' || e.entry.level === 'warning') out.push(`log.${e.entry.level} (${e.entry.source}): ${e.entry.text}`);
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Log.enable');
  return out;
}

/** Service-worker versions as DevTools reports them, by version id. */
async function watchWorkers(cdp: CDPSession) {
  const versions = new Map<string, { scriptURL: string; runningStatus: string; history: string[] }>();
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) {
      const known = versions.get(v.versionId) ?? { scriptURL: v.scriptURL, runningStatus: '', history: [] };
      if (known.runningStatus !== v.runningStatus) known.history.push(v.runningStatus);
      known.runningStatus = v.runningStatus;
      versions.set(v.versionId, known);
    }
  });
  await cdp.send('ServiceWorker.enable');
  return versions;
}

async function workerTargets(ext: Ext): Promise<string[]> {
  const browser = ext.context.browser();
  if (!browser) throw new Error('no browser for the persistent context');
  const bs = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await bs.send('Target.getTargets');
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.extensionId}/`)).map((t) => t.url);
  } finally {
    await bs.detach();
  }
}

async function until(what: string, fn: () => Promise<boolean> | boolean, timeout = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Chromium disables an extension loaded with --load-extension when it reloads itself
 * ("unsupportedDeveloperExtension") unless developer mode is on, as it is for anyone
 * who loads an unpacked build by hand. chrome://extensions switches it on.
 */
async function enableDeveloperMode(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  const on = await page.evaluate(async () => {
    const dev = (chrome as unknown as { developerPrivate: { updateProfileConfiguration(c: object): Promise<void>; getProfileConfiguration(): Promise<{ inDeveloperMode: boolean }> } }).developerPrivate;
    await dev.updateProfileConfiguration({ inDeveloperMode: true });
    return (await dev.getProfileConfiguration()).inDeveloperMode;
  });
  expect(on).toBe(true);
  await page.close();
}

describe('the service worker stopped between clicks', () => {
  it('opens every card after the worker was stopped, and the worker really was stopped each time', { timeout: 180_000 }, async () => {
    const page = await ext.context.newPage();
    const errors = await watchAllWorlds(ext.context, page);
    await page.goto(foundation());
    await waitForMarks(page, SEED_MARKS.length, 30_000);
    const card = new CardReader(page);
    const cdp = await ext.context.newCDPSession(page);
    const versions = await watchWorkers(cdp);
    const worker = () => [...versions.values()].find((v) => v.scriptURL === `chrome-extension://${ext.extensionId}/background.js`);
    await until('the extension worker to be reported', () => worker()?.runningStatus === 'running');
    // The page's own report of its marks (debounced) has reached the worker.
    await page.waitForTimeout(1500);

    const cycles: { mark: string; drug: string; how: 'click' | 'Enter' }[] = [
      { mark: 'Glivec', drug: 'Imatinib', how: 'click' },
      { mark: 'SPRYCEL', drug: 'Dasatinib', how: 'click' },
      { mark: 'Iclusig', drug: 'Ponatinib', how: 'click' },
      { mark: 'MabThera', drug: 'Rituximab', how: 'click' },
      { mark: 'Blincyto', drug: 'Blinatumomab', how: 'click' },
      { mark: 'kymriah', drug: 'Tisagenlecleucel', how: 'click' },
      { mark: 'Besponsa', drug: 'Inotuzumab ozogamicin', how: 'Enter' },
    ];
    for (const { mark, drug, how } of cycles) {
      const w = worker()!;
      const starts = w.history.filter((s) => s === 'running').length;
      await cdp.send('ServiceWorker.stopAllWorkers');
      await until(`the worker to stop before ${mark}`, async () => worker()!.runningStatus === 'stopped' && (await workerTargets(ext)).length === 0);

      const el = page.locator('#brands druglens-mark', { hasText: mark });
      if (how === 'click') await el.click();
      else {
        await el.focus();
        await page.keyboard.press('Enter');
      }
      await card.waitOpen(20_000);
      expect(await card.text('drug-name')).toBe(drug);
      expect(await card.text('matched')).toContain(`“${mark}”`);
      // The message woke the worker: it started again.
      expect(worker()!.runningStatus).toBe('running');
      expect(worker()!.history.filter((s) => s === 'running').length).toBe(starts + 1);
      expect(await workerTargets(ext)).toHaveLength(1);

      await page.keyboard.press('Escape');
      await card.waitClosed();
    }

    // The popup, opened for this tab while the worker is stopped, searches too.
    const [sw] = ext.context.serviceWorkers();
    await page.bringToFront();
    const tabId = await sw.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id);
    expect(typeof tabId).toBe('number');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await until('the worker to stop before the popup', async () => worker()!.runningStatus === 'stopped' && (await workerTargets(ext)).length === 0);
    const popup = await ext.context.newPage();
    const popupErrors = watchErrors(popup);
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    await popup.getByTestId('search').fill('Gleevec');
    await popup.getByTestId('search').press('Enter');
    await popup.getByTestId('popup-card').waitFor({ timeout: 20_000 });
    expect(await popup.getByTestId('drug-name').textContent()).toBe('Imatinib');
    await popup.close();

    expect(errors.filter((e) => /Receiving end does not exist|Could not establish connection/i.test(e))).toEqual([]);
    expect(errors).toEqual([]);
    expect(popupErrors).toEqual([]);
    await cdp.detach();
    await page.close();
  });
});

describe('the extension reloaded with tabs open', () => {
  it('leaves no errors, takes the old marks and card away on first use, and a reloaded page is marked once', { timeout: 180_000 }, async () => {
    await enableDeveloperMode(ext.context);
    // After the reload, tab A is clicked (with a card still open), tab B gets Enter on a
    // mark, and tab C changes its own text.
    const [a, b, c] = [await ext.context.newPage(), await ext.context.newPage(), await ext.context.newPage()];
    const errorsA = await watchAllWorlds(ext.context, a);
    const errorsB = await watchAllWorlds(ext.context, b);
    const errorsC = await watchAllWorlds(ext.context, c);
    for (const p of [a, b, c]) {
      await p.goto(foundation());
      expect(await waitForMarks(p, SEED_MARKS.length, 30_000)).toEqual(SEED_MARKS);
    }
    const cardA = new CardReader(a);
    await a.locator('#brands druglens-mark', { hasText: 'Glivec' }).click();
    await cardA.waitOpen();
    expect(await cardA.text('drug-name')).toBe('Imatinib');
    const brandsA = await a.locator('#brands').textContent();

    // Reload from the service worker, as an update does; wait for the new worker.
    const [oldWorker] = ext.context.serviceWorkers();
    const newWorker = ext.context.waitForEvent('serviceworker', { timeout: 60_000 });
    await oldWorker.evaluate(() => chrome.runtime.reload()).catch(() => undefined);
    const sw = await newWorker;
    expect(new URL(sw.url()).host).toBe(ext.extensionId);
    await until('the new worker to answer', async () => (await sw.evaluate(() => chrome.runtime.id).catch(() => null)) === ext.extensionId);

    // Tab A: clicking an old mark opens nothing, takes the stale card and every old mark
    // away, and leaves the page's text as it was.
    const oldMark = a.locator('#brands druglens-mark', { hasText: 'SPRYCEL' });
    await oldMark.click();
    await until('the old marks to go', async () => (await a.locator('druglens-mark').count()) === 0);
    expect(await a.locator('druglens-card').count()).toBe(0);
    expect(await a.locator('#brands').textContent()).toBe(brandsA);
    await a.waitForTimeout(500);
    expect(await a.locator('druglens-card').count()).toBe(0);
    expect(await cardA.isOpen()).toBe(false);

    // Tab B: Enter on a focused old mark does nothing either and the marks go.
    await b.locator('#generics druglens-mark', { hasText: 'imatinib' }).focus();
    await b.keyboard.press('Enter');
    await until('the old marks in tab B to go', async () => (await b.locator('druglens-mark').count()) === 0);
    expect(await b.locator('druglens-card').count()).toBe(0);
    // The page's DOM is exactly as served.
    const [restored, served] = await b.evaluate(async () => [
      document.body.innerHTML,
      new DOMParser().parseFromString(await (await fetch(location.href)).text(), 'text/html').body.innerHTML,
    ]);
    expect(restored).not.toContain('druglens');
    expect(restored).toBe(served);
    // Tab C: the page adds text. The old script does not mark it, and its marks go.
    await c.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'late';
      p.textContent = 'Added later: imatinib and Sprycel.';
      document.body.append(p);
    });
    await until('the old marks in tab C to go', async () => (await c.locator('druglens-mark').count()) === 0);
    await c.waitForTimeout(1000);
    expect(await c.locator('druglens-mark').count()).toBe(0);
    expect(await c.locator('#late').textContent()).toBe('Added later: imatinib and Sprycel.');

    // A page loaded after the reload is marked once, by the new script, and its cards open.
    await a.reload();
    expect(await waitForMarks(a, SEED_MARKS.length, 30_000)).toEqual(SEED_MARKS);
    await a.waitForTimeout(1000);
    expect(await markTexts(a)).toEqual(SEED_MARKS);
    expect(await a.locator('druglens-mark druglens-mark').count()).toBe(0);
    await a.locator('#brands druglens-mark', { hasText: 'SPRYCEL' }).click();
    await cardA.waitOpen(20_000);
    expect(await cardA.text('drug-name')).toBe('Dasatinib');
    await a.keyboard.press('Escape');
    await cardA.waitClosed();

    const all = [...errorsA, ...errorsB, ...errorsC];
    expect(all.filter((e) => /context invalidated/i.test(e))).toEqual([]);
    expect(all).toEqual([]);
    for (const p of [a, b, c]) await p.close();
  });

  it('a new content script on a page that still holds marks from an old one marks nothing twice and handles the old marks', { timeout: 120_000 }, async () => {
    // Firefox injects the new content script into open tabs after an update while the
    // old script's marks are still in the DOM. Chromium does not inject into open tabs,
    // so the page here is served with the old script's marked DOM in it, and the host of
    // the card it had open.
    const src = await ext.context.newPage();
    await src.goto(foundation());
    await waitForMarks(src, SEED_MARKS.length, 30_000);
    await src.locator('#brands druglens-mark', { hasText: 'Glivec' }).click();
    await new CardReader(src).waitOpen();
    const marked = await src.evaluate(() => document.documentElement.outerHTML);
    await src.close();
    expect(marked).toContain('<druglens-mark');
    expect(marked).toContain('<druglens-card');

    const page = await ext.context.newPage();
    const errors = await watchAllWorlds(ext.context, page);
    const url = `${server.origin}/pages/foundation-old-marks.html`;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: marked.replace('</body>', '<p id="fresh">Unmarked text: Besponsa.</p></body>'),
      }),
    );
    await page.goto(url);
    // The new script marks the text that had no marks ...
    await page.locator('#fresh druglens-mark').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    // ... and nothing inside or beside the old marks a second time.
    expect(await markTexts(page)).toEqual([...SEED_MARKS, 'Besponsa']);
    expect(await page.locator('druglens-mark druglens-mark').count()).toBe(0);
    expect(await page.locator('#brands').textContent()).toBe('Brands: Glivec, gleevec, SPRYCEL, Iclusig, MabThera, Rituxan, Blincyto, Besponsa, kymriah.');
    // The old card's host is gone.
    expect(await page.locator('druglens-card').count()).toBe(0);

    // An old mark opens the card through the new script.
    const card = new CardReader(page);
    await page.locator('#brands druglens-mark', { hasText: 'Iclusig' }).click();
    await card.waitOpen(20_000);
    expect(await card.text('drug-name')).toBe('Ponatinib');
    expect(await page.locator('druglens-card').count()).toBe(1);
    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sent no request anywhere but the fixture server and the extension', () => {
    expect(ext.requests.length).toBeGreaterThan(0);
    expect(ext.foreignRequests()).toEqual([]);
  });
});
