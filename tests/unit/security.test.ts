/**
 * Forged messages against the real background handlers and the real messaging library
 * over WXT's fake browser. A web page can forge anything a content script can send, and
 * other extensions can message us too, so every message name in utils/protocol-guards.ts
 * is sent with forged senders (another extension's id, a web page or a lookalike origin
 * claiming to be ours, no sender at all, a content script asking for what only our pages
 * may do) and with malformed payloads (wrong types, extra keys, huge arrays, __proto__
 * and constructor keys, non-string ids, markup in ids), and unknown message types and
 * malformed envelopes are sent too. Every one must be answered with a rejection, and
 * nothing may change: storage, the in-memory page reports and private settings, the
 * badge, Object.prototype.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerHandlers } from '../../utils/background-handlers';
import { ALLOWED, checkMessage, PAYLOADS, RejectedMessage, type MessageName, type SenderLike } from '../../utils/protocol-guards';
import { removeAllListeners, sendMessage } from '../../utils/protocol';
import { DEFAULT_SETTINGS } from '../../utils/settings-core';
import { LOOKUP } from './helpers';

const ID = fakeBrowser.runtime.id;
const ORIGIN = fakeBrowser.runtime.getURL('/');
const ORIGIN_NO_SLASH = ORIGIN.replace(/\/$/, '');

const popup: SenderLike = { id: ID, url: `${ORIGIN}popup.html`, origin: ORIGIN_NO_SLASH };
const contentScript: SenderLike = { id: ID, url: 'https://forum.example/thread', origin: 'https://forum.example', tab: { id: 5 }, frameId: 0 };

/**
 * The messages a content script (and so any web page) may send. Written out here, not
 * read from ALLOWED, so a change to the policy has to change this test too.
 */
const CONTENT_SCRIPT_MAY = new Set<string>(['lookupDrug', 'lookupName', 'resolveTypos', 'getSettings', 'getPageIndex', 'getEffectTerms', 'saveView', 'reportPageDrugs']);

/** Senders that are not us at all: nothing is accepted from them. */
const FOREIGN: [string, SenderLike | undefined][] = [
  ['another extension', { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/popup.html', origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' }],
  ['another extension claiming our popup URL', { id: 'abcdefghijklmnopabcdefghijklmnop', url: `${ORIGIN}popup.html`, origin: ORIGIN_NO_SLASH }],
  ['another extension in a tab', { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'https://forum.example/', origin: 'https://forum.example', tab: { id: 5 }, frameId: 0 }],
  ['a web page with our id and no tab', { id: ID, url: 'https://evil.example/', origin: 'https://evil.example' }],
  ['a lookalike origin (<id>.evil)', { id: ID, url: `chrome-extension://${ID}.evil/popup.html` }],
  ['a lookalike origin with a claimed origin', { id: ID, url: `chrome-extension://${ID}.evil.example/popup.html`, origin: `chrome-extension://${ID}.evil.example` }],
  ['our URL with a web origin', { id: ID, url: `${ORIGIN}popup.html`, origin: 'https://evil.example' }],
  ['our id in another scheme', { id: ID, url: `moz-extension://${ID}/popup.html` }],
  ['our id in upper case', { id: ID.toUpperCase(), url: `${ORIGIN}popup.html`, origin: ORIGIN_NO_SLASH }],
  ['no id, our URL', { url: `${ORIGIN}popup.html`, origin: ORIGIN_NO_SLASH }],
  ['an opaque origin', { id: ID, url: 'about:blank', origin: 'null' }],
  ['a data: URL', { id: ID, url: 'data:text/html,<script>alert(1)</script>' }],
  ['an empty sender', {}],
  ['no sender', undefined],
];

