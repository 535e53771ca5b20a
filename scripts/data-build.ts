/**
 * `npm run data:build`: builds data/generated from ../shared/data-sources and data/curated.
 *
 *   npm run data:build -- [--out DIR] [--sources DIR] [--curated DIR] [--quiet]
 *
 * Fails (exit code 1) with "file:line: message" for any bad source row or curated entry.
 */
import path from 'node:path';
import { DataError } from './lib/curated';
import { DEFAULT_CURATED, DEFAULT_OUT, DEFAULT_SOURCES, runBuild } from './data/build';
import { writeFiles } from './data/write';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) {
    console.error(`${name} needs a value`);
    process.exit(2);
  }
  return path.resolve(v);
}

const outDir = arg('--out') ?? DEFAULT_OUT;
const sourcesDir = arg('--sources') ?? DEFAULT_SOURCES;
const curatedDir = arg('--curated') ?? DEFAULT_CURATED;
const quiet = process.argv.includes('--quiet');

try {
  const started = Date.now();
  const { files, stats } = runBuild({ sourcesDir, curatedDir });
  const changed = writeFiles(outDir, files);
  if (!quiet) {
    const kb = (s: string) => `${(Buffer.byteLength(s) / 1024).toFixed(0)} KB`;
    console.log(
      `data:build: ${stats.drugs} drugs, ${stats.names} names (${stats.indexNames} in the page index), ` +
        `${stats.reviewed} reviewed, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(`  drugs.json ${kb(files['drugs.json'])}, names.json ${kb(files['names.json'])}`);
    console.log(`  admitted by: ${Object.entries(stats.admitted).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  left out of the page index: ${Object.entries(stats.guarded).map(([k, v]) => `${k} ${v}`).join('; ')}`);
    if (stats.reviewedConflicts.length) console.log(`  reviewed records that name the same drug: ${stats.reviewedConflicts.join('; ')}`);
    if (stats.idCollisions.length) console.log(`  id collisions (suffixed): ${stats.idCollisions.length}`);
    if (stats.unknownOverrides.length) console.log(`  route-overrides.yaml names unknown drugs: ${stats.unknownOverrides.join(', ')}`);
    if (stats.unmappedForms.length) {
      console.log(`  FDA forms with no route (add to routes.yaml fdaForms): ${stats.unmappedForms.map(([f, n]) => `${f} (${n})`).join('; ')}`);
    }
    console.log(`  wrote ${changed.length ? changed.join(', ') : 'nothing (all files up to date)'} in ${path.relative(process.cwd(), outDir) || '.'}`);
  }
} catch (e) {
  if (e instanceof DataError) {
    console.error(`data:build failed: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
