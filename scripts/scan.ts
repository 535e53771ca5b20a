/**
 * npm run --silent scan -- FILE...
 * Prints one JSON line per match: {"file","id","text","start","end"} with UTF-16
 * offsets into the file's text (for .html files, into the document's text content).
 */
import fs from 'node:fs';
import { JSDOM } from 'jsdom';
import { compileMatcher } from '../utils/matcher';
import { createLookup } from '../utils/lookup';
import { scanDocument } from '../utils/scan-document';
import { loadGenerated } from './lib/runtime-data';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: npm run --silent scan -- FILE...');
  process.exit(2);
}
const data = loadGenerated();
const matcher = compileMatcher(data.names);
const lookup = createLookup(data);
const typo = (w: string) => {
  const r = lookup.resolveTypos([w])[w];
  return r ? { id: r.id, name: r.name } : null;
};
let failed = false;
for (const file of files) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`scan: cannot read ${file}: ${(e as Error).message}`);
    failed = true;
    continue;
  }
  const matches = /\.html?$/i.test(file)
    ? scanDocument(new JSDOM(text).window.document, matcher, typo)
    : matcher.find(text, { typo });
  for (const m of matches) {
    process.stdout.write(`${JSON.stringify({ file, id: m.id, text: m.text, start: m.start, end: m.end })}\n`);
  }
}
process.exit(failed ? 1 : 0);
