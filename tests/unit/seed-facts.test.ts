/**
 * The seed's facts, exactly as the card shows them: class, route, uses and the
 * side-effect advice with its thresholds, for the seven ALL drugs.
 */
import { describe, expect, it } from 'vitest';
import { LOOKUP } from './helpers';

const card = (name: string) => {
  const c = LOOKUP.byName(name);
  if (!c) throw new Error(`no card for ${name}`);
  return c;
};
const classNames = (name: string) => card(name).classes.map((c) => c.name).join(' / ');

describe('seed facts', () => {
  it('classes: TKI, monoclonal antibody, CAR T-cell therapy', () => {
    for (const n of ['imatinib', 'dasatinib', 'ponatinib']) expect(classNames(n)).toContain('Tyrosine kinase inhibitor (TKI)');
    for (const n of ['rituximab', 'blinatumomab', 'inotuzumab ozogamicin']) expect(classNames(n)).toMatch(/Monoclonal antibody/);
    expect(classNames('tisagenlecleucel')).toContain('CAR T-cell therapy');
  });

  it('routes: imatinib a tablet once a day alongside chemo; antibodies a drip into a vein; CAR-T cells given back as a drip', () => {
    expect(card('imatinib').given).toMatch(/tablet by mouth once a day, alongside chemotherapy/i);
    expect(card('imatinib').routes).toEqual(['tablet by mouth']);
    for (const n of ['rituximab', 'inotuzumab ozogamicin']) expect(card(n).routes).toEqual(['drip into a vein']);
    expect(card('blinatumomab').routes).toEqual(['continuous drip into a vein through a portable pump']);
    const kymriah = card('Kymriah').given!;
    expect(kymriah).toMatch(/apheresis/);
    expect(kymriah).toMatch(/engineered/);
    expect(kymriah).toMatch(/given back as a\s+single drip into a vein/);
  });

  it('uses: Ph+ ALL in 20–30 % of people with ALL; relapsed or refractory B-cell ALL; CAR-T for people 25 or under', () => {
    for (const n of ['imatinib', 'dasatinib', 'ponatinib']) expect(card(n).uses[0]).toMatch(/Ph\+ ALL\), which is found in 20–30 % of people with ALL/);
    for (const n of ['rituximab', 'blinatumomab', 'inotuzumab ozogamicin']) expect(card(n).uses.join(' ')).toMatch(/[Rr]elapsed or refractory B-cell acute lymphoblastic leukaemia/);
    expect(card('tisagenlecleucel').uses[0]).toMatch(/aged 25 or under whose leukaemia is not responding to treatment \(refractory\), or has come back \(relapsed\)/);
  });

  it('side-effect advice with its thresholds', () => {
    const advice = (effect: string) => LOOKUP.effects.get(effect)!;
    expect(advice('infection').thresholds).toEqual(['temperature above 37.5 °C', 'temperature below 36 °C']);
    expect(advice('infection').advice).toMatch(/Contact your\s+care team straight away if your temperature goes above 37.5 °C or drops below 36 °C/);
    expect(advice('diarrhoea').thresholds).toEqual(['4 or more loose stools in 24 hours']);
    expect(advice('constipation').thresholds).toEqual(['no bowel movement for more than 3 days']);
    expect(advice('flu-like-symptoms').advice).toMatch(/Call your hospital's 24-hour advice line urgently/);
    expect(advice('dizziness').advice).toMatch(/do not drive and do not use\s+tools or machinery/);
    expect(advice('nausea').advice).toMatch(/anti-sickness medicine you were prescribed exactly as you were told, even\s+when you do not feel sick/);
  });

  it('every seed drug shows urgent signs (infection first among "contact your team now"), sources and a review date', () => {
    for (const n of ['imatinib', 'dasatinib', 'ponatinib', 'rituximab', 'blinatumomab', 'inotuzumab ozogamicin', 'tisagenlecleucel']) {
      const c = card(n);
      expect(c.tier).toBe('reviewed');
      expect(c.urgent.filter((u) => u.level === 'now').map((u) => u.id)).toContain('infection');
      expect(c.references.length).toBeGreaterThan(0);
      expect(c.reviewedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('finds each drug by its UK and US brands and codes', () => {
    const cases: [string, string][] = [
      ['Glivec', 'imatinib'], ['Gleevec', 'imatinib'], ['STI-571', 'imatinib'], ['sti571', 'imatinib'],
      ['Sprycel', 'dasatinib'], ['Iclusig', 'ponatinib'], ['MabThera', 'rituximab'], ['Rituxan', 'rituximab'],
      ['Blincyto', 'blinatumomab'], ['Besponsa', 'inotuzumab-ozogamicin'], ['Kymriah', 'tisagenlecleucel'], ['CTL019', 'tisagenlecleucel'],
    ];
    for (const [name, id] of cases) expect([name, LOOKUP.byName(name)?.id]).toEqual([name, id]);
    expect(LOOKUP.byName('Gleevec')!.matched).toMatchObject({ text: 'Gleevec', kind: 'b', label: 'brand name' });
    expect(LOOKUP.byName('Gleevec')!.brands).toMatchObject({ UK: ['Glivec'], EU: ['Glivec'], US: ['Gleevec'] });
    expect(LOOKUP.byName('definitely not a drug')).toBeNull();
  });

  it('reads a one-edit typo as the drug and says so', () => {
    const c = LOOKUP.byName('ponatinob')!;
    expect(c.id).toBe('ponatinib');
    expect(c.matched).toMatchObject({ text: 'ponatinob', kind: 'm', fuzzy: 'Ponatinib' });
  });

  it('suggests as you type, by any kind of name', () => {
    expect(LOOKUP.suggest('gleev').map((s) => [s.label, s.id])).toContainEqual(['Gleevec', 'imatinib']);
    expect(LOOKUP.suggest('CTL').map((s) => s.id)).toContain('tisagenlecleucel');
    expect(LOOKUP.suggest('')).toEqual([]);
  });
});
