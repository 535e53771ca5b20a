import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../utils/matcher';
import { nameKey, tokenize } from '../../utils/text';
import { DATA, found, MATCHER } from './helpers';

describe('matcher: whole words, any case', () => {
  it('finds generic names, UK and US brands and codes of the seed drugs in any case', () => {
    expect(found('imatinib, DASATINIB, Ponatinib; Glivec/Gleevec, sprycel, KYMRIAH, CTL019')).toEqual([
      ['imatinib', 'imatinib'],
      ['DASATINIB', 'dasatinib'],
      ['Ponatinib', 'ponatinib'],
      ['Glivec', 'imatinib'],
      ['Gleevec', 'imatinib'],
      ['sprycel', 'dasatinib'],
      ['KYMRIAH', 'tisagenlecleucel'],
      ['CTL019', 'tisagenlecleucel'],
    ]);
  });

  it('never matches inside a longer word', () => {
    expect(found('imatinibxyz preimatinib Glivecs 123imatinib imatinib2b')).toEqual([]);
  });

  it('matches codes with a hyphen, a space or nothing between their parts', () => {
    expect(found('STI-571, STI 571, STI571 and sti‑571')).toEqual([
      ['STI-571', 'imatinib'],
      ['STI 571', 'imatinib'],
      ['STI571', 'imatinib'],
      ['sti‑571', 'imatinib'],
    ]);
  });

  it('handles possessives, brackets, trailing punctuation and footnote digits', () => {
    expect(found("imatinib's dose (Glivec). Gleevec1, Rituxan: done")).toEqual([
      ['imatinib', 'imatinib'],
      ['Glivec', 'imatinib'],
      ['Gleevec', 'imatinib'],
      ['Rituxan', 'rituximab'],
    ]);
  });

  it('matches multi-word names across any whitespace, including a line break, longest first', () => {
    expect(found('Inotuzumab\n  ozogamicin and inotuzumab alone')).toEqual([
      ['Inotuzumab\n  ozogamicin', 'inotuzumab-ozogamicin'],
      ['inotuzumab', 'inotuzumab-ozogamicin'],
    ]);
  });

  it('folds diacritics', () => {
    expect(found('Ïmatinib and rituximáb')).toEqual([
      ['Ïmatinib', 'imatinib'],
      ['rituximáb', 'rituximab'],
    ]);
  });

  it('reports UTF-16 offsets that slice back to the matched text', () => {
    const text = '💊 Kymriah — 🧪 blinatumomab';
    for (const m of MATCHER.find(text)) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(MATCHER.find(text).map((m) => m.start)).toEqual([3, 16]);
  });

  it('joins a word broken over a line with a hyphen', () => {
    expect(found('started blina-\ntumomab today')).toEqual([['blina-\ntumomab', 'blinatumomab']]);
  });

  it('needs the written separator for abbreviations and codes with a short prefix', () => {
    const m = compileMatcher({ version: 1, ids: ['mercaptopurine', 'blinatumomab', 'imatinib'], names: [['6-MP', 0, 'a', 1], ['MT-103', 1, 'c', 0], ['STI-571', 2, 'c', 0]] });
    expect(m.find('6-MP daily; a 6MP camera; MT 103 and mt-103 but not MT103; STI571').map((x) => x.text)).toEqual(['6-MP', 'MT 103', 'mt-103', 'STI571']);
  });

  it('matches case-sensitive names only as written', () => {
    const m = compileMatcher({ version: 1, ids: ['methotrexate', 'glee-brand'], names: [['MTX', 0, 'a', 1], ['Glee', 1, 'b', 1]] });
    expect(m.find('MTX weekly, not mtx or Mtx').map((x) => x.text)).toEqual(['MTX']);
    expect(m.find('Glee on the box; glee in the room').map((x) => x.text)).toEqual(['Glee']);
  });

  it('asks the typo resolver only about long standalone words, and marks its answers as fuzzy', () => {
    const asked: string[] = [];
    const m = MATCHER.find('My son takes ponatinob and feels tired today', {
      typo: (w) => (asked.push(w), null),
    });
    expect(m).toEqual([]);
    expect(asked).toEqual(['ponatinob']); // 'tired', 'today' are too short; 'takes' too
  });
});

