/**
 * npm run eval [-- --json] [-- --verbose]
 * Runs the matcher (with typo tolerance, as the extension does) over the labelled
 * passages in tests/eval/passages.yaml and prints recall and precision.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { evaluate } from '../utils/evaluate';
import { compileMatcher } from '../utils/matcher';
import { createLookup } from '../utils/lookup';
import { loadGenerated } from './lib/runtime-data';

const Passage = z.strictObject({
  id: z.string(),
  style: z.enum(['forum', 'leaflet', 'article', 'negative']),
  text: z.string(),
  expect: z.array(z.strictObject({ text: z.string(), id: z.string(), fuzzy: z.boolean().optional() })),
});

const file = path.resolve(import.meta.dirname, '../tests/eval/passages.yaml');
const passages = z.array(Passage).parse(parse(fs.readFileSync(file, 'utf8')));
const data = loadGenerated();
const matcher = compileMatcher(data.names);
const lookup = createLookup(data);
const typo = (w: string) => lookup.resolveTypos([w])[w];

const result = evaluate(passages, (text) => matcher.find(text, { typo }));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result.summary));
} else {
  const pct = (x: number) => x.toFixed(4);
  console.log(`passages ${passages.length}, expected mentions ${result.summary.expected}, found ${result.summary.found}`);
  console.log('style      expected  found  correct  recall  precision');
  for (const [style, s] of Object.entries(result.summary.byStyle)) {
    console.log(`${style.padEnd(10)} ${String(s.expected).padStart(8)} ${String(s.found).padStart(6)} ${String(s.correct).padStart(8)}  ${pct(s.recall)}  ${pct(s.precision)}`);
  }
  console.log(`recall ${pct(result.summary.recall)} (target 0.97)  precision ${pct(result.summary.precision)} (target 0.99)  fuzzy recall ${pct(result.summary.fuzzyRecall)}  marks on negative passages ${result.summary.negativeMarks}`);
  if (process.argv.includes('--verbose')) {
    for (const m of result.misses) console.log(`MISS  ${m.passage}: ${JSON.stringify(m.text)} → ${m.id}`);
    for (const f of result.falsePositives) console.log(`EXTRA ${f.passage}: ${JSON.stringify(f.text)} → ${f.id}`);
  }
}
