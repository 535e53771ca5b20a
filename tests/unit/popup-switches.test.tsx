/**
 * The popup's "Off for this site" and "Off everywhere" switches over a stand-in for the
 * background whose saves answer only when the test says so. A switch shows the user's
 * choice at once and keeps it while other answers re-render the popup; a save that fails
 * shows what is stored; saves go one after another (utils/settings-saver.ts), and an
 * answer to an older save never overrides a newer choice.
 */
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../entrypoints/popup/App';
import { applyPatch, type Settings } from '../../utils/settings';
import { DEFAULT_SETTINGS } from '../../utils/settings-core';

vi.mock('../../utils/protocol', () => ({ sendMessage: vi.fn() }));
import { sendMessage } from '../../utils/protocol';

type Pending = { patch: Partial<Settings>; answer: (ok: boolean) => void };

/** A background holding stored settings; each save waits in `saves` until answered. */
function background() {
  const state = { stored: { ...DEFAULT_SETTINGS } as Settings, saves: [] as Pending[], pageInfoCalls: 0 };
  vi.mocked(sendMessage).mockImplementation((async (type: string, data: unknown) => {
    switch (type) {
      case 'getSettings':
        return structuredClone(state.stored);
      case 'saveSettings':
        return new Promise((resolve, reject) => {
          state.saves.push({
            patch: data as Partial<Settings>,
            answer: (ok) => {
              if (!ok) return reject(new Error('storage refused'));
              state.stored = applyPatch(state.stored, data as Partial<Settings>);
              resolve(structuredClone(state.stored));
            },
          });
        });
      case 'getPageDrugs':
        return [];
      case 'getPageInfo':
        state.pageInfoCalls++;
        return { url: 'https://forum.example/t/1', site: 'forum.example', active: true, effects: [] };
      default:
        throw new Error(`unexpected ${type}`);
    }
  }) as never);
  return state;
}

const tick = () => new Promise((r) => setTimeout(r, 10));
async function until(check: () => boolean) {
  for (let i = 0; i < 300 && !check(); i++) await tick();
  expect(check()).toBe(true);
}

describe('the popup switches', () => {
  let el: HTMLElement;
  beforeEach(() => {
    fakeBrowser.reset();
    window.history.replaceState(null, '', '/popup.html?tab=7');
    el = document.body.appendChild(document.createElement('div'));
  });
  afterEach(() => {
    render(null, el);
    el.remove();
    window.history.replaceState(null, '', '/');
  });

  const box = (id: string) => el.querySelector<HTMLInputElement>(`[data-testid=${id}]`)!;
  /** The popup over a fresh background, once it shows both switches. */
  async function openPopup() {
    const bg = background();
    render(<App />, el);
    await until(() => !!el.querySelector('[data-testid=toggle-site]'));
    return bg;
  }
  /** Re-renders the popup without touching settings: a keystroke in the search box. */
  function rerender() {
    const input = box('search');
    input.value += 'x';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  it('"Off everywhere" stays as clicked while the save is pending and the popup re-renders, and again once it is stored', async () => {
    const bg = await openPopup();
    expect(box('toggle-all').checked).toBe(false);

    box('toggle-all').click();
    await until(() => bg.saves.length === 1);
    expect(bg.saves[0].patch).toEqual({ enabled: false });
    rerender();
    await tick();
    expect(box('toggle-all').checked).toBe(true);

    bg.saves[0].answer(true);
    await until(() => bg.stored.enabled === false);
    // The page info is asked for again after a save; that render keeps the switch too.
    const calls = bg.pageInfoCalls;
    await until(() => bg.pageInfoCalls > calls);
    await tick();
    expect(box('toggle-all').checked).toBe(true);

    box('toggle-all').click();
    await until(() => bg.saves.length === 2);
    rerender();
    await tick();
    expect(box('toggle-all').checked).toBe(false);
    bg.saves[1].answer(true);
    await until(() => bg.stored.enabled === true);
    await tick();
    expect(box('toggle-all').checked).toBe(false);
  });

  it('"Off for this site" adds and removes the site, and shows the change before the save answers', async () => {
    const bg = await openPopup();
    box('toggle-site').click();
    await until(() => bg.saves.length === 1);
    expect(bg.saves[0].patch).toEqual({ disabledSites: ['forum.example'] });
    rerender();
    await tick();
    expect(box('toggle-site').checked).toBe(true);
    bg.saves[0].answer(true);
    await until(() => bg.stored.disabledSites.length === 1);

    box('toggle-site').click();
    await until(() => bg.saves.length === 2);
    expect(bg.saves[1].patch).toEqual({ disabledSites: [] });
    await tick();
    expect(box('toggle-site').checked).toBe(false);
  });

  it('a save that fails puts the switch back to what is stored', async () => {
    const bg = await openPopup();
    box('toggle-all').click();
    await until(() => bg.saves.length === 1);
    expect(box('toggle-all').checked).toBe(true);
    bg.saves[0].answer(false);
    await until(() => !box('toggle-all').checked);
    expect(bg.stored.enabled).toBe(true);
  });

  it('an answer to an older save does not undo a newer click, and saves go one after another', async () => {
    const bg = await openPopup();
    box('toggle-all').click(); // off
    box('toggle-all').click(); // on again, before the first save answers
    await until(() => bg.saves.length === 1);
    await tick();
    expect(bg.saves).toHaveLength(1); // the second waits for the first
    expect(box('toggle-all').checked).toBe(false);
    bg.saves[0].answer(true); // stored: off
    await until(() => bg.saves.length === 2);
    await tick();
    expect(box('toggle-all').checked).toBe(false);
    expect(bg.saves[1].patch).toEqual({ enabled: true });
    bg.saves[1].answer(true); // stored: on
    await until(() => bg.stored.enabled === true);
    await tick();
    expect(box('toggle-all').checked).toBe(false);
  });
});
