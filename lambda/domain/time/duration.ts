import { requirePositiveMs } from './arguments.js';

/** Fixed-length PromQL units, largest first (`w` and `y` are left out: `d` reads better). */
const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * Milliseconds → a PromQL duration in the largest single unit that expresses it exactly:
 * `60000` → `1m`, `59999` → `59999ms`, `90000` → `90s`. Single-unit durations parse on every
 * Prometheus 2.x/3.x and on AMP (compound ones like `1m30s` need a newer parser).
 *
 * @throws InvalidRequestError when `ms` is not a whole number greater than 0.
 * @example promDuration(3_600_000) // '1h'
 */
export function promDuration(ms: number): string {
  requirePositiveMs('duration', ms);
  for (const [unit, size] of UNITS) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`; // unreachable: every whole ms is a multiple of 1 ms
}
