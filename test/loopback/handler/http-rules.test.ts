import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogSink } from '../../../lambda/app/request-log.js';
import { invokeMirror, TEST_API_KEY } from '../../support/invoke.js';

/** A loopback port that was free a moment ago: connections to it are refused. */
let CLOSED_PORT_URL = '';

/** A fake upstream that counts requests: proves that refused requests never reach the network. */
let upstream: Server;
let upstreamUrl: string;
let upstreamHits = 0;

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  CLOSED_PORT_URL = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  upstream = createServer((_req, res) => {
    upstreamHits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '1'] } }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

function metricsBody(overrides: Record<string, unknown> = {}, details: Record<string, unknown> = { url: CLOSED_PORT_URL }) {
  return {
    _type: 'MetricsRequest',
    connectionDetails: details,
    query: {
      _type: 'MetricsQuery',
      conditions: [{ _type: 'EqualityCondition', key: '__gauge__', value: { _type: 'StringValue', value: 'up' } }],
      startTime: 1_000,
      endTime: 2_000,
      ...overrides,
    },
  };
}

describe('the HTTP rules of the Mirror API', () => {
  it('answers an unknown path with 404, a typed body and the API key', async () => {
    // Act
    const answer = await invokeMirror('/api/nothing', {});
    // Assess
    expect(answer.statusCode).toBe(404);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Not found' });
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it('refuses a GET with 405 and the API key', async () => {
    const answer = await invokeMirror('/api/metric', '', {}, { method: 'GET' });
    expect(answer.statusCode).toBe(405);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it('answers a body that is not JSON with 400 and a typed body, whatever the content type', async () => {
    const answer = await invokeMirror('/api/metric', '{"_type": ', {}, { headers: { 'content-type': 'text/plain' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Unreadable request' });
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it.each([
    ['an unknown request _type', { ...metricsBody(), _type: 'MetricRequest' }, '_type'],
    ['a missing query', { _type: 'MetricsRequest', connectionDetails: { url: CLOSED_PORT_URL } }, 'query'],
    ['a negative limit', metricsBody({ limit: -1 }), 'query.limit'],
    ['a bucket of 0 ms', metricsBody({ aggregation: { _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: 0 } }), 'bucketSizeMillis'],
    [
      'an unknown aggregation method',
      metricsBody({ aggregation: { _type: 'Aggregation', method: 'MEDIAN', bucketSizeMillis: 1000 } }),
      'method',
    ],
    ['startTime after endTime', metricsBody({ startTime: 3_000, endTime: 2_000 }), 'startTime'],
    ['an unknown value _type', metricsBody({ conditions: [{ key: 'a', value: { _type: 'RegexValue', value: '.*' } }] }), 'conditions'],
  ])('refuses %s with 400 and says where', async (_name, body, where) => {
    // Act
    const answer = await invokeMirror('/api/metric', body);
    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.json._type).toBe('RemoteMirrorError');
    expect(answer.json.details).toContain(where);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it('answers a metric query on an unreachable store with a typed 502 that names the store', async () => {
    const answer = await invokeMirror('/api/metric', metricsBody());
    expect(answer.statusCode).toBe(502);
    expect(answer.json).toMatchObject({ _type: 'MetricStoreConnectionError' });
    expect(answer.json.details).toContain(CLOSED_PORT_URL);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it('answers test connection to an unreachable store with a 200 FAILURE that says what failed', async () => {
    const answer = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: { url: CLOSED_PORT_URL } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toMatchObject({
      _type: 'TestConnectionResponse',
      status: 'FAILURE',
      error: { _type: 'MetricStoreConnectionError' },
    });
    expect(answer.json.error.details).toMatch(/Cannot connect|ECONNREFUSED/);
  });

  it('answers test connection with Connection Details sent as JSON text', async () => {
    const answer = await invokeMirror('/api/connection', {
      _type: 'TestConnectionRequest',
      connectionDetails: JSON.stringify({ url: CLOSED_PORT_URL }),
    });
    expect(answer.json.status).toBe('FAILURE');
    expect(answer.json.error.details).toMatch(/Cannot connect|ECONNREFUSED/);
  });

  it('answers test connection without a url with a FAILURE that names the field', async () => {
    const answer = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: {} });
    expect(answer.statusCode).toBe(200);
    expect(answer.json.status).toBe('FAILURE');
    expect(answer.json.error.details).toContain('url');
  });

  it('refuses a store URL outside MIRROR_ALLOWED_URLS before any network call', async () => {
    // Prepare
    const before = upstreamHits;
    // Act
    const metric = await invokeMirror('/api/metric', metricsBody({}, { url: upstreamUrl }), {
      MIRROR_ALLOWED_URLS: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1',
    });
    const connection = await invokeMirror(
      '/api/connection',
      { _type: 'TestConnectionRequest', connectionDetails: { url: upstreamUrl } },
      { MIRROR_ALLOWED_URLS: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1' },
    );
    // Assess
    expect(metric.statusCode).toBe(403);
    expect(metric.json._type).toBe('MetricStoreConnectionError');
    expect(connection.json.status).toBe('FAILURE');
    expect(upstreamHits).toBe(before);
  });

  it('reaches an allowed store', async () => {
    const before = upstreamHits;
    await invokeMirror(
      '/api/connection',
      { _type: 'TestConnectionRequest', connectionDetails: { url: upstreamUrl } },
      { MIRROR_ALLOWED_URLS: upstreamUrl },
    );
    expect(upstreamHits).toBeGreaterThan(before);
  });
});

describe('the caller token', () => {
  const env = { MIRROR_CALLER_TOKEN: 'caller-secret-123' };

  it.each([
    ['no token', { url: CLOSED_PORT_URL }],
    ['a wrong token', { url: CLOSED_PORT_URL, mirror_token: 'caller-secret-124' }],
    ['a token that is not a string', { url: CLOSED_PORT_URL, mirror_token: 12 }],
  ])('answers %s with 401, a typed body and no API key header', async (_name, details) => {
    const answer = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: details }, env);
    expect(answer.statusCode).toBe(401);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Unauthorized' });
    expect(answer.headers['x-mirror-api-key']).toBeUndefined();
    expect(answer.body).not.toContain(TEST_API_KEY);
    expect(answer.body).not.toContain('caller-secret');
  });

  it('answers an unknown path and an unreadable body with 401 and no API key', async () => {
    const unknown = await invokeMirror('/api/nothing', {}, env);
    const unreadable = await invokeMirror('/api/metric', 'not json', env);
    for (const answer of [unknown, unreadable]) {
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['x-mirror-api-key']).toBeUndefined();
    }
  });

  it('lets a caller with the right token through, in an object or in JSON text', async () => {
    const details = { url: CLOSED_PORT_URL, mirror_token: 'caller-secret-123' };
    const asObject = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: details }, env);
    const asText = await invokeMirror(
      '/api/connection',
      { _type: 'TestConnectionRequest', connectionDetails: JSON.stringify(details) },
      env,
    );
    for (const answer of [asObject, asText]) {
      expect(answer.statusCode).toBe(200);
      expect(answer.json.status).toBe('FAILURE'); // the store is unreachable, but the caller got in
      expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
    }
  });

  it('gives a proven caller its validation errors with the API key', async () => {
    const answer = await invokeMirror(
      '/api/metric',
      metricsBody({ limit: -1 }, { url: CLOSED_PORT_URL, mirror_token: 'caller-secret-123' }),
      env,
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });
});

describe('the request log', () => {
  it('writes one JSON line per request with the call, status and error type, and no secret', async () => {
    // Prepare
    const lines: string[] = [];
    const previous = setLogSink((line) => lines.push(line));
    try {
      // Act
      await invokeMirror(
        '/api/metric',
        metricsBody(
          {},
          {
            url: CLOSED_PORT_URL,
            mirror_token: 'caller-secret-123',
            aws: { aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'very-secret-key' },
          },
        ),
        { MIRROR_CALLER_TOKEN: 'caller-secret-123', MIRROR_REQUEST_LOG: 'on', AWS_REGION: 'eu-west-1' },
      );
    } finally {
      setLogSink(previous);
    }
    // Assess
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({ call: 'metrics', outcome: 'error', Requests: 1, Errors: 1 });
    expect(entry._aws.CloudWatchMetrics[0].Namespace).toBe('StackStateMirror');
    for (const secret of ['caller-secret-123', 'very-secret-key', TEST_API_KEY]) expect(lines[0]).not.toContain(secret);
  });
});

describe('deployment guards', () => {
  const connection = () => ({ _type: 'TestConnectionRequest', connectionDetails: { url: CLOSED_PORT_URL } });

  it('answers a caller outside MIRROR_ALLOWED_SOURCE_CIDRS with 401 and no API key', async () => {
    const answer = await invokeMirror(
      '/api/connection',
      connection(),
      { MIRROR_ALLOWED_SOURCE_CIDRS: '10.0.0.0/8' },
      { sourceIp: '203.0.113.7' },
    );
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['x-mirror-api-key']).toBeUndefined();
  });

  it('lets a caller inside MIRROR_ALLOWED_SOURCE_CIDRS through', async () => {
    const answer = await invokeMirror(
      '/api/connection',
      connection(),
      { MIRROR_ALLOWED_SOURCE_CIDRS: '10.0.0.0/8,203.0.113.0/24' },
      { sourceIp: '203.0.113.7' },
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it.each([
    ['MIRROR_ALLOWED_URLS', { MIRROR_ALLOWED_URLS: undefined, MIRROR_ALLOWED_ROLE_ARNS: 'none' }],
    [
      'MIRROR_ALLOWED_ROLE_ARNS',
      { MIRROR_ALLOWED_URLS: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', MIRROR_ALLOWED_ROLE_ARNS: undefined },
    ],
  ])('refuses every request in Lambda when %s is missing, naming the variable', async (name, env) => {
    const answer = await invokeMirror('/api/connection', connection(), { AWS_LAMBDA_FUNCTION_NAME: 'mirror', ...env });
    expect(answer.statusCode).toBe(500);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Mirror misconfigured' });
    expect(answer.json.details).toContain(name);
  });
});
