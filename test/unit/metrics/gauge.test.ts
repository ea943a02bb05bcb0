import { describe, expect, it } from 'vitest';
import { gaugeMetrics } from '../../../lambda/app/metrics/gauge.js';
import { MetricNotFoundError } from '../../../lambda/errors.js';
import type { MetricsQuery } from '../../../lambda/protocol/requests.js';
import { queriesTo, storeDouble, type StoredSeries } from './store-double.js';

const MIN = 60_000;
/** A minute boundary, so buckets of a minute start on it. */
const T0 = 28_333_333 * MIN;
const SELECTOR = 'cpu{job="a"}';
const CPU: StoredSeries = {
  labels: { __name__: 'cpu', job: 'a' },
  samples: [
    [T0 + 15_000, 1],
    [T0 + 45_000, 2],
    [T0 + 75_000, 3],
    [T0 + 150_000, 4],
  ],
};

function query(fields: Partial<MetricsQuery>): MetricsQuery {
  return { _type: 'MetricsQuery', conditions: [], startTime: T0, endTime: T0 + 3 * MIN, ...fields };
}

describe('gaugeMetrics (offline, against a store double)', () => {
  it('asks for max_over_time over each bucket at the bucket ends, with the closed engine window', async () => {
    // Prepare: the double answers query_range with the bucket number × 10 at each evaluation
    const { client, sent } = storeDouble({
      stored: [CPU],
      queryRange: (_expr, start, end, step) => [
        {
          labels: CPU.labels,
          samples: Array.from({ length: (end - start) / step + 1 }, (_, k) => [start + k * step, (k + 1) * 10] as [number, number]),
        },
      ],
    });

    // Act
    const answer = await gaugeMetrics(client, SELECTOR, query({ aggregation: { method: 'MAX', bucketSizeMillis: MIN } }), 'ZERO');

    // Assess
    expect(queriesTo(sent, 'query_range')).toEqual([`max_over_time(${SELECTOR}[59999ms] offset 1ms)`]);
    const range = sent.find((call) => call.endpoint === 'query_range')?.params;
    expect([range?.get('start'), range?.get('end'), range?.get('step')]).toEqual([
      String((T0 + MIN) / 1000),
      String((T0 + 3 * MIN) / 1000),
      '60',
    ]);
    expect(answer.telemetry).toMatchObject({
      _type: 'AggregatedMetricTelemetry',
      isPartial: false,
      points: [
        [10, T0, T0 + MIN],
        [20, T0 + MIN, T0 + 2 * MIN],
        [30, T0 + 2 * MIN, T0 + 3 * MIN],
      ],
    });
  });

  it('uses a whole-bucket window on a left-open engine (Prometheus 3)', async () => {
    // Prepare
    const { client, sent } = storeDouble({ stored: [CPU], engine: 'left-open' });

    // Act
    await gaugeMetrics(client, SELECTOR, query({ aggregation: { method: 'MEAN', bucketSizeMillis: MIN } }), 'ZERO');

    // Assess
    expect(queriesTo(sent, 'query_range')).toEqual([`avg_over_time(${SELECTOR}[1m] offset 1ms)`]);
  });

  it('answers raw points [value, timestamp] from the stored samples, read by one range selector', async () => {
    // Prepare
    const { client, sent } = storeDouble({ stored: [CPU] });

    // Act
    const answer = await gaugeMetrics(client, SELECTOR, query({}), 'ZERO');

    // Assess
    expect(queriesTo(sent, 'query')).toEqual([`${SELECTOR}[${3 * MIN}ms]`]);
    expect(answer.telemetry).toMatchObject({
      _type: 'RawMetricTelemetry',
      isPartial: false,
      points: CPU.samples.map(([t, v]) => [v, t]),
    });
  });

  it('keeps the oldest points within limit and says the answer is partial', async () => {
    // Prepare
    const { client } = storeDouble({ stored: [CPU] });

    // Act
    const answer = await gaugeMetrics(client, SELECTOR, query({ limit: 2 }), 'ZERO');

    // Assess
    expect(answer.telemetry).toMatchObject({
      isPartial: true,
      points: [
        [1, T0 + 15_000],
        [2, T0 + 45_000],
      ],
    });
  });

  it('asks the index only once the data came back empty: not found', async () => {
    // Prepare
    const { client, sent } = storeDouble({ stored: [] });

    // Act
    const outcome = await gaugeMetrics(client, SELECTOR, query({}), 'ZERO').catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(MetricNotFoundError);
    expect(sent.map((call) => call.endpoint)).toEqual(['query', 'series']);
  });
});
