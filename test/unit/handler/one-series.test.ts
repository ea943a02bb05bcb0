import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setNetworkTransport } from '../../../lambda/app/store.js';
import type { Transport, UpstreamRequest } from '../../../lambda/upstream/transport.js';
import { invokeMirror } from '../../support/invoke.js';
import { PROBE_EXPR } from '../../../lambda/domain/time/buckets.js';

/**
 * A store whose series index answers per block, as Cortex/AMP's store-gateway does for
 * older data: both pods are listed, but only web-2 has samples in the range. The Prometheus
 * 2.42 of the integration tests answers `series` exactly, so this case needs a double.
 */
const STORE = 'http://store.test';
const web1 = { __name__: 'web_memory_bytes', app: 'web', pod: 'web-1' };
const web2 = { __name__: 'web_memory_bytes', app: 'web', pod: 'web-2' };
const start = Date.UTC(2026, 0, 1, 1, 10);

function blockIndexStore(seen: string[]): Transport {
  const ok = (data: unknown) => ({ status: 200, headers: {}, body: JSON.stringify({ status: 'success', data }) });
  return async (request: UpstreamRequest) => {
    const form = new URLSearchParams(request.body ?? request.url.search);
    const endpoint = request.url.pathname.replace(/^.*\/api\/v1\//, '');
    seen.push(endpoint);
    if (endpoint === 'series') return ok([web1, web2]);
    const query = form.get('query') ?? '';
    if (query === PROBE_EXPR) return ok({ resultType: 'vector', result: [{ metric: {}, value: [0, '3'] }] });
    if (endpoint === 'query_range') {
      const { __name__: _, ...labels } = web2;
      return ok({ resultType: 'matrix', result: [{ metric: labels, values: [[start / 1000 + 60, '42']] }] });
    }
    if (endpoint === 'query') {
      return ok({
        resultType: 'matrix',
        result: [
          {
            metric: web2,
            values: [
              [start / 1000 + 15, '42'],
              [start / 1000 + 30, '43'],
            ],
          },
        ],
      });
    }
    return { status: 404, headers: {}, body: '{}' };
  };
}

describe('one stream is one series, decided by the data', () => {
  let previous: Transport;
  const seen: string[] = [];
  beforeEach(() => {
    seen.length = 0;
    previous = setNetworkTransport(blockIndexStore(seen));
  });
  afterEach(() => {
    setNetworkTransport(previous);
  });

  const body = (aggregation?: object) => ({
    _type: 'MetricsRequest',
    connectionDetails: { url: STORE },
    query: {
      _type: 'MetricsQuery',
      conditions: [
        { key: '__gauge__', value: { _type: 'StringValue', value: 'web_memory_bytes' } },
        { key: 'app', value: { _type: 'StringValue', value: 'web' } },
      ],
      startTime: start,
      endTime: start + 60_000,
      ...(aggregation ? { aggregation } : {}),
    },
  });

  it('answers an aggregated query when the index lists two series but only one has data', async () => {
    const answer = await invokeMirror('/api/metric', body({ _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: 60_000 }));
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json.telemetry.points).toEqual([[42, start, start + 60_000]]);
    expect(seen).not.toContain('series'); // the data decide: the index is asked only to explain an empty answer
  });

  it('answers a raw query when the index lists two series but only one has data', async () => {
    const answer = await invokeMirror('/api/metric', body());
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json.telemetry.points).toEqual([
      [42, start + 15_000],
      [43, start + 30_000],
    ]);
  });
});
