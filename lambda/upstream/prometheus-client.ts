import { notPrometheusError, upstreamHttpError } from './upstream-errors.js';
import type { Deadline } from '../deadline.js';
import { MetricStoreConnectionError } from '../errors.js';
import { parseStoreUrl, type StoreUrl } from './store-url.js';
import type { Transport, UpstreamRequest, UpstreamResponse } from './transport.js';
import { AnswerTooLargeError, CallCapError } from './upstream-limits.js';
import { type OnSeries, readQueryAnswer } from './query-answer.js';

export { CallCapError } from './upstream-limits.js';
export type { OnSeries } from './query-answer.js';

import type { Sample, Series } from '../domain/time/samples.js';

export type { Sample, Series } from '../domain/time/samples.js';

export interface MetricMetadata {
  type: string;
  help?: string;
  unit?: string;
}

export interface TimeBounds {
  /** Epoch ms; undefined means unbounded. */
  startMs?: number;
  endMs?: number;
}

export interface PrometheusClientOptions {
  /**
   * The store's base URL: a Prometheus root or an AMP workspace URL (…/workspaces/<id>),
   * optionally ending in /api/v1; text is read by `parseStoreUrl` (refused unless in normal form).
   */
  baseUrl: string | StoreUrl;
  transport: Transport;
  /** Aborts every request at the invocation's deadline. */
  signal: AbortSignal;
  /** When the request's time ends: each query's `timeout` parameter is read from it. */
  deadline?: Deadline;
  /** The store's cap on a query's `timeout` (AMP's, see AMP_QUERY_TIMEOUT_CAP_MS). Default: none. */
  queryTimeoutCapMs?: number;
  /** Bytes of one answer the client reads at most (AnswerTooLargeError past it). Default: unbounded. */
  maxAnswerBytes?: number;
  /** Calls one request may make (CallCapError past it; callers check `callsLeft` to stop early). */
  maxCalls?: number;
  /** Told what the store processed for each query, where it says (`stats=all`: AMP's billing unit). */
  /** Sent with every query and query_range after the others (AMP: `max_samples_processed_error_threshold`). */
  queryParams?: readonly [string, string][] | undefined;
  onSamplesProcessed?: (samples: number) => void;
}

/**
 * A small client of the Prometheus HTTP API (also AMP's query API). POSTs form bodies
 * wherever the API accepts them, so PromQL never rides in a URL; parses answers into
 * numbers (NaN/±Inf included) and millisecond timestamps; turns failures into typed errors.
 */
export class PrometheusClient {
  readonly base: URL;
  /** The normal form requests are built on: `base` + `/api/v1/<endpoint>`, by appending only. */
  private readonly store: StoreUrl;
  /** Requests sent, counted against `maxCalls`. */
  calls = 0;

  constructor(private readonly options: PrometheusClientOptions) {
    this.store = typeof options.baseUrl === 'string' ? parseStoreUrl(options.baseUrl) : options.baseUrl;
    this.base = new URL(this.store.base);
  }

  /** Instant query: matrix answers (range selectors) come back as series with all samples. */
  async query(expr: string, timeMs: number, onSeries?: OnSeries): Promise<InstantResult> {
    const data = await this.callStreaming(
      'query',
      [['query', expr], ['time', formatTime(timeMs)], ['stats', 'all'], ...this.timeoutParam(), ...(this.options.queryParams ?? [])],
      onSeries,
    );
    this.reportStats(data);
    return parseInstant(data, this.base.origin);
  }

  /** Prometheus 2.x/3.x and AMP answer `stats=all` with `data.stats.samples.totalQueryableSamples`. */
  private reportStats(data: unknown): void {
    const samples = (data as { stats?: { samples?: { totalQueryableSamples?: unknown } } } | null)?.stats?.samples?.totalQueryableSamples;
    if (typeof samples === 'number' && Number.isFinite(samples) && samples >= 0) this.options.onSamplesProcessed?.(samples);
  }

  /** The per-request cap on calls (Infinity without one). */
  get maxCalls(): number {
    return this.options.maxCalls ?? Number.POSITIVE_INFINITY;
  }

