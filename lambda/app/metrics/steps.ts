import { bucketGrid, type BucketGrid } from '../../domain/time/buckets.js';

/** Prometheus refuses query_range answers of more than 11,000 points per series; raw answers stay within it too. */
export { MAX_POINTS_PER_SERIES as RAW_MAX_POINTS } from '../../contract/limits.js';

/** The smallest step (whole seconds, at least `minMs`) that covers [start, end) in at most `maxPoints` points. */
export function regularStep(startMs: number, endMs: number, maxPoints: number, minMs = 1_000): number {
  const span = Math.max(1, endMs - startMs);
  return Math.max(minMs, Math.ceil(span / maxPoints / 1000) * 1000);
}

/** Raw `~` expressions are evaluated at this step unless the range needs a coarser one. */
export const EXPRESSION_RAW_MIN_STEP_MS = 15_000;

/** Buckets one answer covers at most; past that the answer is partial and StackState asks again from its end. */
export const MAX_BUCKETS_PER_ANSWER = 50_000;

export interface AnswerGrid extends BucketGrid {
  /** The end of the last bucket. */
  endMs: number;
  /** Buckets after these were left out (the answer is partial). */
  truncated: boolean;
}

/**
 * The buckets of [startMs, endMs) that one answer holds: the first MAX_BUCKETS_PER_ANSWER.
 * `limit` is applied to the points afterwards, not here: empty buckets are omitted, so only
 * the points tell whether anything after the limit exists.
 */
export function answerGrid(startMs: number, endMs: number, bucketMs: number): AnswerGrid {
  const grid = bucketGrid(startMs, endMs, bucketMs);
  const count = Math.min(grid.count, MAX_BUCKETS_PER_ANSWER);
  return { firstStart: grid.firstStart, count, endMs: grid.firstStart + count * bucketMs, truncated: count < grid.count };
}

/** Evaluation times on epoch multiples of `stepMs` inside [startMs, endMs): the first and how many. */
export function regularEvaluations(startMs: number, endMs: number, stepMs: number): { firstMs: number; count: number } {
  const firstMs = Math.ceil(startMs / stepMs) * stepMs;
  return { firstMs, count: firstMs >= endMs ? 0 : Math.ceil((endMs - firstMs) / stepMs) };
}

/** The first `count` buckets of `grid` (those a capped evaluation reached): partial when any were left out. */
export function gridPrefix(grid: AnswerGrid, count: number, bucketMs: number): AnswerGrid {
  if (count >= grid.count) return grid;
  return { firstStart: grid.firstStart, count, endMs: grid.firstStart + count * bucketMs, truncated: true };
}
