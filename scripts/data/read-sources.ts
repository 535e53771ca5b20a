/**
 * Reads each public dataset in ../shared/data-sources (see SOURCES.md there), validating
 * every row with zod. A bad row fails the build with "file:line: column: message".
 */
import path from 'node:path';
import { z } from 'zod';
import { InputError, readTable, type Located } from './table';

const trimmed = z.string().transform((s) => s.trim());
const required = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

// ---------------------------------------------------------------- FDA Drugs@FDA

export const FDA_PRODUCT_COLUMNS = [
  'ApplNo', 'ProductNo', 'Form', 'Strength', 'ReferenceDrug', 'DrugName', 'ActiveIngredient', 'ReferenceStandard',
] as const;

export const FdaProductRow = z.object({
  ApplNo: z.string().regex(/^\d{6}$/, 'must be a 6-digit application number'),
  ProductNo: z.string().regex(/^\d{3}$/, 'must be a 3-digit product number'),
  Form: trimmed,
  Strength: trimmed,
  ReferenceDrug: trimmed,
  DrugName: required('DrugName'),
  ActiveIngredient: required('ActiveIngredient'),
  ReferenceStandard: trimmed,
});
export type FdaProduct = Located<z.infer<typeof FdaProductRow>>;

/**
 * Known quirks of the August 2022 Products.txt: three rows end with an extra empty
 * field, and one row has a tab inside its Form ("DRUG-ELUTING CONTACT LENS\t;OPHTHALMIC").
 */
export function repairFdaProduct(fields: string[]): string[] {
  let f = fields;
  if (f.length === 9 && f[3].startsWith(';')) f = [f[0], f[1], f[2] + f[3], ...f.slice(4)];
  if (f.length === 9 && f[8] === '') f = f.slice(0, 8);
  return f;
}

export const FDA_APPLICATION_COLUMNS = ['ApplNo', 'ApplType', 'ApplPublicNotes', 'SponsorName'] as const;
export const FdaApplicationRow = z.object({
  ApplNo: z.string().regex(/^\d{6}$/, 'must be a 6-digit application number'),
  ApplType: z.enum(['NDA', 'ANDA', 'BLA']),
  ApplPublicNotes: trimmed,
  SponsorName: trimmed,
});
export type FdaApplication = Located<z.infer<typeof FdaApplicationRow>>;

// ---------------------------------------------------------------- EMA EPAR table

export const EMA_COLUMNS = [
  'Category', 'Medicine name', 'Therapeutic area', 'International non-proprietary name (INN) / common name',
  'Active substance', 'Product number', 'Patient safety', 'Authorisation status', 'ATC code',
  'Additional monitoring', 'Generic', 'Biosimilar', 'Conditional approval', 'Exceptional circumstances',
  'Accelerated assessment', 'Orphan medicine', 'Marketing authorisation date',
  'Date of refusal of marketing authorisation', 'Marketing authorisation holder/company name',
  'Human pharmacotherapeutic group', 'Vet pharmacotherapeutic group', 'Date of opinion', 'Decision date',
  'Revision number', 'Condition / indication', 'Species', 'ATCvet code', 'First published', 'Revision date', 'URL',
] as const;

const ATC = '[A-Z](?:\\d\\d(?:[A-Z](?:[A-Z](?:\\d\\d)?)?)?)?';
const ATC_LIST = new RegExp(`^(?:|Not yet assigned|${ATC}(?:,\\s*${ATC})*)$`);

const EmaRawRow = z.object({
  Category: z.enum(['Human', 'Veterinary']),
  'Medicine name': required('Medicine name'),
  'International non-proprietary name (INN) / common name': trimmed,
  'Active substance': trimmed,
  'Product number': z.string().regex(/^EMEA\/[HV]\/C\/\d+/, 'must be an EMA product number like EMEA/H/C/000387'),
  'Authorisation status': z.enum(['Authorised', 'Withdrawn', 'Refused', 'Suspended', '']),
  'ATC code': z
    .string()
    .trim()
    .regex(ATC_LIST, 'must be ATC codes such as L01EA01 (comma-separated) or "Not yet assigned"')
    .transform((s) => (s === '' || s === 'Not yet assigned' ? [] : s.split(/,\s*/))),
  'Human pharmacotherapeutic group': trimmed,
  'Revision date': z.string().trim().regex(/^(?:\d{4}-\d{2}-\d{2})?$/, 'must be a date like 2023-06-12'),
  // The indication text is read only to check the row shape; it is never used.
});
/**
 * Known typing errors in the June 2023 EMA table's ATC column (Vargatef "L01XE3",
 * LeukoScan "VO4D" with a letter O). They are dropped rather than guessed.
 */
