/**
 * The real background wiring and the real messaging library over WXT's fake browser:
 * lookups answer, and forged senders or payloads are rejected with storage unchanged.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerHandlers } from '../../utils/background-handlers';
import { checkMessage, RejectedMessage, type SenderLike } from '../../utils/protocol-guards';
import { removeAllListeners, sendMessage } from '../../utils/protocol';
import { compilePageIndexText, pageIndexToText } from '../../utils/matcher';
import { DATA, LOOKUP } from './helpers';

const PAGE_INDEX = pageIndexToText(DATA.names);
const EFFECTS = { version: 1 as const, ids: ['nausea'], names: [['feeling sick', 0, 'g', 0] as [string, number, 'g', 0]] };

const ID = 'test-extension-id';
const ORIGIN = `chrome-extension://${ID}/`;
const popup: SenderLike = { id: ID, url: `${ORIGIN}popup.html`, origin: ORIGIN.slice(0, -1) };
const contentScript: SenderLike = { id: ID, url: 'https://forum.example/thread', origin: 'https://forum.example', tab: { id: 5 }, frameId: 0 };

describe('background over messaging', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    removeAllListeners();
    registerHandlers({
      lookup: LOOKUP,
      pageIndex: PAGE_INDEX,
      effectTerms: EFFECTS,
      extensionId: fakeBrowser.runtime.id,
      extensionOrigin: fakeBrowser.runtime.getURL('/'),
      store: {
        get: async () => (await fakeBrowser.storage.local.get('settings')).settings,
        set: (v) => fakeBrowser.storage.local.set({ settings: v }),
      },
    });
  });

  /** Delivers a message with a chosen sender, as the browser would. */
  async function deliver(type: string, data: unknown, sender: SenderLike): Promise<{ res?: unknown; err?: { message: string } }> {
    let response: unknown;
    const done = new Promise((r) => (response = r));
    await fakeBrowser.runtime.onMessage.trigger({ id: 1, type, data, timestamp: Date.now() }, sender as never, (r: unknown) => (response as (x: unknown) => void)(r));
    return (await done) as { res?: unknown; err?: { message: string } };
  }

  it('answers lookups from our content scripts and pages', async () => {
    const a = await deliver('lookupName', { name: 'Gleevec' }, contentScript);
    expect((a.res as { id: string }).id).toBe('imatinib');
    const b = await deliver('lookupDrug', { id: 'blinatumomab', text: 'Blincyto', kind: 'b' }, contentScript);
    expect((b.res as { matched: { label: string } }).matched.label).toBe('brand name');
    expect((await deliver('lookupName', { name: 'not-a-drug' }, popup)).res).toBeNull();
  });

  it('sends the page index to a content script, which compiles it and finds names', async () => {
    const a = await deliver('getPageIndex', undefined, contentScript);
    expect(typeof a.res).toBe('string');
    const matcher = await compilePageIndexText(a.res as string, async () => undefined);
    expect(matcher.size).toBe(DATA.names.names.length);
    expect(matcher.find('On Glivec (imatinib) since May').map((m) => m.id)).toEqual(['imatinib', 'imatinib']);
    // Only content scripts ask for it; a page without a tab is not one.
    const forged = await deliver('getPageIndex', undefined, { id: ID, url: 'https://evil.example/', origin: 'https://evil.example' });
    expect(forged.err?.message).toMatch(/not accepted from foreign/);
    expect((await deliver('getPageIndex', { all: true }, contentScript)).err?.message).toMatch(/invalid payload/);
  });

  it('sends the side-effect words to a content script only', async () => {
    const a = await deliver('getEffectTerms', undefined, contentScript);
    expect(a.res).toEqual(EFFECTS);
    expect((await deliver('getEffectTerms', undefined, popup)).err?.message).toMatch(/not accepted from extension-page/);
  });

  it('saves settings from the options page, and not from a content script', async () => {
    const ok = await deliver('saveSettings', { firstOnly: true }, popup);
    expect((ok.res as { firstOnly: boolean }).firstOnly).toBe(true);
    const before = await fakeBrowser.storage.local.get('settings');
    const forged = await deliver('saveSettings', { enabled: false }, contentScript);
    expect(forged.err?.message).toMatch(/not accepted from content-script/);
    expect(await fakeBrowser.storage.local.get('settings')).toEqual(before);
  });

  it('rejects a sender with no identity (as the fake browser sends)', async () => {
    await expect(sendMessage('lookupName', { name: 'Gleevec' })).rejects.toThrow(/not accepted from foreign/);
  });

  it('rejects malformed payloads', async () => {
    expect((await deliver('lookupName', { name: '' }, contentScript)).err?.message).toMatch(/invalid payload/);
    expect((await deliver('lookupDrug', { id: '<img src=x>', text: 'x' }, contentScript)).err?.message).toMatch(/invalid payload/);
    expect((await deliver('resolveTypos', { words: 'imatinib' }, contentScript)).err?.message).toMatch(/invalid payload/);
  });
});

describe('sender and payload checks', () => {
  it('accepts settings changes only from our own pages', () => {
    expect(() => checkMessage('saveSettings', { enabled: false }, popup, ID, ORIGIN)).not.toThrow();
    expect(() => checkMessage('saveSettings', { enabled: false }, contentScript, ID, ORIGIN)).toThrow(RejectedMessage);
    expect(() => checkMessage('saveSettings', { enabled: false }, { ...popup, id: 'other-extension' }, ID, ORIGIN)).toThrow(RejectedMessage);
    expect(() => checkMessage('saveSettings', { enabled: false }, { id: ID, url: `chrome-extension://${ID}.evil.example/x` }, ID, ORIGIN)).toThrow(RejectedMessage);
  });

  it('lets a content script change only the card view', () => {
    expect(checkMessage('saveView', { view: 'student' }, contentScript, ID, ORIGIN)).toEqual({ view: 'student' });
    expect(() => checkMessage('saveView', { view: 'student', enabled: false }, contentScript, ID, ORIGIN)).toThrow(RejectedMessage);
  });

});
