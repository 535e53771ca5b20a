/**
 * Splits the ingredient strings of the datasets into single substances.
 * Pure functions; a result of more than one name means a combination product.
 */
import { cleanName, stripBrackets } from './normalise';

/** Words after a comma that qualify the name before it ("GRISEOFULVIN, MICROSIZE"). */
const DROP_QUALIFIERS = new Set([
  'glacial', 'microcrystalline', 'microsize', 'ultramicrocrystalline', 'ultramicrosize', 'macrocrystalline',
  'anhydrous', 'heptahydrate', 'monohydrate', 'dihydrate', 'white', 'yellow', 'nf', 'usp', 'dibasic', 'monobasic',
  'dibasic anhydrous', 'monobasic anhydrous', 'purified', 'light', 'heavy', 'hydrous',
]);
/** Qualifiers that read better in front ("ESTROGENS, CONJUGATED" → conjugated estrogens). */
const FRONT_QUALIFIERS = new Set([
  'conjugated', 'esterified', 'chorionic', 'conjugated synthetic a', 'conjugated synthetic b',
]);
const ISOTOPE = /^[a-z]{1,2}-\d+m?$/; // "KR-81M", "C-14", "FE-59"

function isQualifier(piece: string): boolean {
  const p = piece.toLowerCase().trim();
  return DROP_QUALIFIERS.has(p) || FRONT_QUALIFIERS.has(p) || ISOTOPE.test(p);
}

/** Codes written in brackets after a name: "LANADELUMAB (SHP643)" → SHP643. */
export function bracketCodes(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/\(([^()]+)\)/g)) out.push(m[1].trim());
  return out;
}

/**
 * Drugs@FDA ActiveIngredient → substances. Ingredients are separated by ";" and " AND "
 * (also by commas in a few rows such as "ELEXACAFTOR, IVACAFTOR, TEZACAFTOR"); a comma
 * followed by a qualifier belongs to the name ("ESTROGENS, CONJUGATED").
 */
export function splitFdaIngredients(raw: string): string[] {
  const out: string[] = [];
  for (let part of raw.split(';')) {
    part = part.trim();
    if (!part) continue;
    // A bracket opened before a ";" and never closed: "TRIPLE SULFA (SULFABENZAMIDE".
    if ((part.match(/\(/g) ?? []).length > (part.match(/\)/g) ?? []).length) part = part.slice(0, part.indexOf('('));
    if ((part.match(/\)/g) ?? []).length > (part.match(/\(/g) ?? []).length) part = part.replace(/\)/g, '');
    for (const piece of part.split(/,?\s+AND\s+/i)) {
      const commaParts = piece.split(',').map((p) => p.trim()).filter(Boolean);
      if (commaParts.length <= 1) {
        if (commaParts[0]) out.push(cleanName(commaParts[0]));
        continue;
      }
      if (commaParts.slice(1).every(isQualifier)) {
        const front = commaParts.slice(1).filter((q) => FRONT_QUALIFIERS.has(q.toLowerCase())).join(' ');
        out.push(cleanName(front ? `${front} ${commaParts[0]}` : commaParts[0]));
      } else {
        for (const p of commaParts) if (!isQualifier(p)) out.push(cleanName(p));
      }
    }
  }
  // "TECHNETIUM TC-99M SESTAMIBI KIT": the kit is the product, not the substance.
  return out.map((s) => s.replace(/\s+KIT$/i, '')).filter((s) => s.replace(/[^A-Za-z]/g, '').length >= 2);
}

/** Splits at commas, slashes and " and " that are not inside brackets. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === '/')) {
      out.push(cur);
      cur = '';
      continue;
    }
    if (depth === 0 && /^\s+and\s+/i.test(s.slice(i)) && /\s/.test(ch)) {
      const m = /^\s+and\s+/i.exec(s.slice(i))!;
      out.push(cur);
      cur = '';
      i += m[0].length - 1;
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter(Boolean);
}

/**
 * EMA "INN / common name" → substances: "sitagliptin, metformin hydrochloride" is two;
 * "abacavir (as sulfate) / lamivudine" is two; a vaccine is one substance, named without
 * its bracketed details, or nothing when even that is a list ("diphtheria, tetanus and ...").
 */
export function splitEmaSubstances(raw: string): string[] {
  const s = cleanName(raw);
  if (!s) return [];
  if (/vaccine/i.test(s)) {
    const plain = stripBrackets(s);
    return /[,/]/.test(plain) || / and /i.test(plain) ? [] : [plain];
  }
  return splitTopLevel(s)
    .map((p) => stripBrackets(p))
    .filter((p) => p.replace(/[^A-Za-z]/g, '').length >= 2);
}

/** NCI rows sometimes name a co-formulation ("Atezolizumab and Hyaluronidase-tqjs"). */
export function splitNciName(raw: string): string[] {
  return splitTopLevel(cleanName(raw)).map((p) => stripBrackets(p)).filter(Boolean);
}

/** EMA "Medicine name": "Tenkasi (previously Orbactiv)" → Tenkasi, Orbactiv. */
export function emaBrandNames(raw: string): string[] {
  const s = cleanName(raw);
  const m = /^(.*?)\s*\(previously(?: known as)?\s+(.+?)\)\s*$/i.exec(s);
  return m ? [m[1].trim(), m[2].trim()] : [s];
}
