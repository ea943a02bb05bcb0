import { describe, expect, it } from 'vitest';
import { counterMetrics, previousSampleLookback } from '../../../lambda/app/metrics/counter.js';
import type { MetricsQuery } from '../../../lambda/protocol/requests.js';
import { queriesTo, storeDouble, type StoredSeries } from './store-double.js';

const MIN = 60_000;
const T0 = 28_333_333 * MIN;
const SELECTOR = 'requests_total{job="a"}';

/** A counter sampled every 15 s from a minute before T0: +15 a sample (1/s), reset to 0 at T0 + 90 s, then +30 a sample (2/s). */
function counter(): StoredSeries {
  const samples: [number, number][] = [];
  let value = 100;
  for (let t = T0 - MIN; t < T0 + 3 * MIN; t += 15_000) {
    if (t === T0 + 90_000) value = 0;
    else if (t > T0 + 90_000) value += 30;
    else if (t > T0 - MIN) value += 15;
    samples.push([t, value]);
  }
  return { labels: { __name__: 'requests_total', job: 'a' }, samples };
}

function query(fields: Partial<MetricsQuery>): MetricsQuery {
  return { _type: 'MetricsQuery', conditions: [], startTime: T0, endTime: T0 + 3 * MIN, ...fields };
}

describe('counterMetrics (offline, against a store double)', () => {
  it('reads raw samples only, from the lookback before the first bucket in the same query; sends no rate(), no query_range, no index call', async () => {
    // Prepare
    const { client, sent } = storeDouble({ stored: [counter()] });

    // Act
    await counterMetrics(client, SELECTOR, query({ aggregation: { method: 'MEAN', bucketSizeMillis: MIN } }), 'ZERO');

    // Assess
    const lookback = previousSampleLookback(MIN);
    const first = sent.find((call) => call.endpoint === 'query');
    const rangeMs = Number(/\[(\d+)ms\]$/.exec(first?.params.get('query') ?? '')?.[1]);
    const evaluatedMs = Math.round(Number(first?.params.get('time')) * 1000);
    expect(evaluatedMs + 1 - rangeMs).toBe(T0 - lookback); // the carry-in's lookback and the first piece, one query
    expect(sent.map((call) => call.endpoint)).toEqual(['query']);
    expect(queriesTo(sent, 'query_range')).toEqual([]);
    expect(queriesTo(sent, 'query').every((q) => q.startsWith(`${SELECTOR}[`) && !q.includes('rate('))).toBe(true);
  });

  it('answers per-second rates per bucket, a reset counted from zero (MEAN)', async () => {
    // Prepare
    const { client } = storeDouble({ stored: [counter()] });

    // Act
    const answer = await counterMetrics(client, SELECTOR, query({ aggregation: { method: 'MEAN', bucketSizeMillis: MIN } }), 'ZERO');

    // Assess: minute 1 holds 1/s pairs then the reset pair (0 over 15 s) and a 2/s pair
    expect(answer.telemetry).toMatchObject({
      _type: 'AggregatedMetricTelemetry',
      isPartial: false,
      points: [
        [1, T0, T0 + MIN],
        [(15 + 15 + 0 + 30) / 60, T0 + MIN, T0 + 2 * MIN],
        [2, T0 + 2 * MIN, T0 + 3 * MIN],
      ],
    });
  });

  it('sums the pair rates of a bucket with SUM', async () => {
    // Prepare
    const { client } = storeDouble({ stored: [counter()] });

    // Act
    const answer = await counterMetrics(client, SELECTOR, query({ aggregation: { method: 'SUM', bucketSizeMillis: MIN } }), 'ZERO');

    // Assess: four pairs a minute
    expect(answer.telemetry.points.map((point) => point[0])).toEqual([4, 1 + 1 + 0 + 2, 8]);
  });

  it('answers raw rates [value, timestamp] within the range', async () => {
    // Prepare
    const { client } = storeDouble({ stored: [counter()] });

    // Act
    const answer = await counterMetrics(client, SELECTOR, query({ endTime: T0 + MIN }), 'ZERO');

    // Assess
    expect(answer.telemetry._type).toBe('RawMetricTelemetry');
    const values = answer.telemetry.points.map((point) => point[0]);
    expect(values.length).toBeGreaterThan(0);
    expect(new Set(values)).toEqual(new Set([1]));
    expect(answer.telemetry.points.every(([, t]) => t >= T0 && t < T0 + MIN)).toBe(true);
  });
});