/** Our content script, in all the places it runs: may send only CONTENT_SCRIPT_MAY. */
const CONTENT: [string, SenderLike][] = [
  ['a content script on a web page', contentScript],
  ['a content script in a frame on a lookalike origin', { id: ID, url: `chrome-extension://${ID}.evil/popup.html`, tab: { id: 5 }, frameId: 3 }],
  ['a web page claiming our origin', { id: ID, url: 'https://evil.example/popup.html', origin: ORIGIN_NO_SLASH, tab: { id: 5 }, frameId: 0 }],
  ['our URL with a web origin, in a tab', { id: ID, url: `${ORIGIN}popup.html`, origin: 'https://evil.example', tab: { id: 5 }, frameId: 0 }],
  ['a content script in about:blank', { id: ID, url: 'about:blank', origin: 'https://forum.example', tab: { id: 5 }, frameId: 7 }],
  ['a content script in a private window', { id: ID, url: 'https://forum.example/', origin: 'https://forum.example', tab: { id: 9, incognito: true }, frameId: 0 }],
];

/** A payload each message would accept, so the sender is what is rejected. */
const VALID: Record<MessageName, unknown> = {
  lookupDrug: { id: 'imatinib', text: 'Glivec', kind: 'b' },
  lookupName: { name: 'Gleevec' },
  suggest: { query: 'ima' },
  resolveTypos: { words: ['imatinob'] },
  getSettings: undefined,
  getPageIndex: undefined,
  getEffectTerms: undefined,
  saveSettings: { enabled: false },
  saveView: { view: 'student' },
  reportPageDrugs: { drugs: [{ id: 'dasatinib', count: 3 }] },
  getPageDrugs: { tabId: 5 },
  revealDrug: { id: 'imatinib' },
  getPageInfo: undefined,
  showCard: { text: 'imatinib', card: null },
  applySettings: { ...DEFAULT_SETTINGS, enabled: false },
  linkSideEffects: { effects: ['nausea'], drugs: ['imatinib'] },
  getPrivateSettings: undefined,
  savePrivateSettings: { enabled: false },
};

const XSS = ['<img src=x onerror="alert(1)">', '"><script>alert(1)</script>', "javascript:alert('x')", '<svg onload=alert(1)>'];
const HUGE = 100_001;

/** Payloads every message must refuse, whoever sends it. */
function badPayloads(name: MessageName): [string, unknown][] {
  const valid = VALID[name];
  const base = valid && typeof valid === 'object' ? (valid as Record<string, unknown>) : {};
  const out: [string, unknown][] = [
    ['a number', 42],
    ['a string', 'imatinib'],
    ['true', true],
    ['an array', [valid]],
    ['an extra key', { ...base, extra: 1 }],
    ['a __proto__ key', JSON.parse(`{"__proto__":{"polluted":true,"enabled":false,"isAdmin":true},${JSON.stringify(base).slice(1, -1) || '"x":1'}}`)],
    ['a constructor key', { ...base, constructor: { prototype: { polluted: true } } }],
    ['a huge array', new Array(HUGE).fill(valid ?? 'x')],
    ['markup', XSS[1]],
  ];
  return [...out, ...(SPECIFIC[name] ?? [])];
}

