import { describe, expect, it } from 'vitest';
import { traced, tracingTransport } from '../../lambda/local/playground/trace.js';
import type { UpstreamRequest } from '../../lambda/upstream/transport.js';

const request = (over: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
  method: 'POST',
  url: new URL('http://127.0.0.1:9090/api/v1/query_range'),
  headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA…, Signature=secret', 'x-amz-security-token': 'token' },
  ...(over.method === 'GET' ? {} : { body: 'query=up%7Bjob%3D%22a%22%7D&step=60' }),
  signal: AbortSignal.timeout(1000),
  ...over,
});

describe('the playground trace', () => {
  it('records the calls of a traced run only, with parameters and no headers', async () => {
    const send = tracingTransport(async () => ({ status: 200, headers: {}, body: '{"status":"success"}' }));
    await send(request());
    const { calls } = await traced(async () => {
      await send(request());
      await send(request({ method: 'GET', url: new URL('http://127.0.0.1:9090/api/v1/labels?match%5B%5D=up') }));
    });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: 'http://127.0.0.1:9090/api/v1/query_range',
      signed: true,
      status: 200,
      bytes: 20,
    });
    expect(calls[0]?.params).toEqual([
      ['query', 'up{job="a"}'],
      ['step', '60'],
    ]);
    expect(calls[1]?.params).toEqual([['match[]', 'up']]);
    expect(JSON.stringify(calls)).not.toMatch(/Signature|token|AKIA/);
  });

  it('records a failed call with its error and still throws it', async () => {
    const send = tracingTransport(async () => {
      throw new Error('Cannot connect to http://127.0.0.1:9 (ECONNREFUSED).');
    });
    let thrown: unknown;
    const { calls } = await traced(async () => send(request()).catch((error: unknown) => (thrown = error)));
    expect((thrown as Error).message).toMatch(/ECONNREFUSED/);
    expect(calls[0]?.error).toMatch(/ECONNREFUSED/);
    expect(calls[0]?.status).toBeUndefined();
  });

  it('bounds what one run records', async () => {
    const send = tracingTransport(async () => ({ status: 200, headers: {}, body: '' }));
    const { calls } = await traced(async () => {
      for (let i = 0; i < 250; i++) await send(request({ body: `query=${'x'.repeat(10_000)}` }));
    });
    expect(calls).toHaveLength(200);
    expect(calls[0]?.params[0]?.[1].length).toBeLessThanOrEqual(4001);
  });
});
