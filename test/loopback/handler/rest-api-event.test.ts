import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../lambda/handler.js';
import { isRestApiEvent, toHttpApiEvent } from '../../../lambda/http/rest-api-event.js';
import { localContext, toApiGatewayEvent } from '../../../lambda/local/api-gateway-event.js';
import { TEST_API_KEY } from '../../support/invoke.js';

// A REST API Lambda proxy event (payload 1.0) as API Gateway sends it: the deployed edge.
const FIXTURE = new URL('../../fixtures/events/rest-api-proxy-event.json', import.meta.url);

function restEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return { ...(JSON.parse(readFileSync(FIXTURE, 'utf8')) as APIGatewayProxyEvent), ...overrides };
}

/** A store that counts requests: shows whether a call got past the edge checks. */
let store: Server;
let storeUrl = '';
let storeHits = 0;

beforeAll(async () => {
  store = createServer((_req, res) => {
    storeHits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '1'] } }));
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => store.close(() => resolve())));
afterEach(() => vi.unstubAllEnvs());

function mirrorEnv(cidrs = '203.0.113.0/24'): void {
  vi.stubEnv('MIRROR_API_KEY', TEST_API_KEY);
  vi.stubEnv('MIRROR_REQUEST_LOG', 'off');
  vi.stubEnv('MIRROR_ALLOWED_URLS', storeUrl);
  vi.stubEnv('MIRROR_ALLOWED_SOURCE_CIDRS', cidrs);
}

const connectionBody = () => JSON.stringify({ _type: 'TestConnectionRequest', connectionDetails: { url: storeUrl } });

async function invoke(event: APIGatewayProxyEvent) {
  const result = (await handler(event, localContext())) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string>, json: JSON.parse(result.body ?? 'null') };
}

describe('toHttpApiEvent (REST API payload 1.0 to the handler’s 2.0 shape)', () => {
  it('takes the address API Gateway saw, the method, the path without the stage, and lower-cased headers', () => {
    // Prepare
    const event = restEvent({ body: '{}' });

    // Act
    const v2 = toHttpApiEvent(event);

    // Assess
    expect(isRestApiEvent(event)).toBe(true);
    expect(v2.requestContext.http).toMatchObject({ sourceIp: '203.0.113.25', method: 'POST', path: '/api/metric' });
    expect(v2.rawPath).toBe('/api/metric');
    expect(v2.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(v2.headers['x-forwarded-for']).toBe('10.66.66.66, 203.0.113.25');
    expect(v2.headers['x-stackstate-hop']).toBe('first,second');
    expect(Object.keys(v2.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(v2.body).toBe('{}');
    expect(v2.isBase64Encoded).toBe(false);
  });

  it('keeps repeated query values and the base64 flag, and copes with null maps', () => {
    // Prepare
    const event = restEvent({
      headers: { Accept: 'text/plain' },
      multiValueHeaders: null as unknown as APIGatewayProxyEvent['multiValueHeaders'],
      queryStringParameters: { a: '2' },
      multiValueQueryStringParameters: { a: ['1', '2'], 'b c': ['x&y'] },
      body: Buffer.from('{}').toString('base64'),
      isBase64Encoded: true,
    });

    // Act
    const v2 = toHttpApiEvent(event);

    // Assess
    expect(v2.headers).toEqual({ accept: 'text/plain' });
    expect(v2.rawQueryString).toBe('a=1&a=2&b%20c=x%26y');
    expect(v2.isBase64Encoded).toBe(true);
  });

  it('does not take a 2.0 event for a 1.0 one', () => {
    // Prepare
    const v2 = toApiGatewayEvent({ method: 'POST', url: '/api/metric', headers: {}, body: '{}', sourceIp: '127.0.0.1' });

    // Act / Assess
    expect(isRestApiEvent(v2)).toBe(false);
    expect(isRestApiEvent(null)).toBe(false);
  });
});

describe('the handler, given a REST API event', () => {
  it('answers a caller inside the source networks, reaching the allowed store', async () => {
    // Prepare
    mirrorEnv();
    const before = storeHits;

    // Act
    const answer = await invoke(restEvent({ path: '/api/connection', body: connectionBody() }));

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json._type).toBe('TestConnectionResponse');
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
    expect(storeHits).toBeGreaterThan(before);
  });

  it('reads a base64 body', async () => {
    // Prepare
    mirrorEnv();
    const before = storeHits;

    // Act
    const answer = await invoke(
      restEvent({ path: '/api/connection', body: Buffer.from(connectionBody()).toString('base64'), isBase64Encoded: true }),
    );

    // Assess
    expect(answer.json._type).toBe('TestConnectionResponse');
    expect(storeHits).toBeGreaterThan(before);
  });

  it('refuses a caller outside the source networks on its own address, whatever X-Forwarded-For says', async () => {
    // Prepare
    mirrorEnv();
    const event = restEvent({ path: '/api/connection', body: connectionBody() });
    event.requestContext.identity.sourceIp = '198.51.100.7';
    const before = storeHits;

    // Act
    const answer = await invoke(event);

    // Assess
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Unauthorized' });
    expect(answer.headers['x-mirror-api-key']).toBeUndefined();
    expect(storeHits).toBe(before);
  });

  it('refuses a GET with 405, as for a 2.0 event', async () => {
    // Prepare
    mirrorEnv();

    // Act
    const answer = await invoke(restEvent({ httpMethod: 'GET', path: '/api/metric', body: null }));

    // Assess
    expect(answer.status).toBe(405);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });
});
