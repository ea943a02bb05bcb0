import { bucketGrid } from '../../domain/time/buckets.js';
import { counterBuckets, counterRawRates, rawCounterStep } from '../../domain/time/counter-rates.js';
import type { MetricsQuery } from '../../protocol/requests.js';
import type { MetricsResponse, RawPoint } from '../../protocol/responses.js';
import type { PrometheusClient, Sample } from '../../upstream/prometheus-client.js';
import { aggregatedAnswer, rawAnswer } from './answer.js';
import { fetchRawSamples } from './fetch.js';
import { checkCandidates } from './single-series.js';
import { answerGrid, RAW_MAX_POINTS } from './steps.js';

/** How far before the first bucket the mirror looks for the sample its first increase starts from. */
export function previousSampleLookback(bucketMs: number): number {
  return Math.min(60 * 60 * 1000, Math.max(5 * 60 * 1000, bucketMs));
}

/**
 * A counter as a per-second rate, computed by the mirror from the stored samples: exact
 * increases between consecutive samples (a drop is a reset), each counted once, in the
 * bucket of its later sample. PromQL's rate() is not used: it extrapolates, and its
 * buckets do not add up.
 */
export async function counterMetrics(
  client: PrometheusClient,
  selector: string,
  query: MetricsQuery,
  nan: 'ZERO' | 'NONE',
): Promise<MetricsResponse> {
  const { startTime, endTime, aggregation, limit } = query;
  if (aggregation) {
    const bucket = aggregation.bucketSizeMillis;
    const grid = answerGrid(startTime, endTime, bucket);
    if (grid.count === 0) return aggregatedAnswer([], nan, limit);
    const samples = await counterSamples(client, selector, grid.firstStart, grid.endMs, bucket);
    return aggregatedAnswer(counterBuckets(samples, grid, bucket, aggregation.method), nan, limit, grid.truncated);
  }
  const step = rawCounterStep(startTime, endTime, Math.min(limit ?? RAW_MAX_POINTS, RAW_MAX_POINTS));
  const grid = bucketGrid(startTime, endTime, step);
  if (grid.count === 0) return rawAnswer([], nan, limit);
  const samples = await counterSamples(client, selector, grid.firstStart, grid.firstStart + grid.count * step, step);
  const points = counterRawRates(samples, startTime, endTime, step).map(([v, t]): RawPoint => [v, t]);
  return rawAnswer(points, nan, limit);
}

/** The samples in [fromMs, toMs) plus the last one before fromMs (where its increase starts). */
async function counterSamples(
  client: PrometheusClient,
  selector: string,
  fromMs: number,
  toMs: number,
  bucketMs: number,
): Promise<Sample[]> {
  const lookback = previousSampleLookback(bucketMs);
  await checkCandidates(client, selector, fromMs - lookback, toMs);
  const { samples } = await fetchRawSamples(client, selector, fromMs - lookback, toMs);
  let firstInRange = samples.findIndex(([t]) => t >= fromMs);
  if (firstInRange === -1) firstInRange = samples.length;
  return samples.slice(Math.max(0, firstInRange - 1));
}
