import type { AggregationMethod } from '../../protocol/requests.js';
import { InvalidRequestError } from '../errors.js';

/** How the values of one bucket become one number, named for what it does, not for PromQL. */
export type Reduction = 'mean' | 'min' | 'max' | 'sum' | 'count' | 'quantile';

/** Everything the mirror knows about an aggregation method, for gauges, counters and `~` alike. */
export interface AggregationRule {
  readonly reduction: Reduction;
  /** For `quantile`: φ = n/100. */
  readonly quantile?: number;
  /**
   * An empty bucket (no samples) is `0` for SUM, EVENT_COUNT and VALUE_COUNT and omitted for
   * every other method, SUM_NO_ZEROS and EVENT_COUNT_NO_ZEROS included.
   */
  readonly emptyBucket: 'zero' | 'omit';
  /** The PromQL `*_over_time` function Prometheus aggregates gauges and expressions with. */
  readonly promql: string;
}

const percentile = (n: number): AggregationRule => ({
  reduction: 'quantile',
  quantile: n / 100,
  emptyBucket: 'omit',
  promql: 'quantile_over_time',
});

/** Method → reducer, empty-bucket rule, PromQL function: the one table. */
export const AGGREGATIONS: Readonly<Record<AggregationMethod, AggregationRule>> = {
  MEAN: { reduction: 'mean', emptyBucket: 'omit', promql: 'avg_over_time' },
  MIN: { reduction: 'min', emptyBucket: 'omit', promql: 'min_over_time' },
  MAX: { reduction: 'max', emptyBucket: 'omit', promql: 'max_over_time' },
  SUM: { reduction: 'sum', emptyBucket: 'zero', promql: 'sum_over_time' },
  SUM_NO_ZEROS: { reduction: 'sum', emptyBucket: 'omit', promql: 'sum_over_time' },
  EVENT_COUNT: { reduction: 'count', emptyBucket: 'zero', promql: 'count_over_time' },
  VALUE_COUNT: { reduction: 'count', emptyBucket: 'zero', promql: 'count_over_time' },
  EVENT_COUNT_NO_ZEROS: { reduction: 'count', emptyBucket: 'omit', promql: 'count_over_time' },
  PERCENTILE_25: percentile(25),
  PERCENTILE_50: percentile(50),
  PERCENTILE_75: percentile(75),
  PERCENTILE_90: percentile(90),
  PERCENTILE_95: percentile(95),
  PERCENTILE_98: percentile(98),
  PERCENTILE_99: percentile(99),
};

/**
 * The rule of an aggregation method.
 *
 * @throws InvalidRequestError for a method the mirror does not know (also `toString` and friends).
 */
export function aggregationRule(method: AggregationMethod): AggregationRule {
  const found = Object.hasOwn(AGGREGATIONS, method) ? AGGREGATIONS[method] : undefined;
  if (!found) throw new InvalidRequestError('Unknown aggregation', `unknown aggregation method ${String(method)}`);
  return found;
}