/** Payloads aimed at each message's own fields. */
const SPECIFIC: Partial<Record<MessageName, [string, unknown][]>> = {
  lookupDrug: [
    ['a numeric id', { id: 42, text: 'x' }],
    ['a null id', { id: null, text: 'x' }],
    ['an array id', { id: ['imatinib'], text: 'x' }],
    ['an object id', { id: { toString: 'imatinib' }, text: 'x' }],
    ...XSS.map((id): [string, unknown] => [`markup in the id: ${id}`, { id, text: 'x' }]),
    ['a path in the id', { id: '../../settings', text: 'x' }],
    ['an upper-case id', { id: 'IMATINIB', text: 'x' }],
    ['a newline in the id', { id: 'imatinib\n', text: 'x' }],
    ['an over-long id', { id: 'a'.repeat(121), text: 'x' }],
    ['no text', { id: 'imatinib' }],
    ['over-long text', { id: 'imatinib', text: 'x'.repeat(201) }],
    ['an unknown kind', { id: 'imatinib', text: 'x', kind: 'z' }],
    ['a numeric fuzzy', { id: 'imatinib', text: 'x', fuzzy: 1 }],
  ],
  lookupName: [
    ['an empty name', { name: '' }],
    ['a numeric name', { name: 5 }],
    ['an array name', { name: ['Gleevec'] }],
    ['an over-long name', { name: 'x'.repeat(201) }],
    ['no name', {}],
  ],
  suggest: [
    ['a numeric query', { query: 5 }],
    ['an over-long query', { query: 'x'.repeat(201) }],
    ['a limit', { query: 'ima', limit: 100000 }],
    ['no query', {}],
  ],
  resolveTypos: [
    ['a string for words', { words: 'imatinib' }],
    ['numbers for words', { words: [1, 2] }],
    ['too many words', { words: new Array(5001).fill('imatinob') }],
    ['a huge word list', { words: new Array(HUGE).fill('x') }],
    ['an over-long word', { words: ['x'.repeat(65)] }],
    ['no words', {}],
  ],
  getSettings: [
    ['an empty object', {}],
    ['zero', 0],
    ['an empty string', ''],
    ['false', false],
  ],
  getPageIndex: [
    ['an empty object', {}],
    ['a name filter', { prefix: 'ima' }],
    ['a huge string', 'x'.repeat(HUGE)],
  ],
  getEffectTerms: [
    ['an empty object', {}],
    ['a list of ids', ['nausea']],
  ],
  saveSettings: [
    ['an unknown setting', { evil: 1 }],
    ['a wrong type', { enabled: 'no' }],
    ['CSS in the colour', { color: 'red; background:url(https://evil.example/x)' }],
    ['a site list that is a string', { disabledSites: 'forum.example' }],
    ['too many sites', { disabledSites: new Array(5001).fill('a.example') }],
    ['a huge site list', { disabledSites: new Array(HUGE).fill('a.example') }],
    ['a version', { version: 2 }],
    ['a huge cap', { maxMarks: 1e12 }],
    ['NaN', { fontScale: NaN }],
    ['markup in the theme', { theme: XSS[1] }],
    ['only a __proto__ key', JSON.parse('{"__proto__":{"enabled":false}}')],
    ['only a constructor key', JSON.parse('{"constructor":{"prototype":{"enabled":false}}}')],
  ],
  saveView: [
    ['an unknown view', { view: 'admin' }],
    ['a view and a setting', { view: 'student', enabled: false }],
    ['an array view', { view: ['student'] }],
    ['no view', {}],
    ['a view under __proto__', JSON.parse('{"__proto__":{"view":"student"}}')],
  ],
  reportPageDrugs: [
    ['a string for drugs', { drugs: 'imatinib' }],
    ...XSS.map((id): [string, unknown] => [`markup in an id: ${id}`, { drugs: [{ id, count: 1 }] }]),
    ['a numeric id', { drugs: [{ id: 7, count: 1 }] }],
    ['a negative count', { drugs: [{ id: 'imatinib', count: -1 }] }],
    ['a fractional count', { drugs: [{ id: 'imatinib', count: 1.5 }] }],
    ['an infinite count', { drugs: [{ id: 'imatinib', count: Infinity }] }],
    ['a string count', { drugs: [{ id: 'imatinib', count: '1' }] }],
    ['an extra key in an entry', { drugs: [{ id: 'imatinib', count: 1, name: XSS[0] }] }],
    ['too many entries', { drugs: new Array(20001).fill({ id: 'imatinib', count: 1 }) }],
    ['a huge list', { drugs: new Array(HUGE).fill({ id: 'imatinib', count: 1 }) }],
  ],
  getPageDrugs: [
    ['a string tab', { tabId: '5' }],
    ['a negative tab', { tabId: -1 }],
    ['a fractional tab', { tabId: 1.5 }],
    ['NaN', { tabId: NaN }],
    ['markup for the tab', { tabId: XSS[1] }],
    ['no tab', {}],
  ],
  revealDrug: [...XSS.map((id): [string, unknown] => [`markup in the id: ${id}`, { id }]), ['a numeric id', { id: 1 }], ['a selector', { id: 'a"],[data-x="' }]],
  linkSideEffects: [
    ['markup in an effect', { effects: [XSS[0]], drugs: ['imatinib'] }],
    ['too many effects', { effects: new Array(501).fill('nausea'), drugs: [] }],
    ['a huge drug list', { effects: [], drugs: new Array(HUGE).fill('imatinib') }],
    ['numbers', { effects: [1], drugs: [2] }],
  ],
  savePrivateSettings: [
    ['an unknown setting', { evil: 1 }],
    ['only a __proto__ key', JSON.parse('{"__proto__":{"enabled":false}}')],
  ],
};

