// @vitest-environment node
/** Name handling of the data build: salts, slugs, codes, junk, casing, ingredient splitting. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Slug } from '../../data/schema';
import {
  emaBrandNames, splitEmaSubstances, splitFdaIngredients, splitNciName,
} from '../../scripts/data/ingredients';
import {
  SALT_WORDS, baseKey, baseName, brandCase, displayGeneric, fold, genericCase, isDevCode, isJunkName, isLabCode,
  looksLikeAbbreviation, nameKey, slugify, stripFdaSuffix, stripSalt,
} from '../../scripts/data/normalise';
import { plausibleGeneric } from '../../scripts/data/merge';

describe('salt stripping', () => {
  it.each([
    ['imatinib mesylate', 'imatinib', 'mesylate'],
    ['Imatinib Mesilate', 'Imatinib', 'Mesilate'],
    ['IMATINIB MESYLATE', 'IMATINIB', 'MESYLATE'],
    ['ponatinib hydrochloride', 'ponatinib', 'hydrochloride'],
    ['Acalabrutinib Maleate Monohydrate', 'Acalabrutinib', 'Maleate Monohydrate'],
    ['methylprednisolone sodium succinate', 'methylprednisolone', 'sodium succinate'],
    ['pramipexole dihydrochloride monohydrate', 'pramipexole', 'dihydrochloride monohydrate'],
    ['clopidogrel hydrogen sulfate', 'clopidogrel', 'hydrogen sulfate'],
    ['amlodipine besilate', 'amlodipine', 'besilate'],
    ['amlodipine besylate', 'amlodipine', 'besylate'],
    ['doxycycline hyclate', 'doxycycline', 'hyclate'],
    ['leucovorin calcium', 'leucovorin', 'calcium'],
    ['Cabozantinib-S-Malate', 'Cabozantinib', 'S-Malate'],
    ['salbutamol sulphate', 'salbutamol', 'sulphate'],
    ['adrenaline acid tartrate', 'adrenaline', 'acid tartrate'],
    ['rosuvastatin zinc', 'rosuvastatin', 'zinc'],
  ])('%s → %s', (input, base, salt) => {
    expect(stripSalt(input)).toEqual({ base, salt });
  });

  it.each(['sodium chloride', 'potassium chloride', 'calcium acetate', 'calcium folinate', 'methyl salicylate', 'milk of magnesia', 'valproic acid', 'lithium carbonate'])(
    'leaves %s alone (only a counter-ion would remain)',
    (name) => {
      expect(stripSalt(name)).toEqual({ base: name });
    },
  );

  it('removes bracketed salts and US biologic suffixes for the base key', () => {
    expect(baseName('abacavir (as sulfate)')).toBe('abacavir');
    expect(baseName('RITUXIMAB-ABBS')).toBe('RITUXIMAB');
    expect(baseName('rituximab-pvvr')).toBe('rituximab');
    expect(baseName('Asparaginase Erwinia Chrysanthemi (Recombinant)-rywn')).toBe('Asparaginase Erwinia Chrysanthemi');
    expect(baseKey('ROPEGINTERFERON ALFA-2B-NJFT')).toBe('ropeginterferon alfa 2b');
    expect(stripFdaSuffix('Tisagenlecleucel-T')).toBe('Tisagenlecleucel-T');
    expect(stripFdaSuffix('co-careldopa')).toBe('co-careldopa');
    expect(baseKey('Imatinib Mesylate')).toBe(baseKey('imatinib'));
  });

  it('is idempotent', () => {
    const word = fc.constantFrom('imatinib', 'ponatinib', 'Dasatinib', 'sodium', 'calcium', 'acid', 'of', 'RITUXIMAB-ABBS', 'alfa-2b', 'x');
    const salt = fc.constantFrom(...[...SALT_WORDS].slice(0, 40));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), fc.array(salt, { maxLength: 3 }), (w, s) => {
        const name = [...w, ...s].join(' ');
        expect(baseName(baseName(name))).toBe(baseName(name));
        expect(name.toLowerCase().startsWith(baseName(name).toLowerCase().split(' ')[0].split('-')[0])).toBe(true);
      }),
    );
  });
});

describe('slugs and keys', () => {
  it.each([
    ['Paracetamol', 'paracetamol'],
    ['Inotuzumab ozogamicin', 'inotuzumab-ozogamicin'],
    ['Céfalexine', 'cefalexine'],
    ['Interferon alfa-2b', 'interferon-alfa-2b'],
    ['α-Tocopherol', 'alpha-tocopherol'],
    ['  Co-trimoxazole ', 'co-trimoxazole'],
  ])('%s → %s', (input, slug) => {
    expect(slugify(input)).toBe(slug);
    expect(Slug.safeParse(slug).success).toBe(true);
  });

  it('always makes a valid slug (or nothing)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const slug = slugify(s);
        expect(slug === '' || Slug.safeParse(slug).success).toBe(true);
      }),
    );
  });

  it('folds diacritics and special letters', () => {
    expect(fold('Acétaminophène')).toBe('Acetaminophene');
    expect(nameKey('STI-571')).toBe('sti 571');
    expect(nameKey('Ciclosporin A')).toBe('ciclosporin a');
  });
});

describe('codes, abbreviations and junk', () => {
  it.each(['STI-571', 'STI571', 'STI 571', 'CGP-57148B', 'CTL019', 'MT-103', 'AMG 103', 'BMS-354825', 'AP24534', 'LY-231514'])('%s is a development code', (c) => {
    expect(isDevCode(c)).toBe(true);
  });
  it.each(['COVID-19', 'Anacin-3', 'imatinib', 'IDEC-C2B8', 'HIV-1', 'Type 2'])('%s is not a development code', (c) => {
    expect(isDevCode(c)).toBe(false);
  });
  it('accepts the wider MeSH LAB shapes', () => {
    expect(isLabCode('A-23187')).toBe(true);
    expect(isLabCode('Ro 31-8959')).toBe(true);
    expect(isLabCode('Gleevec')).toBe(false);
  });
  it('recognises abbreviations', () => {
    for (const a of ['MTX', '6-MP', 'ATRA', 'ARA-C', 'CsA', '5-FU', 'APAP']) expect(looksLikeAbbreviation(a)).toBe(true);
    for (const a of ['Gleevec', 'imatinib', 'STI-571', 'Tylenol']) expect(looksLikeAbbreviation(a)).toBe(false);
  });
  it.each([
    '1234', '4\'-hydroxyacetanilide', 'N-acetyl-p-aminophenol', '1,2-benzenediol', '(R)-adrenaline',
    '4-[(1R)-1-hydroxy-2-(methylamino)ethyl]benzene-1,2-diol', 'a'.repeat(61), 'Twinject 0.15 mg', 'x',
  ])('%s is junk', (s) => {
    expect(isJunkName(s)).toBe(true);
  });
  it.each(['imatinib mesylate', '5-fluorouracil', 'interferon alfa-2b', 'Co-codamol', 'STI-571', 'p-acetamidophenol', 'Ro 31-8959'])(
    '%s is kept',
    (s) => {
      expect(isJunkName(s)).toBe(false);
    },
  );
  it('drops descriptions that are not names', () => {
    expect(plausibleGeneric('dicesium salt methotrexate', 'mesh')).toBe(false);
    expect(plausibleGeneric('adoptive immunotherapy agent CTL019', 'drugbank')).toBe(false);
    expect(plausibleGeneric('folinic acid SF', 'drugbank')).toBe(false);
    expect(plausibleGeneric('anti-CTLA-4 MAb ipilimumab', 'drugbank')).toBe(false);
    expect(plausibleGeneric('insulin glargine', 'drugbank')).toBe(true);
    expect(plausibleGeneric('factor VIII', 'mesh')).toBe(true);
  });
});

describe('casing', () => {
  it('writes generics in lower case and brands in title case', () => {
    expect(genericCase('IMATINIB MESYLATE')).toBe('imatinib mesylate');
    expect(genericCase('Insulin Glargine')).toBe('insulin glargine');
    expect(genericCase('FACTOR VIII')).toBe('factor VIII');
    expect(genericCase('p-Acetylaminophenol')).toBe('p-acetylaminophenol');
    expect(displayGeneric('IMATINIB')).toBe('Imatinib');
    expect(brandCase('GLEEVEC')).toBe('Gleevec');
    expect(brandCase('K-TAB')).toBe('K-Tab');
    expect(brandCase('PAXIL CR')).toBe('Paxil CR');
    expect(brandCase('PROVENTIL-HFA')).toBe('Proventil-HFA');
    expect(brandCase('TWINJECT 0.15')).toBe('Twinject');
    expect(brandCase('MabThera')).toBe('MabThera');
  });
});

describe('ingredient strings', () => {
  it('splits Drugs@FDA ingredients on ";", " AND " and lists of names', () => {
    expect(splitFdaIngredients('AMOXICILLIN; CLAVULANATE POTASSIUM')).toEqual(['AMOXICILLIN', 'CLAVULANATE POTASSIUM']);
    expect(splitFdaIngredients('ALOGLIPTIN AND METFORMIN HYDROCHLORIDE')).toEqual(['ALOGLIPTIN', 'METFORMIN HYDROCHLORIDE']);
    expect(splitFdaIngredients('LAMIVUDINE, NEVIRAPINE, AND STAVUDINE')).toEqual(['LAMIVUDINE', 'NEVIRAPINE', 'STAVUDINE']);
    expect(splitFdaIngredients('ESTROGENS, CONJUGATED')).toEqual(['CONJUGATED ESTROGENS']);
    expect(splitFdaIngredients('GRISEOFULVIN, MICROSIZE')).toEqual(['GRISEOFULVIN']);
    expect(splitFdaIngredients('TECHNETIUM TC-99M SESTAMIBI KIT')).toEqual(['TECHNETIUM TC-99M SESTAMIBI']);
    expect(splitFdaIngredients('IMATINIB MESYLATE')).toEqual(['IMATINIB MESYLATE']);
  });
  it('splits EMA substances but keeps vaccines whole', () => {
    expect(splitEmaSubstances('sitagliptin, metformin hydrochloride')).toEqual(['sitagliptin', 'metformin hydrochloride']);
    expect(splitEmaSubstances('abacavir (as sulfate) / lamivudine')).toEqual(['abacavir', 'lamivudine']);
    expect(splitEmaSubstances('COVID-19 Vaccine (recombinant, adjuvanted)')).toEqual(['COVID-19 Vaccine']);
    expect(splitEmaSubstances('diphtheria, tetanus and pertussis (acellular, component) vaccine (adsorbed)')).toEqual([]);
    expect(splitEmaSubstances('C1 inhibitor (human)')).toEqual(['C1 inhibitor']);
    expect(splitNciName('Atezolizumab and Hyaluronidase-tqjs')).toEqual(['Atezolizumab', 'Hyaluronidase-tqjs']);
  });
  it('reads previous EMA names as brands too', () => {
    expect(emaBrandNames('Tenkasi (previously Orbactiv)')).toEqual(['Tenkasi', 'Orbactiv']);
    expect(emaBrandNames('Glivec')).toEqual(['Glivec']);
  });
});