export const EMA_BAD_ATC: ReadonlySet<string> = new Set(['L01XE3', 'VO4D']);
export function repairEma(fields: string[]): string[] {
  const atc = EMA_COLUMNS.indexOf('ATC code');
  if (fields.length === EMA_COLUMNS.length && EMA_BAD_ATC.has(fields[atc].trim())) {
    const f = [...fields];
    f[atc] = '';
    return f;
  }
  return fields;
}

export const EmaRow = EmaRawRow.transform((r) => ({
  category: r.Category,
  medicineName: r['Medicine name'],
  inn: r['International non-proprietary name (INN) / common name'],
  activeSubstance: r['Active substance'],
  productNumber: r['Product number'],
  status: r['Authorisation status'],
  atc: r['ATC code'],
  group: r['Human pharmacotherapeutic group'],
  revisionDate: r['Revision date'],
}));
export type EmaMedicine = Located<z.infer<typeof EmaRow>>;

// ---------------------------------------------------------------- NCI drug summaries

export const NCI_COLUMNS = [
  'slug', 'name', 'url', 'last_reviewed', 'pronunciation', 'us_brand_names', 'fda_approved', 'is_combination',
  'combination_members', 'intro', 'use_in_cancer', 'related_resources', 'ncit_code', 'nci_drug_dictionary_id',
  'dailymed_setid',
] as const;
const NciRawRow = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/, 'must be a lower-case slug'),
  name: required('name'),
  url: z.string().startsWith('https://www.cancer.gov/', 'must be a cancer.gov address'),
  last_reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-12-30'),
  pronunciation: trimmed,
  us_brand_names: trimmed,
  is_combination: z.enum(['yes', 'no']),
  combination_members: trimmed,
  related_resources: trimmed,
  ncit_code: z.string().trim().regex(/^(?:C\d+)?$/, 'must be an NCIt code like C62528'),
  // intro and use_in_cancer are NCI prose: never read into the build's output.
});
export const NciRow = NciRawRow.transform((r) => ({
  slug: r.slug,
  name: r.name,
  lastReviewed: r.last_reviewed,
  pronunciation: r.pronunciation,
  brands: r.us_brand_names ? r.us_brand_names.split('|').map((b) => b.trim()).filter(Boolean) : [],
  isCombination: r.is_combination === 'yes',
  members: r.combination_members ? r.combination_members.split('|').map((b) => b.trim()).filter(Boolean) : [],
  related: r.related_resources ? r.related_resources.split('|').map((b) => b.trim()).filter(Boolean) : [],
  ncit: r.ncit_code,
}));
export type NciDrug = Located<z.infer<typeof NciRow>>;

// ---------------------------------------------------------------- MeSH 2024

export const MESH_TERM_COLUMNS = [
  'DescriptorUI', 'DescriptorName', 'TermName', 'LexicalTag', 'ConceptPreferredTermYN', 'RecordPreferredTermYN',
] as const;
export const MeshTermRow = z.object({
  DescriptorUI: z.string().regex(/^D\d{6,9}$/, 'must be a MeSH descriptor id like D000082'),
  DescriptorName: required('DescriptorName'),
  TermName: required('TermName'),
  LexicalTag: z.enum(['NON', 'TRD', 'LAB', 'ABB', 'ABX', 'ACR', 'ACX', 'EPO', 'NAM']),
  ConceptPreferredTermYN: z.enum(['Y', 'N']),
  RecordPreferredTermYN: z.enum(['Y', 'N']),
});
export type MeshTerm = Located<z.infer<typeof MeshTermRow>>;

export const MESH_ACTION_COLUMNS = ['SubstanceUI', 'SubstanceName', 'PharmActionUI', 'PharmActionName', 'name_source'] as const;
export const MeshActionRow = z.object({
  SubstanceUI: z.string().regex(/^[CD]\d{6,9}$/, 'must be a MeSH id like D000082 or C000123'),
  SubstanceName: trimmed,
  PharmActionUI: z.string().regex(/^D\d{6,9}$/, 'must be a MeSH descriptor id'),
  PharmActionName: required('PharmActionName'),
  name_source: trimmed,
});
export type MeshAction = Located<z.infer<typeof MeshActionRow>>;

// ---------------------------------------------------------------- DrugBank open vocabulary

