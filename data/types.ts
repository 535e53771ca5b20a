/**
 * Shapes of the generated data (data/generated), shared by the data build, the
 * background lookup, the matcher and the CLIs.
 */
import type { Frequency, Region, Source, Urgency } from './schema';

/** Where a field's facts came from: keys of GeneratedData.sources. */
export type SourceKey = string;

export interface DatasetInfo {
  key: SourceKey; // "fda", "mesh", "ema", "nci", "drugbank", "drugcentral", "curated"
  title: string; // "FDA Drugs@FDA"
  version: string; // "2022-08"
  licence: string; // "Public domain (US Government work)"
}

export interface BrandName {
  name: string;
  regions: Region[];
  /** How the page matcher treats it (default: case-insensitive). */
  match?: 'case-sensitive' | 'never';
}

/** One drug, as the lookup returns it. Reviewed drugs carry `reviewed`. */
export interface DrugRecord {
  id: string;
  name: string;
  pronunciation?: string;
  generics: string[]; // other generic names (not salts' duplicates)
  brands: BrandName[];
  codes: string[];
  abbreviations?: string[];
  classes: string[]; // class ids, most specific first
  routes: string[]; // route ids
  /** Per-field provenance: field name → dataset keys. */
  sources: Record<string, SourceKey[]>;
  ids?: { drugbank?: string; mesh?: string; ncit?: string; unii?: string };
  reviewed?: ReviewedContent;
}

export interface ReviewedContent {
  what: string;
  target?: string;
  mechanism?: string;
  given: string;
  uses: string[];
  common: { effect: string; frequency: Frequency; note?: string }[];
  urgent: { effect: string; level: Urgency; note?: string }[];
  tips: string[];
  references: Source[];
  reviewedOn: string;
}

/** Kinds of name in the compact page index. */
export const NameKind = {
  generic: 'g',
  brand: 'b',
  code: 'c',
  abbreviation: 'a',
  misspelling: 'm',
} as const;
export type NameKind = (typeof NameKind)[keyof typeof NameKind];

/**
 * A compact name index: names only, no records (the content scripts get the page index
 * in its text form from the background; see utils/matcher.ts, pageIndexToText).
 * names[i] = [text, drugIndex, kind, caseSensitive?1:0]
 */
export interface NameIndex {
  version: number;
  ids: string[];
  names: [string, number, NameKind, 0 | 1][];
}
