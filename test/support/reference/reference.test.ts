import { describe, expect, it } from 'vitest';
import { aggregateCounter, aggregateGauge, reportable } from './aggregate.js';
import { bucketStarts } from './buckets.js';
import { classicQuantile } from './histogram.js';
import { rawGauge } from './raw.js';
import { differingLabels, textMatches } from './select.js';
import { max, min, quantile } from './statistics.js';
import type { DatasetSeries, Sample } from '../../fixtures/dataset.js';

const NaN_ = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

describe('the reference bucket grid', () => {
  it('lists every epoch-aligned bucket that overlaps the half-open range', () => {
    // Act / Assess
    expect(bucketStarts(61_000, 181_000, 60_000)).toEqual([60_000, 120_000, 180_000]);
    expect(bucketStarts(60_000, 180_000, 60_000)).toEqual([60_000, 120_000]);
    expect(bucketStarts(60_000, 60_000, 60_000)).toEqual([]);
  });
});

describe('the reference histogram quantile', () => {
  const bounds = [0.1, 0.25, 0.5, 1, INF];

  it('interpolates inside the bucket that holds rank φ·total, the first from 0', () => {
    // Act / Assess
    expect(classicQuantile(0.9, bounds, [10, 15, 17, 19, 20])).toBe(0.75);
    expect(classicQuantile(0.9, bounds, [4, 10, 14, 19, 20])).toBeCloseTo(0.9, 12);
    expect(classicQuantile(0.9, bounds, [12, 17, 19, 20, 20])).toBe(0.375);
    expect(classicQuantile(0.5, bounds, [20, 20, 20, 20, 20])).toBe(0.05);
  });

  it('answers the highest finite bound for a rank in +Inf and NaN without observations', () => {
    // Act / Assess
    expect(classicQuantile(0.99, bounds, [1, 2, 3, 4, 10])).toBe(1);
    expect(classicQuantile(0.5, bounds, [0, 0, 0, 0, 0])).toBeNaN();
    expect(() => classicQuantile(0.5, [0.1, 1], [1, 2])).toThrow(/\+Inf/);
  });
});

describe('the reference statistics', () => {
  it('interpolates percentiles at rank φ·(n−1) like quantile_over_time', () => {
    // Act / Assess
    expect(quantile(0.5, [1, 2, INF, 3])).toBe(2.5);
    expect(quantile(0.25, [4, 1, 3, 2])).toBeCloseTo(1.75, 12);
    expect(quantile(0.99, [10])).toBe(10);
  });

  it('sorts NaN first and lets Inf·0 give NaN, as Prometheus 2 does', () => {
    // Act / Assess
    expect(quantile(0.2, [1, 2, INF, 3, NaN_, 5])).toBe(1);
    expect(quantile(0.1, [1, 2, NaN_, 5])).toBeNaN();
    expect(quantile(0.5, [2, INF, 3])).toBeNaN();
  });

  it('skips NaN in min and max unless every value is NaN', () => {
    // Act / Assess
    expect(min([NaN_, 3, 1])).toBe(1);
    expect(max([NaN_, 3, 1])).toBe(3);
    expect(min([NaN_, NaN_])).toBeNaN();
    expect(max([2, INF])).toBe(INF);
  });
});

describe('the reference gauge aggregation', () => {
  const samples: Sample[] = [
    [0, 1],
    [30_000, 3],
    [60_000, 5],
    [119_999, 7],
    [120_000, NaN_],
    [240_000, INF],
    [250_000, 1],
  ];

  it('puts a sample on a boundary into the bucket it starts, and covers whole buckets', () => {
    // Act
    const points = aggregateGauge(samples, { startTime: 10_000, endTime: 125_000, bucketSizeMillis: 60_000, method: 'MEAN' });

    // Assess
    expect(points).toEqual([
      [2, 0, 60_000],
      [6, 60_000, 120_000],
      [0, 120_000, 180_000],
    ]);
  });

  it('drops a NaN bucket under NONE and an infinite one always', () => {
    // Act
    const none = aggregateGauge(samples, { startTime: 0, endTime: 300_000, bucketSizeMillis: 60_000, method: 'MAX', nan: 'NONE' });
    const zero = aggregateGauge(samples, { startTime: 0, endTime: 300_000, bucketSizeMillis: 60_000, method: 'MIN' });

    // Assess
    expect(none).toEqual([
      [3, 0, 60_000],
      [7, 60_000, 120_000],
    ]);
    expect(zero).toEqual([
      [1, 0, 60_000],
      [5, 60_000, 120_000],
      [0, 120_000, 180_000],
      [1, 240_000, 300_000],
    ]);
  });

  it('fills empty buckets with 0 for SUM and the counts only', () => {
    // Prepare
    const window = { startTime: 0, endTime: 240_000, bucketSizeMillis: 60_000 };

    // Act
    const sum = aggregateGauge(samples, { ...window, method: 'SUM' });
    const count = aggregateGauge(samples, { ...window, method: 'EVENT_COUNT' });
    const sumNoZeros = aggregateGauge(samples, { ...window, method: 'SUM_NO_ZEROS' });
    const countNoZeros = aggregateGauge(samples, { ...window, method: 'EVENT_COUNT_NO_ZEROS' });

    // Assess
    expect(sum).toEqual([
      [4, 0, 60_000],
      [12, 60_000, 120_000],
      [0, 120_000, 180_000],
      [0, 180_000, 240_000],
    ]);
    expect(count.map(([v]) => v)).toEqual([2, 2, 1, 0]);
    expect(sumNoZeros.map(([, s]) => s)).toEqual([0, 60_000, 120_000]);
    expect(countNoZeros.map(([v]) => v)).toEqual([2, 2, 1]);
  });
});

