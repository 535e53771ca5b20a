/**
 * Maps FDA "DOSAGE FORM;ROUTE" strings to the plain route ids of data/curated/routes.yaml.
 * Each route lists glob patterns in `fdaForms` ("TABLET*;ORAL", "*;OPHTHALMIC"); a product
 * with several routes ("INTRAMUSCULAR, INTRAVENOUS") is split and each part matched. When
 * several patterns match, the most specific one wins (longest text outside the `*`s).
 */
import type { RouteDef } from '../../data/schema';

/** "Tablet, Extended Release; Oral" → "TABLET, EXTENDED RELEASE;ORAL". */
export function normaliseForm(raw: string): string {
  return raw
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*;\s*/g, ';')
    .replace(/\s*,\s*/g, ', ')
    .trim();
}

/** Splits a normalised form into one "FORM;ROUTE" string per route. */
export function splitForm(form: string): string[] {
  const i = form.indexOf(';');
  if (i < 0) return [`${form};`];
  const dosage = form.slice(0, i);
  const routes = form.slice(i + 1);
  return routes.split(', ').map((r) => `${dosage};${r.trim()}`);
}

interface CompiledPattern {
  route: string;
  pattern: string;
  re: RegExp;
  weight: number;
}

function compile(route: string, pattern: string): CompiledPattern {
  const p = normaliseForm(pattern);
  const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return { route, pattern: p, re, weight: p.replace(/\*/g, '').length };
}

export class FormMapper {
  private readonly patterns: CompiledPattern[];
  private readonly cache = new Map<string, string[]>();
  readonly unmapped = new Map<string, number>();

  constructor(routes: RouteDef[]) {
    this.patterns = routes.flatMap((r) => (r.fdaForms ?? []).map((p) => compile(r.id, p)));
  }

  /** Route ids for one FDA form string (empty when nothing matches). */
  map(rawForm: string): string[] {
    const form = normaliseForm(rawForm);
    const hit = this.cache.get(form);
    if (hit) return hit;
    const out: string[] = [];
    for (const part of splitForm(form)) {
      let best = -1;
      let ids: string[] = [];
      for (const p of this.patterns) {
        if (!p.re.test(part)) continue;
        if (p.weight > best) {
          best = p.weight;
          ids = [p.route];
        } else if (p.weight === best && !ids.includes(p.route)) ids.push(p.route);
      }
      for (const id of ids) if (!out.includes(id)) out.push(id);
    }
    if (!out.length) this.unmapped.set(form, (this.unmapped.get(form) ?? 0) + 1);
    this.cache.set(form, out);
    return out;
  }
}

/**
 * Orders a drug's route ids: most products first, then the order of routes.yaml.
 * "other" is dropped when anything more specific is known.
 */
export function rankRoutes(counts: Map<string, number>, routeOrder: string[]): string[] {
  const ids = [...counts.keys()];
  const specific = ids.filter((id) => id !== 'other');
  const chosen = specific.length ? specific : ids;
  return chosen.sort(
    (a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || routeOrder.indexOf(a) - routeOrder.indexOf(b),
  );
}
