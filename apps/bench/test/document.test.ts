import { isTrainData } from '@rail/schema';
import { describe, expect, it } from 'vitest';
import { buildTrainData, readCounter } from '../src/document.js';
import { quantile, summarize } from '../src/quantiles.js';

describe('the benchmark document', () => {
  it.each([1, 10, 1000])('is a valid %i-train train_data.json whose counter starts at 0', (count) => {
    const doc = buildTrainData(count);
    expect(isTrainData(doc)).toBe(true);
    expect(Object.keys(doc.trains)).toHaveLength(count);
    expect(doc.trains[`train_${count}`]?.specs.emptyMassKg).toBe(40_900);
    expect(readCounter(doc)).toBe(0);
  });

  it('is the same bytes every time (rows are comparable across runs)', () => {
    expect(JSON.stringify(buildTrainData(10))).toBe(JSON.stringify(buildTrainData(10)));
  });

  it('rejects a train count that is not a positive integer', () => {
    expect(() => buildTrainData(0)).toThrow(/positive integer/);
  });
});

describe('latency quantiles (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it('p50 of 1..100 is 50 and p99 is 99', () => {
    expect(quantile(oneToHundred, 0.5)).toBe(50);
    expect(quantile(oneToHundred, 0.99)).toBe(99);
  });
  it('summarises unsorted samples: p50 3, p99 and max 10', () => {
    expect(summarize([10, 1, 3, 2, 5])).toEqual({ count: 5, p50Ms: 3, p99Ms: 10, maxMs: 10 });
  });
});
