/**
 * The options page's pure parts (site input, settings files) and the page itself over a
 * stand-in for the background: labels, immediate saves, and a failed save undone.
 */
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../entrypoints/options/App';
import { fontScaleChoices, normaliseSite, parseSettingsFile, SETTING_KEYS, toPatch } from '../../entrypoints/options/helpers';
import { applyPatch, migrateSettings, type Settings } from '../../utils/settings';
import { DEFAULT_SETTINGS, siteKey } from '../../utils/settings-core';

const background = vi.hoisted(() => ({ settings: undefined as unknown, fail: false, sent: [] as unknown[] }));

vi.mock('../../utils/protocol', () => ({
  sendMessage: vi.fn(),
}));

import { sendMessage } from '../../utils/protocol';

describe('normaliseSite', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM ', 'example.com'],
    ['www.example.com', 'example.com'],
    ['https://www.Example.com/a/page?q=1#x', 'example.com'],
    ['http://news.example.co.uk:8080/', 'news.example.co.uk'],
    ['example.com/path', 'example.com'],
    ['example.com.', 'example.com'],
    ['127.0.0.1', '127.0.0.1'],
    ['localhost', 'localhost'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['http://[::1]:3000/', '[::1]'],
    ['file:///home/me/notes.html', 'file://'],
    ['wwwexample.com', 'wwwexample.com'],
  ])('%s → %s', (input, site) => {
    expect(normaliseSite(input)).toEqual({ site });
  });

  it('gives the same key as the extension uses for a page on that site', () => {
    for (const url of ['https://www.forum.example/t/1', 'http://127.0.0.1:4000/x', 'https://sub.site.example/']) {
      expect(normaliseSite(url)).toEqual({ site: siteKey(url) });
    }
  });

  it.each(['', '   ', 'not a site', 'exa mple.com', 'under_score.example', '-bad.example', 'bad-.example', 'a..b', 'user@example.com', 'ftp://files.example', 'javascript:alert(1)', `${'a'.repeat(64)}.example`])(
    'refuses %j',
    (input) => {
      expect(normaliseSite(input)).toHaveProperty('error');
    },
  );
});

describe('parseSettingsFile', () => {
  it('refuses anything but a JSON object with at least one setting', () => {
    expect(parseSettingsFile('nope {')).toEqual({ ok: false, error: 'This file is not a valid JSON file. Nothing was changed.' });
    for (const text of ['[]', '[{"enabled":false}]', '"text"', '42', 'null', 'true']) {
      expect(parseSettingsFile(text)).toEqual({ ok: false, error: 'This file does not hold a settings object. Nothing was changed.' });
    }
    expect(parseSettingsFile('{"colour":"#ff0000"}')).toEqual({ ok: false, error: 'This file has no Drug Lens settings in it. Nothing was changed.' });
  });

  it('reads an exported file back exactly, a byte-order mark and all', () => {
    const s: Settings = { ...DEFAULT_SETTINGS, theme: 'dark', disabledSites: ['a.example'], maxMarks: 12 };
    const r = parseSettingsFile(`\uFEFF${JSON.stringify(s, null, 2)}`);
    expect(r).toEqual({ ok: true, settings: s, fromFile: SETTING_KEYS, defaulted: [] });
  });

  it('migrates old and partial files, and names what was set to the default', () => {
    const r = parseSettingsFile(JSON.stringify({ blockedSites: ['old.example'], hover: true, fontScale: 7, view: 'student' }));
    if (!r.ok) throw new Error(r.error);
    expect(r.settings).toEqual({ ...DEFAULT_SETTINGS, disabledSites: ['old.example'], trigger: 'hover', view: 'student' });
    expect(r.fromFile.sort()).toEqual(['disabledSites', 'trigger', 'view']);
    expect(r.defaulted).toContain('fontScale');
    expect(toPatch(r.settings)).not.toHaveProperty('version');
    expect(() => applyPatch(DEFAULT_SETTINGS, toPatch(r.settings))).not.toThrow();
  });
});

