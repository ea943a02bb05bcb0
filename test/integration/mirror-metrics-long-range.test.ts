import { describe, expect, inject, it } from 'vitest';
import { ARCHIVE_END, ARCHIVE_START, DATASET, DAY, METRIC, MINUTE, SECOND } from '../fixtures/dataset.js';
import { PATH, counter, gauge, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import type { BucketPoint } from '../support/reference/aggregate.js';
import { expectAggregated, expectRaw, firstDifference } from '../support/reference/compare.js';
import { expectedAggregated, expectedRaw } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');
const archive = gauge(METRIC.archive, { volume: 'archive' });

async function ask(query: MetricsQueryInput) {
  return invokeMirror(PATH.metric, metricsRequest(url, query));
}

describe('ranges longer than Prometheus allows in one query', () => {
  it('MEAN over 14,400 one-minute buckets returns every sample bucket, not partial', async () => {
    // Prepare
    const query = {
      conditions: archive,
      startTime: ARCHIVE_START + DAY + 7 * SECOND,
      endTime: ARCHIVE_START + 11 * DAY,
      aggregation: { method: 'MEAN' as const, bucketSizeMillis: MINUTE },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect((query.endTime - query.startTime) / MINUTE).toBeGreaterThan(11_000);
    expect(expected.points.length).toBe(10 * 288);
    expectAggregated(answer, expected);
  });

  it('SUM over 14,400 one-minute buckets answers all of them, the empty ones as 0', async () => {
    // Prepare
    const query = {
      conditions: archive,
      startTime: ARCHIVE_START + DAY + 7 * SECOND,
      endTime: ARCHIVE_START + 11 * DAY,
      aggregation: { method: 'SUM' as const, bucketSizeMillis: MINUTE },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect(expected.points.length).toBe(10 * 1440);
    expectAggregated(answer, expected);
  });

  it('MAX over the whole 60 days in one-minute buckets (86,400) is complete, or a truncated prefix that re-asking completes', async () => {
    // Prepare
    const query = {
      conditions: archive,
      startTime: ARCHIVE_START,
      endTime: ARCHIVE_END,
      aggregation: { method: 'MAX' as const, bucketSizeMillis: MINUTE },
    };
    const expected = expectedAggregated(DATASET, query);
    const collected: BucketPoint[] = [];
    const partials: boolean[] = [];

    // Act: as StackState does, re-ask from the end of the last point while the answer is partial
    let startTime = query.startTime;
    for (let page = 0; page < 20; page++) {
      const answer = await ask({ ...query, startTime });
      expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
      const telemetry = answer.json?.telemetry as { points: BucketPoint[]; isPartial: boolean };
      collected.push(...telemetry.points);
      partials.push(telemetry.isPartial);
      const last = telemetry.points.at(-1);
      if (!telemetry.isPartial || last === undefined) break;
      startTime = last[2];
    }

    // Assess
    expect(expected.points.length).toBe(60 * 288);
    expect(firstDifference(collected, expected.points)).toBeUndefined();
    expect(partials.at(-1)).toBe(false);
    expect(partials.slice(0, -1).every(Boolean)).toBe(true);
  });

  it('raw over 20 days returns the stored samples (more than 5,000) in order', async () => {
    // Prepare
    const query = { conditions: archive, startTime: ARCHIVE_START + 3 * DAY, endTime: ARCHIVE_START + 23 * DAY };
    const expected = expectedRaw(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect(expected.points.length).toBe(20 * 288);
    expectRaw(answer, expected);
  });
});

describe('exact counter rates over a long range, fetched in many pieces', () => {
  const requests = counter(METRIC.archiveRequests, { volume: 'archive' });

  it.each([
    ['MEAN', 7 * MINUTE],
    ['MAX', 60 * MINUTE],
    ['SUM', DAY],
    ['PERCENTILE_90', 6 * 60 * MINUTE],
    ['EVENT_COUNT_NO_ZEROS', 13 * MINUTE],
  ] as const)('%s in buckets of %d ms over 58 days equals the reference, resets included', async (method, bucketSizeMillis) => {
    // Prepare: 58 days of a 5-minute counter = 16,700 samples: several 6 h pieces, then 32-day ones
    const query = {
      conditions: requests,
      startTime: ARCHIVE_START + DAY + 7 * SECOND,
      endTime: ARCHIVE_END - DAY,
      aggregation: { method, bucketSizeMillis },
    };
    const expected = expectedAggregated(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect(expected.points.length).toBeGreaterThan(50);
    expectAggregated(answer, expected);
  });
});
