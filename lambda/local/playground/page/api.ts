/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { PlaygroundCallAnswer } from '../routes.js';

/** The Mirror API JSON shapes the page builds and reads (see docs/mirror-api.md). */
export type ConditionValue =
  | { _type: 'StringValue'; value: string }
  | { _type: 'DoubleValue'; value: number }
  | { _type: 'BooleanValue'; value: boolean }
  | { _type: 'InSetValue'; value: unknown[] };
export interface Condition {
  _type: 'EqualityCondition';
  key: string;
  value: ConditionValue;
}
export interface Aggregation {
  _type: 'Aggregation';
  method: string;
  bucketSizeMillis: number;
}
export interface MetricsQuery {
  _type: 'MetricsQuery';
  conditions: Condition[];
  startTime: number;
  endTime: number;
  aggregation?: Aggregation;
}
export type ConnectionDetails = Record<string, unknown>;

// biome-ignore lint/suspicious/noExplicitAny: the mirror's answer JSON, which the page reads field by field
export type CallAnswer = PlaygroundCallAnswer & { json: any };
export type CallPath = 'api/connection' | 'api/field/name' | 'api/field/value' | 'api/metric';

/** One Mirror API call through the playground endpoint: the answer as StackState gets it, plus the trace. */
export async function mirrorCall(path: CallPath, request: unknown): Promise<CallAnswer> {
  const response = await fetch('/playground/call', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path, request }),
  });
  const answer = (await response.json()) as PlaygroundCallAnswer & { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `the playground answered ${response.status}`);
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    json = undefined;
  }
  return { ...answer, json };
}

/** A field descriptor as StackState sends it in a field values query. */
export function field(fieldName: string) {
  return { _type: 'FieldDescriptor', fieldName, fieldType: 'STRING', classified: false };
}

/** The condition value as a user reads it. */
export function showValue(value: ConditionValue): string {
  return value._type === 'InSetValue' ? `{${value.value.map(String).join(', ')}}` : String(value.value);
}
