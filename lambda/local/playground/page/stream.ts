/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// the one module, not the contract's index: the page bundles only what it uses
import { AGGREGATION_METHODS } from '../../../contract/aggregation.js';
import { SELECTOR_KEYS, type SelectorKey } from '../../../contract/names.js';
import type { Condition, ConditionValue, ConnectionDetails, MetricsQuery } from './api.js';

/** The aggregation methods current StackState versions send (the old-only VALUE_COUNT left out). */
export const METHODS = AGGREGATION_METHODS.filter((method) => method !== 'VALUE_COUNT');

export const SELECTORS = SELECTOR_KEYS;
export type Selector = SelectorKey;

/** What the builder holds: the metric, the label conditions (chips), the time and the aggregation. */
export interface Stream {
  selector: Selector;
  /** A metric name, or the PromQL of `~`. */
  metric: string;
  labels: Condition[];
  startTime: number;
  endTime: number;
  method: string;
  bucketSizeMillis: number;
}

export function condition(key: string, value: ConditionValue): Condition {
  return { _type: 'EqualityCondition', key, value };
}

/** The MetricsQuery StackState would send for this stream. */
export function toQuery(stream: Stream): MetricsQuery {
  const query: MetricsQuery = {
    _type: 'MetricsQuery',
    conditions: [condition(stream.selector, { _type: 'StringValue', value: stream.metric }), ...stream.labels],
    startTime: stream.startTime,
    endTime: stream.endTime,
  };
  if (stream.method) query.aggregation = { _type: 'Aggregation', method: stream.method, bucketSizeMillis: stream.bucketSizeMillis };
  return query;
}

/** A shared MetricsQuery back into the builder; throws with a readable reason when it is not one. */
export function fromQuery(value: unknown): Stream {
  const query = value as Partial<MetricsQuery> | null;
  if (typeof query !== 'object' || query === null || !Array.isArray(query.conditions)) {
    throw new Error('the query in the link is not a MetricsQuery (no conditions list)');
  }
  if (typeof query.startTime !== 'number' || typeof query.endTime !== 'number') {
    throw new Error('the query in the link has no startTime / endTime (epoch milliseconds)');
  }
  const selector = query.conditions.find((c) => (SELECTORS as readonly string[]).includes(c?.key));
  return {
    selector: (selector?.key as Selector | undefined) ?? '__gauge__',
    metric: selector ? String(selector.value?.value ?? '') : '',
    labels: query.conditions.filter((c) => c !== selector).map((c) => condition(String(c.key), c.value)),
    startTime: query.startTime,
    endTime: query.endTime,
    method: query.aggregation?.method ?? '',
    bucketSizeMillis: query.aggregation?.bucketSizeMillis ?? 60_000,
  };
}

/** The store part of the form: what goes into StackState's Connection Details JSON. */
export interface Store {
  url: string;
  roleArn: string;
  externalId: string;
  region: string;
  mirrorToken: string;
}

export function toDetails(store: Store): ConnectionDetails {
  const details: ConnectionDetails = { url: store.url };
  if (store.mirrorToken) details.mirror_token = store.mirrorToken;
  if (store.roleArn) {
    const aws: Record<string, string> = { role_arn: store.roleArn };
    if (store.externalId) aws.external_id = store.externalId;
    if (store.region) aws.region_name = store.region;
    details.aws = aws;
  }
  return details;
}

/** `/?url=<store URL>&query=<MetricsQuery JSON>`: opens the playground on this stream. */
export function shareLink(origin: string, url: string, query: MetricsQuery): string {
  const params = new URLSearchParams({ url, query: JSON.stringify(query) });
  return `${origin}/?${params.toString()}`;
}

/** `curl` for the same call straight to the mirror's API (add StackState's key check with -i). */
export function curlOf(origin: string, path: string, request: unknown): string {
  const body = JSON.stringify(request, null, 2).replaceAll("'", `'\\''`);
  return `curl -s -X POST '${origin}/${path}' -H 'content-type: application/json' -d '${body}'`;
}

/** `2026-01-01T00:00:00Z` ↔ epoch milliseconds. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
export function msOf(text: string): number | undefined {
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? ms : undefined;
}