/** Unknown types and malformed envelopes: the background must answer each with a rejection. */
const MALFORMED_ENVELOPES: [string, unknown][] = [
  ...['unknownType', '', 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype', 'LOOKUPDRUG', 'lookupDrug ', 'saveSettings\u0000', 'then'].map(
    (type): [string, unknown] => [`type ${JSON.stringify(type)}`, { id: 1, type, data: { id: 'imatinib', text: 'x' }, timestamp: Date.now() }],
  ),
  ['no type', { id: 1, data: { enabled: false }, timestamp: Date.now() }],
  ['a numeric type', { id: 1, type: 7, data: {}, timestamp: Date.now() }],
  ['an array type', { id: 1, type: ['saveSettings'], data: { enabled: false }, timestamp: Date.now() }],
  ['a known type without a timestamp', { id: 1, type: 'saveSettings', data: { enabled: false } }],
  ['a known type with a string timestamp', { id: 1, type: 'lookupName', data: { name: 'Gleevec' }, timestamp: '1' }],
  ['null', null],
  ['a string', 'saveSettings'],
  ['a number', 42],
  ['an array', [{ type: 'saveSettings', data: { enabled: false }, timestamp: 1 }]],
];

type Answer = { res?: unknown; err?: { name?: string; message: string } } | 'no answer';

/** Delivers a raw message with a chosen sender, as the browser would. */
async function deliver(message: unknown, sender: SenderLike | undefined): Promise<Answer> {
  let answer: unknown;
  let answered = false;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const results = await fakeBrowser.runtime.onMessage.trigger(message, sender as never, (r: unknown) => {
    if (answered) return; // the browser keeps the first answer only
    answered = true;
    answer = r;
    resolve();
  });
  if (!answered && !(results as unknown[]).some((r) => r === true)) return 'no answer';
  await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
  return answered ? (answer as Answer) : 'no answer';
}
const send = (type: string, data: unknown, sender: SenderLike | undefined) => deliver({ id: 1, type, data, timestamp: Date.now() }, sender);

let storeWrites = 0;
const badges: [number, string][] = [];
const pushed: unknown[] = [];
let handlers: ReturnType<typeof registerHandlers>;

async function state() {
  const get = async (type: string, data: unknown) => {
    const a = await send(type, data, popup);
    if (a === 'no answer' || a.err) throw new Error(`${type}: ${JSON.stringify(a)}`);
    return a.res;
  };
  return {
    storage: structuredClone(await fakeBrowser.storage.local.get(null)),
    page5: await get('getPageDrugs', { tabId: 5 }),
    page9: await get('getPageDrugs', { tabId: 9 }),
    privateSettings: await get('getPrivateSettings', undefined),
    storeWrites,
    badges: badges.length,
    pushed: pushed.length,
    prototype: Object.getOwnPropertyNames(Object.prototype).sort(),
  };
}

