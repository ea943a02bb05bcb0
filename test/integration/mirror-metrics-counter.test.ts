import { describe, expect, inject, it } from 'vitest';
import { DATASET, FACTS, HOUR, METRIC, MINUTE, SECOND, T0, seriesOf } from '../fixtures/dataset.js';
import { PATH, counter, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import { METHODS, type NanInterpretation } from '../support/reference/aggregate.js';
import { expectAggregated } from '../support/reference/compare.js';
import { expectedAggregated } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');

async function ask(query: MetricsQueryInput, nan?: NanInterpretation) {
  return invokeMirror(PATH.metric, metricsRequest(url, query, nan ? { nan_interpretation: nan } : {}));
}

describe('aggregated counters', () => {
  const get = counter(METRIC.requests, { method: 'GET', code: '200' });

  it.each(METHODS)('%s of the rate over 1-minute buckets across a reset matches the reference', async (method) => {
    // Prepare: unaligned range around the reset of the GET series
    const query = {
      conditions: get,
      startTime: FACTS.requests.resetTime - 17 * MINUTE - 7250,
      endTime: FACTS.requests.resetTime + 23 * MINUTE + 30 * SECOND,
      aggregation: { method, bucketSizeMillis: MINUTE },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect(expected.points.length).toBeGreaterThan(35);
    expectAggregated(answer, expected);
  });

  it('counts a reset as an increase to the new value, never as a negative or huge one', async () => {
    // Prepare: a 15-second bucket that holds only the pair ending at the reset (… → 3)
    const s = FACTS.requests.resetTime;
    const query = {
      conditions: get,
      startTime: s,
      endTime: s + 15 * SECOND,
      aggregation: { method: 'MEAN' as const, bucketSizeMillis: 15 * SECOND },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess: increase 3 over 15 s
    expect(expected.points).toEqual([[0.2, s, s + 15 * SECOND]]);
    expectAggregated(answer, expected);
  });

  it.each(METHODS)('%s over 5-minute buckets of a counter with NaN, unaligned samples and a reset on a boundary', async (method) => {
    // Prepare
    const query = {
      conditions: counter(METRIC.jobs, { queue: 'default' }),
      startTime: T0 + 31 * MINUTE + 7250,
      endTime: T0 + 2 * HOUR + 2 * MINUTE,
      aggregation: { method, bucketSizeMillis: 5 * MINUTE },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const zero = await ask(query, 'ZERO');
    const none = await ask(query, 'NONE');

    // Assess
    expect(expected.points.length).toBeGreaterThan(15);
    expectAggregated(zero, expected);
    expectAggregated(none, expectedAggregated(DATASET, query, 'NONE'));
  });

  it.each(['MEAN', 'SUM', 'EVENT_COUNT'] as const)(
    '%s over 20-minute buckets puts the pair that ends on the reset boundary into the later bucket',
    async (method) => {
      // Prepare: the reset sample sits exactly at the start of a 20-minute bucket
      const query = {
        conditions: counter(METRIC.jobs, { queue: 'default' }),
        startTime: FACTS.jobs.resetTime - 40 * MINUTE,
        endTime: FACTS.jobs.resetTime + 40 * MINUTE,
        aggregation: { method, bucketSizeMillis: 20 * MINUTE },
      };
      const expected = expectedAggregated(DATASET, query);

      // Act
      const answer = await ask(query);

      // Assess
      expect(FACTS.jobs.resetTime % (20 * MINUTE)).toBe(0);
      expectAggregated(answer, expected);
    },
  );

  it.each(['MEAN', 'SUM', 'SUM_NO_ZEROS', 'EVENT_COUNT', 'EVENT_COUNT_NO_ZEROS', 'MAX'] as const)(
    '%s of a series that starts mid-range fills or omits the buckets before it',
    async (method) => {
      // Prepare
      const query = {
        conditions: counter(METRIC.requests, { method: 'POST' }),
        startTime: T0 + HOUR + 3 * MINUTE,
        endTime: T0 + 3 * HOUR,
        aggregation: { method, bucketSizeMillis: 10 * MINUTE },
      };
      const expected = expectedAggregated(DATASET, query);

      // Act
      const answer = await ask(query);

      // Assess
      expect(seriesOf(METRIC.requests, { method: 'POST' }).samples[0]?.[0]).toBe(FACTS.requests.postStart);
      expectAggregated(answer, expected);
    },
  );
});
