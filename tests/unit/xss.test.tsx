/**
 * Markup in data renders as text. Every string field of a card record (CardData) is set
 * to an XSS payload and the card is rendered (components/DrugCard.tsx) on its own and in
 * the popup (entrypoints/popup/App.tsx), whose suggestion list, medicines-on-this-page
 * list, side-effect list, site switch and "not found" line are fed payloads too, over a
 * stand-in for the background. Nothing may become an element, an event handler or a
 * script: the payload shows as text.
 */
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DrugCard } from '../../components/DrugCard';
import { App } from '../../entrypoints/popup/App';
import type { CardData, Suggestion } from '../../utils/lookup';
import type { PageDrug } from '../../utils/protocol';
import { DEFAULT_SETTINGS } from '../../utils/settings-core';
import { LOOKUP } from './helpers';

vi.mock('../../utils/protocol', () => ({ sendMessage: vi.fn() }));
import { sendMessage } from '../../utils/protocol';

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '"><svg onload="window.__xss=3"><b id="xss-b">',
  '<iframe srcdoc="<script>parent.__xss=4</script>"></iframe>',
  "javascript:window.__xss=5//'\"`<a href=javascript:window.__xss=6>x</a>",
  '</style><style>*{display:none}</style><div id="xss-div" onclick="window.__xss=7">',
];
/** Fields whose values are enumerations the card switches on (kept in the second variant). */
const ENUM_KEYS = new Set(['kind', 'tier', 'frequency', 'level']);

type Win = Window & { __xss?: number };

/** Every string in a value replaced by the payload (object keys kept). */
function poison<T>(value: T, payload: string, keepEnums: boolean): T {
  return JSON.parse(JSON.stringify(value), function (this: Record<string, unknown>, key, v) {
    if (typeof v !== 'string') return v;
    if (keepEnums && ENUM_KEYS.has(key)) return v;
    return payload;
  }) as T;
}

/** Nothing in the tree came from markup: no injected elements, no handler attributes, no script ran. */
function expectInert(root: Element) {
  expect(root.querySelectorAll('img, script, iframe, object, embed, svg, style, [id^=xss-]').length).toBe(0);
  for (const el of root.querySelectorAll('*')) {
    for (const a of el.attributes) {
      expect(a.name.startsWith('on'), `${el.localName} has ${a.name}`).toBe(false);
      if (a.name === 'href' || a.name === 'src' || a.name === 'action' || a.name === 'formaction') expect(a.value).not.toMatch(/^\s*javascript:/i);
    }
  }
  expect((window as Win).__xss).toBeUndefined();
}

/** How many times the payload shows as text. */
const shown = (root: Element, payload: string) => root.textContent!.split(payload).length - 1;

const host = () => document.body.appendChild(document.createElement('div'));
afterEach(() => {
  document.body.innerHTML = '';
  delete (window as Win).__xss;
});

describe('the card renders every string field as text', () => {
  const base = LOOKUP.byName('Gleevec')!;

  it('has a record with every section filled in to poison', () => {
    for (const k of ['common', 'urgent', 'uses', 'brands', 'references', 'classes', 'siblings', 'codes', 'tips'] as const) {
      expect(Object.keys(base[k] as object).length, k).toBeGreaterThan(0);
    }
  });

  for (const payload of PAYLOADS) {
    for (const keepEnums of [true, false]) {
      it(`${JSON.stringify(payload)} in every field${keepEnums ? ' but the enumerations' : ', enumerations too'}`, () => {
        const evil = poison(base, payload, keepEnums);
        for (const view of ['patient', 'student'] as const) {
          for (const region of ['uk', 'us', 'both'] as const) {
            const el = host();
            render(<DrugCard card={evil} view={view} region={region} trustedOnly={false} />, el);
            expectInert(el);
            expect(shown(el, payload), `${view} ${region}`).toBeGreaterThan(keepEnums ? 20 : 10);
            render(null, el);
          }
        }
      });
    }
  }
});

