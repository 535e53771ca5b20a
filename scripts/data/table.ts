/**
 * Reads delimited text files (TSV, CSV) into rows that remember their line number,
 * and validates each row with a zod schema. Problems are reported as
 * "file:line: column: message" (the same style as the curated YAML loader).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { DataError } from '../lib/curated';

/** Problems in input data (source tables or curated files), each "file:line: message". */
export class InputError extends DataError {
  constructor(problems: string[], what = 'input data') {
    super(problems);
    this.name = 'InputError';
    this.message = `${problems.length} problem(s) in ${what}:\n  ${problems.join('\n  ')}`;
  }
}

export interface RawRow {
  line: number; // 1-based line of the row in its file
  fields: string[];
}

export interface TableOptions {
  delimiter: '\t' | ',';
  /** Honour "double quotes" around fields (CSV style, "" inside a quoted field). */
  quotes: boolean;
}

/** Path as shown in messages: relative to the working directory when shorter. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Splits text into rows; quoted fields may hold delimiters, quotes and newlines. */
export function parseDelimited(text: string, opts: TableOptions): RawRow[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: RawRow[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    let endOfRow = false;
    while (i < n && !endOfRow) {
      const ch = text[i];
      if (opts.quotes && atFieldStart && ch === '"') {
        // Quoted field: runs to the closing quote.
        i++;
        for (;;) {
          if (i >= n) break;
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        atFieldStart = false;
        continue;
      }
      if (ch === opts.delimiter) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (ch === '\r' && text[i + 1] === '\n') {
        i += 2;
        line++;
        endOfRow = true;
      } else if (ch === '\n') {
        i++;
        line++;
        endOfRow = true;
      } else {
        field += ch;
        atFieldStart = false;
        i++;
      }
    }
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: startLine, fields });
  }
  return rows;
}

export interface ReadTableOptions<T> extends TableOptions {
  /** Expected header, exactly. */
  columns: readonly string[];
  /** Row schema over an object keyed by column name. */
  schema: z.ZodType<T>;
  /** Fixes known, documented quirks of a dataset before validation. */
  repair?: (fields: string[]) => string[];
  /** Collects problems instead of throwing (the caller throws once for all files). */
  problems?: string[];
}

export type Located<T> = T & { line: number };

const MAX_PROBLEMS_PER_FILE = 20;

/**
 * Reads and validates a table. Every row must have exactly as many fields as the header
 * and pass the schema; otherwise a "file:line: ..." problem is recorded.
 */
export function readTable<T extends object>(file: string, opts: ReadTableOptions<T>): Located<T>[] {
  const shown = displayPath(file);
  const problems: string[] = [];
  const out: Located<T>[] = [];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    problems.push(`${shown}:1: cannot read file`);
    return finish();
  }
  const rows = parseDelimited(text, opts);
  const header = rows.shift();
  if (!header) {
    problems.push(`${shown}:1: empty file`);
    return finish();
  }
  const got = header.fields.map((h) => h.trim());
  if (got.join('\u0000') !== opts.columns.join('\u0000')) {
    problems.push(`${shown}:${header.line}: header must be: ${opts.columns.join(', ')} (found: ${got.join(', ')})`);
    return finish();
  }
  for (const row of rows) {
    if (problems.length >= MAX_PROBLEMS_PER_FILE) {
      problems.push(`${shown}: too many problems; stopped`);
      break;
    }
    const fields = opts.repair ? opts.repair(row.fields) : row.fields;
    if (fields.length !== opts.columns.length) {
      problems.push(`${shown}:${row.line}: expected ${opts.columns.length} fields, found ${fields.length}`);
      continue;
    }
    const obj: Record<string, string> = {};
    opts.columns.forEach((c, k) => (obj[c] = fields[k]));
    const parsed = opts.schema.safeParse(obj);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const col = issue.path.length ? String(issue.path[0]) : 'row';
        problems.push(`${shown}:${row.line}: ${col}: ${issue.message}`);
      }
      continue;
    }
    out.push({ ...(parsed.data as T), line: row.line });
  }
  return finish();

  function finish() {
    if (problems.length) {
      if (opts.problems) opts.problems.push(...problems);
      else throw new InputError(problems, 'source data');
    }
    return out;
  }
}