  /** Calls left before the per-request cap (Infinity without one). */
  get callsLeft(): number {
    return this.maxCalls - this.calls;
  }

  /** The refusal of a request that needs more calls than the cap: the one way it is built. */
  callCapError(): CallCapError {
    return new CallCapError(this.maxCalls);
  }

  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number, onSeries?: OnSeries): Promise<Series[]> {
    const data = await this.callStreaming(
      'query_range',
      [
        ['query', expr],
        ['start', formatTime(startMs)],
        ['end', formatTime(endMs)],
        ['step', formatTime(stepMs)],
        ['stats', 'all'],
        ...this.timeoutParam(),
        ...(this.options.queryParams ?? []),
      ],
      onSeries,
    );
    this.reportStats(data);
    const result = parseInstant(data, this.base.origin);
    if (result.resultType !== 'matrix') throw notPrometheusError(this.base.origin, 'query_range did not answer a matrix');
    return result.series;
  }

  /** Label sets of the series that match any of the selectors. */
  async series(matchers: string[], bounds: TimeBounds = {}): Promise<Record<string, string>[]> {
    const data = await this.call('POST', 'series', [...matchParams(matchers), ...boundParams(bounds)]);
    if (!Array.isArray(data)) throw notPrometheusError(this.base.origin, 'series is not a list');
    return data as Record<string, string>[];
  }

  async labelNames(matchers: string[], bounds: TimeBounds = {}): Promise<string[]> {
    const data = await this.call('POST', 'labels', [...matchParams(matchers), ...boundParams(bounds)]);
    return stringList(data, this.base.origin, 'labels');
  }

  async labelValues(name: string, matchers: string[], bounds: TimeBounds = {}): Promise<string[]> {
    const data = await this.call('GET', `label/${encodeURIComponent(name)}/values`, [...matchParams(matchers), ...boundParams(bounds)]);
    return stringList(data, this.base.origin, 'label values');
  }

  /** Metric family name → metadata entries. Empty where the store keeps none (backfilled data). */
  async metadata(options: { limit?: number; metric?: string } = {}): Promise<Record<string, MetricMetadata[]>> {
    const params: [string, string][] = options.limit !== undefined ? [['limit', String(options.limit)]] : [];
    if (options.metric !== undefined) params.push(['metric', options.metric]);
    const data = await this.call('GET', 'metadata', params);
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw notPrometheusError(this.base.origin, 'metadata is not an object');
    }
    return data as Record<string, MetricMetadata[]>;
  }

  async buildInfo(): Promise<{ version?: string }> {
    const data = await this.call('GET', 'status/buildinfo', []);
    return (data && typeof data === 'object' ? data : {}) as { version?: string };
  }

  private timeoutParam(): [string, string][] {
    const deadline = this.options.deadline;
    return deadline === undefined ? [] : [['timeout', deadline.queryTimeout(this.options.queryTimeoutCapMs)]];
  }

  /** `<base>/api/v1/<endpoint>`, appended to the exact base; refused if the parser would read it otherwise. */
  private endpointUrl(endpoint: string): URL {
    const path = `${this.store.path}/api/v1/${endpoint}`;
    const url = new URL(`${this.store.base}/api/v1/${endpoint}`);
    if (url.origin !== this.base.origin || url.pathname !== path) {
      throw new MetricStoreConnectionError('bad-query', "A label name in the request would change the store URL's path.");
    }
    return url;
  }

  private async call(method: 'GET' | 'POST', endpoint: string, params: [string, string][]): Promise<unknown> {
    const response = await this.send(method, endpoint, params, false);
    if (response.body.length > (this.options.maxAnswerBytes ?? Number.POSITIVE_INFINITY)) {
      throw new AnswerTooLargeError(this.base.origin, this.options.maxAnswerBytes as number);
    }
    let parsed: { status?: unknown; data?: unknown };
    try {
      parsed = JSON.parse(response.body) as { status?: unknown; data?: unknown };
    } catch {
      throw notPrometheusError(this.base.origin, `the ${endpoint} answer is not JSON`);
    }
    if (parsed?.status !== 'success') throw upstreamHttpError({ ...response, status: 422 }, this.base.origin);
    return parsed.data;
  }

  /**
   * A query answer read as it arrives: at most `maxAnswerBytes`, series handed to `onSeries`
   * as soon as their labels are read. Returns the answer's `data` with `result` rebuilt.
   */
  private async callStreaming(endpoint: 'query' | 'query_range', params: [string, string][], onSeries?: OnSeries): Promise<unknown> {
    const response = await this.send('POST', endpoint, params, true);
    return readQueryAnswer(response, {
      origin: this.base.origin,
      endpoint,
      maxBytes: this.options.maxAnswerBytes ?? Number.POSITIVE_INFINITY,
      onSeries,
      toSample: parseSample,
    });
  }

  private async send(method: 'GET' | 'POST', endpoint: string, params: [string, string][], stream: boolean): Promise<UpstreamResponse> {
    if (this.callsLeft <= 0) throw this.callCapError();
    const url = this.endpointUrl(endpoint);
    const form = new URLSearchParams(params).toString();
    const request: UpstreamRequest = { method, url, headers: { accept: 'application/json' }, signal: this.options.signal, stream };
    if (this.options.maxAnswerBytes !== undefined) request.maxBytes = this.options.maxAnswerBytes;
    if (method === 'POST') {
      request.headers['content-type'] = 'application/x-www-form-urlencoded';
      request.body = form;
    } else if (form) {
      url.search = form;
    }
    this.calls++;
    const response = await this.options.transport(request);
    if (response.status < 200 || response.status >= 300) {
      response.cancel?.();
      throw upstreamHttpError(response, this.base.origin);
    }
    return response;
  }
}

