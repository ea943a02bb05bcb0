import { expect } from 'vitest';
import type { MirrorAnswer } from '../invoke.js';
import type { BucketPoint } from './aggregate.js';
import type { RawPoint } from './raw.js';

/** Relative tolerance for values: the mirror and Prometheus may sum in another order. */
const TOLERANCE = 1e-9;

/** Whether a reported value equals the expected one within the relative tolerance. */
export function closeEnough(actual: unknown, expected: number): boolean {
  if (typeof actual !== 'number') return false;
  return Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected));
}

function show(point: readonly unknown[] | undefined): string {
  if (point === undefined) return 'nothing';
  const times = point.slice(1).map((t) => (typeof t === 'number' ? new Date(t).toISOString() : String(t)));
  return `${JSON.stringify(point)} (${times.join(' – ')})`;
}

/**
 * Undefined when `actual` equals `expected` (timestamps exactly, values within a relative
 * 1e-9); otherwise a sentence that names the first differing point and both lengths.
 */
export function firstDifference(actual: unknown, expected: readonly (BucketPoint | RawPoint)[]): string | undefined {
  if (!Array.isArray(actual)) return `points is not a list: ${JSON.stringify(actual)?.slice(0, 200)}`;
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i] as unknown[] | undefined;
    const e = expected[i];
    const same =
      a !== undefined &&
      e !== undefined &&
      Array.isArray(a) &&
      a.length === e.length &&
      closeEnough(a[0], e[0]) &&
      e.slice(1).every((t, k) => a[k + 1] === t);
    if (!same) {
      return `${actual.length} points, expected ${expected.length}; first difference at #${i}: got ${show(a)}, expected ${show(e)}`;
    }
  }
  return undefined;
}

function describeBody(answer: MirrorAnswer): string {
  return `HTTP ${answer.statusCode}: ${answer.body.slice(0, 400)}`;
}

/** The answer is a 200 AggregatedMetricTelemetry with exactly these points and isPartial. */
export function expectAggregated(answer: MirrorAnswer, expected: { points: BucketPoint[]; isPartial: boolean }): void {
  expect(answer.statusCode, describeBody(answer)).toBe(200);
  const telemetry = answer.json?.telemetry;
  expect(answer.json?._type).toBe('MetricsResponse');
  expect(telemetry?._type).toBe('AggregatedMetricTelemetry');
  expect(telemetry?.dataFormat).toEqual(['value', 'startTimestamp', 'endTimestamp']);
  expect(firstDifference(telemetry?.points, expected.points)).toBeUndefined();
  expect(telemetry?.isPartial).toBe(expected.isPartial);
}

/** The answer is a 200 RawMetricTelemetry with exactly these points and isPartial. */
export function expectRaw(answer: MirrorAnswer, expected: { points: RawPoint[]; isPartial: boolean }): void {
  expect(answer.statusCode, describeBody(answer)).toBe(200);
  const telemetry = answer.json?.telemetry;
  expect(answer.json?._type).toBe('MetricsResponse');
  expect(telemetry?._type).toBe('RawMetricTelemetry');
  expect(telemetry?.dataFormat).toEqual(['value', 'timestamp']);
  expect(firstDifference(telemetry?.points, expected.points)).toBeUndefined();
  expect(telemetry?.isPartial).toBe(expected.isPartial);
}

/** The answer is a typed error body of this `_type` with a 4xx/5xx status. */
export function expectError(answer: MirrorAnswer, type: string, status?: number): void {
  expect(answer.json?._type, describeBody(answer)).toBe(type);
  if (status !== undefined) expect(answer.statusCode, describeBody(answer)).toBe(status);
  else expect(answer.statusCode, describeBody(answer)).toBeGreaterThanOrEqual(400);
}
