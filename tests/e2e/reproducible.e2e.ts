/**
 * Reproducible packages: two clean builds (`wxt zip`, each into its own empty output
 * directory) give byte-identical Chrome and Firefox zips. WXT's zips would carry the
 * build time and file-system order; wxt.config.ts rewrites them with a fixed time and
 * sorted entries (scripts/lib/deterministic-zip.ts). Each zip must also hold exactly the
 * unpacked build, file for file.
 *
 * Other people may edit sources while this runs: a pair of builds is only compared when
 * no input changed between them (otherwise the pair is built again, up to three times).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputsStamp, ROOT, run } from './builds';

// JSZip is what WXT zips with; read the zips back with the same library, from WXT's own dependencies.
const requireFromWxt = createRequire(createRequire(import.meta.url).resolve('wxt'));
const JSZip = requireFromWxt('jszip') as typeof import('jszip');

const ZIP = `
import { zip } from 'wxt';
const [outDir, browser] = process.argv.slice(1);
await zip({ outDir, browser, manifestVersion: 3, zip: { zipSources: false }, logger: { ...console, info() {}, success() {}, log() {}, debug() {}, start() {}, box() {}, ready() {}, level: 0 } });
`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drug-lens-repro-'));
// WXT writes the output directory into .wxt/tsconfig.json ("exclude"): generate it again for the project's own.
afterAll(async () => {
  await run('npx', ['wxt', 'prepare'], { cwd: ROOT, maxBuffer: 64 << 20 });
  fs.rmSync(tmp, { recursive: true, force: true });
}, 120_000);

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function cleanZip(name: string, browser: 'chrome' | 'firefox'): Promise<string> {
  const outDir = path.join(tmp, name);
  fs.rmSync(outDir, { recursive: true, force: true });
  await run('node', ['--input-type=module', '-e', ZIP, outDir, browser], { cwd: ROOT, maxBuffer: 64 << 20 });
  const zips = fs.readdirSync(outDir).filter((f) => f.endsWith(`-${browser}.zip`));
  expect(zips).toHaveLength(1);
  return path.join(outDir, zips[0]);
}

describe.each(['chrome', 'firefox'] as const)('the %s zip', (browser) => {
  it('is byte-identical across two clean builds, and holds exactly the unpacked build', async () => {
    let a = '';
    let b = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      const stamp = inputsStamp();
      a = await cleanZip(`${browser}-a`, browser);
      b = await cleanZip(`${browser}-b`, browser);
      if (inputsStamp() === stamp) break;
      if (attempt === 3) throw new Error('sources kept changing during the builds; nothing to compare');
    }
    const [ha, hb] = [sha256(a), sha256(b)];
    console.log(`reproducible ${browser}: ${path.basename(a)} sha256 ${ha} (build 1) ${hb} (build 2)`);
    expect(hb).toBe(ha);

    const unpacked = path.join(path.dirname(a), `${browser}-mv3`);
    const files = walk(unpacked).map((f) => path.relative(unpacked, f).split(path.sep).join('/')).sort();
    const zip = await JSZip.loadAsync(fs.readFileSync(a), { checkCRC32: true });
    const entries = Object.values(zip.files).filter((f) => !f.dir);
    expect(entries.map((e) => e.name)).toEqual(files);
    for (const e of entries) expect(Buffer.from(await e.async('uint8array')).equals(fs.readFileSync(path.join(unpacked, e.name))), e.name).toBe(true);
    // The fixed time and name order that make it reproducible.
    expect(new Set(entries.map((e) => e.date.getUTCFullYear()))).toEqual(new Set([process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).getUTCFullYear() : 1980]));
  }, 900_000);
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
