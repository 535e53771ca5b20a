/**
 * Builds for the e2e checks that read build output (manifest, web-ext lint, reproducible
 * zips). A build is made again only when it is missing or older than its inputs, so a
 * file run alone never reads a stale build and `npm test` (which has just built Chrome)
 * does not build twice.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const run = promisify(execFile);

const INPUTS = ['entrypoints', 'components', 'utils', 'data', 'assets', 'public', 'wxt.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newest(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

/** The newest modification time among the build's inputs. */
export function inputsStamp(): number {
  return Math.max(...INPUTS.map((p) => newest(path.join(ROOT, p))));
}

export function buildDir(browser: 'chrome' | 'firefox'): string {
  return path.join(ROOT, `.output/${browser}-mv3`);
}

/** The unpacked build for a browser, built now if missing or stale. */
export async function ensureBuild(browser: 'chrome' | 'firefox'): Promise<string> {
  const dir = buildDir(browser);
  const manifest = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifest) || fs.statSync(manifest).mtimeMs < inputsStamp()) {
    await run('npx', ['wxt', 'build', ...(browser === 'firefox' ? ['-b', 'firefox', '--mv3'] : [])], { cwd: ROOT, maxBuffer: 64 << 20 });
  }
  return dir;
}

export function readManifest(dir: string): Record<string, unknown> & { permissions?: string[] } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}
