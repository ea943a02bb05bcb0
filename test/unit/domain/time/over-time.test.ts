import { describe, expect, it } from 'vitest';
import { expressionBucketExpr, fillBuckets, gaugeBucketExpr, subqueryResolutionMs } from '../../../../lambda/domain/time/over-time.js';
import { aggregationRule } from '../../../../lambda/domain/time/aggregations.js';
import { bucketGrid } from '../../../../lambda/domain/time/buckets.js';
import type { AggregationMethod } from '../../../../lambda/protocol/requests.js';
import type { Sample } from '../../../../lambda/upstream/prometheus-client.js';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';

const MIN = 60_000;

describe('aggregationRule (over time)', () => {
  it('maps every method to its over-time function and empty-bucket rule', () => {
    // Prepare
    const expected: Record<AggregationMethod, [string, number | undefined, 'zero' | 'omit']> = {
      MEAN: ['avg_over_time', undefined, 'omit'],
      MIN: ['min_over_time', undefined, 'omit'],
      MAX: ['max_over_time', undefined, 'omit'],
      SUM: ['sum_over_time', undefined, 'zero'],
      SUM_NO_ZEROS: ['sum_over_time', undefined, 'omit'],
      EVENT_COUNT: ['count_over_time', undefined, 'zero'],
      VALUE_COUNT: ['count_over_time', undefined, 'zero'],
      EVENT_COUNT_NO_ZEROS: ['count_over_time', undefined, 'omit'],
      PERCENTILE_25: ['quantile_over_time', 0.25, 'omit'],
      PERCENTILE_50: ['quantile_over_time', 0.5, 'omit'],
      PERCENTILE_75: ['quantile_over_time', 0.75, 'omit'],
      PERCENTILE_90: ['quantile_over_time', 0.9, 'omit'],
      PERCENTILE_95: ['quantile_over_time', 0.95, 'omit'],
      PERCENTILE_98: ['quantile_over_time', 0.98, 'omit'],
      PERCENTILE_99: ['quantile_over_time', 0.99, 'omit'],
    };
    for (const [method, [fn, quantile, emptyBucket]] of Object.entries(expected)) {
      // Act
      const rule = aggregationRule(method as AggregationMethod);
      const result = { fn: rule.promql, quantile: rule.quantile, emptyBucket: rule.emptyBucket };
      // Assess
      expect(result).toEqual(quantile === undefined ? { fn, emptyBucket } : { fn, quantile, emptyBucket });
    }
  });

  it('refuses an unknown method with a typed error', () => {
    // Prepare / Act / Assess
    expect(() => aggregationRule('MEDIAN' as AggregationMethod)).toThrow(InvalidRequestError);
    expect(() => aggregationRule('toString' as AggregationMethod)).toThrow(InvalidRequestError);
  });
});

describe('gaugeBucketExpr', () => {
  it('wraps the selector in the over-time function with the bucket window', () => {
    // Prepare / Act / Assess
    expect(gaugeBucketExpr('cpu{job="a"}', 'MEAN', MIN, 'closed')).toBe('avg_over_time(cpu{job="a"}[59999ms] offset 1ms)');
    expect(gaugeBucketExpr('cpu', 'EVENT_COUNT', MIN, 'left-open')).toBe('count_over_time(cpu[1m] offset 1ms)');
  });

  it('passes the percentile as the first argument of quantile_over_time', () => {
    // Prepare / Act / Assess
    expect(gaugeBucketExpr('cpu', 'PERCENTILE_90', MIN, 'left-open')).toBe('quantile_over_time(0.9, cpu[1m] offset 1ms)');
    expect(gaugeBucketExpr('cpu', 'PERCENTILE_25', 3_600_000, 'closed')).toBe('quantile_over_time(0.25, cpu[3599999ms] offset 1ms)');
  });
});

describe('subqueryResolutionMs', () => {
  it('aims at 60 points per bucket in whole seconds, between 1 s and B', () => {
    // Prepare / Act / Assess
    expect(subqueryResolutionMs(60_000)).toBe(1_000); // 60 s / 60 = 1 s
    expect(subqueryResolutionMs(300_000)).toBe(5_000); // 300 s / 60 = 5 s
    expect(subqueryResolutionMs(3_600_000)).toBe(60_000); // 3,600 s / 60 = 60 s
    expect(subqueryResolutionMs(90_000)).toBe(2_000); // 90 s / 60 = 1.5 s → up to 2 s
    expect(subqueryResolutionMs(10_000)).toBe(1_000); // 10 s / 60 = 0.17 s → at least 1 s
    expect(subqueryResolutionMs(500)).toBe(500); // at least 1 s, but at most B = 0.5 s
  });
});

