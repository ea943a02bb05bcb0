import { requireCount, requirePositiveMs, requireWholeMs } from './arguments.js';

/**
 * Splitting work so no single Prometheus call is refused for size. Prometheus (and AMP)
 * refuse a `query_range` whose `(end − start) / step` exceeds 11,000 ("exceeded maximum
 * resolution of 11,000 points per timeseries").
 */

import { MAX_POINTS_PER_SERIES } from '../../contract/limits.js';

export { MAX_POINTS_PER_SERIES };

/** A time span in epoch ms. */
export interface TimeChunk {
  startMs: number;
  endMs: number;
}

/**
 * The `query_range` calls that evaluate `count` points `firstEvalMs + i·stepMs` (i = 0 … count−1)
 * with each point evaluated by exactly one call, in order, and no call holding more than
 * `maxPoints` points. Each chunk is `{ startMs, endMs }` of one call (both evaluated; pass
 * `stepMs` as its step). `count` 0 gives no call.
 *
 * @param maxSpanMs optional bound on `endMs − startMs` of one call (e.g. a store's time-range
 *   limit); a chunk always holds at least one point.
 * @example chunkEvaluations(60_000, 25_000, 60_000) // 3 calls: 11,000 + 11,000 + 3,000 points
 */
export function chunkEvaluations(
  firstEvalMs: number,
  count: number,
  stepMs: number,
  maxPoints: number = MAX_POINTS_PER_SERIES,
  maxSpanMs: number = Number.POSITIVE_INFINITY,
): TimeChunk[] {
  requireWholeMs('firstEvalMs', firstEvalMs);
  requireCount('count', count, 0);
  requirePositiveMs('stepMs', stepMs);
  requireCount('maxPoints', maxPoints, 1);
  if (maxSpanMs !== Number.POSITIVE_INFINITY) requireWholeMs('maxSpanMs', maxSpanMs);
  const perChunk = Math.max(1, Math.min(maxPoints, Math.floor(maxSpanMs / stepMs) + 1));
  const chunks: TimeChunk[] = [];
  for (let first = 0; first < count; first += perChunk) {
    const last = Math.min(count, first + perChunk) - 1;
    chunks.push({ startMs: firstEvalMs + first * stepMs, endMs: firstEvalMs + last * stepMs });
  }
  return chunks;
}
