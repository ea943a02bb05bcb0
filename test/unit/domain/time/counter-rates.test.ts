import { describe, expect, it } from 'vitest';
import { counterBuckets, counterPairs, counterRawRates, rawCounterStep } from '../../../../lambda/domain/time/counter-rates.js';
import { bucketGrid } from '../../../../lambda/domain/time/buckets.js';
import type { AggregatedPoint } from '../../../../lambda/protocol/responses.js';
import type { Sample } from '../../../../lambda/upstream/prometheus-client.js';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';

const S = 1000;
const MIN = 60 * S;

/** Only the values of an answer, for compact hand-computed expectations. */
function values(points: AggregatedPoint[]): number[] {
  return points.map(([value]) => value);
}

function expectValuesClose(points: AggregatedPoint[], expected: number[]): void {
  expect(points).toHaveLength(expected.length);
  for (const [i, value] of expected.entries()) expect(points[i]?.[0]).toBeCloseTo(value, 10);
}

describe('counterBuckets over two full buckets', () => {
  // Grid [60 s, 180 s): buckets [60,120) and [120,180). The sample at 50 s is the last one
  // before the first bucket. Pairs (t1: increase / duration = rate):
  //   70 s: 130 − 100 = 30 / 20 s = 1.5    → bucket [60,120)
  //  100 s: 160 − 130 = 30 / 30 s = 1.0    → bucket [60,120)
  //  130 s: 175 − 160 = 15 / 30 s = 0.5    → bucket [120,180)
  //  160 s: 205 − 175 = 30 / 30 s = 1.0    → bucket [120,180)
  const samples: Sample[] = [
    [50 * S, 100],
    [70 * S, 130],
    [100 * S, 160],
    [130 * S, 175],
    [160 * S, 205],
  ];
  const grid = bucketGrid(60 * S, 180 * S, MIN);

  it('computes MEAN as the increase divided by the time measured over', () => {
    // Prepare (above) / Act
    const result = counterBuckets(samples, grid, MIN, 'MEAN');
    // Assess: (30 + 30) / (20 + 30) s = 1.2; (15 + 30) / (30 + 30) s = 0.75
    expect(result).toEqual([
      [1.2, 60 * S, 120 * S],
      [0.75, 120 * S, 180 * S],
    ]);
  });

  it('computes MIN, MAX, SUM and the counts over the pair rates', () => {
    // Prepare (above) / Act / Assess
    expect(values(counterBuckets(samples, grid, MIN, 'MIN'))).toEqual([1.0, 0.5]);
    expect(values(counterBuckets(samples, grid, MIN, 'MAX'))).toEqual([1.5, 1.0]);
    expect(values(counterBuckets(samples, grid, MIN, 'SUM'))).toEqual([2.5, 1.5]); // 1.5 + 1.0; 0.5 + 1.0
    expect(values(counterBuckets(samples, grid, MIN, 'SUM_NO_ZEROS'))).toEqual([2.5, 1.5]);
    expect(values(counterBuckets(samples, grid, MIN, 'EVENT_COUNT'))).toEqual([2, 2]);
    expect(values(counterBuckets(samples, grid, MIN, 'VALUE_COUNT'))).toEqual([2, 2]);
    expect(values(counterBuckets(samples, grid, MIN, 'EVENT_COUNT_NO_ZEROS'))).toEqual([2, 2]);
  });

  it('computes percentiles by linear interpolation between closest ranks', () => {
    // Prepare: bucket 1 rates sorted [1.0, 1.5], bucket 2 [0.5, 1.0]; n − 1 = 1
    //   P25: rank 0.25 → 1.0·0.75 + 1.5·0.25 = 1.125;  0.5·0.75 + 1.0·0.25 = 0.625
    //   P50: rank 0.5  → 1.0·0.5 + 1.5·0.5 = 1.25;     0.5·0.5 + 1.0·0.5 = 0.75
    //   P99: rank 0.99 → 1.0·0.01 + 1.5·0.99 = 1.495;  0.5·0.01 + 1.0·0.99 = 0.995
    // Act / Assess
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_25'), [1.125, 0.625]);
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_50'), [1.25, 0.75]);
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_75'), [1.375, 0.875]);
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_90'), [1.45, 0.95]);
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_95'), [1.475, 0.975]);
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_98'), [1.49, 0.99]);
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_99'), [1.495, 0.995]);
  });

  it('ignores pairs that end before the grid or at its end', () => {
    // Prepare: a pair ending at 40 s (before 60 s) and one ending at exactly 180 s (outside [60,180))
    const more: Sample[] = [[20 * S, 0], [40 * S, 100], ...samples, [180 * S, 1000]];
    // Act
    const result = counterBuckets(more, grid, MIN, 'MEAN');
    // Assess: unchanged
    expect(values(result)).toEqual([1.2, 0.75]);
  });
});

