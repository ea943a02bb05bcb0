import { describe, expect, inject, it } from 'vitest';
import { DATASET, DENSE_END, FACTS, METRIC, MINUTE, SECOND } from '../fixtures/dataset.js';
import { PATH, cond, counter, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import type { BucketPoint } from '../support/reference/aggregate.js';
import { closeEnough, expectAggregated } from '../support/reference/compare.js';
import { latencyPhases } from '../support/reference/histogram.js';
import { expectedAggregated } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');
const P90 = `histogram_quantile(0.9, sum by (le) (rate(${METRIC.latency}_bucket[5m])))`;
/** The rate window of P90 plus one scrape: a bucket this far inside a phase sees only that phase. */
const LOOKBACK = 5 * MINUTE + 15 * SECOND;

async function ask(query: MetricsQueryInput) {
  return invokeMirror(PATH.metric, metricsRequest(url, query));
}

describe('the backfilled latency histogram', () => {
  it.each(['MEAN', 'SUM', 'MAX'] as const)(
    '%s of one bucket’s rate over 1-minute buckets across the reset matches the reference',
    async (method) => {
      // Prepare: the le="0.5" bucket around the reset of all parts
      const query = {
        conditions: counter(`${METRIC.latency}_bucket`, { le: '0.5' }),
        startTime: FACTS.latency.resetTime - 12 * MINUTE - 7250,
        endTime: FACTS.latency.resetTime + 9 * MINUTE,
        aggregation: { method, bucketSizeMillis: MINUTE },
      };
      const expected = expectedAggregated(DATASET, query);

      // Act
      const answer = await ask(query);

      // Assess
      expect(expected.points.length).toBeGreaterThan(20);
      expectAggregated(answer, expected);
    },
  );

  it('~ histogram_quantile of the summed bucket rates: the 0.9 quantile of each phase, in 10-minute buckets', async () => {
    // Prepare
    const size = 10 * MINUTE;
    const query = {
      conditions: [cond('~', P90)],
      startTime: FACTS.latency.from,
      endTime: DENSE_END,
      aggregation: { method: 'MEAN' as const, bucketSizeMillis: size },
    };
    const phases = latencyPhases(0.9, DENSE_END);

    // Act
    const answer = await ask(query);

    // Assess: a point for each bucket; those whose windows lie inside one phase hold its quantile
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    const points = answer.json?.telemetry?.points as BucketPoint[];
    expect(points.map(([, s]) => s)).toEqual(Array.from({ length: 18 }, (_, i) => FACTS.latency.from + i * size));
    const judged = points.flatMap(([value, s, e]) => {
      const phase = phases.find((p) => s - LOOKBACK >= p.from && e <= p.to);
      return phase === undefined ? [] : [{ at: new Date(s).toISOString(), value, expected: phase.quantile }];
    });
    expect(judged.filter(({ value, expected }) => !closeEnough(value, expected))).toEqual([]);
    expect(new Set(judged.map((j) => j.expected))).toEqual(new Set(phases.map((p) => p.quantile)));
    expect(judged.length).toBeGreaterThanOrEqual(12);
    expect(points.every(([value]) => value > 0 && value <= 1)).toBe(true);
  });
});
