import { loadLookupData } from '@/data/bundle';
import { EFFECT_TERMS } from '@/data/page-effects';
import { PAGE_INDEX_TEXT } from '@/data/page-index';
import { registerHandlers } from '@/utils/background-handlers';
import { createLookup } from '@/utils/lookup';
import { sendMessage } from '@/utils/protocol';

const MENU_ID = 'druglens-lookup-selection';

// Wiring only: load the bundled data (the lookup index, and the page index and
// side-effect words that content scripts ask for), register the message handlers, the
// context menu and the keyboard command.
export default defineBackground(() => {
  const lookup = createLookup(loadLookupData());
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  const handlers = registerHandlers({
    lookup,
    pageIndex: PAGE_INDEX_TEXT,
    effectTerms: EFFECT_TERMS,
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    store: {
      get: async () => (await browser.storage.local.get('settings')).settings,
      set: (value) => browser.storage.local.set({ settings: value }),
    },
    setBadge: (tabId, text) => {
      void action?.setBadgeText({ tabId, text }).catch(() => undefined);
      void action?.setBadgeBackgroundColor?.({ tabId, color: '#0b57d0' }).catch(() => undefined);
    },
    pushPrivateSettings: (settings) => {
      void browser.tabs.query({}).then((tabs) => {
        for (const t of tabs) {
          if (t.incognito && t.id !== undefined) void sendMessage('applySettings', settings, t.id).catch(() => undefined);
        }
      });
    },
  });
  browser.tabs.onRemoved.addListener((tabId) => handlers.forgetTab(tabId));

  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() =>
      browser.contextMenus.create({ id: MENU_ID, title: 'Look up “%s” in Drug Lens', contexts: ['selection'] }),
    );
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ID || tab?.id === undefined) return;
    const text = (info.selectionText ?? '').trim().slice(0, 200);
    const card = lookup.byName(text) ?? lookup.guessByStem(text);
    void sendMessage('showCard', { text, card }, { tabId: tab.id, frameId: info.frameId ?? 0 }).catch(() => undefined);
  });

  browser.commands.onCommand.addListener(async (command) => {
    if (command !== 'toggle-site') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id === undefined) return;
    const info = await sendMessage('getPageInfo', undefined, { tabId: tab.id, frameId: 0 }).catch(() => null);
    if (info?.site) await handlers.toggleSite(info.site, !!tab.incognito);
  });
});
