/**
 * Name handling shared by every stage: folding, keys, slugs, salt stripping,
 * junk and code detection, and display casing. All functions are pure.
 */

const SPECIAL: Record<string, string> = {
  'ß': 'ss', 'æ': 'ae', 'Æ': 'AE', 'ø': 'o', 'Ø': 'O', 'œ': 'oe', 'Œ': 'OE', 'ł': 'l', 'Ł': 'L', 'đ': 'd', 'ı': 'i',
  'α': 'alpha', 'β': 'beta', 'γ': 'gamma', 'δ': 'delta', 'Δ': 'delta', '∆': 'delta', 'κ': 'kappa', 'λ': 'lambda',
  'ω': 'omega', 'µ': 'mu', 'μ': 'mu', '−': '-', '‐': '-', '‑': '-', '–': '-', '—': '-', '’': "'", '‘': "'",
  '´': "'", '®': '', '™': '', '\u00a0': ' ',
};

const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');
const PLAIN = /^[\x20-\x7e]*$/;

/** Folds diacritics and a few special letters to plain ASCII-ish text. */
export function fold(s: string): string {
  if (PLAIN.test(s)) return s;
  return s
    .replace(SPECIAL_RE, (ch) => SPECIAL[ch])
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(SPECIAL_RE, (ch) => SPECIAL[ch]);
}

/** Collapses spaces and normalises dashes and quotes; keeps letter case. */
export function cleanName(s: string): string {
  return s
    .replace(/[\u00a0\s]+/g, ' ')
    .replace(/[−‐‑–—]/g, '-')
    .replace(/’/g, "'")
    .replace(/[®™]/g, '')
    .replace(/\s*-\s*$/, '')
    .trim();
}

