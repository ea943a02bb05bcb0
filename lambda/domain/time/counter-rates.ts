import type { AggregationMethod } from '../../protocol/requests.js';
import type { AggregatedPoint, RawPoint } from '../../protocol/responses.js';
import type { Sample } from './samples.js';
import { requireCount, requirePositiveMs, requireRange } from './arguments.js';
import { type BucketGrid, bucketGrid, gridEnd } from './buckets.js';
import { MAX_POINTS_PER_SERIES } from './range-chunks.js';
import { aggregationRule, type Reduction } from './aggregations.js';
import { quantile } from './quantile.js';

/**
 * Exact per-second rates of a counter, computed by the mirror from the raw samples (PromQL's
 * `rate()` extrapolates to the window edges and is not additive, so it is not used).
 *
 * For consecutive samples (t0, v0), (t1, v1): the increase is `v1 − v0`, or `v1` when
 * `v1 < v0` (a reset: the counter restarted from 0); the pair belongs to the bucket holding t1
 * and its rate is `increase / ((t1 − t0) / 1000)` per second. Each increase is thus counted in
 * exactly one bucket, also when the pair spans a bucket boundary or a gap in the data.
 *
 * Samples that are NaN or ±Inf are skipped (the pair is formed with the next finite sample);
 * samples are sorted by time first and of two samples with the same timestamp the first is kept.
 */

/** One pair of consecutive counter samples. */
export interface CounterPair {
  /** Time of the later sample: the pair belongs to the bucket holding it. */
  t1: number;
  /** t1 − t0, ms (> 0). */
  durationMs: number;
  /** The counter's increase over the pair, resets handled. */
  increase: number;
}

/** The pairs of consecutive finite samples, ascending by t1. See the module notes. */
export function counterPairs(samples: readonly Sample[]): CounterPair[] {
  const finite = samples.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  finite.sort(([a], [b]) => a - b); // stable: of equal timestamps the first stays first
  const pairs: CounterPair[] = [];
  let previous: Sample | undefined;
  for (const sample of finite) {
    if (previous !== undefined) {
      const [t0, v0] = previous;
      const [t1, v1] = sample;
      if (t1 === t0) continue; // duplicate timestamp: keep the first sample
      pairs.push({ t1, durationMs: t1 - t0, increase: v1 >= v0 ? v1 - v0 : v1 });
    }
    previous = sample;
  }
  return pairs;
}

interface BucketAccumulator {
  index: number;
  increase: number;
  durationMs: number;
  rates: number[];
}

type Reducer = (bucket: BucketAccumulator) => number;

/** The counter's reducers over per-second rates; MEAN is time-weighted (the bucket's increase over its time). */
const REDUCERS: Record<Reduction, (phi: number) => Reducer> = {
  mean: () => (b) => (b.increase / b.durationMs) * 1000,
  min: () => (b) => b.rates.reduce((m, r) => (r < m ? r : m), Number.POSITIVE_INFINITY),
  max: () => (b) => b.rates.reduce((m, r) => (r > m ? r : m), Number.NEGATIVE_INFINITY),
  sum: () => (b) => b.rates.reduce((s, r) => s + r, 0),
  count: () => (b) => b.rates.length,
  quantile: (phi) => (b) => quantile(phi, b.rates),
};

function reducerFor(method: AggregationMethod): Reducer {
  const { reduction, quantile: phi } = aggregationRule(method);
  return REDUCERS[reduction](phi ?? Number.NaN);
}

/**
 * A counter aggregated into buckets `[value, s, s+B]`, ascending, over its per-second rates:
 * - MEAN = Σ increase / Σ (t1 − t0) · 1000 over the bucket's pairs: the bucket's increase divided
 *   by the time it was measured over — exact for full buckets, right for the partial newest
 *   bucket and for a series that starts mid-bucket;
 * - MIN, MAX, SUM, PERCENTILE_n (see `quantile`), EVENT_COUNT / VALUE_COUNT (the number of
 *   pairs) are over the pair rates of the bucket.
 *
 * A bucket with no pair is `0` for SUM / EVENT_COUNT / VALUE_COUNT and omitted otherwise.
 * Pass the samples of the grid plus the last sample before its first bucket (so the first bucket
 * has its first pair); pairs whose t1 is outside the grid are ignored.
 *
 * @example two samples (0 s, 10), (60 s, 70) → the bucket [0 s, 60 s) is empty, [60 s, 120 s) has
 * one pair of rate (70 − 10) / 60 s = 1 /s.
 */
