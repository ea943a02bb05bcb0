import { describe, expect, it } from 'vitest';
import { classifyMetric, declaredKind, type MetricMetadataMap } from '../../../../lambda/domain/promql/metric-kinds.js';

describe('classifyMetric', () => {
  it.each([
    ['a counter by metadata, whatever the name', 'requests', { requests: [{ type: 'counter' }] }, 'counter'],
    ['a gauge by metadata, even with a counter-like name', 'queue_total', { queue_total: [{ type: 'gauge' }] }, 'gauge'],
    ['a histogram bucket', 'latency_seconds_bucket', { latency_seconds: [{ type: 'histogram' }] }, 'counter'],
    ['a histogram count', 'latency_seconds_count', { latency_seconds: [{ type: 'histogram' }] }, 'counter'],
    ['a summary sum', 'rpc_seconds_sum', { rpc_seconds: [{ type: 'summary' }] }, 'counter'],
    [
      'a gauge histogram bucket (OpenMetrics: buckets of a gauge histogram go up and down)',
      'queue_size_bucket',
      { queue_size: [{ type: 'gaugehistogram' }] },
      'gauge',
    ],
    ['a gauge histogram _gcount', 'queue_size_gcount', { queue_size: [{ type: 'gaugehistogram' }] }, 'gauge'],
    ['a gauge histogram _gsum', 'queue_size_gsum', { queue_size: [{ type: 'gaugehistogram' }] }, 'gauge'],
    ['the summary quantiles (family name itself)', 'rpc_seconds', { rpc_seconds: [{ type: 'summary' }] }, 'gauge'],
    ['an OpenMetrics counter family without _total', 'jobs_total', { jobs: [{ type: 'counter' }] }, 'counter'],
    ['an info metric', 'build_info', { build_info: [{ type: 'info' }] }, 'gauge'],
    ['an upper-case type', 'requests', { requests: [{ type: 'COUNTER' }] }, 'counter'],
    ['the first known type of several entries', 'x', { x: [{ type: 'unknown' }, { type: 'counter' }, { type: 'gauge' }] }, 'counter'],
  ] as [string, string, Record<string, { type: string }[]>, string][])('classifies %s', (_name, metric, metadata, expected) => {
    // Act
    const kind = classifyMetric(metric, metadata);
    // Assess
    expect(kind).toBe(expected);
  });

  it.each([
    ['http_requests_total', 'counter'],
    ['latency_bucket', 'counter'],
    ['latency_count', 'counter'],
    ['latency_sum', 'counter'],
    ['node_load1', 'gauge'],
    ['temperature_celsius', 'gauge'],
    ['total_memory', 'gauge'],
    ['my_summary', 'gauge'],
    ['job:requests:rate5m', 'gauge'],
  ] as const)('falls back to the naming convention without metadata: %s is a %s', (metric, expected) => {
    // Act
    const kind = classifyMetric(metric, {});
    // Assess
    expect(kind).toBe(expected);
  });

  it.each(['unknown', 'untyped', 'nonsense'])('falls back to the naming convention for type %j', (type) => {
    // Act
    const counter = classifyMetric('a_total', { a_total: [{ type }] });
    const gauge = classifyMetric('a', { a: [{ type }] });
    // Assess
    expect(counter).toBe('counter');
    expect(gauge).toBe('gauge');
  });

  it('ignores a family of another type when judging a suffix', () => {
    // Act
    const kind = classifyMetric('queue_count', { queue: [{ type: 'gauge' }] });
    // Assess
    expect(kind).toBe('counter');
  });

  it('is not fooled by inherited object keys', () => {
    // Act
    const kind = classifyMetric('constructor', {});
    const proto = classifyMetric('__proto__', {});
    // Assess
    expect(kind).toBe('gauge');
    expect(proto).toBe('gauge');
  });

  it('tolerates malformed metadata entries', () => {
    // Prepare
    const metadata = { x_total: [null, { type: 3 }], y: 'gauge' } as unknown as Record<string, { type: string }[]>;
    // Act
    const kinds = [classifyMetric('x_total', metadata), classifyMetric('y', metadata)];
    // Assess
    expect(kinds).toEqual(['counter', 'gauge']);
  });
});

describe('declaredKind: what the metadata itself says, no naming convention', () => {
  it.each([
    ['g', { g: [{ type: 'gauge' }] }, 'gauge'],
    ['c_total', { c_total: [{ type: 'counter' }] }, 'counter'],
    ['c_total', {}, undefined],
    ['h', { h: [{ type: 'histogram' }] }, undefined],
    ['u', { u: [{ type: 'unknown' }, { type: 'GAUGE' }] }, 'gauge'],
  ] as const)('%s with %j → %s', (name, metadata, kind) => {
    expect(declaredKind(name, metadata as MetricMetadataMap)).toBe(kind);
  });
});
