/**
 * `web-ext lint` (addons-linter) on the Firefox build: no errors, and every warning is on
 * the allow-list below, each with its reason, at the exact code the reason is about (the
 * linter gives line and column into the bundle). README.md ("Checks") lists the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild, ROOT, run } from './builds';

interface LintMessage {
  code: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
  description?: string;
}
interface LintReport {
  count: number;
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

/** Allowed warnings: the code, the bundles it may be in, the code it must point at, and why. */
const ALLOWED: { code: string; file: RegExp; at: RegExp; reason: string }[] = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    file: /^(content-scripts\/content\.js|chunks\/[\w-]+\.js)$/,
    at: /\.innerHTML=\w+\.__html/,
    reason:
      "Preact's own dangerouslySetInnerHTML path in its DOM diff. We never pass dangerouslySetInnerHTML (eslint.config.js forbids it; tests/unit/lint.test.ts), and every data string renders as text (tests/unit/xss.test.tsx).",
  },
  {
    code: 'DANGEROUS_EVAL',
    file: /^(background\.js|content-scripts\/content\.js|chunks\/[\w-]+\.js)$/,
    at: /try\{return Function\(``\),!0\}catch\{return!1\}/,
    reason:
      "zod 4 probes once whether Function() is allowed, to choose compiled parsers. The extension's CSP forbids eval, so the probe throws and zod uses its interpreter; no string is ever run as code.",
  },
];

let dir: string;
let report: LintReport;

beforeAll(async () => {
  dir = await ensureBuild('firefox');
  // Exit code 1 when there are errors: the JSON report is on stdout either way.
  const out = await run('npx', ['web-ext', 'lint', '--source-dir', dir, '--output', 'json', '--self-hosted', '--no-config-discovery'], {
    cwd: ROOT,
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
  }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  report = JSON.parse(out.stdout);
}, 600_000);

/** The bundle text around the place a message points at. */
function around(m: LintMessage): string {
  if (!m.file || !m.line || m.column === undefined) return '';
  const line = fs.readFileSync(path.join(dir, m.file), 'utf8').split('\n')[m.line - 1] ?? '';
  return line.slice(Math.max(0, m.column - 80), m.column + 80);
}

describe('web-ext lint on the Firefox build', () => {
  it('reports no errors', () => {
    expect(report.errors.map((m) => `${m.code} ${m.file ?? ''}: ${m.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });

  it('reports only allow-listed warnings, each at the code its reason is about', () => {
    console.log(
      `web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings (${report.warnings.map((w) => `${w.code} in ${w.file}`).join('; ')}), ${report.summary.notices} notices`,
    );
    const unexplained = report.warnings.filter((w) => !ALLOWED.some((a) => a.code === w.code && a.file.test(w.file ?? '') && a.at.test(around(w))));
    expect(unexplained.map((w) => `${w.code} ${w.file}:${w.line}:${w.column} ${w.message} | ${around(w)}`)).toEqual([]);
    for (const a of ALLOWED) expect(a.reason.length).toBeGreaterThan(40);
  });

  it('the README lists the allowed warnings', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const checks = readme.split(/^## /m).find((s) => s.startsWith('Checks')) ?? '';
    for (const a of ALLOWED) expect(checks, a.code).toContain(a.code);
  });
});
