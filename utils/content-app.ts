/**
 * The content script's parts, wired: settings → highlighter (page text → matcher →
 * marks) → click/Enter on a mark → lookupDrug message → card.
 *
 *   ┌────────────┐   ┌─────────┐   ┌───────┐  click / Enter / Space  ┌──────────────┐
 *   │ page-text  │──▶│ matcher │──▶│ marks │────────────────────────▶│ sendMessage  │
 *   └────────────┘   └─────────┘   └───────┘                         │ lookupDrug   │
 *          ▲  MutationObserver (highlighter)                         └──────┬───────┘
 *          └───────────────────────────────                                 ▼
 *                                                         card-ui (closed shadow root, Preact)
 */
import type { NameIndex, NameKind } from '../data/types';
import { createCardUi, type CardUi } from './card-ui';
import { createHighlighter, type Highlighter } from './highlighter';
import type { CardData } from './lookup';
import { compilePageIndexText, compileMatcher, type Match, type Matcher, type TypoHit } from './matcher';
import { markCss } from './mark-style';
import { collectTextNodes, createTextWalker, MARK_TAG, UI_TAG } from './page-text';
import { isActiveOn, withDefaults, type SettingsValues as Settings } from './settings-core';

export interface ContentDeps {
  /** The page index in its text form (see pageIndexToText), asked for only when needed. */
  getPageIndex: () => Promise<string>;
  /** Side-effect words (asked for only when the popup wants them). */
  getEffectTerms: () => Promise<NameIndex>;
  doc: Document;
  url: () => string;
  getSettings: () => Promise<Settings>;
  saveView: (view: 'patient' | 'student') => Promise<unknown>;
  lookupDrug: (d: { id: string; text: string; kind?: NameKind; fuzzy?: string }) => Promise<CardData | null>;
  resolveTypos: (words: string[]) => Promise<Record<string, TypoHit | null>>;
  reportDrugs: (drugs: { id: string; count: number }[]) => void;
  setTimeout: (fn: () => void, ms: number) => unknown;
  isAlive: () => boolean;
  addListener: (target: EventTarget, type: string, fn: (e: Event) => void, options?: AddEventListenerOptions) => void;
}

export interface ContentApp {
  applySettings(next: unknown): void;
  reveal(id: string): boolean;
  /** Opens a card (or a not-found notice) beside the current selection (context menu). */
  showForSelection(text: string, card: CardData | null): boolean;
  /** Side effects mentioned on the page, by id (for the popup). */
  sideEffectsOnPage(): Promise<string[]>;
  highlighter(): Highlighter | null;
  stop(): void;
}

/** A letter in any script: drug names all have one. */
const LETTER = /\p{L}/u;
/** How often a document with nothing to read is looked at again while it changes. */
const RECHECK_MS = 100;

