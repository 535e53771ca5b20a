/**
 * npm run --silent lookup -- NAME...
 * Prints one line per NAME: the record the card would show, as JSON, or null.
 */
import { createLookup } from '../utils/lookup';
import { loadGenerated } from './lib/runtime-data';

const names = process.argv.slice(2);
if (!names.length) {
  console.error('usage: npm run --silent lookup -- NAME...');
  process.exit(2);
}
const lookup = createLookup(loadGenerated());
for (const name of names) process.stdout.write(`${JSON.stringify(lookup.byName(name))}\n`);
