import type { DatasetSeries } from '../../fixtures/dataset.js';

/** A condition exactly as a test sends it (InSetValue members plain or typed). */
export interface ConditionJson {
  _type?: 'EqualityCondition';
  key: string;
  value:
    | { _type: 'StringValue'; value: string }
    | { _type: 'DoubleValue'; value: number }
    | { _type: 'BooleanValue'; value: boolean }
    | { _type: 'InSetValue'; value: readonly (Primitive | { _type: string; value: Primitive })[] };
}

type Primitive = string | number | boolean;

/** Reserved keys that choose what is measured. */
export const RESERVED_KEYS: readonly string[] = ['__gauge__', '__counter__', '~'];

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Whether a label text matches one condition value: strings exactly; a number when the text
 * is a plain decimal with that value (2.0 matches "2" and "2.0"); a boolean when the text
 * is "true"/"false".
 */
export function textMatches(text: string | undefined, value: Primitive): boolean {
  const actual = text ?? '';
  if (typeof value === 'string') return actual === value;
  if (typeof value === 'boolean') return actual === String(value);
  return DECIMAL.test(actual) && Number(actual) === value;
}

function members(value: ConditionJson['value']): Primitive[] {
  if (value._type !== 'InSetValue') return [value.value];
  return value.value.map((m) => (typeof m === 'object' ? m.value : m));
}

/** The label text a condition key refers to; the reserved metric keys refer to the name. */
function textOf(series: DatasetSeries, key: string): string | undefined {
  if (key === '__gauge__' || key === '__counter__' || key === '__name__') return series.name;
  return series.labels[key];
}

/** Whether a series satisfies every condition (an empty list matches all). `~` is not modelled. */
export function matchesAll(series: DatasetSeries, conditions: readonly ConditionJson[]): boolean {
  return conditions.every((c) => {
    if (c.key === '~') throw new Error('reference: ~ expressions are not modelled');
    return members(c.value).some((m) => textMatches(textOf(series, c.key), m));
  });
}

/** Whether a series has a sample in [start, end); 0 or undefined bounds are open. */
export function hasSampleIn(series: DatasetSeries, start?: number, end?: number): boolean {
  const from = start === undefined || start === 0 ? Number.NEGATIVE_INFINITY : start;
  const to = end === undefined || end === 0 ? Number.POSITIVE_INFINITY : end;
  return series.samples.some(([t]) => t >= from && t < to);
}

/** The series the conditions select within the time range. */
export function selectSeries(
  dataset: readonly DatasetSeries[],
  conditions: readonly ConditionJson[],
  start?: number,
  end?: number,
): DatasetSeries[] {
  return dataset.filter((s) => matchesAll(s, conditions) && hasSampleIn(s, start, end));
}

/** The label names whose values differ between the given series (a missing label counts as a value). */
export function differingLabels(series: readonly DatasetSeries[]): string[] {
  const names = new Set(series.flatMap((s) => Object.keys(s.labels)));
  return [...names].filter((name) => new Set(series.map((s) => s.labels[name])).size > 1).sort();
}
