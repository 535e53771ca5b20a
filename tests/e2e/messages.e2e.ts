/**
 * In real Chromium: the background answers unknown message types and malformed
 * envelopes with a rejection at once (the messaging library alone would leave them
 * unanswered, or reach Object.prototype for "constructor"), still answers real messages,
 * refuses a settings patch carrying a __proto__ key, and nothing reaches storage.
 * Messages are sent raw with chrome.runtime.sendMessage from our own options page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchExtension, type Ext } from './harness';
import { ensureBuild } from './builds';

let ext: Ext;
let page: Page;

beforeAll(async () => {
  await ensureBuild('chrome');
  ext = await launchExtension();
  page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
}, 300_000);
afterAll(async () => {
  await ext?.close();
});

/** Sends raw messages; each answer, or the runtime's error when there is none. */
function send(messages: unknown[]): Promise<unknown[]> {
  return page.evaluate(
    (list) =>
      Promise.all(
        list.map(
          (m) =>
            new Promise((resolve) =>
              chrome.runtime.sendMessage(typeof m === 'string' && m.startsWith('json:') ? JSON.parse(m.slice(5)) : m, (r: unknown) =>
                resolve(chrome.runtime.lastError ? { lastError: chrome.runtime.lastError.message } : r),
              ),
            ),
        ),
      ),
    messages,
  );
}

const storage = () => page.evaluate(() => chrome.storage.local.get(null));

describe('the background in real Chromium', () => {
  it('rejects unknown types and malformed envelopes at once, answers real messages, and stores nothing', async () => {
    const before = await storage();
    const now = Date.now();
    const forged = [
      ...['unknownType', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'revealDrug', 'getPageInfo', 'showCard', 'applySettings'].map((type) => ({ id: 1, type, data: { enabled: false }, timestamp: now })),
      { id: 1, type: 'saveSettings', data: { enabled: false } }, // no timestamp
      { id: 1, type: 7, data: {}, timestamp: now },
      'saveSettings',
      42,
      [{ type: 'saveSettings', data: { enabled: false }, timestamp: now }],
    ];
    const answers = await send(forged);
    for (const [i, a] of answers.entries()) {
      expect(a, JSON.stringify(forged[i])).toEqual({ err: { name: 'RejectedMessage', message: 'unknown or malformed message', stack: '' } });
    }
    const [settings] = (await send([{ id: 2, type: 'getSettings', data: undefined, timestamp: now }])) as { res?: { version: number } }[];
    expect(settings.res?.version).toBe(1);
    const [proto] = (await send([`json:{"id":3,"type":"saveSettings","timestamp":${now},"data":{"__proto__":{"enabled":false},"firstOnly":true}}`])) as { err?: { message: string } }[];
    expect(proto.err?.message).toBe('saveSettings: invalid payload');
    expect(await storage()).toEqual(before);
    console.log(`messages e2e: ${forged.length + 1} forged messages rejected by the background in Chromium`);
  });
});
