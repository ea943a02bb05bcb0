import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeMirror } from '../../support/invoke.js';

/** A loopback HTTP server whose answer each test chooses: the faults a user's store can show. */
let server: Server;
let base = '';
let answer: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function testConnection(details: Record<string, unknown>) {
  const result = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: details });
  expect(result.statusCode).toBe(200);
  expect(result.json._type).toBe('TestConnectionResponse');
  return result.json as { status: string; error?: { _type: string; details: string } };
}

function respond(status: number, body: string, type = 'application/json') {
  answer = (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
}

describe('test connection tells the user what is wrong', () => {
  it('names a host name that does not resolve', async () => {
    const result = await testConnection({ url: 'http://mirror-test.invalid:9090' });
    expect(result.status).toBe('FAILURE');
    expect(result.error?.details).toContain('does not resolve');
    expect(result.error?.details).toContain('mirror-test.invalid');
  });

  it('says the store did not answer in time, honouring request_timeout_seconds', async () => {
    // Prepare: a store that never answers; it notes each query's timeout parameter and whether the mirror hung up unanswered
    const timeouts: (string | null)[] = [];
    const hungUp: Promise<boolean>[] = [];
    answer = (req, res) => {
      hungUp.push(new Promise((resolve) => res.on('close', () => resolve(!res.writableEnded))));
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => timeouts.push(new URLSearchParams(Buffer.concat(chunks).toString()).get('timeout')));
    };
    // Act
    const result = await testConnection({ url: base, request_timeout_seconds: 0.5 });
    // Assess: the deadline in force was request_timeout_seconds' (the 20 s default would ask the store for 18s) …
    expect(timeouts).toEqual(['1s']);
    // … the mirror gave the one query up at it, hanging up on the silent store, and said why
    expect(await Promise.all(hungUp)).toEqual([true]);
    expect(result.status).toBe('FAILURE');
    expect(result.error?.details).toMatch(/in time/);
    expect(result.error?.details).toContain('request_timeout_seconds');
  });

  it('explains a 401 as a store that wants credentials', async () => {
    respond(401, 'Unauthorized', 'text/plain');
    const result = await testConnection({ url: base });
    expect(result.error?.details).toMatch(/401 Unauthorized: it wants credentials/);
  });

  it('explains a 403 as missing permissions, naming the aps actions', async () => {
    respond(403, JSON.stringify({ message: 'User is not authorized to perform: aps:QueryMetrics' }));
    const result = await testConnection({ url: base });
    expect(result.error?.details).toContain('aps:QueryMetrics');
    expect(result.error?.details).toMatch(/403/);
  });

  it('explains a 404 as a wrong url or workspace', async () => {
    respond(404, '404 page not found', 'text/plain');
    const result = await testConnection({ url: `${base}/workspaces/ws-nope` });
    expect(result.error?.details).toMatch(/404 Not Found/);
    expect(result.error?.details).toContain('workspace');
  });

  it('says an HTML page is not a Prometheus API', async () => {
    respond(200, '<html><body>Welcome</body></html>', 'text/html');
    const result = await testConnection({ url: base });
    expect(result.error?.details).toMatch(/not .*Prometheus/);
  });

  it('says a JSON answer that is not a PromQL result is not a Prometheus API', async () => {
    respond(200, JSON.stringify({ status: 'success', data: { hello: 'world' } }));
    const result = await testConnection({ url: base });
    expect(result.error?.details).toMatch(/Prometheus/);
  });

  it('never puts the upstream body into the answer beyond the store error field', async () => {
    respond(500, 'secret-internal-trace at db.go:42', 'text/plain');
    const result = await testConnection({ url: base });
    expect(result.status).toBe('FAILURE');
    expect(result.error?.details).not.toContain('secret-internal-trace');
  });
});
