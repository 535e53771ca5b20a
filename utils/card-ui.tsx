/**
 * The in-page card: a closed shadow root holding the Preact DrugCard, placed beside
 * its mark with @floating-ui/dom (flips and shifts to stay on screen), as a labelled
 * dialog. Focus moves in when it opens and back to the mark when it closes.
 */
import { autoUpdate, computePosition, flip, offset, shift, size } from '@floating-ui/dom';
import { render } from 'preact';
import { DrugCard, type CardView } from '../components/DrugCard';
import cardCss from '../components/card.css?inline';
import type { CardData } from './lookup';
import { UI_TAG } from './page-text';
import type { SettingsValues as Settings } from './settings-core';

export interface CardUiOptions {
  doc?: Document;
  settings: () => Settings;
  saveSettings: (patch: Partial<Settings>) => void;
  /** Fetches a card for another drug (class siblings). */
  fetchCard: (id: string) => Promise<CardData | null>;
}

/** Where the card is placed: a mark, or the selected text (context menu). */
export type Anchor = HTMLElement | { getBoundingClientRect(): DOMRect; isConnected?: undefined };

export interface CardUi {
  /** Opens `card` beside `anchor`; `notFound` shows a short notice for text we do not know. */
  open(anchor: Anchor, card: CardData | null, notFound?: string): void;
  close(restoreFocus?: boolean): void;
  isOpen(): boolean;
  destroy(): void;
}

export function createCardUi(opts: CardUiOptions): CardUi {
  const doc = opts.doc ?? document;
  let host: HTMLElement | null = null;
  let shadow: ShadowRoot | null = null;
  let anchor: Anchor | null = null;
  let returnFocus: HTMLElement | null = null;
  let notFoundText = '';
  let stack: CardData[] = [];
  let pinned = false;
  let stopAuto: (() => void) | null = null;
  let view: CardView = opts.settings().view;

  function ensureHost() {
    if (host?.isConnected && shadow) return;
    host = doc.createElement(UI_TAG);
    host.setAttribute('style', 'all: initial; position: fixed; top: 0; left: 0; width: 0; height: 0; z-index: 2147483647;');
    shadow = host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = cardCss;
    shadow.appendChild(style);
    const root = doc.createElement('div');
    root.className = 'dl-root';
    shadow.appendChild(root);
    (doc.documentElement ?? doc.body).appendChild(host);
    shadow.addEventListener('keydown', onKey as EventListener);
  }

  function rootEl(): HTMLElement {
    return shadow!.querySelector('.dl-root') as HTMLElement;
  }

  function popoverEl(): HTMLElement | null {
    return shadow?.querySelector('.dl-popover') ?? null;
  }

  function paint() {
    if (!shadow) return;
    const s = opts.settings();
    const root = rootEl();
    root.dataset.theme = s.theme;
    root.style.setProperty('--dl-scale', String(s.fontScale));
    const card = stack[stack.length - 1];
    if (!card && notFoundText) {
      render(
        <div class="dl-popover" role="dialog" aria-modal="false" aria-labelledby="dl-card-title" tabIndex={-1}>
          <div class="dl-card" data-testid="drug-card" data-tier="none">
            <div class="dl-toolbar">
              <button type="button" class="dl-icon" aria-label="Close" data-testid="close" onClick={(e) => e.isTrusted && close(true)}>
                ×
              </button>
            </div>
            <h2 id="dl-card-title" class="dl-name">
              Not found
            </h2>
            <p data-testid="not-found">“{notFoundText}” is not a medicine Drug Lens knows, and its name does not suggest a class. Check the spelling on the box or leaflet.</p>
          </div>
        </div>,
        root,
      );
      return;
    }
    render(
      card ? (
        <div class="dl-popover" role="dialog" aria-modal="false" aria-labelledby="dl-card-title" tabIndex={-1}>
          <DrugCard
            card={card}
            view={view}
            region={s.region}
            pinned={pinned}
            onPinChange={(p) => {
              pinned = p;
              if (p) stopFollowing();
              else follow();
              paint();
            }}
            onViewChange={(v) => {
              view = v;
              opts.saveSettings({ view: v });
              paint();
            }}
            onOpenDrug={async (id) => {
              const next = await opts.fetchCard(id);
              if (next) {
                stack.push(next);
                paint();
                showTop();
              }
            }}
            onBack={stack.length > 1 ? () => (stack.pop(), paint(), showTop()) : undefined}
            onClose={() => close(true)}
          />
        </div>
      ) : null,
      root,
    );
  }

  function focusCard() {
    const pop = popoverEl();
    pop?.focus({ preventScroll: true });
  }

  /** Another card replaced the one shown (same class, Back): start at its top. */
  function showTop() {
    const pop = popoverEl();
    if (pop) pop.scrollTop = 0;
    focusCard();
  }

  async function place() {
    const pop = popoverEl();
    if (!pop || !anchor) return;
    if (anchor.isConnected === false) {
      if (!pinned) close(false);
      return;
    }
    const { x, y } = await computePosition(anchor as HTMLElement, pop, {
      strategy: 'fixed',
      placement: 'bottom-start',
      middleware: [
        offset(6),
        flip({ padding: 8 }),
        shift({ padding: 8 }),
        size({
          padding: 8,
          apply({ availableHeight, elements }) {
            elements.floating.style.maxHeight = `${Math.max(160, Math.min(availableHeight, 560))}px`;
          },
        }),
      ],
    });
    pop.style.left = `${Math.round(x)}px`;
    pop.style.top = `${Math.round(y)}px`;
  }

  function follow() {
    stopFollowing();
    const pop = popoverEl();
    if (pop && anchor) stopAuto = autoUpdate(anchor as HTMLElement, pop, () => void place());
  }

  function stopFollowing() {
    stopAuto?.();
    stopAuto = null;
  }

  function onKey(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      e.preventDefault();
      close(true);
    }
  }

  function onDocKey(e: KeyboardEvent) {
    if (e.key === 'Escape' && isOpen()) {
      close(true);
    }
  }

  function onDocPointer(e: Event) {
    if (!isOpen() || pinned) return;
    const path = e.composedPath();
    if (host && path.includes(host)) return;
    if (anchor && path.includes(anchor as EventTarget)) return;
    close(false);
  }

  function open(a: Anchor, card: CardData | null, notFound = '') {
    ensureHost();
    anchor = a;
    returnFocus = a instanceof HTMLElement ? a : (doc.activeElement as HTMLElement | null);
    stack = card ? [card] : [];
    notFoundText = card ? '' : notFound;
    view = opts.settings().view;
    pinned = false;
    paint();
    void place().then(focusCard);
    follow();
    doc.addEventListener('keydown', onDocKey, true);
    doc.addEventListener('pointerdown', onDocPointer, true);
  }

  function close(restoreFocus = true) {
    stopFollowing();
    if (shadow) render(null, rootEl());
    stack = [];
    notFoundText = '';
    doc.removeEventListener('keydown', onDocKey, true);
    doc.removeEventListener('pointerdown', onDocPointer, true);
    const back = returnFocus;
    anchor = null;
    returnFocus = null;
    if (restoreFocus && back?.isConnected) back.focus({ preventScroll: true });
  }

  function isOpen() {
    return stack.length > 0 || !!notFoundText;
  }

  return {
    open,
    close,
    isOpen,
    destroy() {
      close(false);
      host?.remove();
      host = null;
      shadow = null;
    },
  };
}
