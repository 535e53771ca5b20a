import { startContentApp } from '@/utils/content-app';
import { onMessage, sendMessage } from '@/utils/protocol';
import { siteKey } from '@/utils/settings-core';

// Wiring only: the content app gets the messaging (the page index comes from the
// background, and only where the extension is on) and the context's timers and
// listeners (so it goes quiet if the extension is reloaded or updated).
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  allFrames: true,
  matchAboutBlank: true,
  async main(ctx) {
    const app = await startContentApp({
      getPageIndex: () => sendMessage('getPageIndex', undefined),
      getEffectTerms: () => sendMessage('getEffectTerms', undefined),
      doc: document,
      // about:blank and about:srcdoc frames hold their creator's content: they follow its site's switch.
      url: () => (location.protocol === 'about:' && self.origin !== 'null' ? self.origin : location.href),
      getSettings: () => sendMessage('getSettings', undefined),
      saveView: (view) => sendMessage('saveView', { view }),
      lookupDrug: (d) => sendMessage('lookupDrug', d),
      resolveTypos: (words) => sendMessage('resolveTypos', { words }),
      reportDrugs: (drugs) => void sendMessage('reportPageDrugs', { drugs }).catch(() => undefined),
      setTimeout: (fn, ms) => ctx.setTimeout(fn, ms),
      isAlive: () => ctx.isValid,
      addListener: (target, type, fn, options) => ctx.addEventListener(target as Document, type as 'click', fn as () => void, options),
    });
    const top = window === window.top;
    const removers = [
      onMessage('revealDrug', ({ data }) => (top ? app.reveal(data.id) : false)),
      onMessage('getPageInfo', async () => ({ url: location.href, site: siteKey(location.href), active: !!app.highlighter(), effects: await app.sideEffectsOnPage() })),
      onMessage('showCard', ({ data }) => app.showForSelection(data.text, data.card)),
      onMessage('applySettings', ({ data }) => app.applySettings(data)),
    ];
    const onStorage = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === 'local' && changes.settings) app.applySettings(changes.settings.newValue);
    };
    browser.storage.onChanged.addListener(onStorage);
    ctx.onInvalidated(() => {
      // After an update the old script's extension APIs go (chrome.storage is undefined,
      // and `browser` is `chrome` where there is no browser global): the page is restored
      // first, and nothing here may throw.
      app.stop();
      removers.forEach((r) => r());
      browser.storage?.onChanged.removeListener(onStorage);
    });
  },
});
