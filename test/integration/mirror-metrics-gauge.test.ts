import { describe, expect, inject, it } from 'vitest';
import { DATASET, FACTS, HOUR, METRIC, MINUTE, SECOND, T0 } from '../fixtures/dataset.js';
import { PATH, gauge, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import { METHODS, type Method, type NanInterpretation } from '../support/reference/aggregate.js';
import { expectAggregated } from '../support/reference/compare.js';
import { expectedAggregated } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');

async function ask(query: MetricsQueryInput, nan?: NanInterpretation) {
  return invokeMirror(PATH.metric, metricsRequest(url, query, nan ? { nan_interpretation: nan } : {}));
}

describe('aggregated gauges', () => {
  const room = gauge(METRIC.room, { building: 'north', room: '101' });
  // unaligned on both ends: the first and last buckets reach outside the range
  const startTime = T0 + 7 * MINUTE + 13_250;
  const endTime = T0 + 2 * HOUR + 41 * MINUTE + 5 * SECOND;

  it.each(METHODS)('%s over 1-minute buckets of a clean gauge matches the reference', async (method) => {
    // Prepare
    const query = { conditions: room, startTime, endTime, aggregation: { method, bucketSizeMillis: MINUTE } };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect(expected.points.length).toBeGreaterThan(150);
    expectAggregated(answer, expected);
  });

  it.each(['MEAN', 'EVENT_COUNT', 'MAX'] as Method[])(
    '%s over 15-minute buckets counts a sample on a boundary once, in the bucket it starts',
    async (method) => {
      // Prepare: samples every 15 s, one exactly on every bucket start and end
      const query = {
        conditions: room,
        startTime: T0 + HOUR,
        endTime: T0 + 2 * HOUR,
        aggregation: { method, bucketSizeMillis: 15 * MINUTE },
      };
      const expected = expectedAggregated(DATASET, query);
      const counts = expectedAggregated(DATASET, { ...query, aggregation: { method: 'EVENT_COUNT', bucketSizeMillis: 15 * MINUTE } });

      // Act
      const answer = await ask(query);

      // Assess
      expect(counts.points.map(([v]) => v)).toEqual([60, 60, 60, 60]);
      expectAggregated(answer, expected);
    },
  );

  it.each([11 * MINUTE, 13 * SECOND, 90 * SECOND])(
    'MEAN over %i ms buckets aligns the buckets to the epoch, not to the range',
    async (bucketSizeMillis) => {
      // Prepare
      const query = { conditions: room, startTime, endTime: startTime + HOUR, aggregation: { method: 'MEAN' as const, bucketSizeMillis } };
      const expected = expectedAggregated(DATASET, query);

      // Act
      const answer = await ask(query);

      // Assess
      expect(expected.points.every(([, s]) => s % bucketSizeMillis === 0)).toBe(true);
      expectAggregated(answer, expected);
    },
  );
});

describe('aggregated gauges with NaN, +Inf, a gap and unaligned samples', () => {
  const probe = gauge(METRIC.probe, { probe: 'edge' });
  const cases = (['ZERO', 'NONE'] as NanInterpretation[]).flatMap((nan) => METHODS.map((method) => ({ method, nan })));

  it.each(cases)('$method over 1-minute buckets with nan_interpretation $nan matches the reference', async ({ method, nan }) => {
    // Prepare: covers the single NaNs, the all-NaN minute, the +Inf sample and the gap
    const query = {
      conditions: probe,
      startTime: T0 + 3 * MINUTE + 30 * SECOND,
      endTime: T0 + 2 * HOUR + 20 * MINUTE + 7250,
      aggregation: { method, bucketSizeMillis: MINUTE },
    };
    const expected = expectedAggregated(DATASET, query, nan);

    // Act
    const answer = await ask(query, nan);

    // Assess
    expect(expected.points.length).toBeGreaterThan(50);
    expectAggregated(answer, expected);
  });

  it.each(cases)('$method over 20-minute buckets with nan_interpretation $nan matches the reference', async ({ method, nan }) => {
    // Prepare
    const query = {
      conditions: probe,
      startTime: T0,
      endTime: FACTS.probe.end,
      aggregation: { method, bucketSizeMillis: 20 * MINUTE },
    };
    const expected = expectedAggregated(DATASET, query, nan);

    // Act
    const answer = await ask(query, nan);

    // Assess
    expectAggregated(answer, expected);
  });

  it('leaves the bucket of the +Inf sample out of MEAN and MAX but keeps it for MIN', async () => {
    // Prepare
    const bucket = Math.floor(FACTS.probe.infTime / MINUTE) * MINUTE;
    const window = { conditions: probe, startTime: bucket, endTime: bucket + MINUTE };

    // Act
    const mean = await ask({ ...window, aggregation: { method: 'MEAN', bucketSizeMillis: MINUTE } });
    const max = await ask({ ...window, aggregation: { method: 'MAX', bucketSizeMillis: MINUTE } });
    const min = await ask({ ...window, aggregation: { method: 'MIN', bucketSizeMillis: MINUTE } });

    // Assess
    expectAggregated(mean, { points: [], isPartial: false });
    expectAggregated(max, { points: [], isPartial: false });
    expectAggregated(min, expectedAggregated(DATASET, { ...window, aggregation: { method: 'MIN', bucketSizeMillis: MINUTE } }));
    expect(min.json?.telemetry?.points).toHaveLength(1);
  });

  it('reports the all-NaN minute as 0 under ZERO and leaves it out under NONE', async () => {
    // Prepare
    const s = FACTS.probe.allNaNMinute;
    const query = {
      conditions: probe,
      startTime: s,
      endTime: s + MINUTE,
      aggregation: { method: 'MAX' as const, bucketSizeMillis: MINUTE },
    };

    // Act
    const zero = await ask(query, 'ZERO');
    const none = await ask(query, 'NONE');

    // Assess
    expectAggregated(zero, { points: [[0, s, s + MINUTE]], isPartial: false });
    expectAggregated(none, { points: [], isPartial: false });
  });

  it('fills the buckets of the gap with 0 for SUM and leaves them out for SUM_NO_ZEROS', async () => {
    // Prepare
    const { from, to } = FACTS.probe.gap;
    const window = { conditions: probe, startTime: from - 5 * MINUTE, endTime: to + 5 * MINUTE };

    // Act
    const sum = await ask({ ...window, aggregation: { method: 'SUM', bucketSizeMillis: 5 * MINUTE } });
    const noZeros = await ask({ ...window, aggregation: { method: 'SUM_NO_ZEROS', bucketSizeMillis: 5 * MINUTE } });

    // Assess
    const sumPoints = sum.json?.telemetry?.points as [number, number, number][] | undefined;
    expect(sumPoints?.filter(([, s]) => s >= from && s < to).map(([v]) => v)).toEqual([0, 0, 0, 0]);
    expect(noZeros.json?.telemetry?.points).toHaveLength(2);
    expectAggregated(sum, expectedAggregated(DATASET, { ...window, aggregation: { method: 'SUM', bucketSizeMillis: 5 * MINUTE } }));
  });
});

describe('aggregated answers and limit', () => {
  it('keeps the oldest buckets up to the limit and says isPartial only when it cut', async () => {
    // Prepare
    const base = {
      conditions: gauge(METRIC.room, { building: 'south', room: '101' }),
      startTime: T0,
      endTime: T0 + HOUR,
      aggregation: { method: 'MEAN' as const, bucketSizeMillis: 5 * MINUTE },
    };

    // Act
    const cut = await ask({ ...base, limit: 5 });
    const exact = await ask({ ...base, limit: 12 });

    // Assess
    expectAggregated(cut, expectedAggregated(DATASET, { ...base, limit: 5 }));
    expect(cut.json?.telemetry?.isPartial).toBe(true);
    expectAggregated(exact, expectedAggregated(DATASET, { ...base, limit: 12 }));
    expect(exact.json?.telemetry?.isPartial).toBe(false);
  });
});
