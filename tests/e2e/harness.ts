/**
 * End-to-end harness: the built extension in real Chromium (Debian's /usr/bin/chromium),
 * a fixture server on 127.0.0.1, a record of every request the browser makes, and a
 * reader for the card's closed shadow root (through the DevTools protocol, the only
 * way into a closed root from outside).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type CDPSession } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXT_PATH = path.join(ROOT, '.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The marks tests/fixtures/pages/foundation.html gets, in page order. */
export const SEED_MARKS = [
  'imatinib', 'DASATINIB', 'Ponatinib', 'rituximab', 'blinatumomab', 'inotuzumab ozogamicin', 'tisagenlecleucel',
  'Glivec', 'gleevec', 'SPRYCEL', 'Iclusig', 'MabThera', 'Rituxan', 'Blincyto', 'Besponsa', 'kymriah',
  'STI-571', 'STI571', 'CTL019',
  'Gleevec',
];
/** Flags for every Chromium the tests start: headless, and quiet on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];

export interface Server {
  origin: string; // http://127.0.0.1:PORT
  altOrigin: string; // http://localhost:PORT (a different origin, same server)
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves tests/fixtures/pages, demo/ and node_modules (for framework fixtures). */
export async function startServer(): Promise<Server> {
  const roots: Record<string, string> = {
    '/pages/': path.join(ROOT, 'tests/fixtures/pages/'),
    '/demo/': path.join(ROOT, 'demo/'),
    '/vendor/': path.join(ROOT, 'node_modules/'),
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`received:${body}`);
      });
      return;
    }
    const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
    if (!prefix) {
      res.writeHead(404).end('not found');
      return;
    }
    const file = path.join(roots[prefix], decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!file.startsWith(roots[prefix]) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    altOrigin: `http://localhost:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface Ext {
  context: BrowserContext;
  extensionId: string;
  /** Every request URL the browser made, in order. */
  requests: string[];
  /** Requests to hosts other than the fixture server and the extension. */
  foreignRequests(): string[];
  close(): Promise<void>;
}

export async function launchExtension(opts: { extPath?: string; viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<Ext> {
  const extPath = opts.extPath ?? EXT_PATH;
  if (!fs.existsSync(path.join(extPath, 'manifest.json'))) throw new Error(`No built extension at ${extPath}: run "npm run build" first`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'druglens-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    args: [
      `--disable-extensions-except=${extPath}`,
      `--load-extension=${extPath}`,
      ...CHROMIUM_ARGS,
    ],
    viewport: opts.viewport ?? { width: 1000, height: 700 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  // Anything that is not the fixture server or the extension is blocked (and recorded).
  await context.route(
    (url) => !isAllowed(url.toString()),
    (route) => route.abort('blockedbyclient'),
  );
  let [sw] = context.serviceWorkers();
  if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 20_000 });
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    extensionId,
    requests,
    foreignRequests: () => requests.filter((u) => !isAllowed(u, extensionId)),
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

function isAllowed(u: string, extensionId?: string): boolean {
  try {
    const url = new URL(u);
    if (url.protocol === 'chrome-extension:') return !extensionId || url.host === extensionId;
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return true;
    return (url.protocol === 'http:' || url.protocol === 'ws:') && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  } catch {
    return false;
  }
}

/** Texts of all marks on the page (light DOM and open shadow roots). */
export async function markTexts(page: Page): Promise<string[]> {
  return page.locator('druglens-mark[data-druglens]').allTextContents();
}

export async function waitForMarks(page: Page, min = 1, timeout = 10_000): Promise<string[]> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('druglens-mark[data-druglens]').length >= n,
    min,
    { timeout },
  );
  return markTexts(page);
}

/** Reads and acts inside the card's closed shadow root. */
export class CardReader {
  private cdp?: CDPSession;
  constructor(private page: Page) {}

  private async session(): Promise<CDPSession> {
    this.cdp ??= await this.page.context().newCDPSession(this.page);
    return this.cdp;
  }

  /** Runs `fn` with `this` = the card's shadow root; null if no card host. */
  async eval<T>(fn: string, ...args: unknown[]): Promise<T | null> {
    const cdp = await this.session();
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const host = findNode(root, (n) => n.localName === 'druglens-card');
    const sr = host?.shadowRoots?.[0];
    if (!sr) return null;
    const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId: sr.backendNodeId })) as { object: { objectId: string } };
    const res = (await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: fn,
      arguments: args.map((value) => ({ value })),
      returnByValue: true,
      awaitPromise: true,
    })) as { result: { value: T }; exceptionDetails?: unknown };
    if (res.exceptionDetails) throw new Error(`card eval failed: ${JSON.stringify(res.exceptionDetails)}`);
    return res.result.value;
  }

  async isOpen(): Promise<boolean> {
    return !!(await this.eval<boolean>('function () { return !!this.querySelector("[data-testid=drug-card]"); }'));
  }

  async waitOpen(timeout = 10_000): Promise<void> {
    const t0 = Date.now();
    while (!(await this.isOpen())) {
      if (Date.now() - t0 > timeout) throw new Error('card did not open');
      await this.page.waitForTimeout(50);
    }
  }

  async waitClosed(timeout = 5_000): Promise<void> {
    const t0 = Date.now();
    while (await this.isOpen()) {
      if (Date.now() - t0 > timeout) throw new Error('card did not close');
      await this.page.waitForTimeout(50);
    }
  }

  async text(testid = 'drug-card'): Promise<string> {
    return (
      (await this.eval<string>(
        'function (id) { const el = this.querySelector(`[data-testid="${id}"]`); return el ? el.textContent : ""; }',
        testid,
      )) ?? ''
    );
  }

  async rect(selector = '.dl-popover'): Promise<{ x: number; y: number; width: number; height: number } | null> {
    return this.eval(
      'function (s) { const el = this.querySelector(s); if (!el) return null; const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }',
      selector,
    );
  }

  /** A real (trusted) mouse click on an element in the card. */
  async click(selector: string): Promise<void> {
    const r = await this.rect(selector);
    if (!r) throw new Error(`no ${selector} in card`);
    await this.page.mouse.click(r.x + r.width / 2, r.y + r.height / 2);
  }

  /** Whether the focused element is inside the card. */
  async hasFocus(): Promise<boolean> {
    return !!(await this.eval<boolean>('function () { return !!this.activeElement; }'));
  }
}

interface DomNode {
  nodeId: number;
  backendNodeId: number;
  localName?: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

function findNode(n: DomNode, pred: (n: DomNode) => boolean): DomNode | undefined {
  if (pred(n)) return n;
  for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) {
    const f = findNode(c, pred);
    if (f) return f;
  }
  return undefined;
}

/** Collects page errors and console errors for a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}