describe('counterBuckets with counter resets', () => {
  it('counts the value after one reset as the increase', () => {
    // Prepare: pairs 10 s: 20 − 10 = 10 → 1/s; 20 s: 5 < 20, reset → 5 → 0.5/s; 30 s: 15 − 5 = 10 → 1/s
    const samples: Sample[] = [
      [0, 10],
      [10 * S, 20],
      [20 * S, 5],
      [30 * S, 15],
    ];
    const grid = bucketGrid(0, MIN, MIN);
    // Act
    const mean = counterBuckets(samples, grid, MIN, 'MEAN');
    const min = counterBuckets(samples, grid, MIN, 'MIN');
    // Assess: MEAN = (10 + 5 + 10) / 30 s = 0.8333…
    expectValuesClose(mean, [25 / 30]);
    expect(values(min)).toEqual([0.5]);
  });

  it('handles several resets in one bucket', () => {
    // Prepare: 100 → 3 (reset: 3) → 8 (+5) → 2 (reset: 2) → 1 (reset: 1), 10 s apart
    // rates: 0.3, 0.5, 0.2, 0.1 /s
    const samples: Sample[] = [
      [0, 100],
      [10 * S, 3],
      [20 * S, 8],
      [30 * S, 2],
      [40 * S, 1],
    ];
    const grid = bucketGrid(0, MIN, MIN);
    // Act / Assess
    // MEAN = (3 + 5 + 2 + 1) / 40 s = 0.275
    expectValuesClose(counterBuckets(samples, grid, MIN, 'MEAN'), [0.275]);
    expectValuesClose(counterBuckets(samples, grid, MIN, 'SUM'), [1.1]); // 0.3 + 0.5 + 0.2 + 0.1
    expect(values(counterBuckets(samples, grid, MIN, 'MAX'))).toEqual([0.5]);
    expect(values(counterBuckets(samples, grid, MIN, 'MIN'))).toEqual([0.1]);
    expect(values(counterBuckets(samples, grid, MIN, 'EVENT_COUNT'))).toEqual([4]);
    // P90: sorted [0.1, 0.2, 0.3, 0.5], rank 0.9·3 = 2.7 → 0.3·0.3 + 0.5·0.7 = 0.44
    expectValuesClose(counterBuckets(samples, grid, MIN, 'PERCENTILE_90'), [0.44]);
  });
});

describe('counterBuckets for a series that starts mid-bucket', () => {
  // Grid [0, 120 s); the series begins at 90 s: (90 s, 0), (100 s, 10), (110 s, 30)
  // pairs 100 s: 10 / 10 s = 1/s; 110 s: 20 / 10 s = 2/s, both in [60 s, 120 s)
  const samples: Sample[] = [
    [90 * S, 0],
    [100 * S, 10],
    [110 * S, 30],
  ];
  const grid = bucketGrid(0, 120 * S, MIN);

  it('measures MEAN over the time the series existed and omits the empty bucket', () => {
    // Prepare (above) / Act
    const result = counterBuckets(samples, grid, MIN, 'MEAN');
    // Assess: (10 + 20) / 20 s = 1.5, not 30 / 60 s
    expect(result).toEqual([[1.5, 60 * S, 120 * S]]);
  });

  it('gives 0 for the empty bucket with SUM', () => {
    // Prepare (above) / Act
    const result = counterBuckets(samples, grid, MIN, 'SUM');
    // Assess: 1 + 2 = 3
    expect(result).toEqual([
      [0, 0, 60 * S],
      [3, 60 * S, 120 * S],
    ]);
  });
});

