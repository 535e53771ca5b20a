/**
 * The options page in real Chromium: every control saves at once and survives a reload,
 * the site list turns marking off and on, the highlight style reaches the page, export
 * and import of the settings file, and keyboard-only use.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateSettings, type Settings } from '../../utils/settings';
import { DEFAULT_SETTINGS } from '../../utils/settings-core';
import { launchExtension, ROOT, startServer, waitForMarks, watchErrors, type Ext, type Server } from './harness';

let ext: Ext;
let server: Server;

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const optionsUrl = () => `chrome-extension://${ext.extensionId}/options.html`;

/** Settings as stored by the background (undefined until the first save). */
async function stored(page: Page): Promise<Settings | undefined> {
  return page.evaluate(async () => (await chrome.storage.local.get('settings')).settings as Settings | undefined);
}

async function waitLoaded(page: Page) {
  await page.getByLabel('Text size').waitFor();
}

async function openOptions(): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(optionsUrl());
  await waitLoaded(page);
  return page;
}

beforeEach(async () => {
  const page = await ext.context.newPage();
  await page.goto(optionsUrl());
  await page.evaluate(() => chrome.storage.local.clear());
  await page.close();
});

/** Waits until the stored settings include `expected` and the page says so. */
async function expectSaved(page: Page, expected: Partial<Settings>) {
  await expect.poll(() => stored(page), { timeout: 5000 }).toMatchObject(expected);
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 5000 }).toMatch(/^Saved/);
}

async function markStyle(page: Page) {
  return page
    .locator('druglens-mark[data-druglens]')
    .first()
    .evaluate((el) => {
      const cs = getComputedStyle(el);
      return { background: cs.backgroundColor, decoration: cs.textDecorationLine, shadow: cs.boxShadow };
    });
}

async function fixturePage(origin = server.origin): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`${origin}/pages/foundation.html`);
  return page;
}

const radio = (page: Page, name: string) => page.getByRole('radio', { name, exact: true });

