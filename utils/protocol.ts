/**
 * Every message between the extension's parts, in one place. Names say the direction
 * and the verb. The background checks every payload (utils/protocol-guards.ts) before it acts.
 *
 *   content / popup ──lookupDrug / lookupName / suggest / resolveTypos──▶ background
 *   popup / options ──getSettings / saveSettings──▶ background
 *   content ──getPageIndex──▶ background (the names to look for, once per frame where it is on)
 *   content ──getEffectTerms──▶ background (side-effect words, when the popup asks for them)
 *   content ──reportPageDrugs──▶ background (for the badge and the popup's list)
 *   popup ──getPageDrugs──▶ background
 *   popup ──revealDrug──▶ content script of the active tab
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { CardData, Suggestion } from './lookup';
import type { NameIndex, NameKind } from '../data/types';
import type { Settings } from './settings';

export interface PageDrug {
  id: string;
  name: string;
  count: number;
  classes: string[];
  routes: string[];
}

export interface ProtocolMap {
  /** A mark was opened: the drug id and the text as it stood on the page. */
  lookupDrug(data: { id: string; text: string; kind?: NameKind; fuzzy?: string }): CardData | null;
  /** Typed or selected text: any name, brand, code or one-edit typo. */
  lookupName(data: { name: string }): CardData | null;
  /** Suggestions for the search box. */
  suggest(data: { query: string }): Suggestion[];
  /** Unmatched long words from the page: which are one-edit typos of a drug name. */
  resolveTypos(data: { words: string[] }): Record<string, { id: string; name: string } | null>;
  getSettings(data: undefined): Settings;
  /**
   * The names to look for, in the page index's text form (utils/matcher.ts,
   * pageIndexToText). A content script asks for it only where it is switched on, so
   * the script injected into every frame stays small and a site that is off pays nothing.
   */
  getPageIndex(data: undefined): string;
  /** The side-effect words to look for, asked for only when the popup wants the page's list. */
  getEffectTerms(data: undefined): NameIndex;
  /** Only accepted from the extension's own pages. */
  saveSettings(data: Partial<Settings>): Settings;
  /** The card's patient/student switch: the one setting a content script may change. */
  saveView(data: { view: 'patient' | 'student' }): Settings;
  /** The content script reports what it marked, for the badge and the popup. */
  reportPageDrugs(data: { drugs: { id: string; count: number }[] }): void;
  /** The popup asks what was found on a tab. */
  getPageDrugs(data: { tabId: number }): PageDrug[];
  /** Popup → the tab's content script: scroll to the first mark of a drug and open its card. */
  revealDrug(data: { id: string }): boolean;
  /** Background → content scripts of private tabs: settings that are never stored. */
  applySettings(data: Settings): void;
  /** Background → the content script of the frame where text was selected (context menu). */
  showCard(data: { text: string; card: CardData | null }): boolean;
  /** Popup: which drugs on the page can cause the side effects mentioned on it. */
  linkSideEffects(data: { effects: string[]; drugs: string[] }): { id: string; name: string; drugs: { id: string; name: string }[] }[];
  /** Popup in a private window: settings kept in memory only, never stored. */
  getPrivateSettings(data: undefined): Settings;
  savePrivateSettings(data: Partial<Settings>): Settings;
  /** Popup → the tab's top-frame content script: where it is and whether it is active. */
  getPageInfo(data: undefined): { url: string; site: string | null; active: boolean; effects: string[] };
}

export const { sendMessage, onMessage, removeAllListeners } = defineExtensionMessaging<ProtocolMap>();
