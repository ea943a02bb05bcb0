import { describe, expect, inject, it } from 'vitest';
import { DATASET, FACTS, METRIC, MINUTE, T0 } from '../fixtures/dataset.js';
import { PATH, gauge, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import { expectAggregated, expectError, expectRaw } from '../support/reference/compare.js';
import { expectedAggregated, expectedRaw } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');
const ask = (query: MetricsQueryInput) => invokeMirror(PATH.metric, metricsRequest(url, query));

/**
 * Prometheus' series index answers per block: within the 2-hour block of the data set, both
 * web pods are listed for any time range. One stream is one series *with data in the range*.
 */
describe('one stream is one series, judged by the data in the range', () => {
  const conditions = gauge(METRIC.web, { app: 'web' });
  const afterReplacement = { startTime: FACTS.web.second.from + 10 * MINUTE, endTime: FACTS.web.second.from + 40 * MINUTE };

  it('answers with the replacement pod when only it has data in the range, aggregated', async () => {
    // Prepare
    const query: MetricsQueryInput = { conditions, ...afterReplacement, aggregation: { method: 'MEAN', bucketSizeMillis: 5 * MINUTE } };
    const expected = expectedAggregated(DATASET, query);
    // Act
    const answer = await ask(query);
    // Assess
    expect(expected.series.labels.pod).toBe('web-2');
    expectAggregated(answer, expected);
  });

  it('answers with the replacement pod when only it has data in the range, raw', async () => {
    const query: MetricsQueryInput = { conditions, ...afterReplacement };
    const answer = await ask(query);
    expectRaw(answer, expectedRaw(DATASET, query));
  });

  it.each([
    ['aggregated', { aggregation: { method: 'MAX', bucketSizeMillis: MINUTE } }],
    ['raw', {}],
  ] as const)('refuses a range in which both pods have data, naming pod (%s)', async (_, extra) => {
    // Prepare: [T0+30m, T0+90m) holds the end of web-1 and the start of web-2
    const query: MetricsQueryInput = { conditions, startTime: T0 + 30 * MINUTE, endTime: T0 + 90 * MINUTE, ...extra };
    // Act
    const answer = await ask(query);
    // Assess
    expectError(answer, 'RemoteMirrorError', 400);
    expect(answer.json.details).toContain('pod');
    expect(answer.json.details).toContain('web-1');
    expect(answer.json.details).toContain('web-2');
  });
});
