/** Loads the generated data for command-line tools (the same files the extension bundles). */
import fs from 'node:fs';
import path from 'node:path';
import type { LookupData } from '../../utils/lookup';

export const GENERATED_DIR = path.resolve(import.meta.dirname, '../../data/generated');

export function loadGenerated(dir = GENERATED_DIR): LookupData {
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const drugs = read('drugs.json');
  return {
    datasets: drugs.datasets,
    drugs: drugs.drugs,
    classes: read('classes.json'),
    effects: read('effects.json'),
    routes: read('routes.json'),
    names: read('names.json'),
    typoVeto: read('typo-veto.json'),
  };
}
