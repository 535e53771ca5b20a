/** The matcher on the labelled evaluation set (tests/eval), at the project's targets. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluate, type LabelledPassage } from '../../utils/evaluate';
import { MATCHER, typo } from './helpers';

const passages = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../eval/passages.yaml'), 'utf8')) as LabelledPassage[];

describe('evaluation set', () => {
  const { summary, misses, falsePositives } = evaluate(passages, (text) => MATCHER.find(text, { typo }));

  it('has at least 200 passages written for the project, with negatives', () => {
    expect(passages.length).toBeGreaterThanOrEqual(200);
    expect(passages.filter((p) => p.style === 'negative').length).toBeGreaterThanOrEqual(30);
  });

  it('meets recall ≥ 0.97 and precision ≥ 0.99, with no marks on negative passages', () => {
    expect({ recall: summary.recall >= 0.97, misses: summary.recall >= 0.97 ? [] : misses }).toEqual({ recall: true, misses: [] });
    expect({ precision: summary.precision >= 0.99, extra: summary.precision >= 0.99 ? [] : falsePositives }).toEqual({ precision: true, extra: [] });
    expect(summary.negativeMarks).toBe(0);
  });

  it('reads every labelled one-edit misspelling as its drug', () => {
    expect(summary.fuzzyRecall).toBe(1);
  });
});
