/**
 * The background's message handlers: each message name maps to one function. Every
 * payload and sender is checked first (utils/protocol-guards.ts).
 */
import { browser } from 'wxt/browser';
import type { NameIndex } from '../data/types';
import type { Lookup } from './lookup';
import { onMessage, type PageDrug } from './protocol';
import { checkMessage, RejectedMessage, type MessageName, type SenderLike } from './protocol-guards';
import { applyPatch, migrateSettings, type Settings } from './settings';

export interface SettingsStore {
  get(): Promise<unknown>;
  set(value: Settings): Promise<void>;
}

export interface BackgroundDeps {
  lookup: Lookup;
  /** The page index in its text form, sent to content scripts (getPageIndex). */
  pageIndex: string;
  /** Side-effect words, sent to content scripts (getEffectTerms). */
  effectTerms: NameIndex;
  store: SettingsStore;
  extensionId: string;
  extensionOrigin: string;
  setBadge?: (tabId: number, text: string) => void;
  /** Pushes settings that are not in storage (private windows) to the private tabs. */
  pushPrivateSettings?: (settings: Settings) => void;
}

export function registerHandlers(deps: BackgroundDeps) {
  const { lookup, store } = deps;
  /** What each frame of each tab reported: tab → frame → drugs. */
  const reports = new Map<number, Map<number, { id: string; count: number }[]>>();
  /** Settings changed from a private window live here only, never in storage. */
  let privateSettings: Settings | undefined;

  const check = <N extends MessageName>(name: N, data: unknown, sender: SenderLike) =>
    checkMessage(name, data, sender, deps.extensionId, deps.extensionOrigin);

  const loadSettings = async () => migrateSettings(await store.get());

  /** The message types registered here; the background answers any other message with a rejection. */
  const handled = new Set<string>();
  const on: typeof onMessage = (type, onReceived) => {
    handled.add(type);
    return onMessage(type, onReceived);
  };

  const removers = [
    on('lookupDrug', ({ data, sender }) => {
      const d = check('lookupDrug', data, sender);
      return lookup.card(d.id, { text: d.text, kind: d.kind, fuzzy: d.fuzzy });
    }),
    on('lookupName', ({ data, sender }) => {
      const { name } = check('lookupName', data, sender);
      return lookup.byName(name) ?? lookup.guessByStem(name);
    }),
    on('linkSideEffects', ({ data, sender }) => linkSideEffects(check('linkSideEffects', data, sender))),
    on('getPrivateSettings', async ({ data, sender }) => {
      check('getPrivateSettings', data ?? undefined, sender);
      return privateSettings ?? loadSettings();
    }),
    on('savePrivateSettings', async ({ data, sender }) => {
      const patch = check('savePrivateSettings', data, sender);
      privateSettings = applyPatch(privateSettings ?? (await loadSettings()), patch);
      deps.pushPrivateSettings?.(privateSettings);
      return privateSettings;
    }),
    on('suggest', ({ data, sender }) => lookup.suggest(check('suggest', data, sender).query)),
    on('resolveTypos', ({ data, sender }) => lookup.resolveTypos(check('resolveTypos', data, sender).words)),
    on('getSettings', async ({ data, sender }) => {
      check('getSettings', data ?? undefined, sender);
      if (sender.tab?.incognito && privateSettings) return privateSettings;
      return loadSettings();
    }),
    on('getPageIndex', ({ data, sender }) => {
      check('getPageIndex', data ?? undefined, sender);
      return deps.pageIndex;
    }),
    on('getEffectTerms', ({ data, sender }) => {
      check('getEffectTerms', data ?? undefined, sender);
      return deps.effectTerms;
    }),
    on('saveSettings', async ({ data, sender }) => save(check('saveSettings', data, sender), sender)),
    on('saveView', async ({ data, sender }) => save(check('saveView', data, sender), sender)),
    on('reportPageDrugs', ({ data, sender }) => {
      const d = check('reportPageDrugs', data, sender);
      const tabId = sender.tab?.id;
      if (tabId === undefined) return;
      const frames = reports.get(tabId) ?? new Map<number, { id: string; count: number }[]>();
      frames.set(sender.frameId ?? 0, d.drugs);
      reports.set(tabId, frames);
      deps.setBadge?.(tabId, badgeText(pageDrugsOf(tabId)));
    }),
    on('getPageDrugs', ({ data, sender }) => pageDrugsOf(check('getPageDrugs', data, sender).tabId)),
  ];

  /**
   * The messaging library leaves a message with an unknown type or a malformed envelope
   * unanswered, and looks handlers up on a plain object (so "constructor" or "toString"
   * would reach Object.prototype). Such messages are answered here, at once, with a
   * rejection, and nothing else is done. The first answer wins, so this one does.
   */
  const rejectUnknown = (message: unknown, _sender: unknown, sendResponse: (response: unknown) => void) => {
    const m = message as { type?: unknown; timestamp?: unknown } | null;
    if (m && typeof m === 'object' && typeof m.type === 'string' && typeof m.timestamp === 'number' && handled.has(m.type)) return;
    const err = new RejectedMessage('unknown or malformed message');
    sendResponse({ err: { name: err.name, message: err.message, stack: '' } });
    return true;
  };
  browser.runtime.onMessage.addListener(rejectUnknown);
  removers.push(() => browser.runtime.onMessage.removeListener(rejectUnknown));


  async function save(patch: unknown, sender: SenderLike): Promise<Settings> {
    const incognito = !!sender.tab?.incognito;
    const next = applyPatch(incognito ? (privateSettings ?? (await loadSettings())) : await loadSettings(), patch);
    if (incognito) {
      privateSettings = next;
      deps.pushPrivateSettings?.(next);
    } else await store.set(next);
    return next;
  }

  /** For each side effect mentioned on a page: the drugs on the page that can cause it. */
  function linkSideEffects({ effects, drugs }: { effects: string[]; drugs: string[] }) {
    const cards = drugs.map((id) => lookup.card(id)).filter((c) => !!c);
    const out: { id: string; name: string; drugs: { id: string; name: string }[] }[] = [];
    for (const e of effects) {
      const def = lookup.effects.get(e);
      if (!def) continue;
      const causes = cards.filter((c) => c.common.some((x) => x.id === e) || c.urgent.some((x) => x.id === e));
      if (causes.length) out.push({ id: e, name: def.name, drugs: causes.map((c) => ({ id: c.id, name: c.name })) });
    }
    return out;
  }

  /** Toggles a site on or off (keyboard command); private tabs change only the in-memory copy. */
  async function toggleSite(site: string, incognito: boolean): Promise<Settings> {
    const current = incognito ? (privateSettings ?? (await loadSettings())) : await loadSettings();
    const off = current.disabledSites.includes(site);
    const disabledSites = off ? current.disabledSites.filter((s) => s !== site) : [...current.disabledSites, site];
    return save({ disabledSites }, { tab: { incognito } });
  }

  /** Sums what every frame of a tab reported, with names, classes and routes. */
  function pageDrugsOf(tabId: number): PageDrug[] {
    const counts = new Map<string, number>();
    for (const list of reports.get(tabId)?.values() ?? []) {
      for (const { id, count } of list) counts.set(id, (counts.get(id) ?? 0) + count);
    }
    const out: PageDrug[] = [];
    for (const [id, count] of counts) {
      const card = lookup.card(id);
      if (card) out.push({ id, name: card.name, count, classes: card.classes.map((c) => c.name), routes: card.routes });
    }
    return out.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }
  return {
    forgetTab: (tabId: number) => reports.delete(tabId),
    toggleSite,
    lookup,
    /** A frame navigated: its old report no longer stands. */
    forgetFrame: (tabId: number, frameId: number) => (frameId === 0 ? reports.delete(tabId) : reports.get(tabId)?.delete(frameId)),
    remove: () => removers.forEach((r) => r()),
  };
}

export function badgeText(drugs: PageDrug[]): string {
  return drugs.length ? String(drugs.length) : '';
}

