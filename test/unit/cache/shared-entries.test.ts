import { describe, expect, it } from 'vitest';
import type { CacheScope } from '../../../lambda/app/cache/cache-scope.js';
import { ClosedCache } from '../../../lambda/app/cache/closed-cache.js';
import { counterMetrics } from '../../../lambda/app/metrics/counter.js';
import { gaugeMetrics } from '../../../lambda/app/metrics/gauge.js';
import type { AggregationMethod, MetricsQuery } from '../../../lambda/protocol/requests.js';
import { queriesTo, storeDouble, type SentCall, type StoredSeries } from '../metrics/store-double.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** A minute boundary. */
const T0 = 28_333_333 * MIN;
const END = T0 + 2 * HOUR;
const GAUGE = 'level{job="a"}';
const COUNTER = 'jobs_total{job="a"}';

/** Every 15 s for two hours, but for a 20-minute gap (empty buckets) and one NaN. */
function samplesOf(value: (k: number) => number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = T0, k = 0; t < END; t += 15_000, k++) {
    if (t >= T0 + 30 * MIN && t < T0 + 50 * MIN) continue;
    out.push([t, k === 40 ? Number.NaN : value(k)]);
  }
  return out;
}
const STORED: StoredSeries[] = [
  { labels: { __name__: 'level', job: 'a' }, samples: samplesOf((k) => (k * 37) % 101) },
  { labels: { __name__: 'jobs_total', job: 'a' }, samples: samplesOf((k) => k * 3 + (k % 7)) },
];

const REDUCERS: Record<string, (values: number[]) => number> = {
  avg: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  max: (v) => v.reduce((a, b) => (b > a || Number.isNaN(a) ? b : a)),
  sum: (v) => v.reduce((a, b) => a + b, 0),
  count: (v) => v.length,
};

/** The store's `F_over_time(level{job="a"}[…] offset 1ms)` at bucket ends: F over the bucket [e−B, e). */
function overTime(expr: string, startMs: number, endMs: number, stepMs: number): StoredSeries[] {
  const reducer = REDUCERS[/^(\w+)_over_time\(/.exec(expr)?.[1] ?? ''];
  if (!reducer || !expr.includes(GAUGE)) throw new Error(`the double cannot evaluate ${expr}`);
  const gauge = STORED[0] as StoredSeries;
  const samples: [number, number][] = [];
  for (let e = startMs; e <= endMs; e += stepMs) {
    const values = gauge.samples.filter(([t]) => t >= e - stepMs && t < e).map(([, v]) => v);
    if (values.length > 0) samples.push([e, reducer(values)]);
  }
  return [{ labels: gauge.labels, samples }];
}

function metricsQuery(method: AggregationMethod): MetricsQuery {
  return { _type: 'MetricsQuery', conditions: [], startTime: T0 + 7 * MIN, endTime: END, aggregation: { method, bucketSizeMillis: MIN } };
}

/** Everything closed: the window ended an hour ago. */
function scopeOn(cache: ClosedCache): CacheScope {
  return { cache, prefix: 'store\u0000identity', freshnessMs: 10 * MIN, nowMs: END + HOUR, stats: { cacheHits: 0, cacheMisses: 0 } };
}

type Read = typeof gaugeMetrics;
type Ask = { method: AggregationMethod; nan: 'ZERO' | 'NONE' };

/** Asks `first` with the cache, then `then` with the same cache, and `then` without one; counts what the store was asked. */
async function twoRequests(read: Read, selector: string, first: Ask, then: Ask) {
  const { client, sent } = storeDouble({ stored: STORED, queryRange: overTime });
  const cache = new ClosedCache(1 << 20);
  await read(client, selector, metricsQuery(first.method), first.nan, scopeOn(cache));
  const before = sent.length;
  const scope = scopeOn(cache);
  const cached = await read(client, selector, metricsQuery(then.method), then.nan, scope);
  const asked: SentCall[] = sent.slice(before);
  const uncached = await read(client, selector, metricsQuery(then.method), then.nan);
  return { cached: JSON.stringify(cached), uncached: JSON.stringify(uncached), asked, stats: scope.stats };
}

const dataCalls = (asked: SentCall[]) => [...queriesTo(asked, 'query_range'), ...queriesTo(asked, 'query')];

describe('one cache entry per stream, whatever the method or NaN mode asks', () => {
  it.each([
    ['gauge', gaugeMetrics, GAUGE, 'MEAN', 'MEAN'],
    ['gauge', gaugeMetrics, GAUGE, 'SUM', 'SUM_NO_ZEROS'],
    ['gauge', gaugeMetrics, GAUGE, 'EVENT_COUNT', 'VALUE_COUNT'],
    ['gauge', gaugeMetrics, GAUGE, 'VALUE_COUNT', 'EVENT_COUNT_NO_ZEROS'],
    ['counter', counterMetrics, COUNTER, 'MEAN', 'MAX'],
    ['counter', counterMetrics, COUNTER, 'SUM', 'PERCENTILE_90'],
  ] as const)(
    'a %s asked %s, then %s with the other NaN mode, is served from what the first request kept',
    async (_, read, selector, first, then) => {
      const { cached, uncached, asked, stats } = await twoRequests(
        read,
        selector,
        { method: first, nan: 'ZERO' },
        { method: then, nan: 'NONE' },
      );
      expect(dataCalls(asked)).toEqual([]);
      expect(stats).toEqual({ cacheHits: 1, cacheMisses: 0 });
      expect(cached).toBe(uncached);
    },
  );

  it('a gauge asked MEAN, then MAX, reads the store again: Prometheus aggregates, so the kept values differ', async () => {
    const { cached, uncached, asked } = await twoRequests(
      gaugeMetrics,
      GAUGE,
      { method: 'MEAN', nan: 'ZERO' },
      { method: 'MAX', nan: 'ZERO' },
    );
    expect(queriesTo(asked, 'query_range')).toEqual([`max_over_time(${GAUGE}[59999ms] offset 1ms)`]);
    expect(cached).toBe(uncached);
  });

  it('the NaN mode and the empty-bucket rule do change the answers (what the cache must not mix up)', async () => {
    const { client } = storeDouble({ stored: STORED, queryRange: overTime });
    const answers = await Promise.all(
      (
        [
          ['MEAN', 'ZERO'],
          ['MEAN', 'NONE'],
          ['SUM', 'ZERO'],
          ['SUM_NO_ZEROS', 'ZERO'],
        ] as const
      ).map(async ([method, nan]) => JSON.stringify(await gaugeMetrics(client, GAUGE, metricsQuery(method), nan))),
    );
    expect(new Set(answers).size).toBe(answers.length);
  });
});
