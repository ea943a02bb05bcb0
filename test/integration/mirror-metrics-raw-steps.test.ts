import { describe, expect, inject, it } from 'vitest';
import { ARCHIVE_END, ARCHIVE_START, DENSE_END, METRIC, MINUTE, T0, seriesOf } from '../fixtures/dataset.js';
import { PATH, counter, gauge, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import { aggregateCounter } from '../support/reference/aggregate.js';
import { firstDifference } from '../support/reference/compare.js';

const url = inject('prometheusUrl');
const ask = (query: MetricsQueryInput) => invokeMirror(PATH.metric, metricsRequest(url, query));
const LOOKBACK = 5 * MINUTE;

describe('raw answers on a regular step', () => {
  it('a raw gauge with more than 11,000 stored samples answers the last stored value at a regular whole-second step', async () => {
    // Prepare: 60 days at 5 minutes = 17,280 stored samples, no limit
    const series = seriesOf(METRIC.archive, { volume: 'archive' });
    const query = { conditions: gauge(METRIC.archive, { volume: 'archive' }), startTime: ARCHIVE_START, endTime: ARCHIVE_END };

    // Act
    const answer = await ask(query);

    // Assess: a regular step of whole seconds, at most 11,000 points, covering the range, not partial
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    const points = answer.json.telemetry.points as [number, number][];
    expect(answer.json.telemetry.isPartial).toBe(false);
    expect(points.length).toBeLessThanOrEqual(11_000);
    expect(points.length).toBeGreaterThan(10_000);
    const step = (points[1] as [number, number])[1] - (points[0] as [number, number])[1];
    expect(step % 1000).toBe(0);
    expect(points.every(([, t], i) => i === 0 || t - (points[i - 1] as [number, number])[1] === step)).toBe(true);
    expect((points[0] as [number, number])[1]).toBeGreaterThanOrEqual(query.startTime);
    expect((points.at(-1) as [number, number])[1]).toBeLessThan(query.endTime);
    // each value is the newest stored sample at or before the point, within Prometheus' 5-minute lookback
    let next = 0; // walks the stored samples forward as the points advance
    const expected = points.map(([, t]): [number, number] => {
      while (next < series.samples.length && (series.samples[next] as readonly [number, number])[0] <= t) next++;
      const newest = series.samples[next - 1];
      return [newest && t - newest[0] <= LOOKBACK ? newest[1] : Number.NaN, t];
    });
    expect(firstDifference(points, expected)).toBeUndefined();
  });

  it('a raw counter is its exact MEAN rate in windows of the documented step (6 h → 2 s), labelled with the window start', async () => {
    // Prepare: 6 h needs 21,600 one-second windows (> 11,000), so the step is 2 s (the ladder 1 s, 2 s, 5 s, …)
    const series = seriesOf(METRIC.requests, { method: 'GET' });
    const query = { conditions: counter(METRIC.requests, { method: 'GET' }), startTime: T0, endTime: DENSE_END };
    const expected = aggregateCounter(series.samples, { startTime: T0, endTime: DENSE_END, bucketSizeMillis: 2000, method: 'MEAN' }).map(
      ([v, s]): [number, number] => [v, s],
    );

    // Act
    const answer = await ask(query);

    // Assess
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    expect(expected.length).toBeGreaterThan(100);
    expect(firstDifference(answer.json.telemetry.points, expected)).toBeUndefined();
  });
});