beforeAll(async () => {
  fakeBrowser.reset();
  removeAllListeners();
  handlers = registerHandlers({
    lookup: LOOKUP,
    pageIndex: 'imatinib\n',
    effectTerms: { version: 1, ids: [], names: [] },
    extensionId: ID,
    extensionOrigin: ORIGIN,
    store: {
      get: async () => (await fakeBrowser.storage.local.get('settings')).settings,
      set: async (v) => {
        storeWrites++;
        await fakeBrowser.storage.local.set({ settings: v });
      },
    },
    setBadge: (tabId, text) => badges.push([tabId, text]),
    pushPrivateSettings: (s) => pushed.push(s),
  });
  // Some state the forgeries could change: stored settings, page reports, private settings.
  await fakeBrowser.storage.local.set({ unrelated: { keep: true } });
  for (const [type, data, sender] of [
    ['saveSettings', { firstOnly: true, disabledSites: ['quiet.example'] }, popup],
    ['reportPageDrugs', { drugs: [{ id: 'imatinib', count: 2 }] }, contentScript],
    ['savePrivateSettings', { view: 'student' }, popup],
  ] as const) {
    const a = await send(type, data, sender);
    expect(a !== 'no answer' && !a.err, `${type} from a real sender is accepted`).toBe(true);
  }
});

afterAll(() => {
  handlers.remove();
  removeAllListeners();
});