describe('matcher: properties', () => {
  const names = ['imatinib', 'Glivec', 'STI-571', 'inotuzumab ozogamicin', 'Kymriah', 'CTL019'];
  const alphabet = fc.constantFrom(...names, ' ', '\n', '-', '.', "'", 'x', '1', 'é', '(', ')');
  it('matches are in order, within bounds, never overlap, and slice back to their text', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const ms = MATCHER.find(text);
        let last = 0;
        for (const m of ms) {
          expect(m.start).toBeGreaterThanOrEqual(last);
          expect(m.end).toBeGreaterThan(m.start);
          expect(text.slice(m.start, m.end)).toBe(m.text);
          last = m.end;
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('a name surrounded by spaces is always found', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ maxLength: 10 }), (name, noise) => {
        const clean = noise.replace(/[\p{L}\p{N}\p{M}]/gu, ' ');
        const ms = MATCHER.find(`${clean} ${name} ${clean}`);
        expect(ms.some((m) => m.text === name)).toBe(true);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('matcher: the whole dictionary', () => {
  it('finds every one of the tens of thousands of names, written as in the index, on its own and in a sentence', () => {
    const { names, ids } = DATA.names;
    expect(names.length).toBeGreaterThan(20_000);
    const missed: string[] = [];
    let joined = 0;
    for (const [name, drug] of names) {
      const toks = tokenize(name);
      const end = toks[toks.length - 1].end;
      // Words joined by anything but spaces or a hyphen ("levodopa/carbidopa", "Flagyl
      // I.V.") are not one name on a page: their parts are found on their own.
      if (toks.some((t, k) => k > 0 && !/^(?:\s+|\s*[-‐‑–]\s*)?$/u.test(name.slice(toks[k - 1].end, t.start)))) {
        joined++;
        continue;
      }
      const alone = MATCHER.find(name);
      const inText = MATCHER.find(`She was told that ${name} is next.`);
      const ok = alone.some((m) => m.start === toks[0].start && m.end === end) && inText.some((m) => m.text === name.slice(toks[0].start, end) && (m.id === ids[drug] || alone.some((a) => a.id === m.id)));
      if (!ok) missed.push(name);
    }
    expect(missed).toEqual([]);
    expect(joined).toBeLessThan(names.length / 100);
  });

  it('finds nothing in a long run of ordinary words that start no name', () => {
    const text = 'the and of to in that it was for on are with as his they be at one have this from or had by hot word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find '.repeat(200);
    expect(MATCHER.find(text)).toEqual([]);
  });
});

describe('text', () => {
  it('tokenises letters and digits apart, with offsets', () => {
    expect(tokenize('STI571 6-MP').map((t) => t.key)).toEqual(['sti', '571', '6', 'mp']);
    expect(nameKey('STI-571')).toBe(nameKey('sti 571'));
  });
});

describe('page index text form', () => {
  it('compiles to a matcher that finds exactly what the JSON index finds', async () => {
    const { DATA } = await import('./helpers');
    const { compilePageIndexText, pageIndexToText } = await import('../../utils/matcher');
    let yields = 0;
    // A clock that moves 1 ms per check (every 32 names): a 4 ms budget yields every 128
    // names, after a first yield before any work.
    let clock = 0;
    const fromText = await compilePageIndexText(pageIndexToText(DATA.names), async () => void yields++, 4, () => clock++);
    const text = 'Gleevec1, STI 571 and 6-MP; Inotuzumab\nozogamicin; paracetamol (Tylenol); MTX weekly; Kymriah.';
    expect(fromText.find(text)).toEqual(MATCHER.find(text));
    expect(fromText.size).toBe(MATCHER.size);
    expect(yields).toBe(1 + Math.floor(DATA.names.names.length / 128));
  });
});

describe('reading a long text window by window', () => {
  const pieces = [
    'imatinib', 'Gleevec', 'Gleevec1', 'STI', '571', 'STI-571', 'inotuzumab', 'ozogamicin', 'dexa-\nmethasone', '6-MP', 'MTX',
    'ponatinob', 'the', 'and', 'patient', "imatinib's", '(Glivec)', 'état', 'Lévothyrox', '12', 'x', 'anti',
  ];
  const gaps = [' ', '  ', '\n', '-', ', ', '. ', '', '\t', ' (', ') '];
  const text = fc.array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(...gaps)), { maxLength: 60 }).map((xs) => xs.map(([p, g]) => p + g).join(''));
  const typo = (w: string) => (w === 'ponatinob' ? { id: 'ponatinib', name: 'Ponatinib' } : null);

  it('finds exactly what one pass over the whole text finds, for any window size', async () => {
    const { findWindow } = await import('../../utils/matcher');
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), (t, size) => {
        const all: ReturnType<typeof MATCHER.find> = [];
        let windows = 0;
        for (let pos = 0; pos < t.length; windows++) {
          const { matches, next } = findWindow(MATCHER, t, pos, size, { typo });
          expect(next).toBeGreaterThan(pos);
          all.push(...matches);
          pos = next;
        }
        expect(all).toEqual(MATCHER.find(t, { typo }));
      }),
      { numRuns: 500, seed: 4242 },
    );
  });
});
