import { gaugeBucketExpr, fillBuckets } from '../../domain/time/over-time.js';
import type { MetricsQuery } from '../../protocol/requests.js';
import type { MetricsResponse, RawPoint } from '../../protocol/responses.js';
import type { PrometheusClient } from '../../upstream/prometheus-client.js';
import { aggregatedAnswer, rawAnswer } from './answer.js';
import { evaluateBuckets, fetchRawSamplesCached } from '../cache/cached-metrics.js';
import type { CacheScope } from '../cache/cache-scope.js';
import { evaluateRange, requireProgress } from './sample-stream.js';
import { rangeSemanticsOf } from './range-semantics.js';
import { explainNoData, oneSeriesOf } from './single-series.js';
import { answerGrid, gridPrefix, regularEvaluations, regularStep, RAW_MAX_POINTS } from './steps.js';

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
  cache?: CacheScope,
): Promise<MetricsResponse> {
  const { startTime, endTime, aggregation, limit } = query;
  if (aggregation) {
    const bucket = aggregation.bucketSizeMillis;
    const grid = answerGrid(startTime, endTime, bucket);
    if (grid.count === 0) return aggregatedAnswer([], nan, limit);
    const semantics = await rangeSemanticsOf(client);
    const expr = gaugeBucketExpr(selector, aggregation.method, bucket, semantics);
    const { series, evaluated } = await evaluateBuckets(client, cache, expr, grid, bucket, { oneSeries: selector });
    const one = oneSeriesOf(series, selector);
    if (!one && evaluated === grid.count) await explainNoData(client, selector, grid.firstStart, grid.endMs);
    const done = gridPrefix(grid, evaluated, bucket);
    const points = requireProgress(fillBuckets(one?.samples ?? [], done, bucket, aggregation.method), evaluated < grid.count, client);
    return aggregatedAnswer(points, nan, limit, done.truncated);
  }

  const wanted = Math.min(limit ?? Number.POSITIVE_INFINITY, RAW_MAX_POINTS);
  const { samples, complete, capped } = await fetchRawSamplesCached(client, cache, selector, startTime, endTime, wanted);
  if (samples.length === 0 && !capped) await explainNoData(client, selector, startTime, endTime);
  if (complete || capped || (limit !== undefined && limit <= RAW_MAX_POINTS)) {
    return rawAnswer(
      samples.map(([t, v]): RawPoint => [v, t]),
      nan,
      limit,
      !complete,
    );
  }
  // too many stored samples to send: the last value at a regular step (Prometheus' lookback rule)
  const step = regularStep(startTime, endTime, RAW_MAX_POINTS);
  const { firstMs, count } = regularEvaluations(startTime, endTime, step);
  const { series, evaluated } = await evaluateRange(client, selector, firstMs, count, step, { oneSeries: selector });
  const points = requireProgress(
    (oneSeriesOf(series, selector)?.samples ?? []).map(([t, v]): RawPoint => [v, t]),
    evaluated < count,
    client,
  );
  return rawAnswer(points, nan, undefined, evaluated < count);
}
