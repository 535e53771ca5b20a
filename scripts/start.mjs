#!/usr/bin/env node
/**
 * npm start: builds the extension, serves the bundled demo page on 127.0.0.1 and opens
 * Chromium with the extension loaded. Without a display it says so, runs headless and
 * writes a screenshot of the demo page with a card open.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const ext = path.join(root, '.output/chrome-mv3');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!fs.existsSync(chromiumPath)) {
  console.error(`Chromium not found at ${chromiumPath}. On Debian: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}
console.log('Building the extension…');
const build = spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const demo = fs.readFileSync(path.join(root, 'demo/targeted-drugs-all.html'));
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(demo);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (headless) console.log('No display found ($DISPLAY is not set): running headless and taking a screenshot instead.');
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'druglens-start-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: false,
  viewport: headless ? { width: 1100, height: 800 } : null,
  args: [
    `--disable-extensions-except=${ext}`,
    `--load-extension=${ext}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(headless ? ['--headless=new', '--no-sandbox', '--disable-gpu'] : []),
    ...(process.getuid?.() === 0 && !headless ? ['--no-sandbox'] : []),
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(url);
console.log(`Demo page: ${url}`);

if (headless) {
  await page.waitForSelector('druglens-mark[data-druglens]', { timeout: 20_000 });
  const mark = page.locator('druglens-mark', { hasText: 'Glivec' }).first();
  await mark.scrollIntoViewIfNeeded();
  await mark.click();
  await page.waitForTimeout(800);
  const out = path.join(root, 'screenshots/demo-card.png');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`Screenshot of the demo page with a card open: ${out}`);
  await context.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
} else {
  console.log('Chromium is open with Drug Lens loaded. Close the browser window (or press Ctrl+C) to stop.');
  context.on('close', () => {
    server.close();
    process.exit(0);
  });
}
