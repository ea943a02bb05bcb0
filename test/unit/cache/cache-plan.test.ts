import { describe, expect, it } from 'vitest';
import { closedUntil, mergeRanges, missingRanges, type TimeRange } from '../../../lambda/domain/time/cache-plan.js';
import { createPrng } from '../../fixtures/prng.js';

describe('missingRanges', () => {
  it('asks only for what is not covered, on bucket boundaries', () => {
    expect(missingRanges({ fromMs: 0, toMs: 600 }, [{ fromMs: 0, toMs: 420 }], 60)).toEqual([{ fromMs: 420, toMs: 600 }]);
    expect(missingRanges({ fromMs: 60, toMs: 600 }, [{ fromMs: 0, toMs: 610 }], 60)).toEqual([]);
    expect(missingRanges({ fromMs: 0, toMs: 600 }, [], 60)).toEqual([{ fromMs: 0, toMs: 600 }]);
  });

  it('never uses part of a bucket: a covered range that ends mid-bucket leaves that bucket missing', () => {
    expect(missingRanges({ fromMs: 0, toMs: 300 }, [{ fromMs: 30, toMs: 170 }], 60)).toEqual([
      { fromMs: 0, toMs: 60 },
      { fromMs: 120, toMs: 300 },
    ]);
  });

  it('covered ∪ missing is the range, without overlap, for random ranges', () => {
    const prng = createPrng(11);
    for (let round = 0; round < 500; round++) {
      const align = [1, 10, 60][prng.int(0, 2)] as number;
      const from = prng.int(0, 20) * align;
      const range = { fromMs: from, toMs: from + prng.int(0, 40) * align };
      const covered: TimeRange[] = Array.from({ length: prng.int(0, 4) }, () => {
        const a = prng.int(0, 1000);
        return { fromMs: a, toMs: a + prng.int(0, 400) };
      });
      const missing = missingRanges(range, covered, align);
      const inCovered = (t: number) => covered.some((c) => c.fromMs <= t && t + align <= c.toMs && (t - range.fromMs) % align === 0);
      for (let t = range.fromMs; t < range.toMs; t += align) {
        const inMissing = missing.some((m) => m.fromMs <= t && t < m.toMs);
        expect(inMissing, `bucket ${t} in round ${round}`).toBe(!inCovered(t));
      }
      for (const m of missing) {
        expect(m.fromMs % align).toBe(0);
        expect(m.toMs % align).toBe(0);
        expect(m.toMs).toBeGreaterThan(m.fromMs);
      }
    }
  });
});

describe('closedUntil', () => {
  it('is the aligned time before which nothing can change; off at 0', () => {
    expect(closedUntil(1_000_000, 600_000, 60_000)).toBe(360_000);
    expect(closedUntil(1_000_000, 600_000)).toBe(400_000);
    expect(closedUntil(1_000_000, 0)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('mergeRanges', () => {
  it('joins overlapping and touching ranges', () => {
    expect(
      mergeRanges([
        { fromMs: 5, toMs: 9 },
        { fromMs: 0, toMs: 5 },
        { fromMs: 20, toMs: 30 },
        { fromMs: 25, toMs: 26 },
      ]),
    ).toEqual([
      { fromMs: 0, toMs: 9 },
      { fromMs: 20, toMs: 30 },
    ]);
  });
});