/** Lower-case ASCII key: letters and digits separated by single spaces. */
export function nameKey(s: string): string {
  return fold(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Stable id slug: lower-case ASCII, hyphens, diacritics folded. */
export function slugify(s: string): string {
  return nameKey(s).replace(/ /g, '-');
}

/** Number of letters and digits (what "short name" means for the guards). */
export function alnumLength(s: string): number {
  return nameKey(s).replace(/ /g, '').length;
}

/** Removes (...) and [...] groups, and an unclosed trailing "(...". */
export function stripBrackets(s: string): string {
  let prev: string;
  let out = s;
  do {
    prev = out;
    out = out.replace(/\s*[([][^()[\]]*[)\]]/g, '');
  } while (out !== prev);
  out = out.replace(/\s*[([].*$/, '');
  return cleanName(out);
}

/**
 * US proper names of biologics carry a meaningless four-letter suffix
 * (rituximab-abbs, pegfilgrastim-jmdb). Returns the name without it.
 */
export function stripFdaSuffix(s: string): string {
  const t = s.trim();
  const m = /^(.*[A-Za-z0-9)]{2})-([A-Za-z]{4})$/.exec(t);
  if (!m || m[1].length < 5) return t;
  // Only the FDA style: a lower-case suffix, or an all-capitals name ("RITUXIMAB-ABBS").
  if (m[2] !== m[2].toLowerCase() && /[a-z]/.test(t)) return t;
  if (/^(like|free|base|type|form|cell|kit|acid)$/i.test(m[2])) return t;
  return m[1];
}

/** Salt, ester, hydrate and counter-ion words that are stripped from the end of a name. */
export const SALT_WORDS: ReadonlySet<string> = new Set([
  'hydrochloride', 'dihydrochloride', 'trihydrochloride', 'monohydrochloride', 'hcl', 'hydrobromide',
  'dihydrobromide', 'hydroiodide', 'mesylate', 'mesilate', 'dimesylate', 'dimesilate', 'methanesulfonate',
  'methanesulphonate', 'sodium', 'disodium', 'trisodium', 'tetrasodium', 'monosodium', 'potassium',
  'dipotassium', 'monopotassium', 'calcium', 'magnesium', 'sulfate', 'sulphate', 'bisulfate', 'hemisulfate',
  'disulfate', 'hydrogen', 'dihydrogen', 'maleate', 'dimaleate', 'tartrate', 'bitartrate', 'hemitartrate',
  'citrate', 'besylate', 'besilate', 'acetate', 'diacetate', 'phosphate', 'diphosphate', 'succinate',
  'hemisuccinate', 'fumarate', 'hemifumarate', 'difumarate', 'bromide', 'chloride', 'iodide', 'hyclate',
  'monohydrate', 'dihydrate', 'trihydrate', 'tetrahydrate', 'pentahydrate', 'hexahydrate', 'heptahydrate',
  'hemihydrate', 'sesquihydrate', 'hemipentahydrate', 'hydrate', 'anhydrous', 'malate', 'lactate',
  'lactobionate', 'gluconate', 'gluceptate', 'tosylate', 'tosilate', 'napsylate', 'napadisylate',
  'pamoate', 'embonate', 'xinafoate', 'valerate', 'propionate', 'dipropionate', 'butyrate', 'furoate',
  'cypionate', 'enanthate', 'decanoate', 'undecanoate', 'palmitate', 'benzoate', 'stearate', 'estolate',
  'ethylsuccinate', 'nitrate', 'oxalate', 'cilexetil', 'axetil', 'proxetil', 'pivoxil', 'erbumine',
  'tromethamine', 'trometamol', 'meglumine', 'dimeglumine', 'olamine', 'diolamine', 'lysine', 'arginine',
  'edisylate', 'esylate', 'isethionate', 'mandelate', 'carbonate', 'polacrilex', 'saccharate',
  'camsylate', 'hippurate', 'aspartate', 'glutamate', 'orotate', 'hemiethanolate', 'ethanolate',
  'sulfosalicylate', 'salicylate', 'medoxomil',
  'monoethanolate', 'dicyclohexylamine', 'tert-butylamine', 'benzathine', 'procaine', 'base', 'zinc',
  'ditosylate', 'monosulfate', 'methylsulfate', 'metilsulfate', 'diaspartate', 'sorbitex', 'etabonate',
  'probutate', 'aceponate', 'buteprate', 'pivalate', 'dipivoxil', 'kamedoxomil', 'tebutate', 'glycinate',
]);

/** Words that are never a drug on their own: the salt is the drug ("sodium chloride"). */
const NOT_A_BASE: ReadonlySet<string> = new Set([
  'sodium', 'potassium', 'calcium', 'magnesium', 'lithium', 'zinc', 'iron', 'ferrous', 'ferric', 'aluminium',
  'aluminum', 'bismuth', 'silver', 'gold', 'copper', 'cupric', 'barium', 'strontium', 'ammonium', 'cesium',
  'caesium', 'rubidium', 'thallous', 'gallium', 'indium', 'chromic', 'manganese', 'selenious', 'stannous',
  'hydrogen', 'methyl', 'ethyl', 'acid', 'chloride', 'bromide', 'iodide', 'fluoride', 'sulfate', 'phosphate',
  'acetate', 'citrate', 'lactate', 'gluconate', 'carbonate', 'bicarbonate', 'oxide', 'hydroxide', 'water',
  'the', 'and', 'of', 'base', 'dibasic', 'monobasic', 'benzathine', 'fumaric', 'maleic', 'tartaric', 'succinic',
]);

function isSaltToken(token: string): boolean {
  const t = token.toLowerCase().replace(/[.,]+$/, '');
  if (SALT_WORDS.has(t)) return true;
  const m = /^(?:[a-z]|dl|\([rs]\))-(.+)$/.exec(t); // s-malate, l-lysine
  return !!m && SALT_WORDS.has(m[1]);
}

export interface SaltSplit {
  base: string; // "imatinib"
  salt?: string; // "mesylate"
}

/**
 * Strips salt and hydrate words from the end of a name: "imatinib mesylate" → imatinib,
 * "methylprednisolone sodium succinate" → methylprednisolone. Leaves names alone when only
 * a counter-ion would remain ("sodium chloride", "calcium acetate"). Bracketed qualifiers
 * such as "(as sulfate)" or "(anhydrous)" are removed first.
 */
export function stripSalt(name: string): SaltSplit {
  let cleaned = stripBrackets(cleanName(name));
  // "Cabozantinib-S-Malate" → "Cabozantinib S-Malate"
  const hy = /^(.+?[a-z0-9]{3})-((?:[a-z]-)?[a-z]+)$/i.exec(cleaned);
  if (hy && !hy[1].includes(' ') && isSaltToken(hy[2])) cleaned = `${hy[1]} ${hy[2]}`;
  const tokens = cleaned.split(' ').filter(Boolean);
  let end = tokens.length;
  while (end > 1 && isSaltToken(tokens[end - 1])) {
    const rest = tokens.slice(0, end - 1);
    const hydrate = HYDRATES.test(tokens[end - 1]);
    if (!hydrate && rest.every((t) => NOT_A_BASE.has(t.toLowerCase()))) break;
    if (/^(?:of|and|with|for|in|the|de|du)$/i.test(rest[rest.length - 1])) break; // "milk of calcium"
    if (nameKey(rest.join(' ')).replace(/ /g, '').length < 3) break;
    end--;
    // "adrenaline acid tartrate": the "acid" belongs to the salt.
    if (end > 1 && tokens[end - 1].toLowerCase() === 'acid' && /^tartrate$/i.test(tokens[end])) end--;
  }
  // "siponimod fumaric acid": an acid that forms the salt.
  if (end === tokens.length && end > 2 && /^acid$/i.test(tokens[end - 1]) && SALT_ACIDS.has(tokens[end - 2].toLowerCase())) {
    const rest = tokens.slice(0, end - 2);
    if (!rest.every((t) => NOT_A_BASE.has(t.toLowerCase()) || isSaltToken(t))) end -= 2;
  }
  if (end === tokens.length) return { base: cleaned };
  return { base: tokens.slice(0, end).join(' '), salt: tokens.slice(end).join(' ') };
}

const HYDRATES = /^(?:(?:mono|di|tri|tetra|penta|hexa|hepta|hemi|sesqui|hemipenta)?hydrate|anhydrous)$/i;

const SALT_ACIDS = new Set(['fumaric', 'maleic', 'tartaric', 'succinic', 'hydrochloric', 'sulfuric', 'phosphoric', 'methanesulfonic', 'oxalic', 'malic']);

/** Cations written first in British style ("sodium nitroprusside", "calcium folinate"). */
const LEADING_CATIONS = new Set(['sodium', 'disodium', 'potassium', 'dipotassium', 'calcium', 'magnesium']);

/**
 * The key for joining names: the base name, with a leading cation removed when a real
 * substance name remains ("sodium nitroprusside" joins "nitroprusside"; "sodium chloride"
 * stays).
 */
const joinKeyCache = new Map<string, string>();
export function joinKey(name: string): string {
  let out = joinKeyCache.get(name);
  if (out !== undefined) return out;
  out = baseKey(name).replace(/([a-z])(?=\d)|(\d)(?=[a-z])/g, '$1$2 ');
  const words = out.split(' ');
  if (words.length >= 2 && LEADING_CATIONS.has(words[0])) {
    const rest = words.slice(1);
    if (!rest.every((w) => NOT_A_BASE.has(w) || SALT_WORDS.has(w)) && rest.join('').length >= 5) out = rest.join(' ');
  }
  if (joinKeyCache.size > 200_000) joinKeyCache.clear();
  joinKeyCache.set(name, out);
  return out;
}

/**
 * The substance name without brackets, US biologic suffix and salt:
 * "Asparaginase Erwinia Chrysanthemi (Recombinant)-rywn" → "Asparaginase Erwinia Chrysanthemi".
 */
const baseNameCache = new Map<string, string>();
export function baseName(name: string): string {
  let out = baseNameCache.get(name);
  if (out === undefined) {
    out = stripFdaSuffix(stripSalt(stripFdaSuffix(stripBrackets(cleanName(name)))).base);
    if (baseNameCache.size > 200_000) baseNameCache.clear();
    baseNameCache.set(name, out);
  }
  return out;
}

/** The matching key of a substance: salts, brackets and US suffixes removed, then nameKey. */
export function baseKey(name: string): string {
  return nameKey(baseName(name));
}

/** A development code such as STI-571, CGP 57148, CTL019, AMG 103, BMS-354825. */
export function isDevCode(s: string): boolean {
  const t = s.trim();
  return /^[A-Z]{2,5}[- ]?\d{2,6}(?:[A-Z]{1,2}|-\d{1,3})?$/.test(t) && !/^(?:COVID|SARS|MERS|HIV|HPV|HSV|CMV|EBV|HTLV|TYPE|PHASE|CLASS|GRADE|STAGE)\b/.test(t);
}

/** MeSH LAB terms are codes by tag; accept the wider shapes they use (A-23187, Ro 31-8959). */
export function isLabCode(s: string): boolean {
  const t = s.trim();
  if (t.length > 16 || !/^[A-Z]/.test(t)) return false;
  if ((t.match(/\d/g) ?? []).length < 2) return false;
  return /^[A-Za-z]{1,6}[- ]?\d[\dA-Za-z]{0,7}(?:[- ][\dA-Za-z]{1,6})?$/.test(t);
}

/** A short upper-case abbreviation such as MTX, APAP, CsA, 6-MP, ARA-C (not a code). */
export function looksLikeAbbreviation(s: string): boolean {
  const t = s.trim();
  if (isDevCode(t)) return false;
  if (alnumLength(t) < 2 || alnumLength(t) > 6) return false;
  const upper = (t.match(/[A-Z]/g) ?? []).length;
  const lower = (t.match(/[a-z]/g) ?? []).length;
  return /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?$/.test(t) && upper >= 2 && lower <= 1;
}

/**
 * Names that are not useful for matching: numbers, very long strings, systematic
 * chemical names (brackets, commas, primes, locants), and strings with many digits
 * unless they are development codes.
 */
export function isJunkName(s: string): boolean {
  const t = s.trim();
  if (t.length < 2 || t.length > 60) return true;
  if (!/[A-Za-z\u00c0-\u024f]/.test(t)) return true;
  if (/[()[\]{},;:=+<>*#@!?"|\\~^$%]/.test(t)) return true;
  if (/'/.test(t)) return true; // 4'-hydroxyacetanilide
  if (/(?:^|\s)\d[\d.]*\s*(?:mg|g|ml|mcg|iu|units?)\b/i.test(t)) return true; // doses
  const digits = (t.match(/\d/g) ?? []).length;
  if (digits >= 5 && !isDevCode(t) && !isLabCode(t)) return true;
  if (/\d-\d|\d,\d|^\d+-[A-Za-z]+-\d/.test(t) && !isDevCode(t) && !isLabCode(t)) return true;
  if (/(?:^|[-\s])(?:[nosp]|alpha|beta)-.*-(?:[nosp]|\d)-/i.test(t)) return true; // N-(...)-p-... chemistry
  if (t.split(' ').length > 6) return true;
  if (/^[A-Za-z]$/.test(t.replace(/[\s.-]/g, ''))) return true;
  return false;
}

const ROMAN = /^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII)$/;

/**
 * Generic names in the usual lower case: "IMATINIB MESYLATE" → "imatinib mesylate",
 * "Insulin Glargine" → "insulin glargine"; words with inner capitals (rDNA, CD19) stay.
 */
export function genericCase(s: string): string {
  const t = cleanName(s);
  const allCaps = !/[a-z]/.test(t);
  return t
    .split(' ')
    .map((w) => {
      if (ROMAN.test(w)) return w;
      if (allCaps) return w.toLowerCase();
      if (/^[A-Z][a-z\u00e0-\u024f]+(?:-[A-Za-z\u00e0-\u024f]+)*$/.test(w)) return w.toLowerCase();
      return w
        .split('-')
        .map((p) => (/^[A-Z][a-z\u00e0-\u024f]{2,}$/.test(p) ? p.toLowerCase() : p))
        .join('-');
    })
    .join(' ');
}

/** Display form of a generic: first letter upper case ("Inotuzumab ozogamicin"). */
export function displayGeneric(s: string): string {
  const g = genericCase(s);
  return g.charAt(0).toUpperCase() + g.slice(1);
}

const BRAND_UPPER = new Set([
  'CR', 'XR', 'XL', 'SR', 'ER', 'ODT', 'HCT', 'DS', 'LA', 'XT', 'ES', 'IR', 'EC', 'CD', 'DR', 'HP', 'PM', 'HD',
  'XLS', 'LQ', 'SA', 'TR', 'CIV', 'PAK', 'II', 'III', 'IV', 'HFA', 'MDI', 'DPI', 'PFS', 'ADT', 'AM', 'SF',
]);

/** Brand names from all-caps sources in title case ("GLEEVEC" → Gleevec, "K-TAB" → K-Tab). */
export function brandCase(s: string): string {
  const t = cleanName(s);
  if (/[a-z]/.test(t)) return t;
  return t
    .replace(/(?:\s+\d+(?:\.\d+)?)+$/, '') // dose numbers: "TWINJECT 0.15"
    .split(' ')
    .map((w) =>
      w
        .split('-')
        .map((p) => (BRAND_UPPER.has(p) ? p : p.replace(/[A-Z][A-Z']*/g, (x) => x.charAt(0) + x.slice(1).toLowerCase())))
        .join('-'),
    )
    .join(' ');
}

/** Plain code-unit comparison (locale independent, so output is the same everywhere). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts strings case-insensitively, ties broken by exact text. */
export function sortNames(list: Iterable<string>): string[] {
  return [...list].sort((a, b) => compareText(a.toLowerCase(), b.toLowerCase()) || compareText(a, b));
}
