/**
 * The core flows in Firefox: Debian's firefox-esr driven by puppeteer-core over WebDriver
 * BiDi (no geckodriver), the Firefox MV3 build installed as a temporary add-on
 * (browser.installExtension), the same fixture page and expectations as
 * foundation.e2e.ts. The Firefox build is made first if it is missing or stale.
 *
 * Two things differ from Chromium:
 * - The card's closed shadow root is read through WebDriver BiDi: node serialisation
 *   includes an element's shadow root whatever its mode, and script.callFunction takes it
 *   back as a shared reference. puppeteer has no public call for that, so FirefoxCard uses
 *   two of its internals (ElementHandle.remoteValue() and the frame realm's
 *   realm.callFunction / createHandle); puppeteer-core is pinned to an exact version.
 * - Firefox's remote agent only navigates to moz-extension:// pages with
 *   --remote-allow-system-access, and reports no navigation events for them (goto never
 *   settles), so the popup is waited for by its content. Its moz-extension UUID is fixed
 *   in advance with the extensions.webextensions.uuids pref.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from './builds';
import { SEED_MARKS, startServer, type Server } from './harness';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const GECKO_ID = 'drug-lens@drug-lens.example';
const UUID = randomUUID();
const EXT_ORIGIN = `moz-extension://${UUID}`;


let browser: Browser;
let server: Server;
/** The add-on as installed: a copy of the build. */
let extDir: string;
/** Every request URL the pages made, in order. */
const requests: string[] = [];
/** Firefox's own console output (stdout/stderr) that mentions the extension. */
const extensionLog: string[] = [];

/**
 * A private copy of the Firefox build, so that a build started elsewhere while these
 * tests run (it empties .output/firefox-mv3 first) cannot pull the add-on from under them.
 */
async function snapshotBuild(): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const built = await ensureBuild('firefox');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'druglens-firefox-'));
    try {
      fs.cpSync(built, dir, { recursive: true });
      if (fs.existsSync(path.join(dir, 'manifest.json')) && fs.existsSync(path.join(dir, 'content-scripts/content.js'))) return dir;
    } catch {
      // caught half-way through another build: try again
    }
    fs.rmSync(dir, { recursive: true, force: true });
    if (attempt === 3) throw new Error(`no complete Firefox build in ${built}`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

beforeAll(async () => {
  extDir = await snapshotBuild();
  server = await startServer();
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'xpinstall.signatures.required': false,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
      // Console messages of pages and of the browser (extension contexts) go to stdout.
      'devtools.console.stdout.content': true,
      'devtools.console.stdout.chrome': true,
    },
  });
  const proc = browser.process();
  const onOutput = (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.includes(UUID) || line.includes(GECKO_ID)) extensionLog.push(line);
  };
  proc?.stdout?.on('data', onOutput);
  proc?.stderr?.on('data', onOutput);
  expect(await browser.installExtension(extDir)).toBe(GECKO_ID);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (extDir) fs.rmSync(extDir, { recursive: true, force: true });
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 700 });
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

async function openFoundation(): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newPage();
  await page.goto(`${server.origin}/pages/foundation.html`);
  await page.waitForFunction((n) => document.querySelectorAll('druglens-mark[data-druglens]').length >= n, { timeout: 30_000 }, SEED_MARKS.length);
  return { page, errors };
}

function markTexts(page: Page): Promise<string[]> {
  return page.$$eval('druglens-mark[data-druglens]', (els) => els.map((e) => e.textContent ?? ''));
}

async function markWithText(page: Page, scope: string, text: string): Promise<ElementHandle<Element>> {
  for (const h of await page.$$(`${scope} druglens-mark[data-druglens]`)) {
    if ((await h.evaluate((el) => el.textContent)) === text) return h;
  }
  throw new Error(`no mark "${text}" in ${scope}`);
}

interface BidiRemoteValue {
  type: string;
  value?: { shadowRoot?: { sharedId?: string } | null };
}
interface BidiFrameRealm {
  realm: {
    callFunction(
      fn: string,
      awaitPromise: boolean,
      options: object,
    ): Promise<{ type: 'success'; result: BidiRemoteValue } | { type: 'exception'; exceptionDetails: { text: string } }>;
  };
  createHandle(value: BidiRemoteValue): ElementHandle<Node>;
}

/** Reads and acts inside the card's closed shadow root, through WebDriver BiDi. */
class FirefoxCard {
  constructor(private page: Page) {}

  /** The shadow root of the card's host, as a puppeteer handle; null without a host. */
  async root(): Promise<ElementHandle<Node> | null> {
    const host = await this.page.$('druglens-card');
    if (!host) return null;
    const remote = (host as unknown as { remoteValue(): BidiRemoteValue }).remoteValue();
    const sharedId = remote.value?.shadowRoot?.sharedId;
    if (!sharedId) return null;
    const realm = (this.page.mainFrame() as unknown as { mainRealm(): BidiFrameRealm }).mainRealm();
    const res = await realm.realm.callFunction('function (root) { return root; }', true, {
      arguments: [{ sharedId }],
      resultOwnership: 'root',
      serializationOptions: { maxObjectDepth: 0, maxDomDepth: 0 },
    });
    if (res.type !== 'success') throw new Error(`card root: ${res.exceptionDetails.text}`);
    return realm.createHandle(res.result);
  }

