/**
 * The one schema for Drug Lens data. Curated YAML (data/curated) is validated against
 * these at build time; generated JSON (data/generated) is typed by them at run time.
 */
import { z } from 'zod';
export { FREQUENCY_LEGEND, URGENCY_LABEL } from './labels';

export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case slug like "inotuzumab-ozogamicin"');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-28');
const Text = z.string().trim().min(2, 'must not be empty');

/** UK and EU brands are listed separately when they differ; "UK" also covers UK-only names. */
export const Region = z.enum(['UK', 'EU', 'US']);
export type Region = z.infer<typeof Region>;

/** Frequency words as used in UK/EU leaflets. */
export const Frequency = z.enum(['very-common', 'common', 'uncommon', 'rare', 'not-known']);
export type Frequency = z.infer<typeof Frequency>;

/** Urgent signs come in three levels, most urgent first. */
export const Urgency = z.enum(['emergency', 'now', 'next-visit']);
export type Urgency = z.infer<typeof Urgency>;

/** A source for a fact: a dataset, a label/SmPC (with section), or a guideline. */
export const Source = z.strictObject({
  title: Text, // e.g. "Glivec SmPC" or "FDA label: Sprycel (dasatinib)"
  section: z.string().optional(), // e.g. "4.8 Undesirable effects"
  date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD'),
  publisher: z.string().optional(), // e.g. "EMA", "FDA", "NCI", "MHRA"
});
export type Source = z.infer<typeof Source>;

/** One entry of the shared side-effect vocabulary (data/curated/side-effects/*.yaml). */
export const SideEffect = z.strictObject({
  id: Slug,
  name: Text, // plain name shown on the card, e.g. "Diarrhoea"
  terms: z.array(Text).min(1), // words a page may use: "diarrhoea", "diarrhea", "loose stools"
  advice: Text, // what to do, in our own words
  thresholds: z.array(Text).optional(), // concrete numbers, e.g. "temperature above 37.5 °C"
  level: Urgency.optional(), // default urgency when it appears as an urgent sign
});
export type SideEffect = z.infer<typeof SideEffect>;

/** One plain-language class (data/curated/classes/*.yaml). */
export const DrugClass = z.strictObject({
  id: Slug,
  name: Text, // "Tyrosine kinase inhibitor (TKI)"
  plain: Text, // one line a patient understands
  parent: Slug.optional(),
  stems: z.array(z.string()).optional(), // INN stems that suggest this class: "-tinib"
  commonEffects: z.array(Slug).optional(), // side-effect ids typical for the class
  urgentEffects: z.array(z.strictObject({ effect: Slug, level: Urgency })).optional(),
  mesh: z.array(z.string()).optional(), // MeSH pharmacological action names mapped here
  epc: z.array(z.string()).optional(), // FDA established pharmacologic classes (NDF-RT names)
  ema: z.array(z.string()).optional(), // EMA human pharmacotherapeutic groups
  atc: z.array(z.string()).optional(), // ATC code prefixes mapped here, e.g. "L01E"
});
export type DrugClass = z.infer<typeof DrugClass>;

/** Plain wording for a route (data/curated/routes.yaml). */
export const RouteDef = z.strictObject({
  id: Slug,
  plain: Text, // "tablet by mouth"
  fdaForms: z.array(z.string()).optional(), // FDA "FORM;ROUTE" strings mapped here
});
export type RouteDef = z.infer<typeof RouteDef>;

export const Brand = z.strictObject({
  name: Text,
  regions: z.array(Region).min(1),
  /** Brands that are ordinary words ("Glee") match only as written, or never. */
  match: z.enum(['case-sensitive', 'never']).optional(),
});
export type Brand = z.infer<typeof Brand>;

/** A reviewed drug record, written by us (data/curated/reviewed/*.yaml). */
export const ReviewedDrug = z.strictObject({
  id: Slug, // slug of the INN: paracetamol, inotuzumab-ozogamicin
  name: Text, // display name (INN, or BAN where UK usage differs)
  pronunciation: z.string().optional(),
  generics: z.array(Text).optional(), // other generic names: acetaminophen, imatinib mesylate
  brands: z.array(Brand).optional(),
  codes: z.array(Text).optional(), // development codes: STI-571, CTL019
  abbreviations: z.array(Text).optional(), // matched case-sensitively only: MTX, 6-MP
  misspellings: z.array(Text).optional(), // common misspellings people type
  class: Slug, // id in the class vocabulary
  what: Text, // what it is and how it works, one or two sentences
  target: z.string().optional(), // student view: molecular target
  mechanism: z.string().optional(), // student view: how it works in more depth
  given: z.strictObject({ routes: z.array(Slug).min(1), text: Text }),
  uses: z.array(Text).min(1),
  common: z
    .array(z.strictObject({ effect: Slug, frequency: Frequency, note: z.string().optional() }))
    .min(1),
  urgent: z
    .array(z.strictObject({ effect: Slug, level: Urgency, note: z.string().optional() }))
    .min(1),
  tips: z.array(Text).optional(),
  sources: z.array(Source).min(1),
  reviewed: IsoDate,
});
export type ReviewedDrug = z.infer<typeof ReviewedDrug>;
