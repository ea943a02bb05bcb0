import type { DatasetSeries } from '../../fixtures/dataset.js';
import { type BucketPoint, type Method, type NanInterpretation, aggregateCounter, aggregateGauge } from './aggregate.js';
import { type RawPoint, rawGauge } from './raw.js';
import { type ConditionJson, differingLabels, selectSeries } from './select.js';

/** The parts of a MetricsQuery the reference needs (as a test sends them). */
export interface MetricsQueryJson {
  conditions: readonly ConditionJson[];
  startTime: number;
  endTime: number;
  limit?: number;
  aggregation?: { method: Method; bucketSizeMillis: number };
}

export type ExpectedMetrics =
  | { outcome: 'raw'; points: RawPoint[]; isPartial: boolean; series: DatasetSeries }
  | { outcome: 'aggregated'; points: BucketPoint[]; isPartial: boolean; series: DatasetSeries }
  | { outcome: 'not-found' }
  | { outcome: 'several-series'; differingLabels: string[]; series: DatasetSeries[] };

/**
 * What the mirror must answer to a metrics query over the data set: the one selected
 * series aggregated or raw, or why there is no answer. Handles `__gauge__` and `__counter__`
 * (not `~`, and not raw counters, whose step the mirror chooses).
 */
export function expectedMetrics(
  dataset: readonly DatasetSeries[],
  query: MetricsQueryJson,
  nan: NanInterpretation = 'ZERO',
): ExpectedMetrics {
  const target = query.conditions.filter((c) => c.key === '__gauge__' || c.key === '__counter__');
  if (target.length !== 1 || query.conditions.some((c) => c.key === '~')) {
    throw new Error('reference: exactly one __gauge__ or __counter__ condition, and no ~');
  }
  const isCounter = target[0]?.key === '__counter__';
  const series = selectSeries(dataset, query.conditions, query.startTime, query.endTime);
  if (series.length === 0) return { outcome: 'not-found' };
  if (series.length > 1) return { outcome: 'several-series', differingLabels: differingLabels(series), series };
  const only = series[0] as DatasetSeries;
  if (query.aggregation === undefined) {
    if (isCounter) throw new Error('reference: raw counters are not modelled');
    const raw = rawGauge(only.samples, { startTime: query.startTime, endTime: query.endTime, limit: query.limit, nan });
    return { outcome: 'raw', ...raw, series: only };
  }
  const window = { startTime: query.startTime, endTime: query.endTime, nan, ...query.aggregation };
  const all = isCounter ? aggregateCounter(only.samples, window) : aggregateGauge(only.samples, window);
  const limit = query.limit;
  const cut = limit !== undefined && all.length > limit;
  return { outcome: 'aggregated', points: cut ? all.slice(0, limit) : all, isPartial: cut, series: only };
}

/** The expected aggregated answer; throws when the query does not select exactly one series. */
export function expectedAggregated(
  dataset: readonly DatasetSeries[],
  query: MetricsQueryJson,
  nan: NanInterpretation = 'ZERO',
): { points: BucketPoint[]; isPartial: boolean; series: DatasetSeries } {
  const expected = expectedMetrics(dataset, query, nan);
  if (expected.outcome !== 'aggregated') throw new Error(`reference: the query gives ${expected.outcome}`);
  return expected;
}

/** The expected raw answer; throws when the query does not select exactly one series. */
export function expectedRaw(
  dataset: readonly DatasetSeries[],
  query: MetricsQueryJson,
  nan: NanInterpretation = 'ZERO',
): { points: RawPoint[]; isPartial: boolean; series: DatasetSeries } {
  const expected = expectedMetrics(dataset, query, nan);
  if (expected.outcome !== 'raw') throw new Error(`reference: the query gives ${expected.outcome}`);
  return expected;
}
