import { gaugeBucketExpr, fillBuckets } from '../../domain/time/over-time.js';
import { bucketGrid } from '../../domain/time/buckets.js';
import type { MetricsQuery } from '../../protocol/requests.js';
import type { MetricsResponse, RawPoint } from '../../protocol/responses.js';
import type { PrometheusClient } from '../../upstream/prometheus-client.js';
import { aggregatedAnswer, rawAnswer } from './answer.js';
import { evaluateRange, fetchRawSamples } from './fetch.js';
import { rangeSemanticsOf } from './range-semantics.js';
import { requireOneSeries } from './single-series.js';
import { regularStep, RAW_MAX_POINTS, capGrid } from './steps.js';

/**
 * A gauge as it is. Aggregated: Prometheus' `*_over_time` over each bucket [s, s+B) — one
 * point per bucket crosses the network. Raw: the stored samples; where the range holds more
 * than RAW_MAX_POINTS (and `limit` does not ask for fewer), the value at a regular step.
 */
export async function gaugeMetrics(
  client: PrometheusClient,
  selector: string,
  query: MetricsQuery,
  nan: 'ZERO' | 'NONE',
): Promise<MetricsResponse> {
  const { startTime, endTime, aggregation, limit } = query;
  if (aggregation) {
    const bucket = aggregation.bucketSizeMillis;
    const { grid, truncated } = capGrid(bucketGrid(startTime, endTime, bucket));
    if (grid.count === 0) return aggregatedAnswer([], nan, limit);
    await requireOneSeries(client, selector, grid.firstStart, grid.firstStart + grid.count * bucket);
    const semantics = await rangeSemanticsOf(client);
    const expr = gaugeBucketExpr(selector, aggregation.method, bucket, semantics);
    const series = await evaluateRange(client, expr, grid.firstStart + bucket, grid.count, bucket);
    const points = fillBuckets(series[0]?.samples ?? [], grid, bucket, aggregation.method);
    return aggregatedAnswer(points, nan, limit, truncated);
  }

  await requireOneSeries(client, selector, startTime, endTime);
  const wanted = Math.min(limit ?? Number.POSITIVE_INFINITY, RAW_MAX_POINTS);
  const { samples, complete } = await fetchRawSamples(client, selector, startTime, endTime, wanted);
  if (complete || (limit !== undefined && limit <= RAW_MAX_POINTS)) {
    return rawAnswer(samples.map(([t, v]): RawPoint => [v, t]), nan, limit, !complete);
  }
  // too many stored samples to send: the last value at a regular step (Prometheus' lookback rule)
  const step = regularStep(startTime, endTime, RAW_MAX_POINTS);
  const first = Math.ceil(startTime / step) * step;
  const count = first >= endTime ? 0 : Math.ceil((endTime - first) / step);
  const series = await evaluateRange(client, selector, first, count, step);
  return rawAnswer((series[0]?.samples ?? []).map(([t, v]): RawPoint => [v, t]), nan, undefined);
}
