// @vitest-environment node
/** Seed facts in the committed generated data: names find the right drug, routes are right. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DrugRecord, NameIndex } from '../../data/types';
import { compileMatcher } from '../../utils/matcher';
import { nameKey } from '../../utils/text';

const GEN = path.resolve(import.meta.dirname, '../../data/generated');
const index = JSON.parse(fs.readFileSync(path.join(GEN, 'names.json'), 'utf8')) as NameIndex;
const drugs = (JSON.parse(fs.readFileSync(path.join(GEN, 'drugs.json'), 'utf8')) as { drugs: DrugRecord[] }).drugs;
const byId = new Map(drugs.map((d) => [d.id, d]));
const matcher = compileMatcher(index);

/** The drug a name points to in names.json, as the page matcher would read it. */
function lookup(name: string): string | undefined {
  const k = nameKey(name);
  const hit = index.names.find(([t, , , cs]) => (cs ? t === name : nameKey(t) === k));
  return hit ? index.ids[hit[1]] : undefined;
}

describe('seed names in names.json', () => {
  it.each([
    ['Glivec', 'imatinib'], ['Gleevec', 'imatinib'], ['STI-571', 'imatinib'], ['STI571', 'imatinib'],
    ['imatinib mesylate', 'imatinib'], ['MabThera', 'rituximab'], ['Rituxan', 'rituximab'],
    ['Blincyto', 'blinatumomab'], ['Besponsa', 'inotuzumab-ozogamicin'], ['Kymriah', 'tisagenlecleucel'],
    ['CTL019', 'tisagenlecleucel'], ['acetaminophen', 'paracetamol'], ['Tylenol', 'paracetamol'],
    ['albuterol', 'salbutamol'], ['glyburide', 'glibenclamide'], ['frusemide', 'furosemide'],
    ['cyclosporine', 'ciclosporin'], ['MTX', 'methotrexate'], ['6-MP', 'mercaptopurine'], ['ATRA', 'tretinoin'],
  ])('%s → %s', (name, id) => {
    expect(lookup(name)).toBe(id);
    expect(matcher.find(`Patients were given ${name} today.`).map((m) => m.id)).toEqual([id]);
  });

  it('does not match ordinary words or lower-case abbreviations', () => {
    expect(matcher.find('Glee at the news: water, iron and caffeine today; the mark was 6 mp.')).toEqual([]);
    expect(matcher.find('mtx')).toEqual([]);
  });
});

describe('seed records in drugs.json', () => {
  it('uses INN ids with the other names as generics', () => {
    expect(byId.get('paracetamol')?.generics).toContain('acetaminophen');
    expect(byId.get('salbutamol')?.generics).toContain('albuterol');
    expect(byId.get('imatinib')?.generics).toContain('imatinib mesylate');
  });

  it('gives the curated routes', () => {
    expect(byId.get('blinatumomab')?.routes).toEqual(['iv-continuous']);
    expect(byId.get('inotuzumab-ozogamicin')?.routes).toEqual(['iv-drip']);
    expect(byId.get('tisagenlecleucel')?.routes).toEqual(['infusion-cells']);
    expect(byId.get('imatinib')?.routes).toEqual(['oral-tablet']);
  });

  it('tags brands by region from their sources', () => {
    const rituximab = byId.get('rituximab')!;
    expect(rituximab.brands.find((b) => b.name === 'MabThera')?.regions).toEqual(expect.arrayContaining(['EU']));
    expect(rituximab.brands.find((b) => b.name === 'Rituxan')?.regions).toEqual(['US']);
    const tylenol = byId.get('paracetamol')!.brands.find((b) => b.name === 'Tylenol');
    expect(tylenol?.regions).toContain('US');
  });

  it('keeps development codes and ids', () => {
    expect(byId.get('imatinib')?.codes).toContain('STI-571');
    expect(byId.get('tisagenlecleucel')?.codes).toContain('CTL019');
    expect(byId.get('blinatumomab')?.codes).toContain('MT-103');
    expect(byId.get('imatinib')?.ids).toMatchObject({ drugbank: 'DB00619', mesh: 'D000068877' });
  });

  it('fills a broad-tier drug from the sources with per-field provenance', () => {
    const d = byId.get('ivabradine')!;
    expect(d.brands.map((b) => b.name)).toEqual(expect.arrayContaining(['Corlanor', 'Procoralan']));
    expect(d.brands.find((b) => b.name === 'Corlanor')?.regions).toEqual(['US']);
    expect(d.routes).toContain('oral-tablet');
    expect(d.sources.brands).toEqual(expect.arrayContaining(['ema', 'fda']));
    expect(d.sources.routes).toEqual(['fda']);
    expect(d.reviewed).toBeUndefined();
  });
});
