/**
 * Statistics over the values of one bucket, with Prometheus' treatment of NaN and ±Inf:
 * NaN makes a sum or a mean NaN; min and max skip NaN unless every value is NaN; a
 * percentile sorts NaN first and interpolates linearly at rank φ·(n−1), as
 * `quantile_over_time` does (so a NaN or an Inf·0 taking part gives NaN).
 */

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export function mean(values: readonly number[]): number {
  return sum(values) / values.length;
}

export function min(values: readonly number[]): number {
  let result = Number.NaN;
  for (const v of values) if (Number.isNaN(result) || v < result) result = v;
  return result;
}

export function max(values: readonly number[]): number {
  let result = Number.NaN;
  for (const v of values) if (Number.isNaN(result) || v > result) result = v;
  return result;
}

/** The φ-quantile (0 ≤ φ ≤ 1) of a non-empty list. */
export function quantile(phi: number, values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const n = sorted.length;
  const rank = phi * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}
