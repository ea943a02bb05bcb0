import { assertQueryCost } from '../../domain/promql/query-cost.js';
import type { Sample, Series } from '../../domain/time/samples.js';
import type { TimeRange } from '../../domain/time/cache-plan.js';
import type { PrometheusClient } from '../../upstream/prometheus-client.js';
import { evaluateRange, fetchRawSamples, type EvaluateOptions } from '../metrics/sample-stream.js';
import { oneSeriesOf } from '../metrics/single-series.js';
import { keepableSamples, keepSamples, readBuckets, readSamples } from './cached-reads.js';
import { type CacheScope, streamKey } from './cache-scope.js';

/**
 * The metric paths' reads, through the closed-bucket cache when the request has one. Each
 * answers exactly what the uncached read it stands for answers (same shape, same errors);
 * only what the store is asked, and so what it bills, changes.
 */

/**
 * `evaluateRange` of a bucket expression at the ends of `grid`'s buckets, asking the store
 * only for buckets not kept. An expression with `@` (its value may depend on the query's
 * start or end) is never cached. The expression (its `*_over_time` function, its window) and
 * the bucket size are all its points depend on: the key holds those.
 */
export async function evaluateBuckets(
  client: PrometheusClient,
  cache: CacheScope | undefined,
  expr: string,
  grid: { firstStart: number; count: number },
  bucketMs: number,
  options: EvaluateOptions & { oneSeries: string },
): Promise<{ series: Series[]; evaluated: number }> {
  if (!cache || expr.includes('@')) return evaluateRange(client, expr, grid.firstStart + bucketMs, grid.count, bucketMs, options);
  // the static cost guard judges the whole request, as it would uncached
  if (options.maxQuerySamples !== undefined) assertQueryCost(expr, grid.count, options.maxQuerySamples);
  const { maxQuerySamples: _, ...perPiece } = options;
  const key = streamKey(cache, { kind: 'buckets', query: expr, bucketMs });
  const range = { fromMs: grid.firstStart, toMs: grid.firstStart + grid.count * bucketMs };
  const read = await readBuckets(
    cache,
    key,
    range,
    bucketMs,
    async (r: TimeRange) => {
      const count = (r.toMs - r.fromMs) / bucketMs;
      const { series, evaluated } = await evaluateRange(client, expr, r.fromMs + bucketMs, count, bucketMs, perPiece);
      return { series, doneToMs: r.fromMs + Math.min(evaluated, count) * bucketMs };
    },
    (series) => oneSeriesOf(series, options.oneSeries),
  );
  const evaluated = Math.round((read.doneToMs - grid.firstStart) / bucketMs);
  return { series: read.labels ? [{ labels: read.labels, samples: read.samples }] : [], evaluated };
}

/**
 * `fetchRawSamples` of a gauge through the cache: kept closed samples plus the rest, when that
 * is complete and within `stopAfter`; otherwise the plain read, whose complete answers are kept.
 */
export async function fetchRawSamplesCached(
  client: PrometheusClient,
  cache: CacheScope | undefined,
  selector: string,
  fromMs: number,
  toMs: number,
  stopAfter: number,
): Promise<{ samples: Sample[]; complete: boolean; capped: boolean }> {
  if (!cache) return fetchRawSamples(client, selector, fromMs, toMs, stopAfter);
  const range = { fromMs, toMs };
  const { key, known } = await keptSamples(client, cache, selector, range);
  if (known && known.samples.length <= stopAfter) return { samples: known.samples, complete: true, capped: false };
  const read = await fetchRawSamples(client, selector, fromMs, toMs, stopAfter);
  if (read.complete && read.samples.length <= keepableSamples(cache)) keepSamples(cache, key, range, read.samples, read.labels);
  return read;
}

/**
 * A counter's samples of `range` from kept closed samples plus the rest, or undefined when
 * the caller should stream them as usual (nothing kept yet, or too little) — and then hand
 * them to the returned keeper.
 */
export async function counterSamplesCached(
  client: PrometheusClient,
  cache: CacheScope | undefined,
  selector: string,
  range: TimeRange,
): Promise<{ samples: Sample[] } | { samples: undefined; keeper: SampleKeeper }> {
  if (!cache) return { samples: undefined, keeper: new SampleKeeper(undefined, '', range) };
  const { key, known } = await keptSamples(client, cache, selector, range);
  if (known) return { samples: known.samples };
  return { samples: undefined, keeper: new SampleKeeper(cache, key, range) };
}

/** Collects a streamed read (up to what the cache could hold) and keeps it once it completed. */
export class SampleKeeper {
  private samples: Sample[] = [];
  private labels: Record<string, string> | undefined;
  private overflow = false;

  constructor(
    private readonly cache: CacheScope | undefined,
    private readonly key: string,
    private readonly range: TimeRange,
  ) {}

  add(samples: readonly Sample[], labels: Record<string, string> | undefined): void {
    if (!this.cache || this.overflow) return;
    this.labels ??= labels;
    if (this.samples.length + samples.length > keepableSamples(this.cache)) {
      this.overflow = true;
      this.samples = [];
      return;
    }
    for (const s of samples) this.samples.push(s);
  }

  /** Keeps what was read, only when the read was complete. */
  finish(complete: boolean): void {
    if (complete && !this.overflow) keepSamples(this.cache, this.key, this.range, this.samples, this.labels);
  }
}

/**
 * The cache key of `selector`'s samples and what is kept of `range` under it. Raw reads and
 * counters share these entries, so they complete and check them the same way, here.
 */
async function keptSamples(client: PrometheusClient, cache: CacheScope, selector: string, range: TimeRange) {
  const key = streamKey(cache, { kind: 'samples', query: selector });
  const known = await readSamples(
    cache,
    key,
    range,
    (r) => completeSamples(client, selector, r),
    (s) => oneSeriesOf(s, selector),
  );
  return { key, known };
}

async function completeSamples(client: PrometheusClient, selector: string, r: TimeRange): Promise<Series[] | undefined> {
  const read = await fetchRawSamples(client, selector, r.fromMs, r.toMs);
  if (!read.complete) return undefined;
  return read.labels ? [{ labels: read.labels, samples: read.samples }] : [];
}
