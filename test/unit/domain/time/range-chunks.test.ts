import { describe, expect, it } from 'vitest';
import { chunkEvaluations } from '../../../../lambda/domain/time/range-chunks.js';
import { bucketGrid } from '../../../../lambda/domain/time/buckets.js';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';

/** Every evaluation time a list of query_range calls makes, in order. */
function evaluations(chunks: { startMs: number; endMs: number }[], stepMs: number): number[] {
  const times: number[] = [];
  for (const { startMs, endMs } of chunks) for (let t = startMs; t <= endMs; t += stepMs) times.push(t);
  return times;
}

describe('chunkEvaluations', () => {
  it('splits 25,000 evaluations into calls of at most 11,000 points', () => {
    // Prepare: 25,000 = 11,000 + 11,000 + 3,000; step 60 s from 60 s
    // call 1: 60,000 … 60,000 + 10,999·60,000 = 660,000,000
    // call 2: 60,000 + 11,000·60,000 = 660,060,000 … 60,000 + 21,999·60,000 = 1,320,000,000
    // call 3: 60,000 + 22,000·60,000 = 1,320,060,000 … 60,000 + 24,999·60,000 = 1,500,000,000
    // Act
    const chunks = chunkEvaluations(60_000, 25_000, 60_000);
    // Assess
    expect(chunks).toEqual([
      { startMs: 60_000, endMs: 660_000_000 },
      { startMs: 660_060_000, endMs: 1_320_000_000 },
      { startMs: 1_320_060_000, endMs: 1_500_000_000 },
    ]);
    for (const c of chunks) expect((c.endMs - c.startMs) / 60_000 + 1).toBeLessThanOrEqual(11_000);
  });

  it('covers a year of 1 s buckets with 2,867 calls, each evaluation exactly once', () => {
    // Prepare: 31,536,000 buckets; ⌈31,536,000 / 11,000⌉ = 2,867 calls (2,866 full + 1 of 10,000)
    const grid = bucketGrid(1_735_689_600_000, 1_735_689_600_000 + 31_536_000_000, 1000);
    // Act
    const chunks = chunkEvaluations(grid.firstStart + 1000, grid.count, 1000);
    // Assess
    expect(chunks).toHaveLength(2_867);
    expect(chunks[0]).toEqual({ startMs: 1_735_689_601_000, endMs: 1_735_689_601_000 + 10_999_000 });
    const lastChunk = chunks.at(-1);
    expect(lastChunk).toEqual({ startMs: 1_735_689_601_000 + 2_866 * 11_000_000, endMs: 1_735_689_600_000 + 31_536_000_000 });
    let points = 0;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i] as { startMs: number; endMs: number };
      points += (c.endMs - c.startMs) / 1000 + 1;
      if (i > 0) expect(c.startMs).toBe((chunks[i - 1] as { endMs: number }).endMs + 1000);
    }
    expect(points).toBe(31_536_000);
  });

  it('keeps one call when everything fits', () => {
    // Prepare / Act / Assess: 11,000 points exactly
    expect(chunkEvaluations(0, 11_000, 1)).toEqual([{ startMs: 0, endMs: 10_999 }]);
    expect(chunkEvaluations(5, 1, 10)).toEqual([{ startMs: 5, endMs: 5 }]);
  });

  it('makes no call for no evaluation', () => {
    // Prepare / Act / Assess
    expect(chunkEvaluations(0, 0, 1000)).toEqual([]);
  });

  it('also bounds the time span of a call when asked', () => {
    // Prepare: step 10, span ≤ 25 → ⌊25 / 10⌋ + 1 = 3 points per call; 7 points → 3 + 3 + 1
    // Act
    const chunks = chunkEvaluations(0, 7, 10, 11_000, 25);
    // Assess
    expect(chunks).toEqual([
      { startMs: 0, endMs: 20 },
      { startMs: 30, endMs: 50 },
      { startMs: 60, endMs: 60 },
    ]);
    expect(evaluations(chunks, 10)).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it('refuses a step of 0 and a negative count with a typed error', () => {
    // Prepare / Act / Assess
    expect(() => chunkEvaluations(0, 10, 0)).toThrow(InvalidRequestError);
    expect(() => chunkEvaluations(0, -1, 10)).toThrow(InvalidRequestError);
    expect(() => chunkEvaluations(0, 10, 10, 0)).toThrow(InvalidRequestError);
  });
});
