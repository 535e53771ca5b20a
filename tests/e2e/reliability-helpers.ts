/**
 * Helpers for the reliability suite: a browser without the extension (the baseline),
 * fixture bundling, structural serialisation, layout rects, marks per frame, the
 * fixtures' declared expectations, and switching the extension off for a site.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, type Ext } from './harness';
import { type Settings } from '../../utils/settings';
import { DEFAULT_SETTINGS } from '../../utils/settings-core';

export const FIXTURES = path.join(ROOT, 'tests/fixtures/pages/reliability');
export const DIST = path.join(FIXTURES, 'dist');
export const VIEWPORT = { width: 1000, height: 700 };

/** The same Chromium, flags and viewport as the extension's context, without the extension. */
export async function launchBaseline(): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: false,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  await context.route(
    (url) => !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url.toString()) && !/^(data|blob|about):/.test(url.toString()),
    (route) => route.abort('blockedbyclient'),
  );
  return { browser, context };
}

/**
 * Bundles the framework fixture apps (React 19 has no UMD build) and renders the SSR
 * page. Output goes to tests/fixtures/pages/reliability/dist/ (git-ignored).
 */
export async function buildFixtureApps(): Promise<void> {
  const { build } = await import('esbuild');
  fs.mkdirSync(DIST, { recursive: true });
  const src = path.join(FIXTURES, 'src');
  await build({
    entryPoints: {
      'react-toggle': path.join(src, 'react-toggle.jsx'),
      'react-input': path.join(src, 'react-input.jsx'),
      'react-ssr-client': path.join(src, 'react-ssr-client.jsx'),
    },
    outdir: DIST,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'react',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'error',
    absWorkingDir: ROOT,
  });
  const serverOut = path.join(DIST, 'react-ssr-server.mjs');
  await build({
    entryPoints: [path.join(src, 'react-ssr-server.jsx')],
    outfile: serverOut,
    bundle: true,
    format: 'esm',
    platform: 'node',
    jsx: 'automatic',
    jsxImportSource: 'react',
    external: ['react', 'react-dom', 'react-dom/server'],
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'error',
    absWorkingDir: ROOT,
  });
  // The server bundle is imported from the repository root so 'react' resolves to node_modules.
  const mod = (await import(pathToFileURL(serverOut).href)) as { renderApp(): string };
  const markup = mod.renderApp();
  for (const name of ['react-ssr', 'react-ssr-late']) {
    const template = fs.readFileSync(path.join(FIXTURES, `${name}.html`), 'utf8');
    if (!template.includes('<!--ssr-outlet-->')) throw new Error(`${name}.html has no <!--ssr-outlet-->`);
    fs.writeFileSync(path.join(DIST, `${name}.html`), template.replace('<!--ssr-outlet-->', markup));
  }
}

/** What a fixture declares in <script type="application/json" id="expect">. */
export interface Expectation {
  behaviour: string;
  /** Texts of our marks in this document (open shadow roots included), in tree order. */
  marks?: string[];
  /** False where the content script cannot run (then nothing is waited for). */
  runs?: boolean;
  /** False where it runs but has nothing to read, so highlighting does not start (nothing is waited for). */
  starts?: boolean;
  /** Whether switching 127.0.0.1 off removes the marks here (default true). */
  undo?: boolean;
  /** Only marks inside elements matching this selector are declared (the rest of the page changes on its own). */
  scope?: string;
  /** Expectations for child frames, by frame name (override the child's own). */
  frames?: Record<string, Expectation>;
}

export async function readExpect(frame: Frame): Promise<Expectation | null> {
  return frame
    .evaluate(() => {
      const el = document.getElementById('expect');
      return el && el.getAttribute('type') === 'application/json' ? JSON.parse(el.textContent || 'null') : null;
    })
    .catch(() => null);
}

/** Mark texts in a frame's document, open shadow roots included (element, its shadow tree, then its children). */
export async function frameMarks(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const out: string[] = [];
    const walk = (n: Node) => {
      if (n.nodeType === 1) {
        const el = n as Element;
        if (el.localName === 'druglens-mark' && el.hasAttribute('data-druglens')) {
          out.push(el.textContent ?? '');
          return;
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
      for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
    };
    walk(document);
    return out;
  });
}

/** All marks of the page, frame by frame (frames that cannot be read give []). */
export async function allMarks(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const f of page.frames()) out.push(...(await frameMarks(f).catch(() => [])));
  return out;
}

/** True once our constructed style sheet is adopted by the document (the highlighter has started). */
export async function highlighterStarted(frame: Frame): Promise<boolean> {
  return frame
    .evaluate(() =>
      document.adoptedStyleSheets.some((s) => {
        try {
          return [...s.cssRules].some((r) => r.cssText.includes('druglens-mark'));
        } catch {
          return false;
        }
      }),
    )
    .catch(() => false);
}

