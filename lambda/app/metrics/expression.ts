import { expressionBucketExpr, fillBuckets } from '../../domain/time/over-time.js';
import type { MetricsQuery } from '../../protocol/requests.js';
import type { MetricsResponse, RawPoint } from '../../protocol/responses.js';
import type { PrometheusClient, Series } from '../../upstream/prometheus-client.js';
import { aggregatedAnswer, rawAnswer } from './answer.js';
import { evaluateBuckets } from '../cache/cached-metrics.js';
import type { CacheScope } from '../cache/cache-scope.js';
import { evaluateRange, requireProgress } from './sample-stream.js';
import { rangeSemanticsOf } from './range-semantics.js';
import { notFound, oneSeriesOf } from './single-series.js';
import { answerGrid, EXPRESSION_RAW_MIN_STEP_MS, gridPrefix, RAW_MAX_POINTS, regularEvaluations, regularStep } from './steps.js';

/**
 * A PromQL expression as written (`~`), already syntax-checked by `interpretConditions`.
 * Aggregated: a subquery aggregates it over time inside each bucket. Raw: evaluated at a
 * regular step (EXPRESSION_RAW_MIN_STEP_MS, coarser where the range needs it).
 */
export async function expressionMetrics(
  client: PrometheusClient,
  expr: string,
  query: MetricsQuery,
  nan: 'ZERO' | 'NONE',
  maxQuerySamples?: number,
  cache?: CacheScope,
): Promise<MetricsResponse> {
  const { startTime, endTime, aggregation, limit } = query;
  if (aggregation) {
    const bucket = aggregation.bucketSizeMillis;
    const grid = answerGrid(startTime, endTime, bucket);
    if (grid.count === 0) return aggregatedAnswer([], nan, limit);
    const semantics = await rangeSemanticsOf(client);
    const wrapped = expressionBucketExpr(expr, aggregation.method, bucket, semantics);
    const options = { oneSeries: expr, ...(maxQuerySamples !== undefined ? { maxQuerySamples } : {}) };
    const { series, evaluated } = await evaluateBuckets(client, cache, wrapped, grid, bucket, options);
    const done = gridPrefix(grid, evaluated, bucket);
    if (series.length === 0) requireProgress([], evaluated < grid.count, client);
    const one = single(series, expr, done.firstStart, done.endMs);
    const points = requireProgress(fillBuckets(one.samples, done, bucket, aggregation.method), evaluated < grid.count, client);
    return aggregatedAnswer(points, nan, limit, done.truncated);
  }
  const step = regularStep(startTime, endTime, RAW_MAX_POINTS, EXPRESSION_RAW_MIN_STEP_MS);
  const { firstMs, count } = regularEvaluations(startTime, endTime, step);
  if (count === 0) return rawAnswer([], nan, limit);
  const options = { oneSeries: expr, ...(maxQuerySamples !== undefined ? { maxQuerySamples } : {}) };
  const { series, evaluated } = await evaluateRange(client, expr, firstMs, count, step, options);
  if (series.length === 0) requireProgress([], evaluated < count, client);
  const one = single(series, expr, startTime, endTime);
  const points = requireProgress(
    one.samples.map(([t, v]): RawPoint => [v, t]),
    evaluated < count,
    client,
  );
  return rawAnswer(points, nan, limit, evaluated < count);
}

/** An expression names no series up front: no data at all is the not-found answer. */
function single(series: Series[], expr: string, startMs: number, endMs: number): Series {
  const one = oneSeriesOf(series, expr);
  if (!one) throw notFound(expr, startMs, endMs);
  return one;
}
