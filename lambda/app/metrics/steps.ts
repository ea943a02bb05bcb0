/** Prometheus refuses query_range answers of more than 11,000 points per series; raw answers stay within it too. */
export const RAW_MAX_POINTS = 11_000;

/** The smallest step (whole seconds, at least `minMs`) that covers [start, end) in at most `maxPoints` points. */
export function regularStep(startMs: number, endMs: number, maxPoints: number, minMs = 1_000): number {
  const span = Math.max(1, endMs - startMs);
  return Math.max(minMs, Math.ceil(span / maxPoints / 1000) * 1000);
}

/** Raw `~` expressions are evaluated at this step unless the range needs a coarser one. */
export const EXPRESSION_RAW_MIN_STEP_MS = 15_000;
