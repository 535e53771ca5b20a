/**
 * The real background entrypoint (entrypoints/background.ts) over WXT's fake browser:
 * the context-menu item is created on install and looks up the selected text (a known
 * name, a drug-like word read by its stem, an unknown word), the keyboard command
 * toggles the current site, and the toolbar badge counts the drugs a tab reported.
 * The fake browser has no contextMenus or commands, so those are given small in-memory
 * stand-ins here; tabs.sendMessage is answered as a content script would answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '@/entrypoints/background';
import type { CardData } from '@/utils/lookup';
import { removeAllListeners } from '@/utils/protocol';
import { type Settings } from '@/utils/settings';
import { DEFAULT_SETTINGS } from '@/utils/settings-core';

type Listener = (...args: never[]) => unknown;

/** A browser event with a trigger, like the fake browser's own events. */
function event() {
  const listeners: Listener[] = [];
  return {
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: (l: Listener) => void listeners.splice(listeners.indexOf(l), 1),
    hasListener: (l: Listener) => listeners.includes(l),
    hasListeners: () => listeners.length > 0,
    trigger: (...args: unknown[]) => Promise.all(listeners.map((l) => (l as (...a: unknown[]) => unknown)(...args))),
  };
}

interface Sent {
  tabId: number;
  message: { id: number; type: string; data: unknown; timestamp: number };
  options?: { frameId?: number };
}

const MENU_ID = 'druglens-lookup-selection';
const menus = { onClicked: event(), created: [] as unknown[], removedAll: 0 };
const commands = { onCommand: event() };
let sent: Sent[] = [];
/** What the content script of each tab answers to getPageInfo (undefined: no content script). */
let pageInfo: Record<number, { url: string; site: string | null; active: boolean; effects: string[] } | undefined> = {};
let tabsForQuery: { id: number; incognito: boolean; active: boolean }[] = [];

const fb = fakeBrowser as unknown as Record<string, Record<string, unknown>>;
const saved = { contextMenus: fb.contextMenus, commands: fb.commands, tabsSendMessage: fb.tabs.sendMessage, tabsQuery: fb.tabs.query };

beforeAll(() => {
  fakeBrowser.reset();
  removeAllListeners();
  fb.contextMenus = {
    onClicked: menus.onClicked,
    create: (props: unknown) => {
      menus.created.push(props);
      return MENU_ID;
    },
    removeAll: async () => {
      menus.removedAll++;
    },
  };
  fb.commands = { onCommand: commands.onCommand };
  fb.tabs.sendMessage = (tabId: number, message: Sent['message'], options?: Sent['options'], callback?: (r: unknown) => void) => {
    sent.push({ tabId, message, options });
    const reply = message.type === 'getPageInfo' ? (pageInfo[tabId] ? { res: pageInfo[tabId] } : undefined) : { res: true };
    // No content script in the tab: Chrome calls back with no response (and lastError set).
    setTimeout(() => callback?.(reply), 0);
  };
  fb.tabs.query = async (q: { active?: boolean }) => tabsForQuery.filter((t) => !q.active || t.active);
  background.main();
});

afterAll(() => {
  fb.contextMenus = saved.contextMenus;
  fb.commands = saved.commands;
  fb.tabs.sendMessage = saved.tabsSendMessage;
  fb.tabs.query = saved.tabsQuery;
  removeAllListeners();
  fakeBrowser.reset();
});

beforeEach(async () => {
  sent = [];
  pageInfo = {};
  tabsForQuery = [];
  await fakeBrowser.storage.local.clear();
});

const settle = () => new Promise((r) => setTimeout(r, 20));

async function menuClick(selectionText: string, tab: { id?: number } | null = { id: 7 }, extra: Record<string, unknown> = {}) {
  await menus.onClicked.trigger({ menuItemId: MENU_ID, selectionText, editable: false, pageUrl: 'https://forum.example/t/1', ...extra }, tab ?? undefined);
  await settle();
}

function showCards(): { tabId: number; frameId?: number; text: string; card: CardData | null }[] {
  return sent
    .filter((s) => s.message.type === 'showCard')
    .map((s) => {
      const d = s.message.data as { text: string; card: CardData | null };
      return { tabId: s.tabId, frameId: s.options?.frameId, text: d.text, card: d.card };
    });
}

async function storedSettings(): Promise<Settings | undefined> {
  return (await fakeBrowser.storage.local.get('settings')).settings as Settings | undefined;
}

