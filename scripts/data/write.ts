/** Writes the generated files; only files whose content changed are rewritten. */
import fs from 'node:fs';
import path from 'node:path';

export function writeFiles(outDir: string, files: Record<string, string>): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const changed: string[] = [];
  for (const name of Object.keys(files).sort()) {
    const file = path.join(outDir, name);
    const content = files[name];
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (old === content) continue;
    fs.writeFileSync(file, content);
    changed.push(name);
  }
  return changed;
}
