import { ENV } from '../contract/index.js';
/**
 * One structured JSON line per request, in CloudWatch Embedded Metric Format so that the
 * same line yields the metrics (namespace StackStateMirror). Written straight to stdout so
 * Lambda does not prefix it. Holds no secret: only ids, names, counts, timings, outcomes.
 */
export interface RequestLogEntry {
  requestId: string;
  tenant: string;
  call: string;
  status: number;
  outcome: 'ok' | 'failure' | 'error';
  errorType?: string | undefined;
  failure?: string | undefined;
  latencyMs: number;
  upstreamCalls: number;
  upstreamMs: number;
  credentialCacheHits: number;
  credentialCacheMisses: number;
  /** Samples the store processed for this request (what AMP bills), where it reports them. */
  samplesProcessed?: number | undefined;
  cacheHits?: number | undefined;
  cacheMisses?: number | undefined;
}

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => {
  if (process.env[ENV.requestLog] !== 'off') process.stdout.write(`${line}\n`);
};

/** For tests: capture the lines. Returns the previous sink. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

export function writeRequestLog(entry: RequestLogEntry, now = Date.now()): void {
  const isError = entry.outcome !== 'ok';
  const dimensions: string[][] = [['Tenant']];
  if (isError) dimensions.push(['Tenant', 'ErrorType']);
  const line = {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: 'StackStateMirror',
          Dimensions: dimensions,
          Metrics: [
            { Name: 'Requests', Unit: 'Count' },
            { Name: 'Errors', Unit: 'Count' },
            { Name: 'LatencyMs', Unit: 'Milliseconds' },
            { Name: 'UpstreamCalls', Unit: 'Count' },
            { Name: 'CredentialCacheHits', Unit: 'Count' },
            { Name: 'CredentialCacheMisses', Unit: 'Count' },
            { Name: 'SamplesProcessed', Unit: 'Count' },
            { Name: 'CacheHits', Unit: 'Count' },
            { Name: 'CacheMisses', Unit: 'Count' },
          ],
        },
      ],
    },
    Tenant: entry.tenant,
    ErrorType: entry.errorType ?? 'None',
    Requests: 1,
    Errors: isError ? 1 : 0,
    LatencyMs: entry.latencyMs,
    UpstreamCalls: entry.upstreamCalls,
    CredentialCacheHits: entry.credentialCacheHits,
    CredentialCacheMisses: entry.credentialCacheMisses,
    SamplesProcessed: entry.samplesProcessed ?? 0,
    CacheHits: entry.cacheHits ?? 0,
    CacheMisses: entry.cacheMisses ?? 0,
    requestId: entry.requestId,
    call: entry.call,
    status: entry.status,
    outcome: entry.outcome,
    ...(entry.failure ? { failure: entry.failure } : {}),
    upstreamMs: entry.upstreamMs,
  };
  sink(JSON.stringify(line));
}
