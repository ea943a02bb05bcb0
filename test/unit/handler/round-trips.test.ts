import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setNetworkTransport } from '../../../lambda/app/store.js';
import type { Transport, UpstreamRequest } from '../../../lambda/upstream/transport.js';
import { invokeMirror } from '../../support/invoke.js';
import { PROBE_EXPR } from '../../../lambda/domain/time/buckets.js';

/**
 * What the mirror asks a store for, and in what order: the data first, the series index only
 * to explain an answer without data. A double stands in for the store so that the index can
 * list what the data do not hold.
 */
const STORE = 'http://round-trips.test';
/** The closed-bucket cache off: these tests count what one call asks the store for. */
const NO_CACHE = { MIRROR_CACHE_FRESHNESS_SECONDS: '0' };
const start = Date.UTC(2026, 0, 1, 1, 0);
const pod = (n: number) => ({ __name__: 'web_memory_bytes', app: 'web', pod: `web-${n}` });

interface Seen {
  endpoint: string;
  query: string;
  time: string;
}

function store(seen: Seen[], index: Record<string, string>[], data: 'none' | 'one'): Transport {
  const ok = (payload: unknown) => ({ status: 200, headers: {}, body: JSON.stringify({ status: 'success', data: payload }) });
  return async (request: UpstreamRequest) => {
    const form = new URLSearchParams(request.body ?? request.url.search);
    const endpoint = request.url.pathname.replace(/^.*\/api\/v1\//, '');
    seen.push({ endpoint, query: form.get('query') ?? '', time: form.get('time') ?? '' });
    if (endpoint === 'series') return ok(index);
    if (endpoint === 'metadata') return ok({});
    const query = form.get('query') ?? '';
    if (query === PROBE_EXPR) return ok({ resultType: 'vector', result: [{ metric: {}, value: [0, '3'] }] });
    const series = data === 'one' ? [pod(1)] : [];
    if (endpoint === 'query_range')
      return ok({ resultType: 'matrix', result: series.map((metric) => ({ metric, values: [[start / 1000 + 60, '42']] })) });
    const evalS = Number(form.get('time'));
    return ok({
      resultType: 'matrix',
      result: series.map((metric) => ({
        metric,
        values: [
          [evalS - 30, '7'],
          [evalS - 15, '9'],
        ],
      })),
    });
  };
}

function request(key: '__gauge__' | '__counter__', endMs: number, aggregation?: object) {
  return {
    _type: 'MetricsRequest',
    connectionDetails: { url: STORE },
    query: {
      _type: 'MetricsQuery',
      conditions: [
        { key, value: { _type: 'StringValue', value: 'web_memory_bytes' } },
        { key: 'app', value: { _type: 'StringValue', value: 'web' } },
      ],
      startTime: start,
      endTime: endMs,
      ...(aggregation ? { aggregation: { _type: 'Aggregation', ...aggregation } } : {}),
    },
  };
}

describe('round trips to the store', () => {
  let previous: Transport;
  const seen: Seen[] = [];
  afterEach(() => {
    setNetworkTransport(previous);
  });

  describe('with data', () => {
    beforeEach(() => {
      seen.length = 0;
      previous = setNetworkTransport(store(seen, [pod(1), pod(2)], 'one'));
    });

    it('reads a raw gauge with one query and no index call', async () => {
      const answer = await invokeMirror('/api/metric', request('__gauge__', start + 3_600_000), NO_CACHE);
      expect(answer.statusCode, answer.body).toBe(200);
      expect(seen.map((s) => s.endpoint)).toEqual(['query']);
    });

    it("fetches a counter's carry-in sample in the query of its first piece", async () => {
      await invokeMirror(
        '/api/metric',
        request('__counter__', start + 6 * 3_600_000, { method: 'MEAN', bucketSizeMillis: 60_000 }),
        NO_CACHE,
      );
      seen.length = 0; // the metadata verdict is remembered now

      const answer = await invokeMirror(
        '/api/metric',
        request('__counter__', start + 6 * 3_600_000, { method: 'MEAN', bucketSizeMillis: 60_000 }),
        NO_CACHE,
      );

      expect(answer.statusCode, answer.body).toBe(200);
      expect(seen.map((s) => s.endpoint)).toEqual(['query']);
      // 6 h of buckets plus the 5-minute lead-in before them, in one range selector
      expect(seen[0]?.query).toBe('web_memory_bytes{app="web"}[21900000ms]');
    });
  });

  describe('without data', () => {
    beforeEach(() => {
      seen.length = 0;
    });

    it('asks the index why, and answers not found when it lists nothing', async () => {
      previous = setNetworkTransport(store(seen, [], 'none'));
      const answer = await invokeMirror('/api/metric', request('__gauge__', start + 3_600_000), NO_CACHE);
      expect(answer.statusCode).toBe(404);
      expect(answer.json._type).toBe('MetricNotFoundError');
      expect(seen.map((s) => s.endpoint)).toEqual(['query', 'series']);
    });

    it('asks the index why, and names the labels that differ when it lists many series', async () => {
      previous = setNetworkTransport(
        store(
          seen,
          Array.from({ length: 25 }, (_, i) => pod(i)),
          'none',
        ),
      );
      const answer = await invokeMirror(
        '/api/metric',
        request('__gauge__', start + 3_600_000, { method: 'MEAN', bucketSizeMillis: 60_000 }),
        NO_CACHE,
      );
      expect(answer.statusCode).toBe(400);
      expect(answer.json.summary).toBe('Several series match');
      expect(answer.json.details).toContain('pod');
    });

    it('answers an empty stream when the index lists a few series without data in the range', async () => {
      previous = setNetworkTransport(store(seen, [pod(1), pod(2)], 'none'));
      const answer = await invokeMirror('/api/metric', request('__gauge__', start + 3_600_000), NO_CACHE);
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json.telemetry.points).toEqual([]);
    });
  });
});
