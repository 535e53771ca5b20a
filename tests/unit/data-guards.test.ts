// @vitest-environment node
/** Precision guards: the rules, the reviewed lists, and what reaches the page index. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NameIndex } from '../../data/types';
import { nameKey } from '../../utils/text';
import { loadCuratedExtra } from '../../scripts/data/curated-extra';
import { Guards, loadEnglishWords } from '../../scripts/data/guards';
import { alnumLength } from '../../scripts/data/normalise';

const ROOT = path.resolve(import.meta.dirname, '../..');
const extra = loadCuratedExtra(path.join(ROOT, 'data/curated'));
const english = loadEnglishWords();
const guards = new Guards(extra.guards, english, extra.commonNames);
const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'data/generated/names.json'), 'utf8')) as NameIndex;

describe('guard rules', () => {
  it('never matches reviewed ordinary words ("Glee", "Mark", "Today")', () => {
    for (const n of ['Glee', 'Mark', 'Today', 'Alli']) expect(guards.decide(n, 'b').include).toBe(false);
  });
  it('leaves out generic names that are everyday words', () => {
    for (const n of ['water', 'oxygen', 'iron', 'caffeine', 'alcohol', 'sugar', 'salt', 'Zinc']) {
      expect(guards.decide(n, 'g')).toMatchObject({ include: false });
    }
  });
  it('keeps drug names that are English words once reviewed (aspirin, morphine)', () => {
    expect(english.has('aspirin')).toBe(true);
    expect(guards.decide('aspirin', 'g')).toMatchObject({ include: true, caseSensitive: false });
    expect(guards.decide('Morphine', 'g')).toMatchObject({ include: true, caseSensitive: false });
  });
  it('matches short names only as written, and never below 3 letters', () => {
    expect(guards.decide('Qvar', 'b')).toMatchObject({ include: true, caseSensitive: true });
    expect(guards.decide('CTL019', 'c')).toMatchObject({ include: true, caseSensitive: false });
    expect(guards.decide('Dv', 'b')).toMatchObject({ include: false });
    expect(guards.decide('dex', 'g')).toMatchObject({ include: false });
  });
  it('matches curated abbreviations only as written, and no others', () => {
    expect(guards.decide('MTX', 'a', { curated: true })).toMatchObject({ include: true, caseSensitive: true });
    expect(guards.decide('6-MP', 'a', { curated: true })).toMatchObject({ include: true, caseSensitive: true });
    expect(guards.decide('ATRA', 'a', { curated: true })).toMatchObject({ include: true, caseSensitive: true });
    expect(guards.decide('DIC', 'a')).toMatchObject({ include: false });
    expect(guards.decide('ACE', 'a', { curated: true })).toMatchObject({ include: false });
  });
  it('treats brands that are English words by how common the word is', () => {
    expect(guards.decide('Metric', 'b')).toMatchObject({ include: false });
    expect(guards.decide('Zonal', 'b').include).toBe(false);
    expect(guards.decide('Emend', 'b').include).toBe(false);
    const level = guards.englishLevel('tabloid');
    expect(level).toBeGreaterThan(20);
    expect(guards.decide('Brisk', 'b')).toMatchObject({ include: true, caseSensitive: true });
  });
  it('matches first names and places only as written', () => {
    expect(guards.isCommonName('Paris')).toBe(true);
    expect(guards.decide('Paris', 'b')).toMatchObject({ include: true, caseSensitive: true });
    expect(guards.decide('Ivabradine', 'g')).toMatchObject({ include: true, caseSensitive: false });
  });
  it('follows a brand match set by a reviewed record', () => {
    expect(guards.decide('Lasting', 'b', { brandMatch: 'never' }).include).toBe(false);
    expect(guards.decide('Glivec', 'b', { brandMatch: 'case-sensitive' })).toMatchObject({ include: true, caseSensitive: true });
  });
});

describe('reviewed guard lists', () => {
  it('have no duplicates and every `any` entry is really an English word', () => {
    const names = extra.guards.map((g) => g.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const g of extra.guards.filter((x) => x.match === 'any')) expect(english.has(g.name.toLowerCase()), g.name).toBe(true);
  });
  it('common names are unique', () => {
    const names = extra.commonNames.map((n) => n.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('page index (data/generated/names.json)', () => {
  const byKey = new Map<string, [string, number, string, number][]>();
  for (const e of index.names) {
    const k = nameKey(e[0]);
    byKey.set(k, [...(byKey.get(k) ?? []), e]);
  }
  it('holds no `never` name', () => {
    for (const g of extra.guards.filter((x) => x.match === 'never')) {
      const hits = (byKey.get(nameKey(g.name)) ?? []).filter(([t, , , cs]) => !cs || t === g.name);
      expect(hits, g.name).toEqual([]);
    }
    for (const w of ['water', 'oxygen', 'iron', 'caffeine', 'Glee', 'Today']) expect(byKey.has(nameKey(w)), w).toBe(false);
  });
  it('matches every short name and every abbreviation only as written', () => {
    for (const [text, , kind, cs] of index.names) {
      if (alnumLength(text) <= 4 || kind === 'a') expect(cs, text).toBe(1);
      expect(alnumLength(text), text).toBeGreaterThanOrEqual(3);
    }
  });
  it('has MTX as a case-sensitive abbreviation of methotrexate', () => {
    const mtx = index.names.find(([t]) => t === 'MTX')!;
    expect(mtx).toBeDefined();
    expect([index.ids[mtx[1]], mtx[2], mtx[3]]).toEqual(['methotrexate', 'a', 1]);
  });
  it('gives each name to one drug only', () => {
    const seen = new Set<string>();
    for (const [text, , , cs] of index.names) {
      const k = cs ? `S|${text}` : `I|${nameKey(text)}`;
      expect(seen.has(k), text).toBe(false);
      seen.add(k);
    }
  });
});
