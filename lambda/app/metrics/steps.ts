/** Prometheus refuses query_range answers of more than 11,000 points per series; raw answers stay within it too. */
export const RAW_MAX_POINTS = 11_000;

/** The smallest step (whole seconds, at least `minMs`) that covers [start, end) in at most `maxPoints` points. */
export function regularStep(startMs: number, endMs: number, maxPoints: number, minMs = 1_000): number {
  const span = Math.max(1, endMs - startMs);
  return Math.max(minMs, Math.ceil(span / maxPoints / 1000) * 1000);
}

/** Raw `~` expressions are evaluated at this step unless the range needs a coarser one. */
export const EXPRESSION_RAW_MIN_STEP_MS = 15_000;

/** Buckets one answer covers at most; past that the answer is partial and StackState asks again from its end. */
export const MAX_BUCKETS_PER_ANSWER = 50_000;

/**
 * The first buckets of the grid that one answer may hold (`truncated` says buckets were
 * left out). `limit` is applied to the points afterwards, not here: empty buckets are
 * omitted, so only the points tell whether anything after the limit exists.
 */
export function capGrid(grid: { firstStart: number; count: number }): {
  grid: { firstStart: number; count: number };
  truncated: boolean;
} {
  return grid.count > MAX_BUCKETS_PER_ANSWER
    ? { grid: { firstStart: grid.firstStart, count: MAX_BUCKETS_PER_ANSWER }, truncated: true }
    : { grid, truncated: false };
}
