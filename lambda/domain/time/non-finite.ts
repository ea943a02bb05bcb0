/**
 * How NaN and ±Inf values leave the mirror: JSON has no such numbers. The connection detail
 * `nan_interpretation` chooses for NaN — `ZERO` (the default) answers 0, `NONE` drops the
 * point — and ±Inf points are always dropped.
 */

/** The `nan_interpretation` modes. */
export type NanInterpretation = 'ZERO' | 'NONE';

/**
 * Applies the NaN interpretation to points whose value is at index 0 (raw `[value, t]` and
 * aggregated `[value, start, end]` alike). Returns a new list; a zeroed point is a copy, so the
 * input is not changed.
 *
 * @example applyNanInterpretation([[NaN, 1], [2, 2], [Infinity, 3]], 'ZERO') // [[0, 1], [2, 2]]
 */
export function applyNanInterpretation<P extends number[]>(points: readonly P[], mode: NanInterpretation): P[] {
  const out: P[] = [];
  for (const point of points) {
    const value = point[0];
    if (value === undefined || value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) continue;
    if (Number.isNaN(value)) {
      if (mode === 'NONE') continue;
      const zeroed = [...point] as P;
      zeroed[0] = 0;
      out.push(zeroed);
      continue;
    }
    out.push(point);
  }
  return out;
}