describe('the reference counter aggregation', () => {
  const samples: Sample[] = [
    [0, 10],
    [15_000, 16],
    [60_000, 25],
    [75_000, 4],
    [90_000, NaN_],
    [105_000, 10],
  ];
  const window = { startTime: 0, endTime: 120_000, bucketSizeMillis: 60_000 };

  it('rates each pair in the bucket of its later sample, across resets and NaN samples', () => {
    // Act
    const mean = aggregateCounter(samples, { ...window, method: 'MEAN' });
    const maxRate = aggregateCounter(samples, { ...window, method: 'MAX' });
    const minRate = aggregateCounter(samples, { ...window, method: 'MIN' });
    const count = aggregateCounter(samples, { ...window, method: 'EVENT_COUNT' });

    // Assess
    expect(mean[0]).toEqual([0.4, 0, 60_000]);
    expect(mean[1]?.[0]).toBeCloseTo(19 / 90, 12);
    expect(maxRate[1]?.[0]).toBeCloseTo(4 / 15, 12);
    expect(minRate[1]?.[0]).toBeCloseTo(0.2, 12);
    expect(count.map(([v]) => v)).toEqual([1, 3]);
  });

  it('has no pair for the first sample of a series', () => {
    // Act
    const points = aggregateCounter([[60_000, 5]], { ...window, method: 'SUM' });

    // Assess
    expect(points).toEqual([
      [0, 0, 60_000],
      [0, 60_000, 120_000],
    ]);
  });
});

describe('the reference raw gauge', () => {
  it('returns stored samples in [start, end), maps NaN, drops Inf, and cuts the newest at the limit', () => {
    // Prepare
    const samples: Sample[] = [
      [1000, 1],
      [2000, NaN_],
      [3000, INF],
      [4000, 4],
      [5000, 5],
    ];

    // Act
    const all = rawGauge(samples, { startTime: 1000, endTime: 5000 });
    const none = rawGauge(samples, { startTime: 1000, endTime: 5001, nan: 'NONE' });
    const limited = rawGauge(samples, { startTime: 0, endTime: 6000, limit: 2 });
    const exact = rawGauge(samples, { startTime: 0, endTime: 6000, limit: 4 });

    // Assess
    expect(all).toEqual({
      points: [
        [1, 1000],
        [0, 2000],
        [4, 4000],
      ],
      isPartial: false,
    });
    expect(none.points).toEqual([
      [1, 1000],
      [4, 4000],
      [5, 5000],
    ]);
    expect(limited).toEqual({
      points: [
        [1, 1000],
        [0, 2000],
      ],
      isPartial: true,
    });
    expect(exact.isPartial).toBe(false);
  });

  it('reports NaN as 0 or nothing and never an infinity', () => {
    // Act / Assess
    expect(reportable(NaN_, 'ZERO')).toBe(0);
    expect(reportable(NaN_, 'NONE')).toBeUndefined();
    expect(reportable(-INF)).toBeUndefined();
    expect(reportable(-0.5)).toBe(-0.5);
  });
});

describe('the reference label matching', () => {
  it('matches numbers by the text a user sees, booleans by true/false, strings exactly', () => {
    // Act / Assess
    expect(textMatches('2', 2)).toBe(true);
    expect(textMatches('2.0', 2)).toBe(true);
    expect(textMatches('2.5', 2)).toBe(false);
    expect(textMatches('2', '2.0')).toBe(false);
    expect(textMatches('true', true)).toBe(true);
    expect(textMatches('True', true)).toBe(false);
    expect(textMatches('.*', 'anything')).toBe(false);
  });

  it('names the labels whose values differ between series', () => {
    // Prepare
    const series: DatasetSeries[] = [
      { name: 'm', kind: 'gauge' as const, labels: { a: '1', b: 'x', c: 'same' }, samples: [] },
      { name: 'm', kind: 'gauge' as const, labels: { a: '2', b: 'x', c: 'same' }, samples: [] },
      { name: 'm', kind: 'gauge' as const, labels: { a: '2', c: 'same' }, samples: [] },
    ];

    // Act / Assess
    expect(differingLabels(series)).toEqual(['a', 'b']);
  });
});
