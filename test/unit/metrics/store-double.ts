import { PROBE_EXPR } from '../../../lambda/domain/time/buckets.js';
import { PrometheusClient } from '../../../lambda/upstream/prometheus-client.js';
import type { Transport, UpstreamResponse } from '../../../lambda/upstream/transport.js';

/** One stored series: its labels and samples `[epoch ms, value]`, oldest first. */
export interface StoredSeries {
  labels: Record<string, string>;
  samples: [number, number][];
}

/** What the double was asked: the API endpoint and its form parameters. */
export interface SentCall {
  endpoint: string;
  params: URLSearchParams;
}

export interface StoreDoubleOptions {
  /** The stored series: listed by `series`, read by range selectors (`sel[Nms]` instant queries). */
  stored?: StoredSeries[];
  /** How the engine reads range selectors: 3.x is left-open, 2.x closed (the probe tells them apart). */
  engine?: 'closed' | 'left-open';
  /** The answer to a query_range call (the double does not evaluate PromQL). */
  queryRange?: (expr: string, startMs: number, endMs: number, stepMs: number) => StoredSeries[];
  /** The answer to a metadata call for one metric (404 without it). */
  metadata?: (metric: string) => Record<string, { type: string }[]>;
}

let stores = 0;

/**
 * A Prometheus HTTP API double behind the client's transport seam: no network, no PromQL
 * engine. It answers the index (`series`), the range-semantics probe, range selectors from the
 * stored samples (with the engine's boundary rule), query_range from `options.queryRange` and
 * metadata from `options.metadata`;
 * it records every call. Each double has its own base URL, so the per-store probe cache of one
 * test does not answer for another.
 */
export function storeDouble(options: StoreDoubleOptions = {}): { client: PrometheusClient; sent: SentCall[] } {
  const stored = options.stored ?? [];
  const engine = options.engine ?? 'closed';
  const sent: SentCall[] = [];
  const transport: Transport = async (request) => {
    const endpoint = request.url.pathname.replace(/^.*\/api\/v1\//, '');
    const params = new URLSearchParams(request.body ?? request.url.search);
    sent.push({ endpoint, params });
    if (endpoint === 'series') return success(stored.map((s) => s.labels));
    if (endpoint === 'query') return success(instant(params.get('query') ?? '', seconds(params.get('time')), stored, engine));
    if (endpoint === 'query_range') {
      const answer =
        options.queryRange?.(
          params.get('query') ?? '',
          seconds(params.get('start')),
          seconds(params.get('end')),
          seconds(params.get('step')),
        ) ?? [];
      return success({ resultType: 'matrix', result: answer.map(toMatrixEntry) });
    }
    if (endpoint === 'metadata' && options.metadata) return success(options.metadata(params.get('metric') ?? ''));
    return { status: 404, headers: {}, body: 'not found' };
  };
  stores += 1;
  return {
    client: new PrometheusClient({ baseUrl: `http://store-${stores}.test:9090`, transport, signal: AbortSignal.timeout(10_000) }),
    sent,
  };
}

/** The queries of one endpoint, in the order they were sent. */
export function queriesTo(sent: SentCall[], endpoint: string): string[] {
  return sent.filter((call) => call.endpoint === endpoint).map((call) => call.params.get('query') ?? '');
}

function instant(query: string, timeMs: number, stored: StoredSeries[], engine: 'closed' | 'left-open'): unknown {
  if (query === PROBE_EXPR) {
    return { resultType: 'vector', result: [{ metric: {}, value: [timeMs / 1000, engine === 'closed' ? '3' : '2'] }] };
  }
  const range = /^(.*)\[(\d+)ms\]$/.exec(query);
  if (!range) throw new Error(`the store double cannot evaluate ${query}`);
  const windowMs = Number(range[2]);
  const inWindow = ([t]: [number, number]) => t <= timeMs && (engine === 'closed' ? t >= timeMs - windowMs : t > timeMs - windowMs);
  const result = stored
    .filter((s) => selects(range[1] as string, s.labels))
    .map((s) => ({ labels: s.labels, samples: s.samples.filter(inWindow) }))
    .filter((s) => s.samples.length > 0)
    .map(toMatrixEntry);
  return { resultType: 'matrix', result };
}

/** `name{a="x",…}` against a label set: equality matchers only, enough for these tests. */
function selects(selector: string, labels: Record<string, string>): boolean {
  const match = /^([a-zA-Z_:][\w:]*)?(?:\{(.*)\})?$/.exec(selector);
  if (!match) throw new Error(`the store double cannot read the selector ${selector}`);
  if (match[1] !== undefined && labels.__name__ !== match[1]) return false;
  const pairs = [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)];
  return pairs.every(([, name, value]) => labels[name as string] === value);
}

function toMatrixEntry(series: StoredSeries) {
  return { metric: series.labels, values: series.samples.map(([t, v]) => [t / 1000, String(v)]) };
}

function success(data: unknown): UpstreamResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'success', data }) };
}

function seconds(text: string | null): number {
  return Math.round(Number(text) * 1000);
}
