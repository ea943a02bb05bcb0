/** One sample: epoch milliseconds and the value (NaN and ±Infinity as stored). */
export type Sample = [timestampMs: number, value: number];

/** One series: its labels and its samples in time order. */
export interface Series {
  labels: Record<string, string>;
  samples: Sample[];
}