export async function startContentApp(deps: ContentDeps): Promise<ContentApp> {
  const { doc } = deps;
  // A card host left by an earlier copy of this script: Firefox keeps the page's DOM
  // after an update but drops the old script and its listeners, so that card could
  // never close.
  for (const stale of doc.querySelectorAll(UI_TAG)) stale.remove();
  let settings = withDefaults(await deps.getSettings().catch(() => undefined));
  let matcherLoad: Promise<Matcher | null> | null = null;
  let stopped = false;
  let hl: Highlighter | null = null;
  let effectMatcher: Matcher | null = null;
  let card: CardUi | null = null;
  let hoverTimer: unknown = null;
  let hoverToken = 0;

  const decorate = (el: HTMLElement, m: Match) => {
    el.dataset.kind = m.kind;
    if (m.fuzzy) el.dataset.fuzzy = m.fuzzy;
    el.tabIndex = 0;
    el.setAttribute('role', 'button');
    el.setAttribute('aria-haspopup', 'dialog');
    el.setAttribute('aria-label', m.fuzzy ? `${m.text}: did you mean ${m.fuzzy}? Drug information` : `${m.text}: drug information`);
  };

  /**
   * The matcher, built on first need: the index is fetched from the background and
   * compiled a slice at a time, so page start never waits on one long task. A failed
   * fetch (the extension going away) is tried again on the next start.
   */
  function loadMatcher(): Promise<Matcher | null> {
    matcherLoad ??= deps
      .getPageIndex()
      .then((text) => compilePageIndexText(text, () => new Promise((r) => deps.setTimeout(() => r(), 0))))
      .catch(() => {
        matcherLoad = null;
        return null;
      });
    return matcherLoad;
  }

  /**
   * Nothing to read yet: no text with a letter in it outside scripts, styles, editors and
   * the like, and no open shadow root (its text is not in this walk). A new about:blank
   * frame or tab, or an ad frame holding an image and scripts. Each frame compiles its
   * own index (about 170 ms of work and 11 MB), so such a frame waits until something
   * readable arrives. A document without a body is read as it is.
   */
  function nothingToRead(): boolean {
    if (!doc.body) return false;
    let shadow = false;
    const walker = createTextWalker(doc.body, () => (shadow = true));
    for (let t = walker.next(); t && !shadow; t = walker.next()) if (LETTER.test(t.data)) return false;
    return !shadow;
  }
  let blankWatch: MutationObserver | null = null;
  let recheckDue = false;

  function startHighlighting() {
    if (hl || stopped || !isActiveOn(settings, deps.url())) return;
    if (nothingToRead()) {
      // The index is fetched and compiled only once something arrives; a page that keeps
      // changing without text is looked at again at most every RECHECK_MS.
      blankWatch ??= new (doc.defaultView ?? window).MutationObserver(() => {
        if (recheckDue) return;
        recheckDue = true;
        deps.setTimeout(() => {
          recheckDue = false;
          if (!blankWatch || nothingToRead()) return;
          blankWatch.disconnect();
          blankWatch = null;
          startHighlighting();
        }, RECHECK_MS);
      });
      blankWatch.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
      return;
    }
    void loadMatcher().then((matcher) => {
      // Settings may have changed, or the script been stopped, while the index loaded.
      if (!matcher || hl || stopped || !deps.isAlive() || !isActiveOn(settings, deps.url())) return;
      createAndStart(matcher);
    });
  }

  function createAndStart(matcher: Matcher) {
    hl = createHighlighter(doc, {
      matcher,
      decorate,
      resolveTypos: deps.resolveTypos,
      firstOnly: settings.firstOnly,
      maxMarks: settings.maxMarks,
      markCss: markCss(settings),
      setTimeout: deps.setTimeout,
      isAlive: deps.isAlive,
      onChange: (counts) => deps.reportDrugs([...counts].map(([id, count]) => ({ id, count }))),
    });
    hl.start();
  }

  function stopHighlighting() {
    blankWatch?.disconnect();
    blankWatch = null;
    // The card's host element goes too: switched off, the page is left exactly as it was.
    card?.destroy();
    card = null;
    hl?.stop();
    hl = null;
    deps.reportDrugs([]);
  }

  function markOf(e: Event): HTMLElement | null {
    for (const n of e.composedPath()) {
      if (n instanceof Element && n.localName === MARK_TAG && n.hasAttribute('data-druglens')) return n as HTMLElement;
    }
    return null;
  }

  function cardUi(): CardUi {
    card ??= createCardUi({
      doc,
      settings: () => settings,
      saveSettings: (p) => p.view && void deps.saveView(p.view).catch(() => undefined),
      fetchCard: (otherId) => deps.lookupDrug({ id: otherId, text: '' }).catch(() => null),
    });
    return card;
  }

  async function openFor(mark: HTMLElement) {
    const id = mark.dataset.drugId;
    if (!id) return;
    const data = await deps
      .lookupDrug({ id, text: mark.textContent ?? '', kind: mark.dataset.kind as NameKind | undefined, fuzzy: mark.dataset.fuzzy })
      .catch(() => null);
    if (!data || !mark.isConnected) return;
    cardUi().open(mark, data);
  }

  // isAlive() is checked before anything is done: after an update it ends the old
  // script (onInvalidated: marks and card go) and the event reaches the page untouched.
  deps.addListener(doc, 'click', (e) => {
    if (!deps.isAlive()) return;
    const mark = markOf(e);
    if (!mark || !e.isTrusted || !hl) return;
    // A mark inside a link: the card opens, the link is not followed.
    e.preventDefault();
    e.stopPropagation();
    void openFor(mark);
  }, { capture: true });

  deps.addListener(doc, 'keydown', (e) => {
    const k = e as KeyboardEvent;
    if (k.key !== 'Enter' && k.key !== ' ') return;
    const mark = markOf(e);
    if (!mark || !e.isTrusted || !hl || !deps.isAlive()) return;
    e.preventDefault();
    e.stopPropagation();
    void openFor(mark);
  }, { capture: true });

  deps.addListener(doc, 'mouseover', (e) => {
    if (settings.trigger !== 'hover') return;
    const mark = markOf(e);
    const token = ++hoverToken;
    if (!mark || !e.isTrusted) return;
    hoverTimer = deps.setTimeout(() => {
      if (token === hoverToken && mark.matches(':hover')) void openFor(mark);
    }, settings.hoverDelayMs);
    void hoverTimer;
  });

  startHighlighting();

  return {
    applySettings(next) {
      const prev = settings;
      settings = withDefaults(next);
      const styleChanged =
        prev.highlightStyle !== settings.highlightStyle ||
        prev.color !== settings.color ||
        prev.firstOnly !== settings.firstOnly ||
        prev.maxMarks !== settings.maxMarks;
      const active = isActiveOn(settings, deps.url());
      if (!active) stopHighlighting();
      else if (styleChanged && hl) {
        stopHighlighting();
        startHighlighting();
      } else startHighlighting();
    },
    reveal(id) {
      const mark = hl?.marks().find((m) => m.dataset.drugId === id && m.isConnected);
      if (!mark) return false;
      mark.scrollIntoView({ block: 'center', behavior: 'auto' });
      mark.focus({ preventScroll: true });
      void openFor(mark);
      return true;
    },
    showForSelection(text, data) {
      const sel = doc.getSelection();
      const range = sel && sel.rangeCount ? sel.getRangeAt(0).cloneRange() : null;
      if (!range) return false;
      cardUi().open({ getBoundingClientRect: () => range.getBoundingClientRect() }, data, text);
      return true;
    },
    async sideEffectsOnPage() {
      if (!hl) return [];
      effectMatcher ??= compileMatcher(await deps.getEffectTerms());
      const found = new Set<string>();
      for (const t of collectTextNodes(doc.body ?? doc.documentElement)) {
        for (const m of effectMatcher.find(t.data)) found.add(m.id);
      }
      return [...found].sort();
    },
    highlighter: () => hl,
    stop() {
      stopped = true;
      stopHighlighting();
      card?.destroy();
      card = null;
    },
  };
}
