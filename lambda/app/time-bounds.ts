import type { TimeBounds } from '../upstream/prometheus-client.js';

/** Field queries may send 0 for "unbounded" ends. */
export function fieldTimeBounds(startTime: number | undefined, endTime: number | undefined): TimeBounds {
  const bounds: TimeBounds = {};
  if (startTime !== undefined && startTime > 0) bounds.startMs = startTime;
  if (endTime !== undefined && endTime > 0) bounds.endMs = endTime;
  return bounds;
}
