/**
 * Loads curated YAML files and validates every item against its schema.
 * Each problem is reported as "file:line: path: message" so a bad row is easy to find.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isSeq, isMap, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';

export class DataError extends Error {
  constructor(public readonly problems: string[]) {
    super(`${problems.length} problem(s) in curated data:\n  ${problems.join('\n  ')}`);
    this.name = 'DataError';
  }
}

/** Finds the YAML node at `pathParts` below `node`, for line numbers. */
function nodeAt(node: unknown, pathParts: (string | number | symbol)[]): YamlNode | undefined {
  let current = node as YamlNode | undefined;
  for (const part of pathParts) {
    if (isSeq(current) && typeof part === 'number') current = current.items[part] as YamlNode;
    else if (isMap(current)) {
      const pair = current.items.find((p) => (p.key as { value?: unknown })?.value === part);
      if (!pair) break;
      current = pair.value as YamlNode;
    } else break;
  }
  return current;
}

/** Reads a YAML list from `file`, validating each item; returns items or throws DataError. */
export function loadYamlList<T>(file: string, schema: z.ZodType<T>, problems: string[] = []): T[] {
  const rel = path.relative(process.cwd(), file);
  const text = fs.readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (n: YamlNode | undefined) =>
    n?.range ? lineCounter.linePos(n.range[0]).line : 1;
  if (doc.errors.length) {
    for (const e of doc.errors) problems.push(`${rel}:${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
    return [];
  }
  const data = doc.toJS() as unknown;
  if (!Array.isArray(data)) {
    problems.push(`${rel}:1: expected a YAML list of entries`);
    return [];
  }
  const out: T[] = [];
  data.forEach((item, i) => {
    const result = schema.safeParse(item);
    if (result.success) {
      out.push(result.data);
      return;
    }
    for (const issue of result.error.issues) {
      const where = nodeAt(doc.contents, [i, ...issue.path]);
      const id = (item as { id?: unknown })?.id;
      const label = [typeof id === 'string' ? id : `#${i + 1}`, ...issue.path].join('.');
      problems.push(`${rel}:${lineOf(where)}: ${label}: ${issue.message}`);
    }
  });
  return out;
}

/** Loads every *.yaml in a folder (sorted, so the result is deterministic). */
export function loadYamlDir<T>(dir: string, schema: z.ZodType<T>, problems: string[] = []): T[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadYamlList(path.join(dir, f), schema, problems));
}