describe('the popup renders background data as text', () => {
  let el: HTMLElement;
  beforeEach(() => {
    fakeBrowser.reset();
    window.history.replaceState(null, '', '/popup.html?tab=7');
    el = host();
  });
  afterEach(() => {
    render(null, el);
    window.history.replaceState(null, '', '/');
  });

  async function until(check: () => boolean) {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  }

  function background(payload: string, found: boolean) {
    const card = poison(LOOKUP.byName('Gleevec')!, payload, true);
    const drugs: PageDrug[] = [
      { id: payload, name: payload, count: 3, classes: [payload], routes: [payload] },
      { id: 'imatinib', name: payload, count: 1, classes: [], routes: [] },
    ];
    const suggestions: Suggestion[] = [
      { id: payload, name: payload, label: `${payload}1`, kind: 'b' },
      { id: 'imatinib', name: payload, label: `${payload}2`, kind: 'm' },
    ];
    const sent: string[] = [];
    vi.mocked(sendMessage).mockImplementation((async (type: string) => {
      sent.push(type);
      switch (type) {
        case 'getSettings':
        case 'getPrivateSettings':
          return { ...DEFAULT_SETTINGS, view: 'student' };
        case 'getPageDrugs':
          return drugs;
        case 'getPageInfo':
          return { url: payload, site: payload, active: true, effects: ['nausea'] };
        case 'linkSideEffects':
          return [{ id: payload, name: payload, drugs: [{ id: payload, name: payload }, { id: 'imatinib', name: `${payload}3` }] }];
        case 'suggest':
          return suggestions;
        case 'lookupDrug':
        case 'lookupName':
          return found ? (card as CardData) : null;
        default:
          throw new Error(`unexpected ${type}`);
      }
    }) as never);
    return sent;
  }

  function type(text: string) {
    const input = el.querySelector<HTMLInputElement>('[data-testid=search]')!;
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return input;
  }

  for (const payload of PAYLOADS) {
    it(`${JSON.stringify(payload)}: page drugs, side effects, site switch, suggestions and the card`, async () => {
      const sent = background(payload, true);
      render(<App />, el);
      // Medicines on this page, grouped by class and route, and the side effects they explain.
      await until(() => !!el.querySelector('[data-testid=page-effects]') && !!el.querySelector('[data-testid=toggle-site]'));
      const page = el.querySelector('[data-testid=page-drugs]')!;
      expectInert(el);
      expect(shown(page, payload)).toBeGreaterThanOrEqual(5); // class, route, two names, side effect, its drug
      expect(el.querySelector('.pp-toggles')!.textContent).toContain(`Off for ${payload}`);

      // Suggestions.
      type('gliv');
      await until(() => !!el.querySelector('[data-testid=suggestions]'));
      const list = el.querySelector('[data-testid=suggestions]')!;
      expectInert(el);
      expect([...list.querySelectorAll('li strong')].map((s) => s.textContent)).toEqual([`${payload}1`, `${payload}2`]);
      expect(shown(list, payload)).toBe(4);

      // The card for a chosen suggestion.
      list.querySelector('li')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
      await until(() => !!el.querySelector('[data-testid=popup-card]'));
      expectInert(el);
      expect(shown(el.querySelector('[data-testid=popup-card]')!, payload)).toBeGreaterThan(20);
      expect(sent).toContain('lookupDrug');
    });

    it(`${JSON.stringify(payload)}: typed into the search box and not found`, async () => {
      background(payload, false);
      render(<App />, el);
      await until(() => !!el.querySelector('[data-testid=page-drugs] button'));
      const input = type(payload);
      await until(() => !!el.querySelector('[data-testid=suggestions]')); // the typed query is in state
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      await until(() => !!el.querySelector('[data-testid=not-found]'));
      expectInert(el);
      expect(el.querySelector('[data-testid=not-found]')!.textContent).toContain(`“${payload}”`);
    });
  }
});
