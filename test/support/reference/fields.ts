import type { DatasetSeries, MetricKind } from '../../fixtures/dataset.js';
import { type ConditionJson, RESERVED_KEYS, selectSeries } from './select.js';

export interface FieldScope {
  conditions?: readonly ConditionJson[];
  /** 0 or undefined: unbounded. */
  startTime?: number;
  endTime?: number;
}

/**
 * The real label names (no `__name__`, no pseudo-fields) of the series in scope, sorted.
 * "In scope" means: matches the conditions and has a sample in [startTime, endTime).
 */
export function expectedLabelNames(dataset: readonly DatasetSeries[], scope: FieldScope = {}): string[] {
  const series = selectSeries(dataset, scope.conditions ?? [], scope.startTime, scope.endTime);
  return [...new Set(series.flatMap((s) => Object.keys(s.labels)))].sort();
}

/**
 * The values of a field over the series in scope, sorted and distinct. For `__gauge__` and
 * `__counter__` these are metric names of that kind (the data set's kinds follow the
 * `_total` naming convention, which is all a mirror can tell for backfilled data).
 */
export function expectedFieldValues(
  dataset: readonly DatasetSeries[],
  field: string,
  scope: FieldScope & { prefix?: string } = {},
): string[] {
  const series = selectSeries(dataset, scope.conditions ?? [], scope.startTime, scope.endTime);
  const kind: MetricKind | undefined = field === '__gauge__' ? 'gauge' : field === '__counter__' ? 'counter' : undefined;
  if (field === '~' || (RESERVED_KEYS.includes(field) && kind === undefined)) throw new Error(`reference: values of ${field}`);
  const values =
    kind === undefined
      ? series.flatMap((s) => (field in s.labels ? [s.labels[field] as string] : []))
      : series.filter((s) => s.kind === kind).map((s) => s.name);
  const prefix = scope.prefix ?? '';
  return [...new Set(values.filter((v) => v.startsWith(prefix)))].sort();
}