describe('background wiring: context menu', () => {
  it('creates one "Look up “%s” in Drug Lens" item for selected text when installed', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    await settle();
    expect(menus.removedAll).toBe(1);
    expect(menus.created).toEqual([{ id: MENU_ID, title: 'Look up “%s” in Drug Lens', contexts: ['selection'] }]);
  });

  it('sends showCard with the card for a known brand name to the frame where it was selected', async () => {
    await menuClick('  Gleevec ', { id: 7 }, { frameId: 0 });
    const [shown, ...rest] = showCards();
    expect(rest).toEqual([]);
    expect(shown.tabId).toBe(7);
    expect(shown.frameId).toBe(0);
    expect(shown.text).toBe('Gleevec');
    expect(shown.card).toMatchObject({ id: 'imatinib', name: 'Imatinib', tier: 'reviewed', matched: { text: 'Gleevec', kind: 'b', label: 'brand name' } });
    // The message is in the messaging library's format, so the content script's onMessage('showCard') takes it.
    const msg = sent[0].message;
    expect(msg.type).toBe('showCard');
    expect(typeof msg.id).toBe('number');
    expect(typeof msg.timestamp).toBe('number');

    await menuClick('ponatinob', { id: 8 }, { frameId: 3 });
    const typo = showCards()[1];
    expect(typo).toMatchObject({ tabId: 8, frameId: 3, text: 'ponatinob' });
    expect(typo.card).toMatchObject({ id: 'ponatinib', matched: { text: 'ponatinob', fuzzy: 'Ponatinib' } });
  });

  it('sends a "likely class, from its name" card for an unknown word with a drug-like stem', async () => {
    await menuClick('zorbatinib');
    const [shown] = showCards();
    expect(shown.text).toBe('zorbatinib');
    expect(shown.card).toMatchObject({ id: 'stem:zorbatinib', name: 'Zorbatinib', tier: 'stem', stem: '-tinib' });
    expect(shown.card!.reviewedOn).toBeUndefined();
    expect(shown.card!.classes[0]).toMatchObject({ id: 'tki', name: 'Tyrosine kinase inhibitor (TKI)' });
    expect(shown.card!.common).toEqual([]);
    expect(shown.card!.urgent).toEqual([]);

    await menuClick('blorfomab');
    expect(showCards()[1].card).toMatchObject({ tier: 'stem', stem: '-mab' });
    await menuClick('abcdekymleucel');
    expect(showCards()[2].card).toMatchObject({ tier: 'stem', stem: '-leucel' });
  });

  it('sends no card (the page shows a not-found notice) for a word that is neither known nor drug-like', async () => {
    await menuClick('xyzzyqq');
    expect(showCards()).toEqual([{ tabId: 7, frameId: 0, text: 'xyzzyqq', card: null }]);
  });

  it('cuts the selection to 200 characters, and ignores other menu items and clicks without a tab', async () => {
    await menuClick('x'.repeat(500));
    expect(showCards()[0].text).toBe('x'.repeat(200));
    sent = [];
    await menus.onClicked.trigger({ menuItemId: 'something-else', selectionText: 'Gleevec' }, { id: 7 });
    await menuClick('Gleevec', null);
    await menuClick('Gleevec', {});
    await settle();
    expect(sent).toEqual([]);
  });
});

describe('background wiring: keyboard command', () => {
  it('"toggle-site" turns the active tab\'s site off, and on again', async () => {
    tabsForQuery = [{ id: 4, incognito: false, active: true }];
    pageInfo[4] = { url: 'https://www.example.com/a', site: 'example.com', active: true, effects: [] };
    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect(sent.map((s) => [s.tabId, s.message.type, s.options?.frameId])).toEqual([[4, 'getPageInfo', 0]]);
    expect(await storedSettings()).toEqual({ ...DEFAULT_SETTINGS, disabledSites: ['example.com'] });

    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect(await storedSettings()).toEqual({ ...DEFAULT_SETTINGS, disabledSites: [] });
  });

  it('keeps the other sites in the list', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, disabledSites: ['a.example', 'b.example'] } });
    tabsForQuery = [{ id: 4, incognito: false, active: true }];
    pageInfo[4] = { url: 'https://b.example/', site: 'b.example', active: false, effects: [] };
    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect((await storedSettings())!.disabledSites).toEqual(['a.example']);
    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect((await storedSettings())!.disabledSites).toEqual(['a.example', 'b.example']);
  });

  it('in a private window, changes only the in-memory settings and pushes them to private tabs', async () => {
    tabsForQuery = [{ id: 9, incognito: true, active: true }];
    pageInfo[9] = { url: 'https://private.example/', site: 'private.example', active: true, effects: [] };
    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect(await storedSettings()).toBeUndefined();
    const pushed = sent.filter((s) => s.message.type === 'applySettings');
    expect(pushed.map((s) => s.tabId)).toEqual([9]);
    expect((pushed[0].message.data as Settings).disabledSites).toEqual(['private.example']);
    // Back on, so the in-memory copy is as it was for the other tests.
    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect((sent.filter((s) => s.message.type === 'applySettings').at(-1)!.message.data as Settings).disabledSites).toEqual([]);
  });

  it('does nothing for other commands, without an active tab, or where no content script answers', async () => {
    tabsForQuery = [{ id: 4, incognito: false, active: true }];
    pageInfo[4] = { url: 'https://example.com/', site: 'example.com', active: true, effects: [] };
    await commands.onCommand.trigger('something-else');
    await settle();
    expect(sent).toEqual([]);

    tabsForQuery = [{ id: 5, incognito: false, active: true }];
    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect(sent.map((s) => s.message.type)).toEqual(['getPageInfo']);
    expect(await storedSettings()).toBeUndefined();

    tabsForQuery = [];
    sent = [];
    await commands.onCommand.trigger('toggle-site');
    await settle();
    expect(sent).toEqual([]);
  });
});

describe('background wiring: toolbar badge', () => {
  it('shows the number of different drugs a tab reported, summed over its frames, and clears with none', async () => {
    const sender = (frameId: number) => ({ id: fakeBrowser.runtime.id, url: 'https://forum.example/t/1', origin: 'https://forum.example', tab: { id: 12 }, frameId });
    const report = async (frameId: number, drugs: { id: string; count: number }[]) => {
      let reply: unknown;
      await fakeBrowser.runtime.onMessage.trigger(
        { id: 1, type: 'reportPageDrugs', data: { drugs }, timestamp: Date.now() },
        sender(frameId) as never,
        ((r: unknown) => (reply = r)) as never,
      );
      await settle();
      return reply;
    };
    expect(await report(0, [{ id: 'imatinib', count: 3 }, { id: 'dasatinib', count: 1 }])).toEqual({ res: undefined });
    expect(await fakeBrowser.action.getBadgeText({ tabId: 12 })).toBe('2');
    await report(2, [{ id: 'imatinib', count: 1 }, { id: 'rituximab', count: 2 }]);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 12 })).toBe('3');
    await report(0, []);
    await report(2, []);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 12 })).toBe('');
  });
});