export function counterBuckets(
  samples: readonly Sample[],
  grid: BucketGrid,
  bucketMs: number,
  method: AggregationMethod,
): AggregatedPoint[] {
  requirePositiveMs('bucketSizeMillis', bucketMs);
  const { emptyBucket } = aggregationRule(method);
  const reduce = reducerFor(method);
  const last = gridEnd(grid, bucketMs);
  const out: AggregatedPoint[] = [];
  let nextIndex = 0; // the first bucket index not emitted yet

  const emitEmptyUntil = (index: number): void => {
    if (emptyBucket === 'zero') {
      for (; nextIndex < index; nextIndex++) {
        const start = grid.firstStart + nextIndex * bucketMs;
        out.push([0, start, start + bucketMs]);
      }
    }
    nextIndex = index;
  };
  const emit = (bucket: BucketAccumulator): void => {
    emitEmptyUntil(bucket.index);
    const start = grid.firstStart + bucket.index * bucketMs;
    out.push([reduce(bucket), start, start + bucketMs]);
    nextIndex = bucket.index + 1;
  };

  let current: BucketAccumulator | undefined;
  for (const pair of counterPairs(samples)) {
    if (pair.t1 < grid.firstStart) continue;
    if (pair.t1 >= last) break;
    const index = Math.floor((pair.t1 - grid.firstStart) / bucketMs);
    if (current !== undefined && current.index !== index) {
      emit(current);
      current = undefined;
    }
    current ??= { index, increase: 0, durationMs: 0, rates: [] };
    current.increase += pair.increase;
    current.durationMs += pair.durationMs;
    current.rates.push((pair.increase / pair.durationMs) * 1000);
  }
  if (current !== undefined) emit(current);
  emitEmptyUntil(grid.count);
  return out;
}

/**
 * A raw counter as its MEAN rate on a regular step: windows `[w, w+R)` aligned to epoch
 * multiples of R = `stepMs`, each point `[rate, w]` (timestamp = window start), computed by
 * {@link counterBuckets} with MEAN. Windows overlapping `[startMs, endMs)` are considered and
 * windows without a pair are left out. Pass the samples plus the last one before the first
 * window.
 */
export function counterRawRates(samples: readonly Sample[], startMs: number, endMs: number, stepMs: number): RawPoint[] {
  const grid = bucketGrid(startMs, endMs, stepMs);
  return counterBuckets(samples, grid, stepMs, 'MEAN').map(([value, start]) => [value, start]);
}

/** Steps for raw counter rates, smallest first; past a day, whole days. */
const RAW_STEPS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
  21_600_000, 43_200_000, 86_400_000,
] as const;
const DAY_MS = 86_400_000;

/**
 * The step R for {@link counterRawRates}: the smallest of 1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 m,
 * 2 m, 5 m, 10 m, 15 m, 30 m, 1 h, 2 h, 3 h, 6 h, 12 h, 1 d (then whole days) whose aligned
 * windows over `[startMs, endMs)` number at most `maxPoints`. Short ranges thus get 1 s, which
 * is finer than any usual scrape interval: then each window holds at most one pair and the
 * answer is the exact rate of every pair of samples.
 *
 * @example rawCounterStep(0, 3_600_000, 11_000) // 1000: 3,600 windows of 1 s
 * @throws InvalidRequestError when maxPoints < 2 or the range is invalid.
 */
export function rawCounterStep(startMs: number, endMs: number, maxPoints: number = MAX_POINTS_PER_SERIES): number {
  requireRange(startMs, endMs);
  requireCount('maxPoints', maxPoints, 2);
  for (const step of RAW_STEPS_MS) {
    if (bucketGrid(startMs, endMs, step).count <= maxPoints) return step;
  }
  // ⌈span/R⌉ + 1 ≤ maxPoints windows when R ≥ span / (maxPoints − 1)
  return Math.ceil((endMs - startMs) / (maxPoints - 1) / DAY_MS) * DAY_MS;
}
