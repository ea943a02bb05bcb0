import { describe, expect, inject, it } from 'vitest';
import { DENSE_END, FACTS, HOUR, METRIC, MINUTE, T0 } from '../fixtures/dataset.js';
import { PATH, cond, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import type { BucketPoint, Method } from '../support/reference/aggregate.js';
import { bucketStarts } from '../support/reference/buckets.js';
import { expectAggregated, expectError } from '../support/reference/compare.js';

const url = inject('prometheusUrl');
const EXPRESSION = `${METRIC.stepped}{unit="a"} * 2`;

async function ask(query: MetricsQueryInput) {
  return invokeMirror(PATH.metric, metricsRequest(url, query));
}

/** The doubled stepped level at time t: constant within each hour of the dense era. */
function levelAt(t: number): number {
  return 2 * (FACTS.stepped.hourValues[Math.floor((t - T0) / HOUR)] ?? Number.NaN);
}

/**
 * Expected buckets of the expression: the level is constant within each hour, so the mean,
 * min, max and percentiles of a bucket are those of the hours it spans, whatever step the
 * mirror evaluates the expression at inside the bucket.
 */
function expectedStepped(startTime: number, endTime: number, size: number, pick: (levels: number[]) => number): BucketPoint[] {
  return bucketStarts(startTime, endTime, size)
    .filter((s) => s >= T0 && s < DENSE_END)
    .map((s): BucketPoint => {
      const hours = new Set<number>();
      for (let t = s; t < s + size && t < DENSE_END; t += Math.min(size, HOUR)) hours.add(levelAt(t));
      return [pick([...hours]), s, s + size];
    });
}

describe('~ expressions', () => {
  const startTime = T0 + 20 * MINUTE;
  const endTime = T0 + 5 * HOUR + 10 * MINUTE;

  it.each(['MEAN', 'MIN', 'MAX', 'PERCENTILE_50', 'PERCENTILE_99'] as Method[])(
    '%s over 1-hour buckets aggregates the expression over time inside each bucket',
    async (method) => {
      // Prepare
      const query = { conditions: [cond('~', EXPRESSION)], startTime, endTime, aggregation: { method, bucketSizeMillis: HOUR } };

      // Act
      const answer = await ask(query);

      // Assess
      expectAggregated(answer, { points: expectedStepped(startTime, endTime, HOUR, ([v]) => v as number), isPartial: false });
    },
  );

  it.each(['MEAN', 'MAX'] as Method[])('%s over 20-minute buckets never mixes in the next hour', async (method) => {
    // Prepare
    const query = { conditions: [cond('~', EXPRESSION)], startTime, endTime, aggregation: { method, bucketSizeMillis: 20 * MINUTE } };

    // Act
    const answer = await ask(query);

    // Assess
    expectAggregated(answer, { points: expectedStepped(startTime, endTime, 20 * MINUTE, ([v]) => v as number), isPartial: false });
  });

  it.each([
    ['MIN', (levels: number[]) => Math.min(...levels)],
    ['MAX', (levels: number[]) => Math.max(...levels)],
  ] as const)('%s over 2-hour buckets spans both hours of each bucket', async (method, pick) => {
    // Prepare
    const query = {
      conditions: [cond('~', EXPRESSION)],
      startTime: T0,
      endTime: DENSE_END,
      aggregation: { method, bucketSizeMillis: 2 * HOUR },
    };

    // Act
    const answer = await ask(query);

    // Assess
    expectAggregated(answer, { points: expectedStepped(T0, DENSE_END, 2 * HOUR, pick), isPartial: false });
  });

  it('raw answers the expression at points inside the range, each with the value at its time', async () => {
    // Prepare: the range crosses the change from hour 0 to hour 1
    const query = { conditions: [cond('~', EXPRESSION)], startTime: T0 + 50 * MINUTE, endTime: T0 + HOUR + 10 * MINUTE };

    // Act
    const answer = await ask(query);

    // Assess
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    expect(answer.json?.telemetry?._type).toBe('RawMetricTelemetry');
    const points = answer.json?.telemetry?.points as [number, number][];
    expect(points.length).toBeGreaterThan(3);
    expect(points.filter(([v, t]) => v !== levelAt(t) || t < query.startTime || t >= query.endTime)).toEqual([]);
    expect(new Set(points.map(([v]) => v))).toEqual(new Set([levelAt(T0), levelAt(T0 + HOUR)]));
    expect(points.every(([, t], i) => i === 0 || t > (points[i - 1] as [number, number])[1])).toBe(true);
  });

  it('answers an expression that selects several series with an error naming the label that differs', async () => {
    // Act
    const answer = await ask({
      conditions: [cond('~', `${METRIC.room}{building="north"}`)],
      startTime: T0,
      endTime: T0 + HOUR,
      aggregation: { method: 'MEAN', bucketSizeMillis: 10 * MINUTE },
    });

    // Assess
    expect(answer.statusCode).toBeGreaterThanOrEqual(400);
    expect(answer.statusCode).toBeLessThan(500);
    expect(answer.body).toContain('room');
  });

  it('answers an expression that selects nothing with MetricNotFoundError', async () => {
    // Act
    const answer = await ask({ conditions: [cond('~', 'no_such_metric_anywhere * 2')], startTime: T0, endTime: T0 + HOUR });

    // Assess
    expectError(answer, 'MetricNotFoundError', 404);
  });

  it('answers a malformed expression with a 400 that says what is wrong', async () => {
    // Act
    const answer = await ask({ conditions: [cond('~', `sum(${METRIC.stepped}`)], startTime: T0, endTime: T0 + HOUR });

    // Assess
    expectError(answer, 'RemoteMirrorError', 400);
  });
});
