import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogSink } from '../../../lambda/app/request-log.js';
import { setNetworkTransport } from '../../../lambda/app/store.js';
import type { Transport, UpstreamRequest } from '../../../lambda/upstream/transport.js';
import { cond, gauge, metricsRequest, PATH } from '../../fixtures/mirror-requests.js';
import { invokeMirror } from '../../support/invoke.js';
import { startSlowStore, type SlowStore } from '../../support/slow-store.js';
import { PROBE_EXPR } from '../../../lambda/domain/time/buckets.js';

const DAY = 86_400_000;
/** A store double that answers every query with one series of one point per evaluation asked, and counts calls. */
function countingStore(seen: UpstreamRequest[], data: 'points' | 'none' = 'points'): Transport {
  const ok = (payload: unknown) => ({ status: 200, headers: {}, body: JSON.stringify({ status: 'success', data: payload }) });
  return async (request) => {
    seen.push(request);
    const form = new URLSearchParams(request.body ?? request.url.search);
    const endpoint = request.url.pathname.replace(/^.*\/api\/v1\//, '');
    if (endpoint === 'series') return ok([{ __name__: 'g' }]);
    const query = form.get('query') ?? '';
    if (query === PROBE_EXPR) return ok({ resultType: 'vector', result: [{ metric: {}, value: [0, '3'] }] });
    if (endpoint === 'query_range') {
      const start = Number(form.get('start'));
      return ok({ resultType: 'matrix', result: data === 'none' ? [] : [{ metric: {}, values: [[start, '1']] }] });
    }
    return ok({ resultType: 'matrix', result: [] });
  };
}

describe('bounded work per request', () => {
  /** A gauge MEAN in 20-day buckets from 0 to the year 4707. */
  const yearsOfGaugeMean = metricsRequest('http://store.test', {
    conditions: gauge('g'),
    startTime: 0,
    endTime: 8.64e13,
    aggregation: { method: 'MEAN', bucketSizeMillis: 20 * DAY },
  });
  let previous: Transport | undefined;
  afterEach(() => {
    if (previous) setNetworkTransport(previous);
    previous = undefined;
  });

  it('answers the gauge MEAN in 20-day buckets from 0 to the year 4707 with at most the call cap, clipped to the retention', async () => {
    // Prepare
    const seen: UpstreamRequest[] = [];
    previous = setNetworkTransport(countingStore(seen));

    // Act
    const answer = await invokeMirror(PATH.metric, yearsOfGaugeMean);

    // Assess
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    expect(seen.length).toBeLessThanOrEqual(100);
    const points = answer.json.telemetry.points as [number, number, number][];
    expect(points.length).toBeGreaterThan(25); // 1095 days of 20-day buckets, two per call, one point per call from the double
    expect(points[0]?.[1]).toBeGreaterThanOrEqual(Date.now() - 1095 * DAY - 20 * DAY);
    expect(points.at(-1)?.[2]).toBeLessThanOrEqual(Date.now() + 40 * DAY);
  });

  it('answers a prefix with isPartial past the call cap, and refuses when the prefix would be empty', async () => {
    // Prepare
    const seen: UpstreamRequest[] = [];
    previous = setNetworkTransport(countingStore(seen));

    // Act
    // the cache off: the test before kept these closed buckets of the same store, which would spare the calls
    const partial = await invokeMirror(PATH.metric, yearsOfGaugeMean, {
      MIRROR_MAX_UPSTREAM_CALLS: '12',
      MIRROR_CACHE_FRESHNESS_SECONDS: '0',
    });
    setNetworkTransport(countingStore([], 'none'));
    const refused = await invokeMirror(PATH.metric, yearsOfGaugeMean, {
      MIRROR_MAX_UPSTREAM_CALLS: '12',
      MIRROR_RETENTION_DAYS: '1000000',
    });

    // Assess
    expect(partial.statusCode).toBe(200);
    expect(seen.length).toBe(12);
    expect(partial.json.telemetry.isPartial).toBe(true);
    const rangeCalls = seen.filter((r) => r.url.pathname.endsWith('/query_range')).length;
    expect(rangeCalls).toBeGreaterThanOrEqual(10);
    expect(partial.json.telemetry.points).toHaveLength(rangeCalls); // the double answers one point per call
    expect(refused.statusCode).toBe(422);
    expect(refused.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Too many store calls' });
    expect(refused.json.details).toContain('MIRROR_MAX_UPSTREAM_CALLS');
  });

  it('refuses an absurd nested subquery before sending it, naming the costly part', async () => {
    // Prepare
    const seen: UpstreamRequest[] = [];
    previous = setNetworkTransport(countingStore(seen));
    const expr = 'max_over_time(max_over_time(node_load1[1y:1s])[1y:1s])';
    const start = Date.now() - 4 * DAY;

    // Act
    const raw = await invokeMirror(
      PATH.metric,
      metricsRequest('http://store.test', { conditions: [cond('~', expr)], startTime: start, endTime: start + 4 * DAY }),
    );
    const aggregated = await invokeMirror(
      '/api/metric',
      metricsRequest('http://store.test', {
        conditions: [cond('~', expr)],
        startTime: start,
        endTime: start + 4 * DAY,
        aggregation: { method: 'MAX', bucketSizeMillis: 3_600_000 },
      }),
    );

    // Assess
    for (const answer of [raw, aggregated]) {
      expect(answer.statusCode).toBe(422);
      expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Query too costly' });
      expect(answer.json.details).toContain('node_load1');
      expect(answer.json.details).toContain('[1y:1s]');
      expect(answer.json.details).toContain('MIRROR_MAX_QUERY_SAMPLES');
    }
    expect(seen.filter((r) => (r.body ?? '').includes('node_load1'))).toEqual([]);
  });

  it('sends max_samples_processed_error_threshold to AMP, lowered by the Connection Details but never raised', async () => {
    // Prepare
    const seen: UpstreamRequest[] = [];
    previous = setNetworkTransport(countingStore(seen));
    const url = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-11111111-2222-3333-4444-555555555555';
    const aws = { aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'secret-example' };
    const start = Date.now() - DAY;
    const ask = (threshold?: number) =>
      invokeMirror(
        '/api/metric',
        metricsRequest(
          url,
          { conditions: [cond('~', 'sum(up)')], startTime: start, endTime: start + 3_600_000 },
          {
            aws,
            ...(threshold !== undefined ? { max_samples_processed_error_threshold: threshold } : {}),
          },
        ),
        { MIRROR_MAX_SAMPLES_PROCESSED: '5000000' },
      );
    const thresholds = () => seen.splice(0).map((r) => new URLSearchParams(r.body).get('max_samples_processed_error_threshold'));

    // Act + Assess
    expect((await ask()).statusCode).toBe(200);
    expect(thresholds()).toEqual(['5000000']);
    expect((await ask(1000)).statusCode).toBe(200);
    expect(thresholds()).toEqual(['1000']);
    expect((await ask(9_000_000_000)).statusCode).toBe(200);
    expect(thresholds()).toEqual(['5000000']);
  });
});

/**
 * Each test runs twice: against the store as it is, and with AWS settings, so every request is
 * signed on the AMP path (ampTransport, signRequest) — which once dropped the stream and byte
 * cap and read whole answers into memory.
 */
const PATHS = [
  { path: 'unsigned', details: {} },
  {
    path: 'signed for AMP',
    details: { aws: { aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'secret', region_name: 'eu-west-1' } },
  },
];

describe.each(PATHS)('a store that streams a 1 GB answer slowly ($path)', ({ details }) => {
  let store: SlowStore;
  const GB = 2 ** 30;
  beforeAll(async () => {
    store = await startSlowStore({ totalBytes: GB });
  });
  afterAll(async () => {
    await store.close();
  });

  it('refuses the all-series query at the second series, having read a few MB of the gigabyte', async () => {
    // Prepare: the query passes the static estimate (raised here), so the answer's reading is what refuses it
    const start = Date.now() - 4 * DAY;
    const body = metricsRequest(
      store.url,
      { conditions: [cond('~', 'last_over_time({__name__=~".+"}[1y])')], startTime: start, endTime: start + 4 * DAY },
      details,
    );
    const before = store.bytesSent();

    // Act
    const answer = await invokeMirror(PATH.metric, body, { MIRROR_MAX_QUERY_SAMPLES: String(1e15) });

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Several series match' });
    expect(answer.json.details).toContain('__name__');
    expect(store.bytesSent() - before).toBeLessThan(64 * 2 ** 20);
  });

  it('refuses one endless series at the answer size cap (413), and serves the next request', async () => {
    // Prepare
    const start = Date.now() - 4 * DAY;
    const body = metricsRequest(
      store.url,
      { conditions: [cond('~', 'one_endless_series')], startTime: start, endTime: start + 4 * DAY },
      details,
    );
    const before = store.bytesSent();

    // Act
    const answer = await invokeMirror(PATH.metric, body, { MIRROR_MAX_ANSWER_BYTES: String(4 * 2 ** 20) });
    const next = await invokeMirror(
      PATH.metric,
      metricsRequest(store.url, { conditions: [cond('~', 'max_over_time(x[1y:1s])')], startTime: start, endTime: start + DAY }, details),
    );

    // Assess
    expect(answer.statusCode).toBe(413);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Answer too large' });
    expect(answer.json.details).toContain('4 MiB');
    expect(answer.json.details).toContain('MIRROR_MAX_ANSWER_BYTES');
    expect(store.bytesSent() - before).toBeLessThan(32 * 2 ** 20);
    expect(next.statusCode).toBe(422);
  });
});

describe('settings', () => {
  it('refuses a malformed bound with a message naming the variable', async () => {
    const restore = setLogSink(() => undefined);
    try {
      const answer = await invokeMirror(
        PATH.metric,
        metricsRequest('http://store.test', { conditions: gauge('g'), startTime: 0, endTime: 1 }),
        {
          MIRROR_MAX_UPSTREAM_CALLS: 'lots',
        },
      );
      expect(answer.statusCode).toBe(500);
      expect(answer.json.details).toContain('MIRROR_MAX_UPSTREAM_CALLS');
    } finally {
      setLogSink(restore);
    }
  });
});