export const DRUGBANK_COLUMNS = [
  'DrugBank ID', 'Accession Numbers', 'Common name', 'CAS', 'UNII', 'Synonyms', 'Standard InChI Key',
] as const;
export const DrugBankRow = z
  .object({
    'DrugBank ID': z.string().regex(/^DB\d{5}$/, 'must be a DrugBank id like DB00316'),
    'Common name': required('Common name'),
    UNII: z.string().trim().regex(/^(?:[A-Z0-9]{10})?$/, 'must be a 10-character UNII'),
    Synonyms: trimmed,
  })
  .transform((r) => ({
    id: r['DrugBank ID'],
    name: r['Common name'],
    unii: r.UNII,
    synonyms: r.Synonyms ? r.Synonyms.split(' | ').map((s) => s.trim()).filter(Boolean) : [],
  }));
export type DrugBankEntry = Located<z.infer<typeof DrugBankRow>>;

// ---------------------------------------------------------------- DrugCentral 2017 (rephetio)

export const DC_DRUG_CLASS_COLUMNS = ['drugbank_id', 'drugbank_name', 'class_id', 'class_name'] as const;
export const DcDrugClassRow = z.object({
  drugbank_id: z.string().regex(/^DB\d{5}$/, 'must be a DrugBank id like DB00316'),
  drugbank_name: required('drugbank_name'),
  class_id: required('class_id'),
  class_name: required('class_name'),
});
export type DcDrugClass = Located<z.infer<typeof DcDrugClassRow>>;

export const DC_CLASS_COLUMNS = ['class_id', 'class_name', 'class_source', 'class_type', 'url'] as const;
export const DcClassRow = z.object({
  class_id: required('class_id'),
  class_name: required('class_name'),
  class_source: z.enum(['CHEBI', 'FDA', 'MeSH']),
  class_type: required('class_type'),
  url: trimmed,
});
export type DcClass = Located<z.infer<typeof DcClassRow>>;

// ---------------------------------------------------------------- all together

export const SOURCE_FILES = {
  fdaProducts: 'fda_drugsatfda_2022-08/Products.txt',
  fdaApplications: 'fda_drugsatfda_2022-08/Applications.txt',
  ema: 'ema_epar_medicines_2023-06.tsv',
  nci: 'nci_cancer_drug_information_summaries.tsv',
  meshTerms: 'mesh2024_chemicals_drugs_descriptor_terms.tsv',
  meshActions: 'mesh2024_pharmacological_actions.tsv',
  drugbank: 'drugbank_open_vocabulary.csv',
  dcDrugClass: 'drugcentral_2017_drug_to_class.tsv',
  dcClasses: 'drugcentral_2017_classes.tsv',
} as const;

export interface Sources {
  fdaProducts: FdaProduct[];
  fdaApplications: FdaApplication[];
  ema: EmaMedicine[];
  nci: NciDrug[];
  meshTerms: MeshTerm[];
  meshActions: MeshAction[];
  drugbank: DrugBankEntry[];
  dcDrugClass: DcDrugClass[];
  dcClasses: DcClass[];
}

const tsv = { delimiter: '\t', quotes: false } as const;

/** Reads every dataset; throws one InputError listing all bad rows (file:line). */
export function readSources(dir: string): Sources {
  const problems: string[] = [];
  const f = (k: keyof typeof SOURCE_FILES) => path.join(dir, SOURCE_FILES[k]);
  const sources: Sources = {
    fdaProducts: readTable(f('fdaProducts'), {
      ...tsv, columns: FDA_PRODUCT_COLUMNS, schema: FdaProductRow, repair: repairFdaProduct, problems,
    }),
    fdaApplications: readTable(f('fdaApplications'), {
      ...tsv, columns: FDA_APPLICATION_COLUMNS, schema: FdaApplicationRow, problems,
    }),
    ema: readTable(f('ema'), {
      delimiter: '\t', quotes: true, columns: EMA_COLUMNS, schema: EmaRow, repair: repairEma, problems,
    }),
    nci: readTable(f('nci'), { ...tsv, columns: NCI_COLUMNS, schema: NciRow, problems }),
    meshTerms: readTable(f('meshTerms'), { ...tsv, columns: MESH_TERM_COLUMNS, schema: MeshTermRow, problems }),
    meshActions: readTable(f('meshActions'), { ...tsv, columns: MESH_ACTION_COLUMNS, schema: MeshActionRow, problems }),
    drugbank: readTable(f('drugbank'), {
      delimiter: ',', quotes: true, columns: DRUGBANK_COLUMNS, schema: DrugBankRow, problems,
    }),
    dcDrugClass: readTable(f('dcDrugClass'), { ...tsv, columns: DC_DRUG_CLASS_COLUMNS, schema: DcDrugClassRow, problems }),
    dcClasses: readTable(f('dcClasses'), { ...tsv, columns: DC_CLASS_COLUMNS, schema: DcClassRow, problems }),
  };
  if (problems.length) throw new InputError(problems, 'source data');
  return sources;
}
