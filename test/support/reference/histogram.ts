import { FACTS } from '../../fixtures/dataset.js';

/**
 * The φ-quantile of one classic histogram, from its cumulative bucket counts by upper bound
 * (ascending, the last `+Inf`), as `histogram_quantile` estimates it: linear interpolation
 * inside the bucket that holds rank φ·total, the first bucket starting at 0; a rank in the
 * `+Inf` bucket gives the highest finite bound. NaN without observations.
 */
export function classicQuantile(phi: number, bounds: readonly number[], cumulative: readonly number[]): number {
  if (bounds.length !== cumulative.length || bounds.at(-1) !== Number.POSITIVE_INFINITY || bounds.length < 2) {
    throw new Error('reference: a classic histogram needs matching bounds and counts, the last +Inf');
  }
  const total = cumulative.at(-1) as number;
  if (!(total > 0)) return Number.NaN;
  const rank = phi * total;
  const b = cumulative.findIndex((count) => count >= rank);
  if (b === bounds.length - 1) return bounds.at(-2) as number;
  const below = b === 0 ? 0 : (cumulative[b - 1] as number);
  const lower = b === 0 ? 0 : (bounds[b - 1] as number);
  const upper = bounds[b] as number;
  return lower + ((upper - lower) * (rank - below)) / ((cumulative[b] as number) - below);
}

/** A time span of the latency histogram in which every window has one shape, and its φ-quantile. */
export interface LatencyPhase {
  from: number;
  to: number;
  quantile: number;
}

/**
 * The spans of the data set's latency histogram inside which the quantile of the rates over
 * any window is the phase's own (every bucket grows in the phase's proportion): each phase,
 * split at the reset (a window across it mixes the values before the reset in).
 */
export function latencyPhases(phi: number, end: number): LatencyPhase[] {
  const f = FACTS.latency;
  const bounds = f.bounds.map((le) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)));
  const cuts = [...f.phases.map((p) => p.from), f.resetTime, end].sort((a, b) => a - b);
  return cuts.slice(0, -1).map((from, i) => {
    const phase = f.phases.findLast((p) => p.from <= from) ?? (f.phases[0] as (typeof f.phases)[number]);
    return { from, to: cuts[i + 1] as number, quantile: classicQuantile(phi, bounds, phase.buckets) };
  });
}
