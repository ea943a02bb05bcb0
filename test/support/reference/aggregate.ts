import type { Sample } from '../../fixtures/dataset.js';
import { bucketOf, bucketStarts } from './buckets.js';
import { max, mean, min, quantile, sum } from './statistics.js';

/** An aggregation method StackState may send. */
export type Method =
  | 'MEAN'
  | 'MIN'
  | 'MAX'
  | 'SUM'
  | 'EVENT_COUNT'
  | 'VALUE_COUNT'
  | 'SUM_NO_ZEROS'
  | 'EVENT_COUNT_NO_ZEROS'
  | 'PERCENTILE_25'
  | 'PERCENTILE_50'
  | 'PERCENTILE_75'
  | 'PERCENTILE_90'
  | 'PERCENTILE_95'
  | 'PERCENTILE_98'
  | 'PERCENTILE_99';

/** Every aggregation method, for tests that cover them all. */
export const METHODS: readonly Method[] = [
  'MEAN',
  'MIN',
  'MAX',
  'SUM',
  'EVENT_COUNT',
  'VALUE_COUNT',
  'SUM_NO_ZEROS',
  'EVENT_COUNT_NO_ZEROS',
  'PERCENTILE_25',
  'PERCENTILE_50',
  'PERCENTILE_75',
  'PERCENTILE_90',
  'PERCENTILE_95',
  'PERCENTILE_98',
  'PERCENTILE_99',
];

/** `nan_interpretation` of the connection details (ZERO is the default). */
export type NanInterpretation = 'ZERO' | 'NONE';

/** [value, bucket start, bucket end] */
export type BucketPoint = [number, number, number];

/** The range, bucket size and method of an aggregated query. */
export interface AggregationWindow {
  startTime: number;
  endTime: number;
  bucketSizeMillis: number;
  method: Method;
  /** Default ZERO, as the mirror's. */
  nan?: NanInterpretation;
}

/** Methods whose empty buckets are reported as 0; every other method omits them. */
const FILLED_WITH_ZERO: ReadonlySet<Method> = new Set(['SUM', 'EVENT_COUNT', 'VALUE_COUNT']);

/**
 * A bucket value as the mirror must report it: NaN per nan_interpretation (ZERO → 0,
 * NONE → no point), ±Inf never (no point).
 */
export function reportable(value: number, nan: NanInterpretation = 'ZERO'): number | undefined {
  if (Number.isNaN(value)) return nan === 'ZERO' ? 0 : undefined;
  if (!Number.isFinite(value)) return undefined;
  return value;
}

/** Quantile φ of a PERCENTILE_x method, undefined for the others. */
export function percentileOf(method: Method): number | undefined {
  const match = /^PERCENTILE_(\d+)$/.exec(method);
  return match ? Number(match[1]) / 100 : undefined;
}

function statistic(method: Method, values: readonly number[]): number {
  const phi = percentileOf(method);
  if (phi !== undefined) return quantile(phi, values);
  switch (method) {
    case 'MEAN':
      return mean(values);
    case 'MIN':
      return min(values);
    case 'MAX':
      return max(values);
    case 'SUM':
    case 'SUM_NO_ZEROS':
      return sum(values);
    default:
      return values.length;
  }
}

interface BucketContent {
  /** The values the statistics run over: samples (gauge) or pair rates (counter). */
  values: number[];
  /** Counter MEAN: Σ increase / Σ Δt · 1000. */
  meanOverride?: number;
}

function assemble(window: AggregationWindow, content: Map<number, BucketContent>): BucketPoint[] {
  const size = window.bucketSizeMillis;
  const points: BucketPoint[] = [];
  for (const s of bucketStarts(window.startTime, window.endTime, size)) {
    const bucket = content.get(s);
    if (bucket === undefined || bucket.values.length === 0) {
      if (FILLED_WITH_ZERO.has(window.method)) points.push([0, s, s + size]);
      continue;
    }
    const raw =
      window.method === 'MEAN' && bucket.meanOverride !== undefined ? bucket.meanOverride : statistic(window.method, bucket.values);
    const value = reportable(raw, window.nan);
    if (value !== undefined) points.push([value, s, s + size]);
  }
  return points;
}

/**
 * A gauge aggregated over time: every bucket `[s, s+B)` overlapping `[startTime, endTime)`
 * summarises the stored samples with `s ≤ t < s+B` — the whole bucket, also where it reaches
 * before startTime or past endTime.
 */
export function aggregateGauge(samples: readonly Sample[], window: AggregationWindow): BucketPoint[] {
  const content = new Map<number, BucketContent>();
  for (const [t, v] of samples) {
    const s = bucketOf(t, window.bucketSizeMillis);
    const bucket = content.get(s) ?? { values: [] };
    bucket.values.push(v);
    content.set(s, bucket);
  }
  return assemble(window, content);
}

/**
 * A counter aggregated over time, as per-second rates. NaN samples are skipped; each pair of
 * consecutive samples (t0,v0),(t1,v1) has increase v1−v0, or v1 after a reset (v1 < v0),
 * and rate increase/(t1−t0)·1000; it belongs to the bucket of t1, wherever t0 lies. MEAN is
 * Σ increase / Σ (t1−t0) · 1000; the other methods run over the pair rates.
 */
export function aggregateCounter(samples: readonly Sample[], window: AggregationWindow): BucketPoint[] {
  const clean = samples.filter(([, v]) => !Number.isNaN(v));
  const content = new Map<number, BucketContent & { increase: number; elapsed: number }>();
  for (let i = 1; i < clean.length; i++) {
    const [t0, v0] = clean[i - 1] as Sample;
    const [t1, v1] = clean[i] as Sample;
    const increase = v1 >= v0 ? v1 - v0 : v1;
    const s = bucketOf(t1, window.bucketSizeMillis);
    const bucket = content.get(s) ?? { values: [], increase: 0, elapsed: 0 };
    bucket.values.push((increase / (t1 - t0)) * 1000);
    bucket.increase += increase;
    bucket.elapsed += t1 - t0;
    bucket.meanOverride = (bucket.increase / bucket.elapsed) * 1000;
    content.set(s, bucket);
  }
  return assemble(window, content);
}
