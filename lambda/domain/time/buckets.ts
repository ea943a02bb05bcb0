import { InvalidRequestError, UnsupportedEngineError } from '../errors.js';
import { requirePositiveMs, requireRange } from './arguments.js';
import { promDuration } from './duration.js';

/**
 * Buckets and the PromQL window that selects exactly one bucket.
 *
 * A bucket of size B is `[s, s+B)` with `s` an epoch multiple of B: it holds the samples
 * with `s <= t < s+B`. Prometheus timestamps are integer milliseconds, so `[s, s+B)` is the
 * same set as `[s, s+B−1ms]` and as `(s−1ms, s+B−1ms]`.
 */

/** The buckets overlapping a time range: `count` buckets starting at `firstStart`, each B long. */
export interface BucketGrid {
  /** Epoch ms of the first bucket's start, a multiple of B. */
  firstStart: number;
  /** How many buckets; 0 for an empty range. */
  count: number;
}

/** The bucket start (an epoch multiple of `bucketMs`) of the bucket holding `t`. */
export function bucketStartOf(t: number, bucketMs: number): number {
  return t - (((t % bucketMs) + bucketMs) % bucketMs);
}

/**
 * All buckets overlapping the half-open range `[startMs, endMs)`: from the bucket holding
 * `startMs` to the bucket holding `endMs − 1`. The first bucket may begin before `startMs`
 * and the last may end after `endMs` (it is then partial); buckets keep their full labels.
 *
 * `startMs === endMs` is an empty range: it overlaps no bucket, so `count` is 0 (and
 * `firstStart` is the start of the bucket holding `startMs`). The answer is then an empty list.
 *
 * @throws InvalidRequestError when a time is not a whole number of ms, `bucketMs <= 0`, or start > end.
 * @example bucketGrid(90_000, 200_000, 60_000) // { firstStart: 60_000, count: 3 } — [60s,120s) [120s,180s) [180s,240s)
 */
export function bucketGrid(startMs: number, endMs: number, bucketMs: number): BucketGrid {
  requireRange(startMs, endMs);
  requirePositiveMs('bucketSizeMillis', bucketMs);
  const firstStart = bucketStartOf(startMs, bucketMs);
  if (startMs === endMs) return { firstStart, count: 0 };
  const lastStart = bucketStartOf(endMs - 1, bucketMs);
  return { firstStart, count: (lastStart - firstStart) / bucketMs + 1 };
}

/** Epoch ms one past the last bucket: `firstStart + count·B`. */
export function gridEnd(grid: BucketGrid, bucketMs: number): number {
  return grid.firstStart + grid.count * bucketMs;
}

/**
 * How the PromQL engine bounds a range `[RANGE]` evaluated at time T:
 * - `closed`: `[T−RANGE, T]` — Prometheus 2.x (documented in prometheus/prometheus PR #12144).
 * - `left-open`: `(T−RANGE, T]` — Prometheus 3.x (PR #13904; Prometheus 3.0 migration guide,
 *   "range selectors and the lookback delta are now left-open"). Subqueries follow the same rule
 *   (issue #15412, fixed by PR #15431 in 3.0.1; in 3.0.0 the left point was still evaluated but
 *   dropped by the range function, so `*_over_time` of a subquery was already left-open).
 */
export type RangeSemantics = 'closed' | 'left-open';

/**
 * The RANGE that, evaluated at a bucket end `e = s+B` with `offset 1ms`, selects exactly
 * `[s, s+B)`: the selection is `[e−1ms−RANGE, e−1ms]` (closed) or `(e−1ms−RANGE, e−1ms]`
 * (left-open), so RANGE is `B−1ms` on a closed engine and `B` on a left-open one.
 *
 * @throws InvalidRequestError for a 1 ms bucket on a closed engine (the range would be 0).
 */
export function windowRangeMs(bucketMs: number, semantics: RangeSemantics): number {
  requirePositiveMs('bucketSizeMillis', bucketMs);
  const range = semantics === 'closed' ? bucketMs - 1 : bucketMs;
  if (range < 1) {
    throw new InvalidRequestError(
      'Bucket too small',
      'this Prometheus includes both ends of a range, so a bucket must be at least 2 ms long',
    );
  }
  return range;
}

/**
 * The range-and-offset text to append to a selector so that, evaluated at the bucket end
 * `s+B`, it selects exactly the bucket `[s, s+B)`. See {@link windowRangeMs}.
 *
 * @example bucketWindow(60_000, 'closed')    // '[59999ms] offset 1ms'
 * @example bucketWindow(60_000, 'left-open') // '[1m] offset 1ms'
 */
export function bucketWindow(bucketMs: number, semantics: RangeSemantics): string {
  return `[${promDuration(windowRangeMs(bucketMs, semantics))}] offset 1ms`;
}

/**
 * A probe that tells the two range semantics apart without any stored data. Evaluated at an
 * integral second T, the subquery's points lie on multiples of 1 s: T−2s, T−1s and T (subquery
 * points are aligned to epoch multiples of their resolution, independently of the evaluation time:
 * Prometheus blog "Subqueries" 2019-01-28, prometheus/prometheus issue #7486). A closed engine
 * keeps all 3, a left-open one drops T−2s and counts 2. Sources for the boundary rules: see
 * {@link RangeSemantics}.
 */
export const PROBE_EXPR = 'count_over_time(vector(1)[2s:1s])';

/**
 * When to evaluate {@link PROBE_EXPR} (instant query): 2026-01-01T00:00:00Z. Any integral
 * second works; a fixed one keeps the probe reproducible.
 */
export const PROBE_TIME_MS = 1_767_225_600_000;

/**
 * The engine's range semantics from the probe's value: 3 → `closed`, 2 → `left-open`.
 *
 * @throws UnsupportedEngineError on any other value: the store does not
 * evaluate PromQL subqueries like Prometheus does, and the mirror will not guess.
 */
export function semanticsFromProbe(value: number): RangeSemantics {
  if (value === 3) return 'closed';
  if (value === 2) return 'left-open';
  throw new UnsupportedEngineError(
    `The store answered ${String(value)} to the probe ${PROBE_EXPR}; a Prometheus answers 3 (2.x) or 2 (3.x). ` +
      'It does not evaluate range selectors like Prometheus, so the mirror cannot align buckets on it.',
  );
}
