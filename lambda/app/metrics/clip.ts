import type { MetricsQuery } from '../../protocol/requests.js';

/** Raw requests may reach this far past now (a sample a little ahead of the clock). */
export const RAW_FUTURE_MS = 60_000;

/**
 * The query with its range clipped to where data can be: not before the oldest data the store
 * can hold (`retentionMs` before now), not after now plus one bucket (one minute for raw). The
 * work of a request then depends on the store's retention, not on the numbers it was sent
 * (startTime 0 to the year 4707 is a few years of buckets). An empty range stays empty.
 */
export function clipToData(query: MetricsQuery, retentionMs: number, nowMs: number = Date.now()): MetricsQuery {
  const ahead = query.aggregation?.bucketSizeMillis ?? RAW_FUTURE_MS;
  const endTime = Math.min(query.endTime, nowMs + ahead);
  const startTime = Math.min(Math.max(query.startTime, nowMs - retentionMs), endTime);
  if (startTime === query.startTime && endTime === query.endTime) return query;
  return { ...query, startTime, endTime };
}