export type InstantResult =
  | { resultType: 'matrix' | 'vector'; series: Series[] }
  | { resultType: 'scalar' | 'string'; value: Sample | [number, string] };

function parseInstant(data: unknown, origin: string): InstantResult {
  const d = data as { resultType?: unknown; result?: unknown };
  if (!d || typeof d !== 'object' || (!Array.isArray(d.result) && d.resultType !== 'scalar' && d.resultType !== 'string')) {
    throw notPrometheusError(origin, 'query answer has no result');
  }
  switch (d.resultType) {
    case 'matrix':
      return {
        resultType: 'matrix',
        // the values were turned into samples as they were read (callStreaming's onPair)
        series: (d.result as { metric: Record<string, string>; values?: Sample[] }[]).map((r) => ({
          labels: r.metric ?? {},
          samples: r.values ?? [],
        })),
      };
    case 'vector':
      return {
        resultType: 'vector',
        series: (d.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({
          labels: r.metric ?? {},
          samples: [parseSample(r.value)],
        })),
      };
    case 'scalar':
      return { resultType: 'scalar', value: parseSample(d.result as [number, string]) };
    case 'string': {
      const [t, s] = d.result as [number, string];
      return { resultType: 'string', value: [Math.round(t * 1000), s] };
    }
    default:
      throw notPrometheusError(origin, `unknown resultType ${String(d.resultType)}`);
  }
}

/** Prometheus writes values as strings: "1.5", "NaN", "+Inf", "-Inf". */
export function parseSampleValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default:
      return Number(text);
  }
}

function parseSample([t, v]: [number, string]): Sample {
  return [Math.round(t * 1000), parseSampleValue(v)];
}

/** Epoch ms → the API's seconds with exactly millisecond precision. */
export function formatTime(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const frac = ms - whole * 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0')}`;
}

function matchParams(matchers: string[]): [string, string][] {
  return matchers.map((m) => ['match[]', m]);
}

function boundParams(bounds: TimeBounds): [string, string][] {
  const out: [string, string][] = [];
  if (bounds.startMs !== undefined) out.push(['start', formatTime(bounds.startMs)]);
  if (bounds.endMs !== undefined) out.push(['end', formatTime(bounds.endMs)]);
  return out;
}

function stringList(data: unknown, origin: string, what: string): string[] {
  if (!Array.isArray(data) || data.some((v) => typeof v !== 'string')) {
    throw notPrometheusError(origin, `${what} is not a list of strings`);
  }
  return data as string[];
}
