import { closedUntil, missingRanges, type TimeRange } from '../../domain/time/cache-plan.js';
import { labelKey } from '../../domain/time/samples.js';
import type { CachedPoint } from './closed-cache.js';
import type { CacheScope } from './cache-scope.js';

/** A series as the store answers it: a label set and its points, oldest first. */
export interface LabelledPoints {
  labels: Record<string, string>;
  samples: CachedPoint[];
}

/**
 * Turns the series with data into the one series of the stream; throws (the caller's
 * several-series error) when more than one has data, exactly as an uncached read would.
 */
export type OneSeries = (series: LabelledPoints[]) => LabelledPoints | undefined;

/** What a bucket fetch brought: the series, and how far it got (`range.toMs` unless a cap stopped it). */
export interface FetchedBuckets {
  series: LabelledPoints[];
  doneToMs: number;
}

/**
 * The values of the buckets `[range.fromMs, range.toMs)` of size B, as a `query_range` at the
 * bucket ends answers them (points at bucket ENDS), of the one series with data. Buckets
 * kept from earlier reads are not asked again: `fetch` is called only for the missing,
 * bucket-aligned ranges, and what it returns for closed buckets is kept. A fetch stopped short (the call cap) makes the
 * answer the prefix before it (`doneToMs`), and nothing of that request is kept.
 */
export async function readBuckets(
  scope: CacheScope,
  key: string,
  range: TimeRange,
  bucketMs: number,
  fetch: (range: TimeRange) => Promise<FetchedBuckets>,
  oneSeries: OneSeries,
): Promise<{ samples: CachedPoint[]; labels: Record<string, string> | undefined; doneToMs: number }> {
  const known = scope.cache.read(key, range);
  countRead(scope, known.covered.length > 0);
  const missing = missingRanges(range, known.covered, bucketMs);
  const fetched: LabelledPoints[] = [];
  let doneToMs = range.toMs;
  for (const m of missing) {
    const got = await fetch(m);
    for (const s of got.series) fetched.push(s);
    if (got.doneToMs < m.toMs) {
      doneToMs = got.doneToMs;
      break;
    }
  }
  // kept points sit at bucket starts; the store answers at bucket ends
  const cached = known.points.filter(([t]) => t + bucketMs <= doneToMs).map(([t, v]): CachedPoint => [t + bucketMs, v]);
  const one = oneSeries(withCached(fetched, known.labels, cached));
  if (doneToMs === range.toMs) {
    const fresh = one ? samplesOf(fetched, one.labels) : [];
    scope.cache.store(
      key,
      clip(missing, closedUntil(scope.nowMs, scope.freshnessMs, bucketMs)),
      fresh.map(([t, v]): CachedPoint => [t - bucketMs, v]),
      fresh.length > 0 ? one?.labels : undefined,
    );
  }
  return { samples: one?.samples ?? [], labels: one?.labels, doneToMs };
}

/**
 * The raw samples of `[range.fromMs, range.toMs)` of the one series, from kept closed ranges
 * plus `fetch` for the rest — or undefined when too little is kept for that to pay (nothing,
 * or less than what is missing): the caller then streams the range as usual and hands what
 * it read to {@link keepSamples}. `fetch` answering undefined (stopped short) does the same.
 */
export async function readSamples(
  scope: CacheScope,
  key: string,
  range: TimeRange,
  fetch: (range: TimeRange) => Promise<LabelledPoints[] | undefined>,
  oneSeries: OneSeries,
): Promise<LabelledPoints | { labels: undefined; samples: CachedPoint[] } | undefined> {
  const known = scope.cache.read(key, range);
  const missing = missingRanges(range, known.covered);
  const coveredMs = known.covered.reduce((sum, r) => sum + r.toMs - r.fromMs, 0);
  const missingMs = missing.reduce((sum, r) => sum + r.toMs - r.fromMs, 0);
  if (coveredMs === 0 || missingMs > coveredMs) {
    countRead(scope, false);
    return undefined;
  }
  const fetched: LabelledPoints[] = [];
  for (const m of missing) {
    const got = await fetch(m);
    if (got === undefined) {
      countRead(scope, false);
      return undefined;
    }
    for (const s of got) fetched.push(s);
  }
  countRead(scope, true);
  const one = oneSeries(withCached(fetched, known.labels, known.points));
  const fresh = one ? samplesOf(fetched, one.labels) : [];
  scope.cache.store(key, clip(missing, closedUntil(scope.nowMs, scope.freshnessMs)), fresh, fresh.length > 0 ? one?.labels : undefined);
  return one ?? { labels: undefined, samples: [] };
}

/** Keeps the closed part of a range read in full (all its samples, of one series or none). */
export function keepSamples(
  scope: CacheScope | undefined,
  key: string,
  range: TimeRange,
  samples: readonly CachedPoint[],
  labels: Record<string, string> | undefined,
): void {
  if (!scope) return;
  scope.cache.store(key, clip([range], closedUntil(scope.nowMs, scope.freshnessMs)), samples, samples.length > 0 ? labels : undefined);
}

/** At most this many samples of a streamed read are collected for keeping (≈ 16 bytes each when kept). */
export function keepableSamples(scope: CacheScope | undefined): number {
  return scope ? Math.floor(scope.cache.maxBytes / 64) : 0;
}

function countRead(scope: CacheScope, hit: boolean): void {
  if (hit) scope.stats.cacheHits++;
  else scope.stats.cacheMisses++;
}

/** The fetched series, with the kept points joined to the series they belong to. */
function withCached(fetched: LabelledPoints[], labels: Record<string, string> | undefined, cached: CachedPoint[]): LabelledPoints[] {
  const byLabels = new Map<string, LabelledPoints>();
  const add = (s: LabelledPoints): void => {
    const k = labelKey(s.labels);
    const into = byLabels.get(k);
    if (into) into.samples = [...into.samples, ...s.samples];
    else byLabels.set(k, { labels: s.labels, samples: [...s.samples] });
  };
  if (labels && cached.length > 0) add({ labels, samples: cached });
  for (const s of fetched) add(s);
  for (const s of byLabels.values()) s.samples.sort(([a], [b]) => a - b);
  return [...byLabels.values()];
}

function samplesOf(series: LabelledPoints[], labels: Record<string, string>): CachedPoint[] {
  const wanted = labelKey(labels);
  return series.filter((s) => labelKey(s.labels) === wanted).flatMap((s) => s.samples);
}

function clip(ranges: readonly TimeRange[], endMs: number): TimeRange[] {
  return ranges.map((r) => ({ fromMs: r.fromMs, toMs: Math.min(r.toMs, endMs) })).filter((r) => r.toMs > r.fromMs);
}
