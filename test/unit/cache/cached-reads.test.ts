import { describe, expect, it } from 'vitest';
import { ClosedCache, type CachedPoint } from '../../../lambda/app/cache/closed-cache.js';
import type { CacheScope } from '../../../lambda/app/cache/cache-scope.js';
import { keepSamples, readBuckets, readSamples, type LabelledPoints } from '../../../lambda/app/cache/cached-reads.js';
import type { TimeRange } from '../../../lambda/domain/time/cache-plan.js';
import { createPrng } from '../../fixtures/prng.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A store double: samples per series; a bucket read answers the sum of each bucket at its end, like query_range. */
class StoreDouble {
  series = new Map<string, CachedPoint[]>([['{"job":"api"}', []]]);
  samplesRead = 0;
  add(t: number, v: number, labels = '{"job":"api"}'): void {
    const list = this.series.get(labels) ?? [];
    list.push([t, v]);
    list.sort(([a], [b]) => a - b);
    this.series.set(labels, list);
  }
  buckets(range: TimeRange, bucketMs: number): LabelledPoints[] {
    return [...this.series].map(([labels, samples]) => {
      const sums = new Map<number, number>();
      for (const [t, v] of samples) {
        if (t < range.fromMs || t >= range.toMs) continue;
        this.samplesRead++;
        const end = t - ((t - range.fromMs) % bucketMs) + bucketMs;
        sums.set(end, (sums.get(end) ?? 0) + v);
      }
      const out = [...sums].sort(([a], [b]) => a - b) as CachedPoint[];
      return { labels: JSON.parse(labels) as Record<string, string>, samples: out };
    });
  }
  raw(range: TimeRange): LabelledPoints[] {
    return [...this.series].map(([labels, samples]) => {
      const inRange = samples.filter(([t]) => t >= range.fromMs && t < range.toMs);
      this.samplesRead += inRange.length;
      return { labels: JSON.parse(labels) as Record<string, string>, samples: inRange };
    });
  }
}

const oneSeries = (series: LabelledPoints[]): LabelledPoints | undefined => {
  const withData = series.filter((s) => s.samples.length > 0);
  if (withData.length > 1) throw new Error('several series');
  return withData[0];
};

function scopeAt(cache: ClosedCache, nowMs: number, freshnessMs = 10 * MIN): CacheScope {
  return { cache, prefix: 'p', freshnessMs, nowMs, stats: { cacheHits: 0, cacheMisses: 0 } };
}