describe('counterBuckets across gaps', () => {
  // Grid [0, 240 s): four 60 s buckets. Samples (0, 0), (10 s, 10), nothing until (200 s, 110), (210 s, 120)
  // pairs 10 s: 10 / 10 s = 1 → [0,60); 200 s: 100 / 190 s → [180,240); 210 s: 10 / 10 s = 1 → [180,240)
  const samples: Sample[] = [
    [0, 0],
    [10 * S, 10],
    [200 * S, 110],
    [210 * S, 120],
  ];
  const grid = bucketGrid(0, 240 * S, MIN);

  it('fills the buckets of the gap with 0 for EVENT_COUNT', () => {
    // Prepare (above) / Act
    const result = counterBuckets(samples, grid, MIN, 'EVENT_COUNT');
    // Assess
    expect(result).toEqual([
      [1, 0, 60 * S],
      [0, 60 * S, 120 * S],
      [0, 120 * S, 180 * S],
      [2, 180 * S, 240 * S],
    ]);
  });

  it('omits the buckets of the gap for EVENT_COUNT_NO_ZEROS and MEAN', () => {
    // Prepare (above) / Act
    const counts = counterBuckets(samples, grid, MIN, 'EVENT_COUNT_NO_ZEROS');
    const mean = counterBuckets(samples, grid, MIN, 'MEAN');
    // Assess: MEAN of [180,240) = (100 + 10) / (190 + 10) s = 0.55
    expect(counts).toEqual([
      [1, 0, 60 * S],
      [2, 180 * S, 240 * S],
    ]);
    expect(mean).toEqual([
      [1, 0, 60 * S],
      [0.55, 180 * S, 240 * S],
    ]);
  });

  it('fills trailing empty buckets with 0 for SUM', () => {
    // Prepare: the grid goes on to 360 s; the buckets [240,300) and [300,360) are empty
    const longer = bucketGrid(0, 360 * S, MIN);
    // Act
    const result = counterBuckets(samples, longer, MIN, 'SUM');
    // Assess: SUM of [180,240) = 100/190 + 1
    expectValuesClose(result, [1, 0, 0, 100 / 190 + 1, 0, 0]);
  });
});

describe('counterPairs', () => {
  it('skips NaN and infinite samples and pairs the finite ones around them', () => {
    // Prepare: finite samples (0, 0), (20 s, 20), (40 s, 30)
    const samples: Sample[] = [
      [0, 0],
      [10 * S, Number.NaN],
      [20 * S, 20],
      [30 * S, Number.POSITIVE_INFINITY],
      [40 * S, 30],
    ];
    // Act
    const pairs = counterPairs(samples);
    // Assess
    expect(pairs).toEqual([
      { t1: 20 * S, durationMs: 20 * S, increase: 20 },
      { t1: 40 * S, durationMs: 20 * S, increase: 10 },
    ]);
    // MEAN over one bucket = (20 + 10) / 40 s = 0.75
    expect(values(counterBuckets(samples, bucketGrid(0, MIN, MIN), MIN, 'MEAN'))).toEqual([0.75]);
  });

  it('sorts samples and keeps the first of two with the same timestamp', () => {
    // Prepare
    const samples: Sample[] = [
      [20 * S, 20],
      [0, 0],
      [20 * S, 999],
      [30 * S, 25],
    ];
    // Act
    const pairs = counterPairs(samples);
    // Assess: (0,0)→(20 s,20): +20; (20 s,20)→(30 s,25): +5
    expect(pairs).toEqual([
      { t1: 20 * S, durationMs: 20 * S, increase: 20 },
      { t1: 30 * S, durationMs: 10 * S, increase: 5 },
    ]);
  });

  it('gives no pair for fewer than two samples', () => {
    // Prepare / Act / Assess
    expect(counterPairs([])).toEqual([]);
    expect(counterPairs([[0, 1]])).toEqual([]);
    expect(counterBuckets([[0, 1]], bucketGrid(0, MIN, MIN), MIN, 'MEAN')).toEqual([]);
    expect(counterBuckets([[0, 1]], bucketGrid(0, MIN, MIN), MIN, 'SUM')).toEqual([[0, 0, MIN]]);
  });
});