/** Polls until `fn` returns true; returns false on timeout. */
export async function until(fn: () => Promise<boolean> | boolean, timeout = 5000, every = 25): Promise<boolean> {
  const t0 = Date.now();
  for (;;) {
    if (await fn()) return true;
    if (Date.now() - t0 > timeout) return false;
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Waits for the fixture's own readiness promise (window.__ready) if it declares one, then two frames. */
export async function waitReady(frame: Frame): Promise<void> {
  // A frame sandboxed without allow-scripts runs no callbacks (a requestAnimationFrame
  // there is refused with a console error): sandboxed frames are not waited on.
  await Promise.race([
    frame.evaluate(async () => {
      if (self.origin === 'null') return;
      const w = window as unknown as { __ready?: Promise<unknown> };
      if (w.__ready) await w.__ready;
      await document.fonts.ready;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    }),
    new Promise((r) => setTimeout(r, 1500)),
  ]);
}

/**
 * Structural serialisation of a frame's whole document: node types, tags (with
 * namespace), attributes in order, text and comment data (empty text nodes included),
 * doctype, and open shadow roots.
 */
export async function structure(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const out: string[] = [];
    const walk = (n: Node, depth: number) => {
      const pad = ' '.repeat(depth);
      switch (n.nodeType) {
        case 1: {
          const el = n as Element;
          const attrs = [...el.attributes].map((a) => ` ${a.name}=${JSON.stringify(a.value)}`).join('');
          out.push(`${pad}<${el.localName}${el.namespaceURI === 'http://www.w3.org/1999/xhtml' ? '' : ` ns=${el.namespaceURI}`}${attrs}>`);
          if (el.shadowRoot) {
            out.push(`${pad} #shadow-root(${el.shadowRoot.mode})`);
            for (let c = el.shadowRoot.firstChild; c; c = c.nextSibling) walk(c, depth + 2);
          }
          break;
        }
        case 3:
          out.push(`${pad}#text ${JSON.stringify((n as Text).data)}`);
          break;
        case 4:
          out.push(`${pad}#cdata ${JSON.stringify((n as CDATASection).data)}`);
          break;
        case 7:
          out.push(`${pad}#pi ${(n as ProcessingInstruction).target} ${JSON.stringify((n as ProcessingInstruction).data)}`);
          break;
        case 8:
          out.push(`${pad}#comment ${JSON.stringify((n as Comment).data)}`);
          break;
        case 9:
          out.push(`${pad}#document`);
          break;
        case 10:
          out.push(`${pad}<!doctype ${(n as DocumentType).name}>`);
          break;
        default:
          out.push(`${pad}#node ${n.nodeType}`);
      }
      for (let c = n.firstChild; c; c = c.nextSibling) walk(c, depth + 1);
    };
    walk(document, 0);
    return out.join('\n');
  });
}

/** Counts of the node kinds in a frame (for readable failure messages). */
export async function nodeCounts(frame: Frame): Promise<{ elements: number; texts: number; emptyTexts: number }> {
  return frame.evaluate(() => {
    const c = { elements: 0, texts: 0, emptyTexts: 0 };
    const walk = (n: Node) => {
      if (n.nodeType === 1) c.elements++;
      if (n.nodeType === 3) {
        c.texts++;
        if (!(n as Text).data) c.emptyTexts++;
      }
      for (let k = n.firstChild; k; k = k.nextSibling) walk(k);
    };
    walk(document);
    return c;
  });
}

/**
 * Script run at document start in every frame: remembers the document's Text nodes at
 * DOMContentLoaded (before the content script, which runs at document_idle, can touch
 * them), so undo can be checked to give back the very same Text objects.
 */
export const CAPTURE_TEXT_NODES = `(() => {
  document.addEventListener('DOMContentLoaded', () => {
    const list = [];
    const walk = (n) => { if (n.nodeType === 3) list.push(n); for (let c = n.firstChild; c; c = c.nextSibling) walk(c); };
    walk(document);
    window.__dclTexts = list;
  }, { once: true });
})();`;

/** Whether the document's Text nodes are exactly (same objects, same order) those it had at DOMContentLoaded. */
export async function sameTextObjects(frame: Frame): Promise<{ same: boolean; before: number; now: number; firstDiff: number } | null> {
  return frame.evaluate(() => {
    // Nothing to compare where the capture could not run, or ran before the document had
    // any text (an about:blank frame the page later fills with document.write).
    const captured = (window as unknown as { __dclTexts?: Text[] }).__dclTexts;
    if (!captured || !captured.length) return null;
    const before = captured;
    const now: Text[] = [];
    const walk = (n: Node) => {
      if (n.nodeType === 3) now.push(n as Text);
      for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
    };
    walk(document);
    let firstDiff = -1;
    for (let i = 0; i < Math.max(before.length, now.length); i++) {
      if (before[i] !== now[i]) {
        firstDiff = i;
        break;
      }
    }
    return { same: firstDiff === -1, before: before.length, now: now.length, firstDiff };
  });
}

