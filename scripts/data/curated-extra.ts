/**
 * Curated tables owned by the data build (next to the shared vocabularies in data/curated):
 * aliases.yaml, guards.yaml, common-names.yaml, route-overrides.yaml and mesh-actions.yaml. Each is a YAML list
 * validated with zod; problems are reported as file:line like the other curated files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Slug } from '../../data/schema';
import { nameKey } from '../../utils/text';
import { loadYamlList } from '../lib/curated';
import { displayPath, InputError } from './table';

const Text = z.string().trim().min(2, 'must not be empty');

/** US ↔ INN/BAN name pairs and well-known abbreviations: the id is the INN. */
export const Alias = z.strictObject({
  id: Slug,
  name: Text, // display name
  generics: z.array(Text).min(1), // other generic names: acetaminophen
  abbreviations: z.array(Text).optional(), // APAP (matched case-sensitively)
  codes: z.array(Text).optional(),
});
export type Alias = z.infer<typeof Alias>;

/**
 * A reviewed precision guard for one name (any drug, any kind of name).
 * never: not matched on pages; case-sensitive: only as written; any: reviewed to be
 * safe case-insensitively although it is an English word (aspirin, insulin).
 */
export const Guard = z.strictObject({
  name: Text,
  match: z.enum(['never', 'case-sensitive', 'any']),
  why: z.enum(['word', 'person', 'place', 'brand-word', 'abbreviation', 'not-a-drug', 'drug-word', 'ambiguous']),
  note: z.string().optional(),
});
export type Guard = z.infer<typeof Guard>;

/** Route ids that replace the FDA-derived routes of a drug (vague or missing sources). */
export const RouteOverride = z.strictObject({
  drug: Slug,
  routes: z.array(Slug).min(1),
  note: Text,
});
export type RouteOverride = z.infer<typeof RouteOverride>;

/** MeSH pharmacological actions that mean therapeutic use (admit a substance as a medicine). */
export const MeshAction = z.string().trim().min(3);

/** A common first name or place name (common-names.yaml). */
export const CommonName = z.string().trim().min(2);

export interface CuratedExtra {
  aliases: Alias[];
  guards: Guard[];
  commonNames: string[];
  routeOverrides: RouteOverride[];
  meshTherapeutic: string[];
}

export function loadCuratedExtra(dir: string, routeIds?: Set<string>): CuratedExtra {
  const problems: string[] = [];
  const load = <T>(name: string, schema: z.ZodType<T>): T[] => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
      problems.push(`${displayPath(file)}:1: file is missing`);
      return [];
    }
    return loadYamlList(file, schema, problems);
  };
  const aliases = load('aliases.yaml', Alias);
  const guards = load('guards.yaml', Guard);
  const commonNames = load('common-names.yaml', CommonName);
  const routeOverrides = load('route-overrides.yaml', RouteOverride);
  const meshTherapeutic = load('mesh-actions.yaml', MeshAction);

  const seen = new Map<string, string>();
  for (const a of aliases) {
    if (seen.has(a.id)) problems.push(`aliases.yaml: duplicate id "${a.id}"`);
    seen.set(a.id, a.id);
  }
  const guardNames = new Set<string>();
  for (const g of guards) {
    const k = nameKey(g.name);
    if (guardNames.has(k)) problems.push(`guards.yaml: duplicate name "${g.name}"`);
    guardNames.add(k);
  }
  const overrideIds = new Set<string>();
  for (const o of routeOverrides) {
    if (overrideIds.has(o.drug)) problems.push(`route-overrides.yaml: duplicate drug "${o.drug}"`);
    overrideIds.add(o.drug);
    if (routeIds) for (const r of o.routes) if (!routeIds.has(r)) problems.push(`route-overrides.yaml: ${o.drug}: unknown route "${r}"`);
  }
  if (problems.length) throw new InputError(problems, 'curated data');
  return { aliases, guards, commonNames, routeOverrides, meshTherapeutic };
}
