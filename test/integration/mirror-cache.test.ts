import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sharedCache } from '../../lambda/app/cache/cache-scope.js';
import { mirrorConfig } from '../../lambda/app/config.js';
import { setLogSink } from '../../lambda/app/request-log.js';
import { DATASET, DENSE_END, HOUR, METRIC, MINUTE, SECOND, T0 } from '../fixtures/dataset.js';
import { PATH, counter, cond, gauge, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { createPrng } from '../fixtures/prng.js';
import { invokeMirror } from '../support/invoke.js';
import { METHODS, type Method, type NanInterpretation } from '../support/reference/aggregate.js';
import { expectAggregated } from '../support/reference/compare.js';
import { expectedAggregated } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');
const logged: Record<string, unknown>[] = [];
let restoreSink: ReturnType<typeof setLogSink>;
beforeAll(() => {
  restoreSink = setLogSink((line) => logged.push(JSON.parse(line) as Record<string, unknown>));
});
afterAll(() => setLogSink(restoreSink));

/** One request, with the cache on (the default 10-minute freshness) or off. */
async function ask(query: MetricsQueryInput, nan: NanInterpretation, cache: 'on' | 'off') {
  const answer = await invokeMirror(PATH.metric, metricsRequest(url, query, { nan_interpretation: nan }), {
    MIRROR_REQUEST_LOG: 'on',
    MIRROR_CACHE_FRESHNESS_SECONDS: cache === 'on' ? '600' : '0',
  });
  return { answer, log: logged.at(-1) ?? {} };
}

const BUCKETS = [15 * SECOND, MINUTE, 5 * MINUTE, 13 * SECOND, 90 * SECOND] as const;
const STREAMS = [
  { kind: 'gauge', conditions: gauge(METRIC.room, { building: 'north', room: '101' }) },
  { kind: 'gauge', conditions: gauge(METRIC.probe, { probe: 'edge' }) },
  { kind: 'counter', conditions: counter(METRIC.jobs) },
  { kind: 'counter', conditions: counter(METRIC.requests, { method: 'GET', code: '200' }) },
] as const;

describe('the closed-bucket cache changes nothing but the cost', () => {
  const prng = createPrng(20_260_101);
  const rounds = Array.from({ length: 24 }, (_, round) => {
    const stream = STREAMS[prng.int(0, STREAMS.length - 1)] as (typeof STREAMS)[number];
    const bucket = BUCKETS[prng.int(0, BUCKETS.length - 1)] as number;
    const method = METHODS[prng.int(0, METHODS.length - 1)] as Method;
    const nan: NanInterpretation = prng.next() < 0.5 ? 'ZERO' : 'NONE';
    const startTime = T0 + prng.int(0, 3 * 3600) * SECOND + prng.int(0, 999);
    const endTime = Math.min(DENSE_END, startTime + prng.int(10, 150) * MINUTE + prng.int(0, 59_999));
    // moved by less than half the window, as a poll is
    const moves = prng.int(1, Math.max(1, Math.floor((endTime - startTime) / bucket / 2)));
    return { round, stream, bucket, method, nan, startTime, endTime, moves };
  });

  it.each(rounds)(
    'round $round: a window moved by $moves buckets answers the same cached, uncached and in the reference',
    async ({ stream, bucket, method, nan, startTime, endTime, moves }) => {
      // Prepare: an earlier window (the poll before) fills the cache
      const aggregation = { method, bucketSizeMillis: bucket };
      const earlier = {
        conditions: stream.conditions,
        startTime: startTime - moves * bucket,
        endTime: endTime - moves * bucket,
        aggregation,
      };
      await ask(earlier, nan, 'on');
      const query = { conditions: stream.conditions, startTime, endTime, aggregation };

      // Act
      const cached = await ask(query, nan, 'on');
      const uncached = await ask(query, nan, 'off');

      // Assess
      expect(cached.answer.body).toBe(uncached.answer.body);
      expect(cached.log.CacheHits).toBeGreaterThan(0);
      expect(uncached.log.CacheHits).toBe(0);
      expect(cached.log.SamplesProcessed as number).toBeLessThan(uncached.log.SamplesProcessed as number);
      expectAggregated(cached.answer, expectedAggregated(DATASET, query, nan));
    },
  );

  // methods whose gauge buckets are the same *_over_time (they differ only in empty buckets)
  const SAME_FUNCTION: readonly (readonly Method[])[] = [
    ['SUM', 'SUM_NO_ZEROS'],
    ['EVENT_COUNT', 'VALUE_COUNT', 'EVENT_COUNT_NO_ZEROS'],
  ];
  const sharing = Array.from({ length: 16 }, (_, round) => {
    const stream = STREAMS[prng.int(0, STREAMS.length - 1)] as (typeof STREAMS)[number];
    const bucket = BUCKETS[prng.int(0, BUCKETS.length - 1)] as number;
    const method = METHODS[prng.int(0, METHODS.length - 1)] as Method;
    // a counter's kept raw samples serve every method; a gauge's buckets those of the same function
    const siblings = stream.kind === 'counter' ? METHODS : (SAME_FUNCTION.find((g) => g.includes(method)) ?? [method]);
    const earlierMethod = siblings[prng.int(0, siblings.length - 1)] as Method;
    const nan: NanInterpretation = prng.next() < 0.5 ? 'ZERO' : 'NONE';
    const startTime = T0 + prng.int(0, 3 * 3600) * SECOND + prng.int(0, 999);
    const endTime = Math.min(DENSE_END, startTime + prng.int(10, 150) * MINUTE + prng.int(0, 59_999));
    const moves = prng.int(1, Math.max(1, Math.floor((endTime - startTime) / bucket / 2)));
    return { round, kind: stream.kind, stream, bucket, method, earlierMethod, nan, startTime, endTime, moves };
  });

  it.each(sharing)(
    'round $round: a $kind asked $method after $earlierMethod with the other NaN mode is served from what that kept',
    async ({ stream, bucket, method, earlierMethod, nan, startTime, endTime, moves }) => {
      // Prepare: an empty cache, then the poll before with another method and NaN mode
      sharedCache(mirrorConfig().cache.maxBytes).clear();
      const earlier = {
        conditions: stream.conditions,
        startTime: startTime - moves * bucket,
        endTime: endTime - moves * bucket,
        aggregation: { method: earlierMethod, bucketSizeMillis: bucket },
      };
      await ask(earlier, nan === 'ZERO' ? 'NONE' : 'ZERO', 'on');
      const query = { conditions: stream.conditions, startTime, endTime, aggregation: { method, bucketSizeMillis: bucket } };

      // Act
      const cached = await ask(query, nan, 'on');
      const uncached = await ask(query, nan, 'off');

      // Assess
      expect(cached.answer.body).toBe(uncached.answer.body);
      expect([cached.log.CacheHits, cached.log.CacheMisses]).toEqual([1, 0]);
      expect(cached.log.SamplesProcessed as number).toBeLessThan(uncached.log.SamplesProcessed as number);
      expectAggregated(cached.answer, expectedAggregated(DATASET, query, nan));
    },
  );

  it.each([
    ['MAX', 'ZERO', 'MAX', 'ZERO'],
    ['SUM', 'NONE', 'SUM_NO_ZEROS', 'ZERO'],
    ['PERCENTILE_90', 'ZERO', 'PERCENTILE_90', 'NONE'],
  ] as [Method, NanInterpretation, Method, NanInterpretation][])(
    'a ~ expression (%s, %s, then %s, %s) answers the same cached and uncached, reading less',
    async (earlierMethod, earlierNan, method, nan) => {
      sharedCache(mirrorConfig().cache.maxBytes).clear();
      const expr = [cond('~', `sum by (method) (rate(${METRIC.requests}{method="GET"}[5m]))`)];
      const earlier = { method: earlierMethod, bucketSizeMillis: MINUTE };
      await ask({ conditions: expr, startTime: T0 + HOUR, endTime: T0 + 3 * HOUR, aggregation: earlier }, earlierNan, 'on');
      const aggregation = { method, bucketSizeMillis: MINUTE };
      const query = { conditions: expr, startTime: T0 + HOUR + 7 * MINUTE, endTime: T0 + 3 * HOUR + 7 * MINUTE, aggregation };
      const cached = await ask(query, nan, 'on');
      const uncached = await ask(query, nan, 'off');
      expect(cached.answer.statusCode).toBe(200);
      expect(cached.answer.body).toBe(uncached.answer.body);
      expect(cached.log.CacheHits).toBe(1);
      expect(cached.log.SamplesProcessed as number).toBeLessThan(uncached.log.SamplesProcessed as number);
    },
  );

  it.each(STREAMS)('raw $kind values answer the same cached and uncached', async ({ conditions }) => {
    await ask({ conditions, startTime: T0 + 20 * MINUTE, endTime: T0 + 2 * HOUR }, 'NONE', 'on');
    const query = { conditions, startTime: T0 + 25 * MINUTE, endTime: T0 + 2 * HOUR + 5 * MINUTE };
    const cached = await ask(query, 'NONE', 'on');
    const uncached = await ask(query, 'NONE', 'off');
    expect(cached.answer.statusCode).toBe(200);
    expect(cached.answer.body).toBe(uncached.answer.body);
    expect(cached.log.CacheHits).toBeGreaterThan(0);
  });
});

describe('samples processed', () => {
  it('the request log line carries what the store reports with stats=all', async () => {
    const query = {
      conditions: gauge(METRIC.room, { building: 'north', room: '101' }),
      startTime: T0,
      endTime: T0 + HOUR,
      aggregation: { method: 'MEAN' as const, bucketSizeMillis: MINUTE },
    };
    const { answer, log } = await ask(query, 'ZERO', 'off');
    expect(answer.statusCode).toBe(200);
    // 15 s samples: 240 in the hour, each read once (plus the series call, which reads none)
    expect(log.SamplesProcessed).toBe(240);
    expect(log.CacheMisses).toBe(0);
  });
});
