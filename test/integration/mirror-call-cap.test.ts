import { describe, expect, inject, it } from 'vitest';
import { ARCHIVE_END, ARCHIVE_START, DATASET, DAY, HOUR, METRIC, MINUTE, SECOND } from '../fixtures/dataset.js';
import { PATH, counter, gauge, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import type { BucketPoint } from '../support/reference/aggregate.js';
import { firstDifference } from '../support/reference/compare.js';
import { expectedAggregated } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');

/** As StackState does: while the answer is partial, ask again from the end of its last point. */
async function collect(query: MetricsQueryInput, maxCalls: number) {
  const points: BucketPoint[] = [];
  const partials: boolean[] = [];
  let startTime = query.startTime;
  for (let page = 0; page < 100; page++) {
    const answer = await invokeMirror(PATH.metric, metricsRequest(url, { ...query, startTime }), {
      MIRROR_MAX_UPSTREAM_CALLS: String(maxCalls),
    });
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    const telemetry = answer.json?.telemetry as { points: BucketPoint[]; isPartial: boolean };
    points.push(...telemetry.points);
    partials.push(telemetry.isPartial);
    const last = telemetry.points.at(-1);
    if (!telemetry.isPartial || last === undefined) break;
    startTime = last[2];
  }
  return { points, partials };
}

describe('past the cap on store calls the answer is a prefix that re-asking completes', () => {
  it('gauge MEAN over 60 days in 1-minute buckets, 4 calls per answer: no gap, no duplicate', async () => {
    // Prepare: 86,400 buckets need 8 query_range calls of 11,000 points; 4 calls leave room for 2 of them
    const query = {
      conditions: gauge(METRIC.archive, { volume: 'archive' }),
      startTime: ARCHIVE_START + 7 * SECOND,
      endTime: ARCHIVE_END,
      aggregation: { method: 'MEAN' as const, bucketSizeMillis: MINUTE },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const { points, partials } = await collect(query, 4);

    // Assess
    expect(partials.length).toBeGreaterThan(2);
    expect(partials.slice(0, -1).every(Boolean)).toBe(true);
    expect(partials.at(-1)).toBe(false);
    expect(firstDifference(points, expected.points)).toBeUndefined();
  });

  it('counter SUM over 58 days in 1-hour buckets, 6 calls per answer: no gap, no duplicate', async () => {
    // Prepare
    const query = {
      conditions: counter(METRIC.archiveRequests, { volume: 'archive' }),
      startTime: ARCHIVE_START + DAY,
      endTime: ARCHIVE_END - DAY,
      aggregation: { method: 'SUM' as const, bucketSizeMillis: HOUR },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const { points, partials } = await collect(query, 6);

    // Assess
    expect(partials[0]).toBe(true);
    expect(partials.at(-1)).toBe(false);
    expect(firstDifference(points, expected.points)).toBeUndefined();
  });
});
