import { describe, expect, inject, it } from 'vitest';
import { HOUR, METRIC, MINUTE, T0 } from '../fixtures/dataset.js';
import { PATH, counter, gauge, metricsRequest } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';

const url = inject('prometheusUrl');

describe('__counter__ on a metric the store calls a gauge', () => {
  const now = Date.now();
  const range = { startTime: now - 10 * MINUTE, endTime: now, aggregation: { method: 'MEAN' as const, bucketSizeMillis: MINUTE } };

  it('is a 400 that says so and suggests __gauge__ (real metadata of the self-scrape)', async () => {
    // Act
    const answer = await invokeMirror(PATH.metric, metricsRequest(url, { conditions: counter('prometheus_tsdb_head_series'), ...range }));

    // Assess
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Not a counter' });
    expect(answer.json.details).toContain("The store's metadata says prometheus_tsdb_head_series is a gauge");
    expect(answer.json.details).toContain('Use __gauge__ for prometheus_tsdb_head_series');
    expect(answer.headers['x-mirror-api-key']).toBeDefined();
  });

  it('still answers the same metric as __gauge__, and a counter without metadata (backfilled) as __counter__', async () => {
    const asGauge = await invokeMirror(PATH.metric, metricsRequest(url, { conditions: gauge('prometheus_tsdb_head_series'), ...range }));
    const realCounter = await invokeMirror(
      PATH.metric,
      metricsRequest(url, {
        conditions: counter(METRIC.requests, { method: 'GET', code: '200' }),
        startTime: T0,
        endTime: T0 + HOUR,
        aggregation: { method: 'MEAN', bucketSizeMillis: MINUTE },
      }),
    );
    expect(asGauge.statusCode, asGauge.body).toBe(200);
    expect(realCounter.statusCode, realCounter.body).toBe(200);
    expect(realCounter.json.telemetry.points.length).toBeGreaterThan(50);
  });
});
