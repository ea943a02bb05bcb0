import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { setLogSink, writeRequestLog, type RequestLogEntry } from '../../lambda/app/request-log.js';
import { installSelfMetrics, SELF_METRICS_PATH, SelfMetrics, serveSelfMetrics } from '../../lambda/local/self-metrics.js';

function entry(overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    requestId: 'r1',
    tenant: 't',
    call: 'metrics',
    status: 200,
    outcome: 'ok',
    latencyMs: 40,
    upstreamCalls: 3,
    upstreamMs: 30,
    credentialCacheHits: 1,
    credentialCacheMisses: 0,
    ...overrides,
  };
}

/** The value of one exposition line, found by its name and labels as written. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe('the local server’s own metrics', () => {
  it('counts what the handler’s request log lines report', () => {
    // Prepare: the real log writer, its output captured instead of printed
    const lines: string[] = [];
    const previous = setLogSink((line) => lines.push(line));
    const metrics = installSelfMetrics();
    restore = () => setLogSink(previous);

    // Act
    writeRequestLog(entry());
    writeRequestLog(entry({ latencyMs: 700, credentialCacheHits: 0, credentialCacheMisses: 1 }));
    writeRequestLog(entry({ call: 'connection', status: 502, outcome: 'error', upstreamCalls: 1 }));
    const text = metrics.render();

    // Assess: still passed on to the previous sink, and counted
    expect(lines).toHaveLength(3);
    expect(value(text, 'mirror_requests_total{call="metrics",status="200"}')).toBe(2);
    expect(value(text, 'mirror_requests_total{call="connection",status="502"}')).toBe(1);
    expect(value(text, 'mirror_requests_total{call="fieldNames",status="200"}')).toBe(0);
    expect(value(text, 'mirror_request_duration_seconds_bucket{call="metrics",le="0.05"}')).toBe(1);
    expect(value(text, 'mirror_request_duration_seconds_bucket{call="metrics",le="1"}')).toBe(2);
    expect(value(text, 'mirror_request_duration_seconds_bucket{call="metrics",le="+Inf"}')).toBe(2);
    expect(value(text, 'mirror_request_duration_seconds_sum{call="metrics"}')).toBeCloseTo(0.74);
    expect(value(text, 'mirror_upstream_calls_total{call="metrics"}')).toBe(6);
    expect(value(text, 'mirror_upstream_calls_total{call="connection"}')).toBe(1);
    expect(value(text, 'mirror_credential_cache_hits_total{call="metrics"}')).toBe(1);
    expect(value(text, 'mirror_credential_cache_misses_total{call="metrics"}')).toBe(1);
    expect(text).toContain('# TYPE mirror_request_duration_seconds histogram');
  });

  it('ignores lines that are not request log entries and bounds the label values', () => {
    // Prepare
    const metrics = new SelfMetrics();

    // Act
    metrics.observe('not json');
    metrics.observe('null');
    metrics.observe(JSON.stringify({ call: 'x"}\nevil', status: 'abc', LatencyMs: -5 }));
    for (let status = 100; status < 200; status++) metrics.observe(JSON.stringify({ call: 'metrics', status }));
    const text = metrics.render();

    // Assess: an unknown call is `unknown`, a bad status `other`; 32 status values at most, `other` included
    expect(value(text, 'mirror_requests_total{call="unknown",status="other"}')).toBe(1);
    expect(text).not.toContain('evil');
    const statuses = new Set([...text.matchAll(/^mirror_requests_total\{call="\w+",status="(\w+)"\}/gm)].map((m) => m[1]));
    expect(statuses.size).toBe(32);
    expect(value(text, 'mirror_requests_total{call="metrics",status="other"}')).toBe(100 - 30); // 200 and other are two of the 32
  });

  it('is served on its local path only, as Prometheus text', async () => {
    // Prepare
    const metrics = new SelfMetrics();
    const server: Server = createServer((req, res) => {
      if (!serveSelfMetrics(req, res, metrics)) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    try {
      // Act
      const served = await fetch(`${base}${SELF_METRICS_PATH}`);
      const other = await fetch(`${base}/api/metric`, { method: 'POST', body: '{}' });
      const posted = await fetch(`${base}${SELF_METRICS_PATH}`, { method: 'POST', body: '' });

      // Assess
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await served.text()).toContain('mirror_requests_total{call="metrics",status="200"} 0');
      expect(other.status).toBe(418);
      expect(posted.status).toBe(418);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