describe('readBuckets', () => {
  it('cached + fetched = uncached for random windows, and polls read only the new buckets', async () => {
    const prng = createPrng(5);
    const store = new StoreDouble();
    const t0 = 1_767_225_600_000;
    for (let t = t0; t < t0 + 24 * HOUR; t += 15_000) if (prng.next() > 0.1) store.add(t, prng.int(0, 100));
    const cache = new ClosedCache(1 << 22);
    for (let round = 0; round < 200; round++) {
      const bucket = [MIN, 5 * MIN, 15_000][prng.int(0, 2)] as number;
      const from = t0 + prng.int(0, 18 * 60) * MIN;
      const range = { fromMs: from - (from % bucket), toMs: from - (from % bucket) + prng.int(1, 300) * bucket };
      const now = range.toMs + prng.int(-30, 30) * MIN;
      const uncached = oneSeries(store.buckets(range, bucket))?.samples ?? [];
      const { samples: cached } = await readBuckets(
        scopeAt(cache, now),
        `k${bucket}`,
        range,
        bucket,
        async (r) => ({ series: store.buckets(r, bucket), doneToMs: r.toMs }),
        oneSeries,
      );
      expect(cached, `round ${round}`).toEqual(uncached);
    }
    // a poll: the window moved one minute reads a few buckets, not six hours
    const scope = scopeAt(cache, t0 + 20 * HOUR);
    await readBuckets(
      scope,
      'poll',
      { fromMs: t0 + 13 * HOUR, toMs: t0 + 19 * HOUR },
      MIN,
      async (r) => ({ series: store.buckets(r, MIN), doneToMs: r.toMs }),
      oneSeries,
    );
    store.samplesRead = 0;
    await readBuckets(
      scopeAt(cache, t0 + 20 * HOUR + MIN),
      'poll',
      { fromMs: t0 + 13 * HOUR + MIN, toMs: t0 + 19 * HOUR + MIN },
      MIN,
      async (r) => ({ series: store.buckets(r, MIN), doneToMs: r.toMs }),
      oneSeries,
    );
    expect(store.samplesRead).toBeLessThanOrEqual(4);
  });

  it('a sample arriving late inside the freshness window is seen; the closed part is not asked again', async () => {
    const store = new StoreDouble();
    const t0 = 1_767_225_600_000;
    for (let t = t0; t < t0 + HOUR; t += 15_000) store.add(t, 1);
    const cache = new ClosedCache(1 << 20);
    const range = { fromMs: t0, toMs: t0 + HOUR };
    const now = t0 + HOUR;
    const { samples: first } = await readBuckets(
      scopeAt(cache, now),
      'k',
      range,
      MIN,
      async (r) => ({ series: store.buckets(r, MIN), doneToMs: r.toMs }),
      oneSeries,
    );
    store.add(t0 + HOUR - 5 * MIN + 1, 100); // late, 5 minutes back: inside the 10-minute window
    const asked: TimeRange[] = [];
    const { samples: second } = await readBuckets(
      scopeAt(cache, now + 1000),
      'k',
      range,
      MIN,
      async (r) => {
        asked.push(r);
        return { series: store.buckets(r, MIN), doneToMs: r.toMs };
      },
      oneSeries,
    );
    expect(asked).toEqual([{ fromMs: t0 + HOUR - 10 * MIN, toMs: t0 + HOUR }]);
    expect(second).toEqual(oneSeries(store.buckets(range, MIN))?.samples);
    expect(second).not.toEqual(first);
  });

  it('a second series in the new buckets fails as an uncached read would, and nothing partial is kept', async () => {
    const store = new StoreDouble();
    const t0 = 1_767_225_600_000;
    for (let t = t0; t < t0 + HOUR; t += 15_000) store.add(t, 1);
    const cache = new ClosedCache(1 << 20);
    await readBuckets(
      scopeAt(cache, t0 + 2 * HOUR),
      'k',
      { fromMs: t0, toMs: t0 + HOUR },
      MIN,
      async (r) => ({ series: store.buckets(r, MIN), doneToMs: r.toMs }),
      oneSeries,
    );
    store.add(t0 + HOUR + 1000, 5, '{"job":"web"}');
    const wider = { fromMs: t0, toMs: t0 + 2 * HOUR };
    expect(() => oneSeries(store.buckets(wider, MIN))).toThrow('several series');
    await expect(
      readBuckets(
        scopeAt(cache, t0 + 3 * HOUR),
        'k',
        wider,
        MIN,
        async (r) => ({ series: store.buckets(r, MIN), doneToMs: r.toMs }),
        oneSeries,
      ),
    ).rejects.toThrow('several series');
    expect(cache.read('k', wider).covered).toEqual([{ fromMs: t0, toMs: t0 + HOUR }]);
  });

  it('a failed fetch keeps nothing', async () => {
    const cache = new ClosedCache(1 << 20);
    await expect(
      readBuckets(
        scopeAt(cache, 1e13),
        'k',
        { fromMs: 0, toMs: HOUR },
        MIN,
        async () => {
          throw new Error('503');
        },
        oneSeries,
      ),
    ).rejects.toThrow('503');
    expect(cache.size).toBe(0);
  });
});

describe('readSamples', () => {
  it('streams the first read (undefined), then answers from kept samples plus the new ones, equal to the store', async () => {
    const store = new StoreDouble();
    const t0 = 1_767_225_600_000;
    for (let t = t0; t < t0 + 7 * HOUR; t += 15_000) store.add(t, t % 7);
    const cache = new ClosedCache(1 << 22);
    const first = { fromMs: t0, toMs: t0 + 6 * HOUR };
    const scope = scopeAt(cache, t0 + 6 * HOUR);
    expect(await readSamples(scope, 'k', first, async (r) => store.raw(r), oneSeries)).toBeUndefined();
    const read = oneSeries(store.raw(first));
    keepSamples(scope, 'k', first, read?.samples ?? [], read?.labels);
    store.samplesRead = 0;
    const moved = { fromMs: t0 + MIN, toMs: t0 + 6 * HOUR + MIN };
    const answer = await readSamples(scopeAt(cache, t0 + 6 * HOUR + MIN), 'k', moved, async (r) => store.raw(r), oneSeries);
    expect(store.samplesRead).toBe(44); // the last 10 minutes and the new one, 4 samples a minute
    expect(answer?.samples).toEqual(oneSeries(store.raw(moved))?.samples);
    expect(scope.stats).toEqual({ cacheHits: 0, cacheMisses: 1 });
  });
});