describe('fontScaleChoices', () => {
  it('offers 80 % to 160 %, and keeps a value in between', () => {
    expect(fontScaleChoices(1)).toEqual([0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6]);
    expect(fontScaleChoices(1.25)).toContain(1.25);
  });
});

describe('the options page', () => {
  let host: HTMLElement;
  beforeEach(() => {
    fakeBrowser.reset();
    background.settings = { ...DEFAULT_SETTINGS, disabledSites: ['forum.example'] };
    background.fail = false;
    background.sent = [];
    vi.mocked(sendMessage).mockImplementation((async (type: string, data: unknown) => {
      if (type === 'getSettings') return migrateSettings(background.settings);
      if (type === 'saveSettings') {
        background.sent.push(data);
        if (background.fail) throw new Error('storage is full');
        background.settings = applyPatch(migrateSettings(background.settings), data);
        return background.settings;
      }
      throw new Error(`unexpected ${type}`);
    }) as never);
    host = document.body.appendChild(document.createElement('div'));
  });
  afterEach(() => {
    render(null, host);
    document.body.innerHTML = '';
  });

  async function until(check: () => boolean) {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  }
  const byLabel = (text: string) => {
    const label = [...host.querySelectorAll('label')].find((l) => l.textContent!.trim() === text);
    return (label?.control ?? null) as HTMLInputElement | null;
  };

  it('labels every control and groups them in fieldsets with legends', async () => {
    render(<App />, host);
    await until(() => !!host.querySelector('#fontScale'));
    const controls = [...host.querySelectorAll('input, select, textarea')];
    expect(controls.length).toBeGreaterThan(15);
    for (const el of controls) expect((el as HTMLInputElement).labels!.length, el.outerHTML).toBeGreaterThan(0);
    for (const fs of host.querySelectorAll('fieldset')) expect(fs.firstElementChild!.localName).toBe('legend');
    for (const b of host.querySelectorAll('button')) expect(b.textContent!.trim()).not.toBe('');
    expect(host.querySelector('[role=status]')).not.toBeNull();
    expect(host.querySelector('[data-testid=site-list]')!.textContent).toContain('forum.example');
  });

  it('saves a change at once as a patch of that one setting, and says "Saved"', async () => {
    render(<App />, host);
    await until(() => !!byLabel('Highlight medicine names on all sites'));
    const box = byLabel('Highlight medicine names on all sites')!;
    box.click();
    await until(() => background.sent.length === 1);
    expect(background.sent).toEqual([{ enabled: false }]);
    await until(() => host.querySelector('[role=status]')!.textContent === 'Saved.');
    expect(box.checked).toBe(false);
  });

  it('puts a control back and shows an alert when the save fails', async () => {
    render(<App />, host);
    await until(() => !!byLabel('Mark only the first time each medicine appears on a page'));
    background.fail = true;
    const box = byLabel('Mark only the first time each medicine appears on a page')!;
    box.click();
    await until(() => !!host.querySelector('[role=alert]'));
    expect(host.querySelector('[role=alert]')!.textContent).toBe('Could not save: storage is full. The change was not kept.');
    expect(box.checked).toBe(false);
    expect(host.querySelector('[role=status]')!.textContent).toBe('');
  });

  it('follows changes made elsewhere, such as the pop-up', async () => {
    render(<App />, host);
    await until(() => !!host.querySelector('#fontScale'));
    const next = { ...DEFAULT_SETTINGS, theme: 'dark', disabledSites: ['forum.example', 'news.example'] };
    await fakeBrowser.storage.local.set({ settings: next });
    await until(() => host.querySelector('.dl-root')!.getAttribute('data-theme') === 'dark');
    expect(host.querySelector('[data-testid=site-list]')!.textContent).toContain('news.example');
  });
});
