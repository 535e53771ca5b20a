import { loadLookupData } from '@/data/bundle';
import { registerHandlers } from '@/utils/background-handlers';
import { createLookup } from '@/utils/lookup';

// Wiring only: load the bundled index, register the message handlers.
export default defineBackground(() => {
  const lookup = createLookup(loadLookupData());
  const handlers = registerHandlers({
    lookup,
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    store: {
      get: async () => (await browser.storage.local.get('settings')).settings,
      set: (value) => browser.storage.local.set({ settings: value }),
    },
    setBadge: (tabId, text) => {
      const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
      void action?.setBadgeText({ tabId, text }).catch(() => undefined);
      void action?.setBadgeBackgroundColor?.({ tabId, color: '#0b57d0' }).catch(() => undefined);
    },
  });
  browser.tabs.onRemoved.addListener((tabId) => handlers.forgetTab(tabId));
});
