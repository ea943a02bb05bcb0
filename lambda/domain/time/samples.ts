/** One sample: epoch milliseconds and the value (NaN and ±Infinity as stored). */
export type Sample = [timestampMs: number, value: number];

/** One series: its labels and its samples in time order. */
export interface Series {
  labels: Record<string, string>;
  samples: Sample[];
}

/** One text per label set, the same whatever the order of its labels: for telling series apart. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
