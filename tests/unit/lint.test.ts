/**
 * The lint rules against HTML and eval sinks keep working: ESLint, run with the project's
 * own eslint.config.js, reports every sink in tests/fixtures/lint/sinks.tsx (linted as if
 * it were a file under utils/) with a message that says why, and nothing in the safe forms.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = readFileSync(path.join(root, 'tests/fixtures/lint/sinks.tsx'), 'utf8');
const lines = fixture.split('\n');
const sinkLines = lines.flatMap((l, i) => (l.trimEnd().endsWith('// sink') ? [i + 1] : []));
const safeStart = lines.findIndex((l) => l.startsWith('export function safe')) + 1;

let messages: { line: number; ruleId: string | null; message: string; severity: number }[] = [];

async function lintAs(file: string, text: string) {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') });
  const [result] = await eslint.lintText(text, { filePath: path.join(root, file) });
  return result.messages;
}

beforeAll(async () => {
  messages = await lintAs('utils/lint-fixture.tsx', fixture);
}, 60_000);

describe('lint: no HTML or eval sinks', () => {
  it('the fixture has every sink the config forbids', () => {
    expect(sinkLines.length).toBe(17);
    expect(safeStart).toBeGreaterThan(sinkLines[sinkLines.length - 1]);
  });

  it('reports every sink line as an error that says why', () => {
    const missed = sinkLines.filter((line) => !messages.some((m) => m.line === line && m.severity === 2));
    expect(missed.map((l) => lines[l - 1].trim())).toEqual([]);
    for (const line of sinkLines) {
      const own = messages.filter((m) => m.line === line && m.ruleId === 'no-restricted-syntax');
      expect(own.length, lines[line - 1].trim()).toBeGreaterThan(0);
    }
    const explained = messages.filter((m) => m.ruleId === 'no-restricted-syntax');
    for (const m of explained) expect(m.message).toMatch(/parses a string as HTML|runs a string as code/);
  });

  it('reports nothing in the safe forms', () => {
    expect(messages.filter((m) => m.line >= safeStart)).toEqual([]);
  });

  it('applies to the extension code and the scripts, and the benchmark page may set innerHTML but nothing else', async () => {
    for (const file of ['entrypoints/content/lint-fixture.tsx', 'components/lint-fixture.tsx', 'scripts/lint-fixture.tsx']) {
      const found = await lintAs(file, fixture);
      expect(sinkLines.filter((line) => !found.some((m) => m.line === line && m.severity === 2)), file).toEqual([]);
    }
    const plain = 'export function f(el: HTMLElement, s: string) {\n  el.outerHTML = s;\n  return new Function(s);\n}\n';
    expect([...new Set((await lintAs('data/lint-fixture.ts', plain)).filter((m) => m.severity === 2).map((m) => m.line))]).toEqual([2, 3]);
    const bench = await lintAs('scripts/bench/page-entry.ts', 'export function f(el: HTMLElement, s: string) {\n  el.innerHTML = s;\n  el.insertAdjacentHTML("beforeend", s);\n  eval(s);\n}\n');
    expect([...new Set(bench.filter((m) => m.severity === 2).map((m) => m.line))].sort()).toEqual([3, 4]);
  }, 60_000);
});