describe('forged messages', () => {
  it('covers every message name in the protocol, and the written policy matches ALLOWED', () => {
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(PAYLOADS).sort());
    for (const name of Object.keys(PAYLOADS) as MessageName[]) {
      expect(ALLOWED[name].includes('content-script'), name).toBe(CONTENT_SCRIPT_MAY.has(name));
      expect(ALLOWED[name]).not.toContain('foreign');
    }
  });

  it('rejects 100 % of forged senders, malformed payloads and unknown types, and nothing changes', async () => {
    const before = await state();
    let sent = 0;
    let rejected = 0;
    const accepted: string[] = [];
    const names = Object.keys(PAYLOADS) as MessageName[];

    async function forge(label: string, message: unknown, sender: SenderLike | undefined, expected: RegExp) {
      sent++;
      const a = await deliver(message, sender);
      const ok = a !== 'no answer' && !('res' in a) && !!a.err && expected.test(`${a.err.name}: ${a.err.message}`);
      if (ok) rejected++;
      else accepted.push(`${label} → ${JSON.stringify(a)?.slice(0, 200)}`);
      expect(await fakeBrowser.storage.local.get(null), label).toEqual(before.storage);
      expect(storeWrites, label).toBe(before.storeWrites);
    }
    const envelope = (type: string, data: unknown) => ({ id: 1, type, data, timestamp: Date.now() });
    // The background handles some names; the others go to content scripts only, so the
    // background refuses them as unknown.
    const handled = new Set<string>();
    for (const name of names) {
      const a = await send(name, VALID[name], { id: 'probe-other-extension' });
      if (a !== 'no answer' && a.err && /not accepted from foreign/.test(a.err.message)) handled.add(name);
    }
    expect([...handled].sort()).toEqual(
      ['getEffectTerms', 'getPageDrugs', 'getPageIndex', 'getPrivateSettings', 'getSettings', 'linkSideEffects', 'lookupDrug', 'lookupName', 'reportPageDrugs', 'resolveTypos', 'saveSettings', 'savePrivateSettings', 'saveView', 'suggest'].sort(),
    );
    const unknown = /RejectedMessage: unknown or malformed message/;
    const senderRejected = (name: string, kind: string) => (handled.has(name) ? new RegExp(`RejectedMessage: ${name} is not accepted from ${kind}`) : unknown);
    const payloadRejected = (name: string) => (handled.has(name) ? new RegExp(`RejectedMessage: ${name}: invalid payload`) : unknown);

    // 1. Foreign senders, every message, with a payload it would otherwise accept.
    for (const name of names) {
      for (const [who, sender] of FOREIGN) {
        await forge(`${name} from ${who}`, envelope(name, VALID[name]), sender, sender ? senderRejected(name, 'foreign') : handled.has(name) ? /TypeError|RejectedMessage/ : unknown);
      }
    }
    // 2. Content scripts (so any web page) asking for what only our pages may do.
    for (const name of names.filter((n) => !CONTENT_SCRIPT_MAY.has(n))) {
      for (const [who, sender] of CONTENT) await forge(`${name} from ${who}`, envelope(name, VALID[name]), sender, senderRejected(name, 'content-script'));
    }
    // A content script that puts our popup in the message body as the sender.
    await forge('saveSettings with a forged sender in the body', { ...envelope('saveSettings', { enabled: false }), sender: popup }, contentScript, senderRejected('saveSettings', 'content-script'));
    // 3. Malformed payloads from a sender each message accepts.
    for (const name of names) {
      const sender = ALLOWED[name].includes('extension-page') ? popup : contentScript;
      for (const [what, data] of badPayloads(name)) await forge(`${name} with ${what}`, envelope(name, data), sender, payloadRejected(name));
    }
    // 4. Unknown types and malformed envelopes, from our own popup and from a content script.
    for (const [what, message] of MALFORMED_ENVELOPES) {
      await forge(`${what} from the popup`, message, popup, unknown);
      await forge(`${what} from a content script`, message, contentScript, unknown);
    }

    console.log(`security: ${sent} forged messages sent to the background, ${rejected} rejected (${((100 * rejected) / sent).toFixed(1)} %), storage unchanged`);
    expect(accepted).toEqual([]);
    expect(rejected).toBe(sent);
    expect(sent).toBeGreaterThanOrEqual(100);
    expect(await state()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 60_000);

  it('still answers real senders (the rejections above are not a broken background)', async () => {
    const a = await send('lookupName', { name: 'Gleevec' }, contentScript);
    expect(a !== 'no answer' && (a.res as { id: string }).id).toBe('imatinib');
    const b = await send('suggest', { query: 'glee' }, popup);
    expect(b !== 'no answer' && Array.isArray(b.res)).toBe(true);
  });

  it('an unknown type sent through the messaging library is rejected, not left unanswered', async () => {
    await expect(sendMessage('revealDrug', { id: 'imatinib' })).rejects.toThrow(/unknown or malformed message/);
    await expect(sendMessage('getPageInfo', undefined)).rejects.toMatchObject({ name: 'RejectedMessage' });
  });

  it('checks every sender and payload for every message name at the guard too', () => {
    let n = 0;
    for (const name of Object.keys(PAYLOADS) as MessageName[]) {
      for (const [, sender] of FOREIGN) {
        if (!sender) continue;
        n++;
        expect(() => checkMessage(name, VALID[name], sender, ID, ORIGIN), name).toThrow(RejectedMessage);
      }
      if (!CONTENT_SCRIPT_MAY.has(name)) {
        for (const [, sender] of CONTENT) {
          n++;
          expect(() => checkMessage(name, VALID[name], sender, ID, ORIGIN), name).toThrow(RejectedMessage);
        }
      }
      const sender = ALLOWED[name].includes('extension-page') ? popup : contentScript;
      expect(() => checkMessage(name, VALID[name], sender, ID, ORIGIN), `${name} with a valid payload`).not.toThrow();
      for (const [what, data] of badPayloads(name)) {
        n++;
        expect(() => checkMessage(name, data, sender, ID, ORIGIN), `${name} with ${what}`).toThrow(RejectedMessage);
      }
    }
    console.log(`security: ${n} forged sender/payload pairs refused by checkMessage`);
    expect(n).toBeGreaterThan(100);
  });

  it('remove() takes the rejection listener away with the handlers', () => {
    fakeBrowser.reset();
    removeAllListeners();
    const h = registerHandlers({ lookup: LOOKUP, pageIndex: '', effectTerms: { version: 1, ids: [], names: [] }, extensionId: ID, extensionOrigin: ORIGIN, store: { get: async () => undefined, set: async () => undefined } });
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(true);
    h.remove();
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(false);
  });
});
