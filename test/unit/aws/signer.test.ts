import aws4 from 'aws4';
import { describe, expect, it } from 'vitest';
import { signRequest, sigV4Escape } from '../../../lambda/aws/signer.js';
import type { UpstreamRequest } from '../../../lambda/upstream/transport.js';

/**
 * Known answers from AWS's published Signature Version 4 test suite ("aws-sig-v4-test-suite"):
 * access key AKIDEXAMPLE, the suite's example secret, 2015-08-30T12:36:00Z, us-east-1, service
 * "service", host example.amazonaws.com. Each expected signature is AWS's.
 */
const SUITE = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  date: new Date('2015-08-30T12:36:00Z'),
  region: 'us-east-1',
  service: 'service',
};

interface Vector {
  name: string;
  method: 'GET' | 'POST';
  /** Path and query as the test suite's request line has them, percent-encoded. */
  target: string;
  headers?: Record<string, string>;
  body?: string;
  signedHeaders: string;
  signature: string;
}

const VECTORS: Vector[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    target: '/',
    signedHeaders: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    target: '/',
    signedHeaders: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    target: '/?Param2=value2&Param1=value1',
    signedHeaders: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    target:
      '/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signedHeaders: 'host;x-amz-date',
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  {
    name: 'get-vanilla-utf8-query',
    method: 'GET',
    target: '/?%E1%88%B4=bar',
    signedHeaders: 'host;x-amz-date',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    target: '/?Param1=value1',
    signedHeaders: 'host;x-amz-date',
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'get-unreserved',
    method: 'GET',
    target: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signedHeaders: 'host;x-amz-date',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    target: '/',
    headers: { 'My-Header1': 'value1' },
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    target: '/',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
];

function request(method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, body?: string): UpstreamRequest {
  const r: UpstreamRequest = { method, url: new URL(url), headers, signal: new AbortController().signal };
  if (body !== undefined) r.body = body;
  return r;
}

describe('signRequest against AWS SigV4 test-suite vectors', () => {
  it.each(VECTORS)('signs $name exactly as AWS publishes', async (vector) => {
    // Prepare
    const req = request(vector.method, `https://example.amazonaws.com${vector.target}`, vector.headers, vector.body);

    // Act
    const signed = await signRequest(req, SUITE.credentials, SUITE.region, SUITE.service, SUITE.date);

    // Assess
    expect(signed.headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${vector.signedHeaders}, Signature=${vector.signature}`,
    );
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
  });
});

describe('signRequest for AMP', () => {
  const credentials = {
    accessKeyId: 'ASIAEXAMPLETEMPKEY01',
    secretAccessKey: 'c2VjcmV0LWZvci1hbXAtdGVzdHMtb25seS0wMTIz',
    sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//////////+abc=',
  };
  const date = new Date('2026-01-01T10:00:00Z');
  const workspace = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234';

  /** The same request signed by the aws4 package, for comparison. */
  function aws4Authorization(signed: UpstreamRequest): string {
    const headers: Record<string, string> = { host: signed.url.host };
    for (const [name, value] of Object.entries(signed.headers)) {
      if (name !== 'authorization' && name !== 'user-agent') headers[name] = value;
    }
    const opts = aws4.sign(
      {
        // aws4 would add and sign a content-length; the mirror leaves it to the transport
        extraHeadersToIgnore: { 'content-length': true },
        host: signed.url.host,
        method: signed.method,
        path: `${signed.url.pathname}${signed.url.search}`,
        headers,
        ...(signed.body !== undefined ? { body: signed.body } : {}),
        service: 'aps',
        region: 'eu-west-1',
      } as aws4.Request,
      credentials,
    );
    return String((opts.headers as Record<string, string>).Authorization);
  }

  it('signs a query POST with a form body the same way aws4 does', async () => {
    // Prepare
    const body = new URLSearchParams([
      ['query', 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))'],
      ['time', '1767261600'],
      ['timeout', '20s'],
    ]).toString();
    const req = request(
      'POST',
      `${workspace}/api/v1/query`,
      { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    );

    // Act
    const signed = await signRequest(req, credentials, 'eu-west-1', 'aps', date);

    // Assess
    expect(signed.headers.authorization).toContain('Credential=ASIAEXAMPLETEMPKEY01/20260101/eu-west-1/aps/aws4_request');
    expect(signed.headers.authorization).toContain('SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token');
    expect(signed.headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(signed.headers.authorization).toBe(aws4Authorization(signed));
    expect(signed.body).toBe(body);
  });

  it('keeps repeated match[] keys and signs them all', async () => {
    // Prepare
    const req = request('GET', `${workspace}/api/v1/series?match%5B%5D=up%7Bjob%3D%22a%22%7D&match%5B%5D=up%7Bjob%3D%22b%22%7D&start=1`);

    // Act
    const signed = await signRequest(req, credentials, 'eu-west-1', 'aps', date);

    // Assess
    expect(signed.url.searchParams.getAll('match[]')).toEqual(['up{job="a"}', 'up{job="b"}']);
    expect(signed.headers.authorization).toBe(aws4Authorization(signed));
    const onlyOne = await signRequest(
      request('GET', `${workspace}/api/v1/series?match%5B%5D=up%7Bjob%3D%22a%22%7D&start=1`),
      credentials,
      'eu-west-1',
      'aps',
      date,
    );
    expect(onlyOne.headers.authorization).not.toBe(signed.headers.authorization);
  });

  it("sends the query in SigV4's encoding, so a space is %20 and never an ambiguous +", async () => {
    // Prepare: the client builds queries with URLSearchParams, which writes a space as +
    const query = new URLSearchParams([['match[]', 'up{a="x y+z"}']]).toString();
    const req = request('GET', `${workspace}/api/v1/label/job/values?${query}`);

    // Act
    const signed = await signRequest(req, credentials, 'eu-west-1', 'aps', date);

    // Assess
    expect(signed.url.search).toBe('?match%5B%5D=up%7Ba%3D%22x%20y%2Bz%22%7D');
    expect(signed.headers.authorization).toBe(aws4Authorization(signed));
  });

  it('signs the port of a non-default host and leaves host to the transport', async () => {
    // Prepare
    const req = request('GET', 'http://127.0.0.1:9099/workspaces/ws-1/api/v1/labels');

    // Act
    const signed = await signRequest(req, credentials, 'us-east-1', 'aps', date);

    // Assess
    expect(signed.headers.host).toBeUndefined();
    const viaAws4 = aws4.sign(
      {
        host: '127.0.0.1:9099',
        method: 'GET',
        path: '/workspaces/ws-1/api/v1/labels',
        service: 'aps',
        region: 'us-east-1',
        headers: { 'x-amz-date': signed.headers['x-amz-date'] ?? '' },
      },
      credentials,
    );
    expect(signed.headers.authorization).toBe((viaAws4.headers as Record<string, string>).Authorization);
  });

  it('adds the user agent after signing and does not sign it', async () => {
    // Act
    const signed = await signRequest(request('GET', `${workspace}/api/v1/labels`), credentials, 'eu-west-1', 'aps', date);

    // Assess
    expect(signed.headers['user-agent']).toBeDefined();
    expect(signed.headers.authorization).not.toContain('user-agent');
  });

  it('does not change the request it was given', async () => {
    // Prepare
    const req = request('GET', `${workspace}/api/v1/labels?match[]=up`, { accept: 'application/json' });
    const before = { url: req.url.href, headers: { ...req.headers } };

    // Act
    await signRequest(req, credentials, 'eu-west-1', 'aps', date);

    // Assess
    expect({ url: req.url.href, headers: req.headers }).toEqual(before);
  });

  it('gives a different signature for another region', async () => {
    // Prepare
    const req = request('GET', `${workspace}/api/v1/labels`);

    // Act
    const a = await signRequest(req, credentials, 'eu-west-1', 'aps', date);
    const b = await signRequest(req, credentials, 'us-east-1', 'aps', date);

    // Assess
    expect(a.headers.authorization).not.toBe(b.headers.authorization);
  });
});

describe('sigV4Escape', () => {
  it('escapes everything but the unreserved characters', () => {
    // Act
    const escaped = sigV4Escape("a-_.~ !'()*+/=&é");

    // Assess
    expect(escaped).toBe('a-_.~%20%21%27%28%29%2A%2B%2F%3D%26%C3%A9');
  });
});

describe('signRequest keeps what it does not sign', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  it('keeps how the answer is read (stream, byte cap), the signal and the body', async () => {
    // Prepare
    const req = request('POST', 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/query', {}, 'query=up');
    req.stream = true;
    req.maxBytes = 8 * 2 ** 20;

    // Act
    const signed = await signRequest(req, credentials, 'eu-west-1');

    // Assess
    expect(signed).toMatchObject({ stream: true, maxBytes: 8 * 2 ** 20, signal: req.signal, body: 'query=up', method: 'POST' });
  });

  it('signs an x-amz-target header given to it, and rewrites the signer’s own headers', async () => {
    // Prepare
    const req = request('POST', 'https://secretsmanager.eu-west-1.amazonaws.com/', {
      'X-Amz-Target': 'secretsmanager.GetSecretValue',
      'x-amz-date': '19990101T000000Z',
      authorization: 'forged',
    });

    // Act
    const signed = await signRequest(req, credentials, 'eu-west-1', 'secretsmanager', SUITE.date);

    // Assess
    expect(signed.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.headers.authorization).toMatch(/SignedHeaders=host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
  });
});
