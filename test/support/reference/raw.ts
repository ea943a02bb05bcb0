import type { Sample } from '../../fixtures/dataset.js';
import { type NanInterpretation, reportable } from './aggregate.js';

/** [value, timestamp] */
export type RawPoint = [number, number];

export interface RawWindow {
  startTime: number;
  endTime: number;
  limit?: number | undefined;
  nan?: NanInterpretation | undefined;
}

/**
 * A raw gauge: the stored samples with startTime ≤ t < endTime, oldest first, values as
 * stored (NaN per nan_interpretation, ±Inf left out). `limit` keeps the oldest `limit`
 * points; isPartial says whether any point was cut.
 */
export function rawGauge(samples: readonly Sample[], window: RawWindow): { points: RawPoint[]; isPartial: boolean } {
  const points: RawPoint[] = [];
  for (const [t, v] of samples) {
    if (t < window.startTime || t >= window.endTime) continue;
    const value = reportable(v, window.nan);
    if (value !== undefined) points.push([value, t]);
  }
  if (window.limit !== undefined && points.length > window.limit) {
    return { points: points.slice(0, window.limit), isPartial: true };
  }
  return { points, isPartial: false };
}