describe('the options page', () => {
  it('is an options page that opens in a tab, titled and with every section', async () => {
    const page = await openOptions();
    const manifest = await page.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.options_ui).toEqual({ page: 'options.html', open_in_tab: true });
    expect(await page.title()).toBe('Drug Lens settings');
    const legends = await page.locator('fieldset.op-section > legend').allTextContents();
    expect(legends).toEqual(['Where Drug Lens works', 'Highlighting', 'How much to mark', 'Opening the card', 'The card', 'Appearance', 'Back up and restore']);
    await page.close();
  });

  it('saves every control at once, says so, and shows the saved values after a reload', async () => {
    const page = await openOptions();
    const errors = watchErrors(page);

    // The defaults are shown before anything is saved.
    expect(await page.getByLabel('Highlight medicine names on all sites').isChecked()).toBe(true);
    expect(await radio(page, 'Dotted underline').isChecked()).toBe(true);
    expect(await page.getByLabel('Colour', { exact: true }).inputValue()).toBe('#1a73e8');
    expect(await radio(page, 'When I click a marked name (or press Enter on it)').isChecked()).toBe(true);
    expect(await page.getByLabel('Hover delay').inputValue()).toBe('400');
    expect(await page.getByLabel('Most marks on a page').inputValue()).toBe('2000');
    expect(await radio(page, 'Match my device').isChecked()).toBe(true);
    expect(await page.getByLabel('Text size').inputValue()).toBe('1');
    expect(await radio(page, 'Both (UK/EU and US)').isChecked()).toBe(true);
    expect(await radio(page, 'Patient: plain language').isChecked()).toBe(true);
    expect(await page.getByRole('status').textContent()).toBe('');

    await page.getByLabel('Highlight medicine names on all sites').uncheck();
    await expectSaved(page, { enabled: false });
    expect(await page.getByRole('status').isVisible()).toBe(true);

    await radio(page, 'Outline').check();
    await expectSaved(page, { highlightStyle: 'outline' });

    await page.getByLabel('Colour', { exact: true }).fill('#c2185b');
    await expectSaved(page, { color: '#c2185b' });

    await radio(page, 'When I hover over a marked name (clicking still works)').check();
    await expectSaved(page, { trigger: 'hover' });

    const delay = page.getByLabel('Hover delay');
    await delay.fill('50');
    await delay.press('Tab');
    await page.getByRole('alert').filter({ hasText: 'Enter a whole number from 100 to 3,000' }).waitFor();
    expect(await delay.getAttribute('aria-invalid')).toBe('true');
    expect((await stored(page))!.hoverDelayMs).toBe(400);
    await delay.fill('800');
    await delay.press('Tab');
    await expectSaved(page, { hoverDelayMs: 800 });
    expect(await page.getByRole('alert').count()).toBe(0);

    await page.getByLabel('Mark only the first time each medicine appears on a page').check();
    await expectSaved(page, { firstOnly: true });

    const cap = page.getByLabel('Most marks on a page');
    await cap.fill('250');
    await cap.press('Enter');
    await expectSaved(page, { maxMarks: 250 });

    await radio(page, 'Dark').check();
    await expectSaved(page, { theme: 'dark' });
    // Applied to the options page itself.
    const root = page.locator('.dl-root');
    expect(await root.getAttribute('data-theme')).toBe('dark');
    expect(await root.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(30, 34, 39)');

    await page.getByLabel('Text size').selectOption('1.4');
    await expectSaved(page, { fontScale: 1.4 });
    expect(await root.evaluate((el) => getComputedStyle(el).fontSize)).toBe('21px');

    await radio(page, 'US').check();
    await expectSaved(page, { region: 'us' });

    await radio(page, 'Student: adds how it works, codes and related medicines').check();
    await expectSaved(page, { view: 'student' });

    const expected: Settings = {
      ...DEFAULT_SETTINGS,
      enabled: false,
      highlightStyle: 'outline',
      color: '#c2185b',
      trigger: 'hover',
      hoverDelayMs: 800,
      firstOnly: true,
      maxMarks: 250,
      theme: 'dark',
      fontScale: 1.4,
      region: 'us',
      view: 'student',
    };
    expect(await stored(page)).toEqual(expected);

    await page.reload();
    await waitLoaded(page);
    expect(await page.getByLabel('Highlight medicine names on all sites').isChecked()).toBe(false);
    expect(await radio(page, 'Outline').isChecked()).toBe(true);
    expect(await page.getByLabel('Colour', { exact: true }).inputValue()).toBe('#c2185b');
    expect(await radio(page, 'When I hover over a marked name (clicking still works)').isChecked()).toBe(true);
    expect(await page.getByLabel('Hover delay').inputValue()).toBe('800');
    expect(await page.getByLabel('Mark only the first time each medicine appears on a page').isChecked()).toBe(true);
    expect(await page.getByLabel('Most marks on a page').inputValue()).toBe('250');
    expect(await radio(page, 'Dark').isChecked()).toBe(true);
    expect(await page.getByLabel('Text size').inputValue()).toBe('1.4');
    expect(await radio(page, 'US').isChecked()).toBe(true);
    expect(await radio(page, 'Student: adds how it works, codes and related medicines').isChecked()).toBe(true);
    expect(await root.getAttribute('data-theme')).toBe('dark');
    expect(await root.evaluate((el) => getComputedStyle(el).fontSize)).toBe('21px');
    expect(await stored(page)).toEqual(expected);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('adds (normalised) and removes sites; a page on a listed site gets no marks until it is removed', async () => {
    const page = await openOptions();
    const add = page.getByLabel('Add a site');
    await page.getByTestId('site-list-empty').waitFor();

    await add.fill('https://WWW.Example.COM/some/page?x=1');
    await add.press('Enter');
    await expectSaved(page, { disabledSites: ['example.com'] });
    expect(await page.getByTestId('site-list').locator('li').allTextContents()).toEqual(['example.comRemove example.com']);
    expect(await add.inputValue()).toBe('');

    await add.fill('not a site!');
    await add.press('Enter');
    await page.getByRole('alert').filter({ hasText: '“not a site!” is not a valid site address' }).waitFor();
    expect(await add.getAttribute('aria-invalid')).toBe('true');
    await add.fill('ftp://files.example');
    await add.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Only web addresses (http or https) and hostnames' }).waitFor();
    await add.fill('www.example.com');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'example.com is already in the list.' }).waitFor();
    expect((await stored(page))!.disabledSites).toEqual(['example.com']);

    await add.fill('127.0.0.1');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expectSaved(page, { disabledSites: ['example.com', '127.0.0.1'] });
    expect(await page.getByRole('alert').count()).toBe(0);

    // 127.0.0.1 is off; localhost (same server, other site) is still marked.
    const off = await fixturePage(server.origin);
    const control = await fixturePage(server.altOrigin);
    await waitForMarks(control, 20);
    await off.waitForTimeout(500);
    expect(await off.locator('druglens-mark').count()).toBe(0);

    await page.reload();
    await waitLoaded(page);
    expect(await page.getByTestId('site-list').locator('li').count()).toBe(2);

    await page.getByRole('button', { name: 'Remove 127.0.0.1' }).click();
    await expectSaved(page, { disabledSites: ['example.com'] });
    const again = await fixturePage(server.origin);
    await waitForMarks(again, 20);
    // The page that was already open is marked too, without a reload.
    await waitForMarks(off, 20);

    await page.getByRole('button', { name: 'Remove example.com' }).click();
    await expectSaved(page, { disabledSites: [] });
    await page.getByTestId('site-list-empty').waitFor();
    for (const p of [off, control, again, page]) await p.close();
  });

  it('turning it off everywhere leaves new pages unmarked', async () => {
    const page = await openOptions();
    await page.getByLabel('Highlight medicine names on all sites').uncheck();
    await expectSaved(page, { enabled: false });
    const off = await fixturePage(server.altOrigin);
    await off.waitForTimeout(800);
    expect(await off.locator('druglens-mark').count()).toBe(0);
    await page.getByLabel('Highlight medicine names on all sites').check();
    await expectSaved(page, { enabled: true });
    await waitForMarks(off, 20);
    await off.close();
    await page.close();
  });

  it('a new highlight style and colour change the marks on a freshly loaded page, and the preview', async () => {
    const before = await fixturePage();
    await waitForMarks(before, 20);
    expect(await markStyle(before)).toMatchObject({ background: 'rgba(0, 0, 0, 0)', decoration: 'underline' });
    await before.close();

    const page = await openOptions();
    const preview = page.getByTestId('preview-mark');
    expect(await preview.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('underline');

    await radio(page, 'Background tint').check();
    await expectSaved(page, { highlightStyle: 'background' });
    expect(await preview.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(26, 115, 232, 0.2)');
    const fresh = await fixturePage();
    await waitForMarks(fresh, 20);
    expect(await markStyle(fresh)).toMatchObject({ background: 'rgba(26, 115, 232, 0.2)', decoration: 'none' });
    await fresh.close();

    await page.getByLabel('Colour', { exact: true }).fill('#ff0000');
    await expectSaved(page, { color: '#ff0000' });
    expect(await preview.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(255, 0, 0, 0.2)');
    const red = await fixturePage();
    await waitForMarks(red, 20);
    expect((await markStyle(red)).background).toBe('rgba(255, 0, 0, 0.2)');
    await red.close();

    await page.getByRole('button', { name: 'Use the default colour' }).click();
    await expectSaved(page, { color: '#1a73e8' });

    await radio(page, 'Outline').check();
    await expectSaved(page, { highlightStyle: 'outline' });
    const outlined = await fixturePage();
    await waitForMarks(outlined, 20);
    expect(await markStyle(outlined)).toMatchObject({ background: 'rgba(0, 0, 0, 0)', decoration: 'none', shadow: 'rgb(26, 115, 232) 0px 0px 0px 1px' });
    await outlined.close();
    await page.close();
  });

  it('exports the current settings as drug-lens-settings.json', async () => {
    const page = await openOptions();
    await page.getByLabel('Mark only the first time each medicine appears on a page').check();
    await expectSaved(page, { firstOnly: true });
    await page.getByLabel('Add a site').fill('news.example');
    await page.getByLabel('Add a site').press('Enter');
    await expectSaved(page, { disabledSites: ['news.example'] });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export settings' }).click()]);
    expect(download.suggestedFilename()).toBe('drug-lens-settings.json');
    const json = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(json).toEqual(await stored(page));
    expect(json).toEqual({ ...DEFAULT_SETTINGS, firstOnly: true, disabledSites: ['news.example'] });
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Exported your settings as drug-lens-settings.json.');
    await page.close();
  });

  it('imports a valid file, old and partial ones too, and shows what was imported', async () => {
    const page = await openOptions();
    await radio(page, 'US').check();
    await expectSaved(page, { region: 'us' });

    // An unversioned file from an older Drug Lens, with one bad value.
    const old = { blockedSites: ['old.example', 'forum.example'], hover: true, color: '#00897b', theme: 'dark', fontScale: 1.2, maxMarks: 'lots' };
    await page.getByLabel('Import settings from a file').setInputFiles({ name: 'old-settings.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(old)) });
    const expected = migrateSettings(old);
    expect(expected).toMatchObject({ disabledSites: ['old.example', 'forum.example'], trigger: 'hover', region: 'both', maxMarks: 2000 });
    await expectSaved(page, expected);
    expect(await stored(page)).toEqual(expected);
    expect(await page.getByRole('status').textContent()).toBe('Saved: settings imported from old-settings.json.');

    const summary = page.getByTestId('import-summary');
    const text = await summary.textContent();
    expect(text).toContain('Imported from old-settings.json');
    expect(text).toContain('Sites where Drug Lens is off: old.example, forum.example');
    expect(text).toContain('Open the card: on hover');
    expect(text).toContain('Highlight colour: #00897b');
    expect(text).toContain('Theme: Dark');
    expect(text).toContain('Text size: 120 %');
    expect(text).toMatch(/set to the default:.*Most marks on a page: 2,000/);
    expect(text).toMatch(/set to the default:.*Brand names for: UK\/EU and US/);

    // The controls show the imported values.
    expect(await radio(page, 'Dark').isChecked()).toBe(true);
    expect(await radio(page, 'Both (UK/EU and US)').isChecked()).toBe(true);
    expect(await page.getByLabel('Colour', { exact: true }).inputValue()).toBe('#00897b');
    expect(await page.getByLabel('Text size').inputValue()).toBe('1.2');
    expect(await page.getByTestId('site-list').locator('li').count()).toBe(2);

    // A complete file, as exported, round-trips.
    const full: Settings = { ...DEFAULT_SETTINGS, highlightStyle: 'background', view: 'student', hoverDelayMs: 1500, disabledSites: ['a.example'] };
    await page.getByLabel('Import settings from a file').setInputFiles({ name: 'drug-lens-settings.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(full)) });
    await expect.poll(() => stored(page)).toEqual(full);
    await page.getByTestId('import-summary').filter({ hasText: 'Imported from drug-lens-settings.json' }).waitFor();
    await page.reload();
    await waitLoaded(page);
    expect(await radio(page, 'Background tint').isChecked()).toBe(true);
    expect(await page.getByLabel('Hover delay').inputValue()).toBe('1500');
    await page.close();
  });

  it('refuses a file that is not JSON or not a settings object, says why, and changes nothing', async () => {
    const page = await openOptions();
    await page.getByLabel('Mark only the first time each medicine appears on a page').check();
    await expectSaved(page, { firstOnly: true });
    const before = await stored(page);
    const input = page.getByLabel('Import settings from a file');

    const bad: [string, string, string][] = [
      ['notes.json', 'this is { not json', 'is not a valid JSON file'],
      ['list.json', '[1, 2, 3]', 'does not hold a settings object'],
      ['text.json', '"hello"', 'does not hold a settings object'],
      ['null.json', 'null', 'does not hold a settings object'],
      ['other.json', '{"name": "something else"}', 'has no Drug Lens settings in it'],
    ];
    for (const [name, content, message] of bad) {
      await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
      const alert = page.getByRole('alert').filter({ hasText: `“${name}”` });
      await alert.waitFor();
      expect(await alert.textContent()).toContain(message);
      expect(await alert.textContent()).toContain('Nothing was changed.');
      await page.waitForTimeout(200);
      expect(await stored(page)).toEqual(before);
    }
    expect(await page.getByTestId('import-summary').count()).toBe(0);
    expect(await page.getByLabel('Mark only the first time each medicine appears on a page').isChecked()).toBe(true);
    expect(await radio(page, 'Dotted underline').isChecked()).toBe(true);
    await page.close();
  });

  it('is usable by keyboard alone: Tab reaches every control, and each can be changed', async () => {
    const page = await openOptions();
    const add = page.getByLabel('Add a site');
    await add.fill('keyboard.example');
    await add.press('Enter');
    await expectSaved(page, { disabledSites: ['keyboard.example'] });
    await page.reload();
    await waitLoaded(page);

    // What Tab should reach: every enabled control, and each radio group once (at its checked radio).
    const KEY = `(el) => !el ? '' : el.type === 'radio' ? 'radio:' + el.name : el.id || el.localName + ':' + el.textContent`;
    const focused = () => page.evaluate(`(${KEY})(document.activeElement)`) as Promise<string>;
    const expected = (await page.evaluate(
      `[...new Set([...document.querySelectorAll('input, select, button, textarea')].filter((el) => !el.disabled).map(${KEY}))]`,
    )) as string[];
    expect(expected).toContain('button:Remove keyboard.example');
    expect(expected).toContain('import');
    expect(expected.length).toBeGreaterThan(12);

    const reached: string[] = [];
    for (let i = 0; i < expected.length + 3; i++) {
      await page.keyboard.press('Tab');
      const k = await focused();
      if (!reached.includes(k)) reached.push(k);
    }
    for (const k of expected) expect(reached).toContain(k);
    // In document order, one stop per control.
    expect(reached.filter((k) => expected.includes(k))).toEqual(expected);

    // Operate controls from the keyboard.
    const tabTo = async (target: string) => {
      for (let i = 0; i < 60; i++) {
        if ((await focused()) === target) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab did not reach ${target}`);
    };
    await tabTo('radio:highlightStyle');
    await page.keyboard.press('ArrowDown');
    await expectSaved(page, { highlightStyle: 'background' });

    await tabTo('firstOnly');
    await page.keyboard.press('Space');
    await expectSaved(page, { firstOnly: true });

    await tabTo('fontScale');
    await page.keyboard.press('ArrowDown');
    await expectSaved(page, { fontScale: 1.1 });

    await tabTo('button:Remove keyboard.example');
    await page.keyboard.press('Enter');
    await expectSaved(page, { disabledSites: [] });
    // With the list empty, focus moves to the box for adding a site.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site');
    await page.keyboard.type('typed.example');
    await page.keyboard.press('Enter');
    await expectSaved(page, { disabledSites: ['typed.example'] });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site');

    await tabTo('button:Export settings');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('drug-lens-settings.json');
    await page.close();
  });

  it('has no accessibility violations found by axe, in light and dark themes', async () => {
    const page = await openOptions();
    await page.getByLabel('Add a site').fill('example.com');
    await page.getByLabel('Add a site').press('Enter');
    await expectSaved(page, { disabledSites: ['example.com'] });
    await page.evaluate(fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const run = () =>
      page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
    expect(await run()).toEqual([]);
    await radio(page, 'Dark').check();
    await expectSaved(page, { theme: 'dark' });
    expect(await run()).toEqual([]);
    await page.close();
  });

  it('sent no request anywhere but the fixture server and the extension', () => {
    expect(ext.foreignRequests()).toEqual([]);
  });
});