export type Rects = Record<string, [number, number, number, number]>;

/**
 * getBoundingClientRect of every element of the page (open shadow roots included),
 * keyed by its path of element indices. Our marks and card are not counted in the
 * indices, so the same page element has the same key with and without marks.
 * Subtrees under [data-volatile] (content the fixture changes on its own clock) are left out.
 */
export async function layoutRects(frame: Frame): Promise<Rects> {
  return frame.evaluate(() => {
    const out: Record<string, [number, number, number, number]> = {};
    const ours = (el: Element) => el.localName === 'druglens-mark' || el.localName === 'druglens-card';
    const walk = (parent: Element | ShadowRoot, key: string) => {
      let i = 0;
      for (let c = parent.firstElementChild; c; c = c.nextElementSibling) {
        if (ours(c)) continue;
        const k = `${key}/${c.localName}[${i++}]`;
        if (c.hasAttribute('data-volatile')) continue;
        const r = c.getBoundingClientRect();
        out[k] = [r.x, r.y, r.width, r.height];
        if (c.shadowRoot) walk(c.shadowRoot, `${k}/#shadow`);
        walk(c, k);
      }
    };
    const root = document.documentElement;
    const r = root.getBoundingClientRect();
    out['html'] = [r.x, r.y, r.width, r.height];
    walk(root, 'html');
    out['#scroll'] = [0, 0, document.documentElement.scrollWidth, document.documentElement.scrollHeight];
    return out;
  });
}

/** Elements whose rect moved by more than `tol` px (and keys present on one side only). */
export function layoutDiff(base: Rects, withMarks: Rects, tol = 1): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(base), ...Object.keys(withMarks)])) {
    const a = base[k];
    const b = withMarks[k];
    if (!a || !b) {
      out.push(`${k}: only ${a ? 'without' : 'with'} the extension`);
      continue;
    }
    const d = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    if (d > tol) out.push(`${k}: [${a.map((v) => v.toFixed(1))}] -> [${b.map((v) => v.toFixed(1))}]`);
  }
  return out;
}

/** The document's text (body, or the root element), leaving out [data-volatile] subtrees. */
export async function pageText(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const root = document.body ?? document.documentElement;
    if (!root) return '';
    let s = '';
    const walk = (n: Node) => {
      if (n.nodeType === 3) s += (n as Text).data;
      else if (n.nodeType === 1) {
        const el = n as Element;
        if (el.localName === 'druglens-card' || el.hasAttribute('data-volatile')) return;
        if (el.shadowRoot) walk(el.shadowRoot);
      }
      for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
    };
    walk(root);
    return s;
  });
}

/** Values of every form field and the markup of every editable region in a frame. */
export async function formState(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const out: string[] = [];
    document.querySelectorAll('input, textarea, select').forEach((el) => out.push(`${el.localName}#${el.id}: ${(el as HTMLInputElement).value}`));
    document.querySelectorAll('[contenteditable]:not([contenteditable="false"])').forEach((el) => out.push(`editable#${el.id}: ${el.innerHTML}`));
    if (document.designMode === 'on' && document.body) out.push(`designMode: ${document.body.innerHTML}`);
    return out;
  });
}

/** Writes the extension's settings from its service worker (as the options page would). */
export async function setSettings(ext: Ext, patch: Partial<Settings>): Promise<void> {
  let [sw] = ext.context.serviceWorkers();
  if (!sw) sw = await ext.context.waitForEvent('serviceworker');
  const settings = { ...DEFAULT_SETTINGS, ...patch };
  await sw.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
}

/** Metrics of the open card (popover box and computed font sizes of its parts). */
export const CARD_METRICS_FN = `function () {
  const pop = this.querySelector('.dl-popover');
  if (!pop) return null;
  const r = pop.getBoundingClientRect();
  const fs = (sel) => { const el = this.querySelector(sel); return el ? getComputedStyle(el).fontSize : null; };
  const name = this.querySelector('[data-testid=drug-name]');
  const nr = name ? name.getBoundingClientRect() : null;
  return {
    width: Math.round(r.width), height: Math.round(r.height),
    rootFont: fs('.dl-root'), popoverFont: fs('.dl-popover'), nameFont: fs('[data-testid=drug-name]'),
    nameHeight: nr ? Math.round(nr.height) : null,
  };
}`;
