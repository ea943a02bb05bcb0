import type { IncomingMessage, ServerResponse } from 'node:http';
import { setLogSink } from '../app/request-log.js';

/**
 * The local server's own metrics in Prometheus text format, on a path only `npm start`
 * serves (never the Lambda): requests by call and status, a latency histogram, upstream
 * calls and credential-cache hits. Every figure is read from the request log line the
 * handler already writes, so nothing new is threaded through the runtime.
 */
export const SELF_METRICS_PATH = '/_local/metrics';

const CALLS = ['connection', 'fieldNames', 'fieldValues', 'metrics', 'unknown'] as const;
type Call = (typeof CALLS)[number];
/** Upper bounds of the latency buckets, seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Statuses are counted per value up to this many distinct ones, then as `other` (bounds the series). */
const MAX_STATUSES = 32;

interface PerCall {
  requests: Map<string, number>;
  buckets: number[];
  latencySum: number;
  latencyCount: number;
  upstreamCalls: number;
  upstreamSeconds: number;
  cacheHits: number;
  cacheMisses: number;
}

export class SelfMetrics {
  private readonly calls = new Map<Call, PerCall>(
    CALLS.map((call) => [
      call,
      {
        requests: new Map(),
        buckets: LATENCY_BUCKETS.map(() => 0),
        latencySum: 0,
        latencyCount: 0,
        upstreamCalls: 0,
        upstreamSeconds: 0,
        cacheHits: 0,
        cacheMisses: 0,
      },
    ]),
  );
  private readonly statuses = new Set<string>();

  constructor() {
    // the four calls' success series exist from the start, so a fresh mirror has a stream to show
    this.statuses.add('200');
    for (const call of CALLS) if (call !== 'unknown') this.calls.get(call)?.requests.set('200', 0);
  }

  /** Counts one request log line (the EMF JSON the handler writes); anything else is ignored. */
  observe(line: string): void {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof entry !== 'object' || entry === null) return;
    const call = CALLS.find((c) => c === entry.call) ?? 'unknown';
    const per = this.calls.get(call) as PerCall;
    const status = this.statusLabel(entry.status);
    per.requests.set(status, (per.requests.get(status) ?? 0) + 1);
    const latency = count(entry.LatencyMs) / 1000;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (latency <= le) per.buckets[i] = (per.buckets[i] ?? 0) + 1;
    });
    per.latencySum += latency;
    per.latencyCount += 1;
    per.upstreamCalls += count(entry.UpstreamCalls);
    per.upstreamSeconds += count(entry.upstreamMs) / 1000;
    per.cacheHits += count(entry.CredentialCacheHits);
    per.cacheMisses += count(entry.CredentialCacheMisses);
  }

  /** The text exposition format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string, rows: (call: Call, per: PerCall) => string[]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [call, per] of this.calls) lines.push(...rows(call, per));
    };
    family('mirror_requests_total', 'counter', 'Mirror API requests answered, by call and HTTP status.', (call, per) =>
      [...per.requests].map(([status, n]) => `mirror_requests_total{call="${call}",status="${status}"} ${n}`),
    );
    family('mirror_request_duration_seconds', 'histogram', 'Time to answer a Mirror API request.', (call, per) =>
      per.latencyCount === 0 && call === 'unknown'
        ? []
        : [
            ...LATENCY_BUCKETS.map((le, i) => `mirror_request_duration_seconds_bucket{call="${call}",le="${le}"} ${per.buckets[i]}`),
            `mirror_request_duration_seconds_bucket{call="${call}",le="+Inf"} ${per.latencyCount}`,
            `mirror_request_duration_seconds_sum{call="${call}"} ${per.latencySum}`,
            `mirror_request_duration_seconds_count{call="${call}"} ${per.latencyCount}`,
          ],
    );
    family('mirror_upstream_calls_total', 'counter', 'Calls to the metric store made while answering.', (call, per) => [
      `mirror_upstream_calls_total{call="${call}"} ${per.upstreamCalls}`,
    ]);
    family('mirror_upstream_seconds_total', 'counter', 'Time spent waiting for the metric store.', (call, per) => [
      `mirror_upstream_seconds_total{call="${call}"} ${per.upstreamSeconds}`,
    ]);
    family('mirror_credential_cache_hits_total', 'counter', 'AWS credentials found in the cache.', (call, per) => [
      `mirror_credential_cache_hits_total{call="${call}"} ${per.cacheHits}`,
    ]);
    family('mirror_credential_cache_misses_total', 'counter', 'AWS credentials fetched from STS.', (call, per) => [
      `mirror_credential_cache_misses_total{call="${call}"} ${per.cacheMisses}`,
    ]);
    return `${lines.join('\n')}\n`;
  }

  private statusLabel(value: unknown): string {
    const status = typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599 ? String(value) : 'other';
    if (this.statuses.has(status)) return status;
    if (this.statuses.size >= MAX_STATUSES) return 'other';
    this.statuses.add(status);
    return status;
  }
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Starts counting: every request log line goes on to the previous sink as before, and is counted. */
export function installSelfMetrics(): SelfMetrics {
  const metrics = new SelfMetrics();
  const previous = setLogSink((line) => {
    metrics.observe(line);
    previous(line);
  });
  return metrics;
}

/** Answers `GET /_local/metrics`; false for any other request (the handler's). */
export function serveSelfMetrics(req: IncomingMessage, res: ServerResponse, metrics: SelfMetrics): boolean {
  if (req.url !== SELF_METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? '' : metrics.render());
  return true;
}
