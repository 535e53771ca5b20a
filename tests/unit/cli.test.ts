/** The command-line contracts, run as a user runs them. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = (script: string, args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args], { cwd: root, encoding: 'utf8' });

describe('scan CLI', () => {
  it('prints one JSON line per match with UTF-16 offsets into the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    const txt = path.join(dir, 'a.txt');
    fs.writeFileSync(txt, '🩸 Started Glivec (imatinib) and STI 571.\nimatinibxyz no.');
    const lines = run('scan.ts', [txt]).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { file: txt, id: 'imatinib', text: 'Glivec', start: 11, end: 17 },
      { file: txt, id: 'imatinib', text: 'imatinib', start: 19, end: 27 },
      { file: txt, id: 'imatinib', text: 'STI 571', start: 33, end: 40 },
    ]);
    const content = fs.readFileSync(txt, 'utf8');
    for (const l of lines) expect(content.slice(l.start, l.end)).toBe(l.text);
  }, 30000);

  it('reads HTML as its text content, skipping scripts and form fields', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    const html = path.join(dir, 'p.html');
    fs.writeFileSync(html, '<html><head><title>t</title><script>imatinib</script></head><body><p>Take <b>Sprycel</b></p><textarea>imatinib</textarea></body></html>');
    // Text content: "t" + "imatinib" (head) + "Take " → Sprycel starts at 14.
    const lines = run('scan.ts', [html]).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ file: html, id: 'dasatinib', text: 'Sprycel', start: 14, end: 21 }]);
  }, 30000);
});

describe('lookup CLI', () => {
  it('prints the record for each name, or null', () => {
    const out = run('lookup.ts', ['Gleevec', 'nonsenseword', 'CTL019']).trim().split('\n').map((l) => JSON.parse(l));
    expect(out[0].id).toBe('imatinib');
    expect(out[1]).toBeNull();
    expect(out[2].id).toBe('tisagenlecleucel');
  }, 30000);
});
