// The benchmark's percentile and median arithmetic (bench/stats.ts): nearest-rank percentiles,
// medians of odd and even counts, and summaries that do not depend on sample order.
import { describe, expect, it } from 'vitest';
import { median, medianSummary, percentile, SampleRecorder, summarize } from '../../bench/stats.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it.each([
    [50, 50],
    [95, 95],
    [99, 99],
    [100, 100],
    [0, 1],
    [0.5, 1],
    [99.5, 100],
  ])('p%s of 1..100 is %s', (p, expected) => {
    expect(percentile(oneToHundred, p)).toBe(expected);
  });

  it('is always a measured sample', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without samples and refuses a percentile outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[5], 5],
    [[2, Number.NaN, 4], 3],
  ])('of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});

describe('summaries', () => {
  it('do not depend on the order of the samples', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const s = summarize(samples);
    expect(s).toMatchObject({ count: 1000, min: 0, max: 999, p50: 499, p95: 949, p99: 989 });
    expect(s.mean).toBeCloseTo(499.5);
    expect(summarize([...samples].sort((a, b) => a - b))).toEqual(s);
  });

  it('recorder grows past its first buffer and summarises what it holds', () => {
    const recorder = new SampleRecorder();
    for (let i = 40_000; i >= 1; i--) recorder.record(i);
    expect(recorder.count).toBe(40_000);
    expect(recorder.summary()).toMatchObject({ count: 40_000, min: 1, p50: 20_000, p99: 39_600, max: 40_000 });
  });

  it('medianSummary takes the median of each figure across runs and adds the counts', () => {
    const run = (p99: number, count: number) => ({ count, min: 1, mean: 5, p50: 4, p95: 8, p99, max: p99 + 1 });
    expect(medianSummary([run(30, 10), run(10, 20), run(20, 30)])).toEqual({
      count: 60,
      min: 1,
      mean: 5,
      p50: 4,
      p95: 8,
      p99: 20,
      max: 21,
    });
  });
});
