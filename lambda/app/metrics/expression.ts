import { MetricNotFoundError } from '../../errors.js';
import { assertPromql } from '../../domain/promql/promql-check.js';
import { bucketGrid } from '../../domain/time/buckets.js';
import { expressionBucketExpr, fillBuckets } from '../../domain/time/over-time.js';
import type { MetricsQuery } from '../../protocol/requests.js';
import type { MetricsResponse, RawPoint } from '../../protocol/responses.js';
import type { PrometheusClient, Series } from '../../upstream/prometheus-client.js';
import { aggregatedAnswer, rawAnswer } from './answer.js';
import { evaluateRange } from './fetch.js';
import { rangeSemanticsOf } from './range-semantics.js';
import { assertOneSeries } from './single-series.js';
import { EXPRESSION_RAW_MIN_STEP_MS, RAW_MAX_POINTS, regularStep, capGrid } from './steps.js';

/**
 * A PromQL expression as written (`~`). Checked for syntax before anything is sent.
 * Aggregated: a subquery aggregates it over time inside each bucket. Raw: evaluated at a
 * regular step (EXPRESSION_RAW_MIN_STEP_MS, coarser where the range needs it).
 */
export async function expressionMetrics(
  client: PrometheusClient,
  expr: string,
  query: MetricsQuery,
  nan: 'ZERO' | 'NONE',
): Promise<MetricsResponse> {
  assertPromql(expr);
  const { startTime, endTime, aggregation, limit } = query;
  if (aggregation) {
    const bucket = aggregation.bucketSizeMillis;
    const { grid, truncated } = capGrid(bucketGrid(startTime, endTime, bucket));
    if (grid.count === 0) return aggregatedAnswer([], nan, limit);
    const semantics = await rangeSemanticsOf(client);
    const wrapped = expressionBucketExpr(expr, aggregation.method, bucket, semantics);
    const series = await evaluateRange(client, wrapped, grid.firstStart + bucket, grid.count, bucket);
    const one = single(series, expr, grid.firstStart, grid.firstStart + grid.count * bucket);
    return aggregatedAnswer(fillBuckets(one.samples, grid, bucket, aggregation.method), nan, limit, truncated);
  }
  const step = regularStep(startTime, endTime, RAW_MAX_POINTS, EXPRESSION_RAW_MIN_STEP_MS);
  const first = Math.ceil(startTime / step) * step;
  const count = first >= endTime ? 0 : Math.ceil((endTime - first) / step);
  if (count === 0) return rawAnswer([], nan, limit);
  const series = await evaluateRange(client, expr, first, count, step);
  const one = single(series, expr, startTime, endTime);
  return rawAnswer(one.samples.map(([t, v]): RawPoint => [v, t]), nan, limit);
}

function single(series: Series[], expr: string, startMs: number, endMs: number): Series {
  if (series.length === 0 || series.every((s) => s.samples.length === 0)) {
    throw new MetricNotFoundError(
      expr,
      `The expression returned no data between ${new Date(startMs).toISOString()} and ${new Date(endMs).toISOString()}.`,
    );
  }
  assertOneSeries(series.map((s) => s.labels), expr, startMs, endMs);
  return series[0] as Series;
}
