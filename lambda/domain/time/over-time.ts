import type { AggregationMethod } from '../../protocol/requests.js';
import type { AggregatedPoint } from '../../protocol/responses.js';
import type { Sample } from './samples.js';
import { InvalidRequestError } from '../errors.js';
import { aggregationRule } from './aggregations.js';
import { requireCount, requirePositiveMs } from './arguments.js';
import { type BucketGrid, type RangeSemantics, bucketWindow, gridEnd, windowRangeMs } from './buckets.js';
import { promDuration } from './duration.js';

/**
 * Aggregation over time inside a bucket, done by Prometheus for gauges and `~` expressions:
 * a `query_range` with step B evaluated at every bucket end `e = s+B` of
 * `F(selector[RANGE] offset 1ms)`, which sees exactly the samples of `[s, s+B)`
 * (RANGE per engine: see `windowRangeMs`).
 */

/**
 * The method's PromQL `*_over_time` function applied to `rangeArg` (MEAN → avg_over_time,
 * PERCENTILE_n → quantile_over_time(n/100, …); the table is AGGREGATIONS).
 *
 * @throws InvalidRequestError for a method the mirror does not know.
 */
function call(method: AggregationMethod, rangeArg: string): string {
  const { promql, quantile } = aggregationRule(method);
  return quantile === undefined ? `${promql}(${rangeArg})` : `${promql}(${quantile}, ${rangeArg})`;
}

/**
 * The gauge query for one bucket, to evaluate with `query_range` (step B) at the bucket ends.
 *
 * @param selector a plain instant-vector selector, e.g. `cpu{job="a"}`
 * @example gaugeBucketExpr('cpu', 'PERCENTILE_90', 60_000, 'left-open') // 'quantile_over_time(0.9, cpu[1m] offset 1ms)'
 */
export function gaugeBucketExpr(selector: string, method: AggregationMethod, bucketMs: number, semantics: RangeSemantics): string {
  return call(method, `${selector}${bucketWindow(bucketMs, semantics)}`);
}

/** The default number of subquery points per bucket aimed at by {@link subqueryResolutionMs}. */
export const SUBQUERY_POINTS_PER_BUCKET = 60;

/**
 * The subquery resolution R for a bucket of B ms: `B / pointsPerBucket` rounded UP to a whole
 * second, at least 1 s, at most B. So a bucket holds about 60 evaluations of the expression
 * (1 m buckets → 1 s, 5 m → 5 s, 1 h → 1 m, 1 d → 24 m), never finer than 1 s (finer than any
 * usual scrape interval, so no sample is missed for buckets up to 1 min) and never coarser than
 * one point per bucket. R need not divide B: subquery points sit on epoch multiples of R (see
 * `PROBE_EXPR` for the source), so each
 * point falls in exactly one bucket; buckets then hold ⌊B/R⌋ or ⌈B/R⌉ points. Sub-second buckets
 * get R = B (one point each).
 */
export function subqueryResolutionMs(bucketMs: number, pointsPerBucket: number = SUBQUERY_POINTS_PER_BUCKET): number {
  requirePositiveMs('bucketSizeMillis', bucketMs);
  requireCount('pointsPerBucket', pointsPerBucket, 1);
  const wholeSeconds = Math.ceil(bucketMs / pointsPerBucket / 1000) * 1000;
  return Math.min(bucketMs, Math.max(1000, wholeSeconds));
}

/**
 * The `~` expression query for one bucket: the expression is aggregated over time inside the
 * bucket with a subquery, `F((expr)[RANGE:R] offset 1ms)`, evaluated at bucket ends (step B).
 * RANGE follows the same engine rule as {@link gaugeBucketExpr}; R is
 * {@link subqueryResolutionMs}. EVENT_COUNT then counts the subquery points where the expression
 * had a value, not stored samples. The expression is wrapped in parentheses; if it contains `#`
 * a newline closes any trailing PromQL comment before the `)`.
 *
 * @example expressionBucketExpr('sum(rate(x[5m]))', 'MAX', 300_000, 'closed')
 *   // 'max_over_time((sum(rate(x[5m])))[299999ms:5s] offset 1ms)'
 * @throws InvalidRequestError for an empty expression.
 */
export function expressionBucketExpr(expr: string, method: AggregationMethod, bucketMs: number, semantics: RangeSemantics): string {
  const body = expr.trim();
  if (body === '') throw new InvalidRequestError('Empty expression', 'the ~ condition holds no PromQL expression');
  const closeComment = body.includes('#') ? '\n' : '';
  const range = promDuration(windowRangeMs(bucketMs, semantics));
  const resolution = promDuration(subqueryResolutionMs(bucketMs));
  return call(method, `(${body}${closeComment})[${range}:${resolution}] offset 1ms`);
}

/**
 * Maps `query_range` output at bucket ends back to buckets `[value, s, s+B]`, ascending.
 * A point at `e` is the bucket `[e−B, e)`; points that are not at an end of a bucket in the grid
 * are ignored (if one timestamp comes twice, the first wins). A bucket without a point is empty:
 * `[0, s, s+B]` for SUM / EVENT_COUNT / VALUE_COUNT, left out otherwise. Values are kept as
 * they are (NaN included: see `applyNanInterpretation`).
 *
 * With zero-filling every bucket of the grid is emitted, so the caller bounds the grid.
 */
export function fillBuckets(
  pointsAtBucketEnds: readonly Sample[],
  grid: BucketGrid,
  bucketMs: number,
  method: AggregationMethod,
): AggregatedPoint[] {
  requirePositiveMs('bucketSizeMillis', bucketMs);
  const { emptyBucket } = aggregationRule(method);
  const last = gridEnd(grid, bucketMs);
  const byEnd = new Map<number, number>();
  for (const [t, value] of pointsAtBucketEnds) {
    if (t <= grid.firstStart || t > last || (t - grid.firstStart) % bucketMs !== 0) continue;
    if (!byEnd.has(t)) byEnd.set(t, value);
  }
  if (emptyBucket === 'omit') {
    return [...byEnd.entries()].sort(([a], [b]) => a - b).map(([end, value]) => [value, end - bucketMs, end]);
  }
  const out: AggregatedPoint[] = [];
  for (let i = 0; i < grid.count; i++) {
    const start = grid.firstStart + i * bucketMs;
    const end = start + bucketMs;
    out.push([byEnd.get(end) ?? 0, start, end]);
  }
  return out;
}
