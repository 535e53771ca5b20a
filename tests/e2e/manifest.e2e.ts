/**
 * Manifest snapshot of the built extension (Chrome and Firefox): the permissions are
 * exactly those README.md's "Permissions" table gives a reason for (storage among them),
 * no host permissions, the content script in every frame and about:blank, no remote
 * code, and Firefox's data_collection_permissions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild, readManifest, ROOT } from './builds';

type Manifest = ReturnType<typeof readManifest> & {
  content_scripts?: { matches: string[]; js?: string[]; css?: string[]; all_frames?: boolean; match_about_blank?: boolean }[];
  background?: { service_worker?: string; scripts?: string[] };
  content_security_policy?: Record<string, string> | string;
  browser_specific_settings?: { gecko?: Record<string, unknown>; gecko_android?: Record<string, unknown> };
};

/** README.md, "## Permissions": rows of `| \`permission\` | reason |`. */
function readmePermissions(): Map<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Permissions'));
  expect(section, 'README.md has a "Permissions" section').toBeDefined();
  const rows = new Map<string, string>();
  for (const line of section!.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  return rows;
}

const builds: Record<'chrome' | 'firefox', { dir: string; manifest: Manifest }> = {} as never;

beforeAll(async () => {
  for (const browser of ['chrome', 'firefox'] as const) {
    const dir = await ensureBuild(browser);
    builds[browser] = { dir, manifest: readManifest(dir) as Manifest };
  }
}, 300_000);

describe.each(['chrome', 'firefox'] as const)('the %s manifest', (browser) => {
  it('asks for exactly the permissions README.md gives a written reason for, storage among them', () => {
    const { manifest } = builds[browser];
    const readme = readmePermissions();
    expect(readme.has('storage')).toBe(true);
    for (const [name, why] of readme) expect(why.replace(/[|`*_]/g, '').trim().length, `reason for ${name}`).toBeGreaterThan(15);
    const asked = [...(manifest.permissions ?? []), ...((manifest.optional_permissions as string[] | undefined) ?? [])].sort();
    expect(asked).toEqual([...readme.keys()].sort());
    expect(manifest.permissions).toContain('storage');
  });

  it('has no host permissions', () => {
    const { manifest } = builds[browser];
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.optional_host_permissions).toBeUndefined();
    for (const p of manifest.permissions ?? []) expect(p, 'a host pattern among permissions').not.toMatch(/:\/\/|^<all_urls>$/);
  });

  it('runs the content script in every frame and in about:blank frames', () => {
    const scripts = builds[browser].manifest.content_scripts ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const cs of scripts) {
      expect(cs.all_frames).toBe(true);
      expect(cs.match_about_blank).toBe(true);
    }
  });

  it('loads no remote code: scripts are files in the package, no URL in the CSP or script tags', () => {
    const { dir, manifest } = builds[browser];
    const csp = manifest.content_security_policy;
    const cspText = typeof csp === 'string' ? csp : Object.values(csp ?? {}).join(' ');
    expect(cspText).not.toMatch(/https?:|\*|'unsafe-eval'|'unsafe-inline'|data:|blob:/);
    const files = [
      manifest.background?.service_worker,
      ...(manifest.background?.scripts ?? []),
      ...(manifest.content_scripts ?? []).flatMap((c) => [...(c.js ?? []), ...(c.css ?? [])]),
    ].filter((f): f is string => !!f);
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      expect(f).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
    for (const html of fs.readdirSync(dir).filter((f) => f.endsWith('.html'))) {
      const text = fs.readFileSync(path.join(dir, html), 'utf8');
      for (const [, src] of text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"/g)) expect(src, `${html}: ${src}`).not.toMatch(/^(https?:)?\/\//);
    }
    for (const js of walk(dir).filter((f) => f.endsWith('.js'))) {
      const text = fs.readFileSync(js, 'utf8');
      expect(text, js).not.toMatch(/importScripts\(\s*[`'"]https?:|import\(\s*[`'"]https?:|\.src\s*=\s*[`'"]https?:/);
    }
  });
});

describe('Firefox', () => {
  it('declares that no data is collected (data_collection_permissions), with the Firefox versions that read it', () => {
    const gecko = builds.firefox.manifest.browser_specific_settings?.gecko;
    expect(gecko?.data_collection_permissions).toEqual({ required: ['none'] });
    expect(gecko?.id).toMatch(/@/);
    expect(gecko?.strict_min_version).toBe('140.0');
    expect(builds.firefox.manifest.browser_specific_settings?.gecko_android?.strict_min_version).toBe('142.0');
  });

  it('Chrome gets no Firefox-only keys', () => {
    expect(builds.chrome.manifest.browser_specific_settings).toBeUndefined();
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
