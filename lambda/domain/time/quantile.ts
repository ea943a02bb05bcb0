/**
 * The one percentile definition of the mirror, equal to Prometheus' `quantile_over_time`
 * (and `quantile`): sort the n values ascending, take the rank `φ·(n−1)` (0-based) and
 * interpolate linearly between the two closest ranks. With values v₀ ≤ … ≤ vₙ₋₁,
 * r = φ(n−1), i = ⌊r⌋, w = r − i:  result = vᵢ·(1−w) + vᵢ₊₁·w  (vᵢ₊₁ := vₙ₋₁ past the end).
 * This is "type 7" of Hyndman & Fan, the default of R and NumPy.
 *
 * Like Prometheus: no values → NaN, φ < 0 → −Inf, φ > 1 → +Inf, φ NaN → NaN.
 * Using the same definition for counters (computed here) and gauges (computed by
 * Prometheus) makes their percentiles agree.
 *
 * @param phi the quantile, 0 ≤ φ ≤ 1 (PERCENTILE_90 → 0.9)
 * @param values the values; not modified
 * @example quantile(0.5, [1, 2, 3, 4]) // 2.5: r = 0.5·3 = 1.5 → 2·0.5 + 3·0.5
 */
export function quantile(phi: number, values: readonly number[]): number {
  if (values.length === 0 || Number.isNaN(phi)) return Number.NaN;
  if (phi < 0) return Number.NEGATIVE_INFINITY;
  if (phi > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = phi * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low * (1 - weight) + high * weight;
}
