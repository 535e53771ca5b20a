/** Scores matcher output against labelled passages (pure; used by `npm run eval` and its test). */

export interface LabelledPassage {
  id: string;
  style: string;
  text: string;
  expect: { text: string; id: string; fuzzy?: boolean }[];
}
export interface Found {
  text: string;
  id: string;
}
interface Tally {
  expected: number;
  found: number;
  correct: number;
  recall: number;
  precision: number;
}

export function evaluate(passages: LabelledPassage[], find: (text: string) => Found[]) {
  const misses: { passage: string; text: string; id: string }[] = [];
  const falsePositives: { passage: string; text: string; id: string }[] = [];
  const byStyle: Record<string, Tally> = {};
  let fuzzyExpected = 0;
  let fuzzyCorrect = 0;
  let negativeMarks = 0;
  for (const p of passages) {
    const got = find(p.text);
    const t = (byStyle[p.style] ??= { expected: 0, found: 0, correct: 0, recall: 0, precision: 0 });
    t.expected += p.expect.length;
    t.found += got.length;
    if (!p.expect.length) negativeMarks += got.length;
    // In-order alignment: each found mention may satisfy the next matching expected one.
    let j = 0;
    const used = new Set<number>();
    for (const e of p.expect) {
      if (e.fuzzy) fuzzyExpected++;
      let k = j;
      while (k < got.length && !(got[k].text === e.text && got[k].id === e.id)) k++;
      if (k < got.length) {
        used.add(k);
        t.correct++;
        if (e.fuzzy) fuzzyCorrect++;
        j = k + 1;
      } else misses.push({ passage: p.id, text: e.text, id: e.id });
    }
    got.forEach((g, i) => {
      if (!used.has(i)) falsePositives.push({ passage: p.id, text: g.text, id: g.id });
    });
  }
  let expected = 0;
  let found = 0;
  let correct = 0;
  for (const t of Object.values(byStyle)) {
    t.recall = t.expected ? t.correct / t.expected : 1;
    t.precision = t.found ? t.correct / t.found : 1;
    expected += t.expected;
    found += t.found;
    correct += t.correct;
  }
  return {
    summary: {
      passages: passages.length,
      expected,
      found,
      correct,
      recall: expected ? correct / expected : 1,
      precision: found ? correct / found : 1,
      fuzzyRecall: fuzzyExpected ? fuzzyCorrect / fuzzyExpected : 1,
      negativeMarks,
      byStyle,
    },
    misses,
    falsePositives,
  };
}