describe('counterRawRates', () => {
  // Samples every 15 s: (0, 0), (15 s, 15), (30 s, 45), (45 s, 45)
  // pairs 15 s: 15 / 15 s = 1; 30 s: 30 / 15 s = 2; 45 s: 0 / 15 s = 0
  const samples: Sample[] = [
    [0, 0],
    [15 * S, 15],
    [30 * S, 45],
    [45 * S, 45],
  ];

  it('gives the rate of every pair at the start of its 1 s window', () => {
    // Prepare (above) / Act
    const points = counterRawRates(samples, 0, MIN, S);
    // Assess: windows without a pair are left out
    expect(points).toEqual([
      [1, 15 * S],
      [2, 30 * S],
      [0, 45 * S],
    ]);
  });

  it('gives the MEAN rate of each window on a coarser step', () => {
    // Prepare (above) / Act
    const points = counterRawRates(samples, 0, MIN, 30 * S);
    // Assess: [0,30 s): 15 / 15 s = 1; [30 s,60 s): (30 + 0) / (15 + 15) s = 1
    expect(points).toEqual([
      [1, 0],
      [1, 30 * S],
    ]);
  });
});

describe('rawCounterStep', () => {
  it('keeps 1 s for an hour', () => {
    // Prepare / Act / Assess: 3,600 windows ≤ 11,000
    expect(rawCounterStep(0, 3_600_000, 11_000)).toBe(1000);
  });

  it('picks 10 s for a day', () => {
    // Prepare: 86,400 s: 1 s → 86,400; 2 s → 43,200; 5 s → 17,280 windows (too many); 10 s → 8,640
    // Act / Assess
    expect(rawCounterStep(0, 86_400_000, 11_000)).toBe(10_000);
  });

  it('picks 1 h for a year', () => {
    // Prepare: 365 d = 8,760 h ≤ 11,000; 30 m → 17,520 windows (too many)
    const start = 1_735_689_600_000;
    // Act / Assess
    expect(rawCounterStep(start, start + 365 * 86_400_000)).toBe(3_600_000);
  });

  it('counts the extra window of an unaligned range', () => {
    // Prepare: [1 ms, 3,600,001 ms) touches 1 s windows 0 … 3,600 = 3,601 > 3,600;
    // 2 s windows 0 … 1,800 = 1,801
    // Act / Assess
    expect(rawCounterStep(1, 3_600_001, 3_600)).toBe(2000);
  });

  it('uses whole days past the ladder', () => {
    // Prepare: 36,500 days at 1 d → 36,500 windows > 11,000; ⌈36,500 / 10,999⌉ = ⌈3.32⌉ = 4 days
    // Act / Assess
    expect(rawCounterStep(0, 36_500 * 86_400_000)).toBe(4 * 86_400_000);
    expect(bucketGrid(0, 36_500 * 86_400_000, 4 * 86_400_000).count).toBeLessThanOrEqual(11_000);
  });

  it('refuses fewer than 2 points with a typed error', () => {
    // Prepare / Act / Assess
    expect(() => rawCounterStep(0, 1000, 1)).toThrow(InvalidRequestError);
  });
});