describe('expressionBucketExpr', () => {
  it('aggregates the expression with a subquery over the bucket window', () => {
    // Prepare: B = 5 m → closed RANGE 299,999 ms, resolution 300 s / 60 = 5 s
    // Act
    const closed = expressionBucketExpr('sum(rate(x[5m]))', 'MAX', 300_000, 'closed');
    const open = expressionBucketExpr(' sum(rate(x[5m])) ', 'PERCENTILE_50', 300_000, 'left-open');
    // Assess
    expect(closed).toBe('max_over_time((sum(rate(x[5m])))[299999ms:5s] offset 1ms)');
    expect(open).toBe('quantile_over_time(0.5, (sum(rate(x[5m])))[5m:5s] offset 1ms)');
  });

  it('closes a trailing comment with a newline so the parenthesis still counts', () => {
    // Prepare / Act
    const text = expressionBucketExpr('up # the targets', 'MEAN', MIN, 'left-open');
    // Assess
    expect(text).toBe('avg_over_time((up # the targets\n)[1m:1s] offset 1ms)');
  });

  it('refuses an empty expression with a typed error', () => {
    // Prepare / Act / Assess
    expect(() => expressionBucketExpr('  ', 'MEAN', MIN, 'closed')).toThrow(InvalidRequestError);
  });
});

describe('fillBuckets', () => {
  // Grid [60 s, 300 s): buckets [60,120) [120,180) [180,240) [240,300), ends 120, 180, 240, 300 s
  const grid = bucketGrid(90_000, 290_000, MIN);
  // query_range answered at the ends 120 s and 240 s only
  const points: Sample[] = [
    [120_000, 1.5],
    [240_000, 2.5],
  ];

  it('labels each point with the bucket that ends at its timestamp and omits empty buckets for MEAN', () => {
    // Prepare (above) / Act
    const result = fillBuckets(points, grid, MIN, 'MEAN');
    // Assess: the point at 120 s is the bucket [60 s, 120 s)
    expect(result).toEqual([
      [1.5, 60_000, 120_000],
      [2.5, 180_000, 240_000],
    ]);
  });

  it('fills empty buckets with 0 for SUM, EVENT_COUNT and VALUE_COUNT', () => {
    // Prepare
    const filled = [
      [1.5, 60_000, 120_000],
      [0, 120_000, 180_000],
      [2.5, 180_000, 240_000],
      [0, 240_000, 300_000],
    ];
    for (const method of ['SUM', 'EVENT_COUNT', 'VALUE_COUNT'] as const) {
      // Act
      const result = fillBuckets(points, grid, MIN, method);
      // Assess
      expect(result).toEqual(filled);
    }
  });

  it('omits empty buckets for SUM_NO_ZEROS, EVENT_COUNT_NO_ZEROS, MIN, MAX and percentiles', () => {
    // Prepare
    for (const method of ['SUM_NO_ZEROS', 'EVENT_COUNT_NO_ZEROS', 'MIN', 'MAX', 'PERCENTILE_99'] as const) {
      // Act
      const result = fillBuckets(points, grid, MIN, method);
      // Assess
      expect(result).toHaveLength(2);
    }
  });

  it('ignores points off the grid or between bucket ends, keeps NaN and sorts the answer', () => {
    // Prepare: 60 s is the end of [0, 60 s), outside the grid; 150 s is no bucket end; 360 s is past the grid
    const messy: Sample[] = [
      [240_000, Number.NaN],
      [60_000, 9],
      [150_000, 9],
      [360_000, 9],
      [120_000, 1],
      [120_000, 7],
    ];
    // Act
    const result = fillBuckets(messy, grid, MIN, 'MAX');
    // Assess: the first of two points at 120 s wins
    expect(result).toEqual([
      [1, 60_000, 120_000],
      [Number.NaN, 180_000, 240_000],
    ]);
  });

  it('returns nothing for an empty grid, even for SUM', () => {
    // Prepare
    const empty = bucketGrid(90_000, 90_000, MIN);
    // Act / Assess
    expect(fillBuckets(points, empty, MIN, 'SUM')).toEqual([]);
  });
});