  async eval<T>(fn: (root: ShadowRoot, arg: string) => T, arg = ''): Promise<T | null> {
    const root = await this.root();
    if (!root) return null;
    return (await root.evaluate(fn as unknown as (n: Node, a: string) => T, arg)) as T;
  }

  async isOpen(): Promise<boolean> {
    return !!(await this.eval((r) => !!r.querySelector('[data-testid=drug-card]')));
  }

  async waitOpen(timeout = 15_000): Promise<void> {
    const t0 = Date.now();
    while (!(await this.isOpen())) {
      if (Date.now() - t0 > timeout) throw new Error('card did not open');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async waitClosed(timeout = 5_000): Promise<void> {
    const t0 = Date.now();
    while (await this.isOpen()) {
      if (Date.now() - t0 > timeout) throw new Error('card did not close');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async text(testid = 'drug-card'): Promise<string> {
    return (await this.eval((r, id) => r.querySelector(`[data-testid="${id}"]`)?.textContent ?? '', testid)) ?? '';
  }

  async hasFocus(): Promise<boolean> {
    return !!(await this.eval((r) => !!r.activeElement));
  }

  /** A real mouse click on an element in the card. */
  async click(selector: string): Promise<void> {
    const root = await this.root();
    const el = root && (await root.$(selector));
    if (!el) throw new Error(`no ${selector} in card`);
    await el.click();
  }
}


/**
 * waitForSelector while a navigation is under way: Firefox's remote agent can fail a
 * poll whose document is being replaced ("Protocol error (script.evaluate)"); such a
 * poll is tried again until the time is up.
 */
async function waitAcrossNavigation(page: Page, selector: string, timeout: number) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await page.waitForSelector(selector, { timeout: Math.max(1000, end - Date.now()) });
    } catch (e) {
      let text = '';
      for (let c: unknown = e; c; c = (c as Error).cause) text += ` ${String(c)}`;
      if (Date.now() >= end || !/Protocol error|context was destroyed|realm/i.test(text)) throw e;
    }
  }
}

/**
 * The popup page in a new tab (its about:blank start is not worked on: the content
 * script waits there for content). Now and then Firefox's remote agent loses a tab that
 * went to a moz-extension:// page: every script.evaluate in it fails inside the agent
 * ("right-hand side of 'in' should be an object, got null"). Such a tab is closed and
 * the popup opened in another, once.
 */
async function openPopupPage(): Promise<{ page: Page; errors: string[]; search: ElementHandle<Element> }> {
  for (let attempt = 1; ; attempt++) {
    const { page, errors } = await newPage();
    // goto() never settles for moz-extension:// pages (see the top of this file): the page is waited for by its content.
    void page.goto(`${EXT_ORIGIN}/popup.html`, { waitUntil: 'domcontentloaded', timeout: 20_000 }).catch(() => undefined);
    try {
      const search = await waitAcrossNavigation(page, '[data-testid=search]', 20_000);
      if (search) return { page, errors, search };
      throw new Error('no search box in the popup');
    } catch (e) {
      await page.close().catch(() => undefined);
      if (attempt === 2) throw e;
    }
  }
}

describe('the lookup path in Firefox', () => {
  it('marks every seed name, brand and code as whole words only, styled, and nothing in excluded contexts', async () => {
    const { page, errors } = await openFoundation();
    expect(await markTexts(page)).toEqual(SEED_MARKS);
    expect(await page.$$eval('#near druglens-mark', (els) => els.length)).toBe(0);
    expect(await page.$$eval('#excluded druglens-mark', (els) => els.length)).toBe(0);
    expect(await page.$eval('textarea', (el) => (el as HTMLTextAreaElement).value)).toBe('imatinib in a textarea');
    // The marks' constructed style sheet, made by the content script, reaches the page.
    const style = await page.$eval('#brands druglens-mark', (el) => {
      const s = getComputedStyle(el);
      return { cursor: s.cursor, line: s.textDecorationLine, style: s.textDecorationStyle, display: s.display };
    });
    expect(style).toEqual({ cursor: 'pointer', line: 'underline', style: 'dotted', display: 'inline' });
    expect(await page.$eval('#brands druglens-mark', (el) => [el.getAttribute('role'), el.getAttribute('tabindex'), el.getAttribute('aria-label')])).toEqual([
      'button', '0', 'Glivec: drug information',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the card from a click with data from the background; Esc and the close button close it', async () => {
    const { page, errors } = await openFoundation();
    const card = new FirefoxCard(page);
    const mark = await markWithText(page, '#brands', 'Glivec');
    await mark.click();
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Imatinib');
    expect(await card.text('matched')).toContain('“Glivec” — brand name of Imatinib');
    expect(await card.text('drug-class')).toContain('Tyrosine kinase inhibitor');
    expect(await card.text('route')).toContain('once a day, alongside chemotherapy');
    expect(await card.text('side-effects')).toContain('Diarrhoea');
    const urgent = await card.text('urgent');
    expect(urgent).toContain('temperature above 37.5 °C');
    expect(urgent).toContain('4 or more loose stools in 24 hours');
    expect(await card.text('brands')).toMatch(/UK\/EU:\s*Glivec[\s\S]*US:\s*Gleevec/);
    expect(await card.text('disclaimer')).toContain('supports, not replaces, advice from your doctor, nurse or pharmacist');
    expect(await card.eval((r) => r.querySelector('[role=dialog]')?.getAttribute('aria-labelledby'))).toBe('dl-card-title');
    // Beside its mark, and focused.
    const m = (await mark.boundingBox())!;
    const r = (await card.eval((root) => {
      const b = root.querySelector('.dl-popover')!.getBoundingClientRect();
      return { y: b.y, height: b.height };
    }))!;
    expect(Math.abs(r.y - (m.y + m.height)) < 20 || Math.abs(r.y + r.height - m.y) < 20).toBe(true);
    await page.waitForFunction(() => document.activeElement?.localName === 'druglens-card', { timeout: 5_000 });
    expect(await card.hasFocus()).toBe(true);

    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(await mark.evaluate((el) => el === document.activeElement)).toBe(true);

    await mark.click();
    await card.waitOpen();
    await card.click('[data-testid=close]');
    await card.waitClosed();
    expect(await mark.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the card from the keyboard: Tab to a mark, then Enter', async () => {
    const { page, errors } = await openFoundation();
    const card = new FirefoxCard(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement?.localName, document.activeElement?.textContent])).toEqual(['druglens-mark', 'imatinib']);
    await page.keyboard.press('Enter');
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Imatinib');
    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('imatinib');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('searches from the toolbar popup page: "Gleevec" shows the imatinib card', async () => {
    const { page, errors, search } = await openPopupPage();
    expect(await page.evaluate(() => location.href)).toBe(`${EXT_ORIGIN}/popup.html`);
    await search.type('Gleevec');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=popup-card]', { timeout: 15_000 });
    expect(await page.$eval('[data-testid=drug-name]', (el) => el.textContent)).toBe('Imatinib');
    expect(await page.$eval('[data-testid=urgent]', (el) => el.textContent)).toContain('temperature above 37.5 °C');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('after an update with a card open: the stale card goes, nothing is marked twice, and the new script handles the old marks', async () => {
    const { page, errors } = await openFoundation();
    const card = new FirefoxCard(page);
    await (await markWithText(page, '#brands', 'Glivec')).click();
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Imatinib');
    // Installing the add-on again is an update: Firefox drops the old content script (its
    // marks and card stay in the DOM, its listeners go) and injects the new one into open tabs.
    expect(await browser.installExtension(extDir)).toBe(GECKO_ID);
    await page.waitForFunction(() => !document.querySelector('druglens-card'), { timeout: 20_000 });
    // The new script is at work (it marks text the page adds) and marks nothing twice.
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'late';
      p.textContent = 'Added later: Besponsa.';
      document.body.append(p);
    });
    await page.waitForFunction(() => !!document.querySelector('#late druglens-mark[data-druglens]'), { timeout: 20_000 });
    expect(await markTexts(page)).toEqual([...SEED_MARKS, 'Besponsa']);
    expect(await page.$$eval('druglens-mark druglens-mark', (els) => els.length)).toBe(0);
    expect(await page.$eval('#brands', (el) => el.textContent)).toBe('Brands: Glivec, gleevec, SPRYCEL, Iclusig, MabThera, Rituxan, Blincyto, Besponsa, kymriah.');
    // An old mark opens a card through the new script; Esc closes it.
    await (await markWithText(page, '#brands', 'SPRYCEL')).click();
    await card.waitOpen();
    expect(await card.text('drug-name')).toBe('Dasatinib');
    expect(await page.$$eval('druglens-card', (els) => els.length)).toBe(1);
    await page.keyboard.press('Escape');
    await card.waitClosed();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sent no request anywhere but the fixture server and the extension, and the extension logged no error', () => {
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter((u) => {
      const url = new URL(u);
      if (url.protocol === 'data:' || url.protocol === 'about:' || url.protocol === 'blob:') return false;
      if (url.protocol === 'moz-extension:') return url.host !== UUID;
      return !((url.protocol === 'http:' || url.protocol === 'ws:') && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'));
    });
    expect(foreign).toEqual([]);
    expect(extensionLog.filter((l) => /error|exception|warn/i.test(l))).toEqual([]);
  });
});
