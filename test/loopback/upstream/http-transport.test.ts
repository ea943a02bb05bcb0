import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { httpTransport } from '../../../lambda/upstream/http-transport.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A loopback server that answers the body it got and counts the connections it accepted. */
async function echoServer(): Promise<{ url: string; connections: Socket[] }> {
  const connections: Socket[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-seen': 'a' });
      res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => connections.push(socket));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
}

const post = (url: string, body: string, signal = AbortSignal.timeout(5000)) =>
  httpTransport({
    method: 'POST',
    url: new URL(`${url}/api/v1/query`),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal,
  });

describe('the node:http transport', () => {
  it('sends the form body and returns status, lower-case headers and the whole answer', async () => {
    const { url } = await echoServer();
    const answer = await post(url, 'query=up&time=1');
    expect(answer.status).toBe(200);
    expect(answer.headers['x-seen']).toBe('a');
    expect(JSON.parse(answer.body)).toEqual({ method: 'POST', body: 'query=up&time=1', type: 'application/x-www-form-urlencoded' });
  });

  it('keeps the connection alive between calls', async () => {
    const { url, connections } = await echoServer();
    await post(url, 'a=1');
    await post(url, 'a=2');
    await post(url, 'a=3');
    expect(connections).toHaveLength(1);
  });

  it('sends again on a fresh connection when the store closed the kept-alive one', async () => {
    const { url, connections } = await echoServer();
    await post(url, 'a=1');
    for (const socket of connections) socket.resetAndDestroy(); // the store drops the idle connection (RST)
    const answer = await post(url, 'a=2');
    expect(JSON.parse(answer.body).body).toBe('a=2');
    expect(connections.length).toBeGreaterThanOrEqual(2);
  });

  it('hands a successful answer over as a stream when asked to', async () => {
    const { url } = await echoServer();
    const answer = await httpTransport({
      method: 'POST',
      url: new URL(url),
      headers: {},
      body: 'streamed=1',
      signal: AbortSignal.timeout(5000),
      stream: true,
    });
    let text = '';
    for await (const chunk of answer.stream ?? []) text += Buffer.from(chunk).toString('utf8');
    expect(answer.body).toBe('');
    expect(JSON.parse(text).body).toBe('streamed=1');
  });

  it('turns a refused connection into a typed network error', async () => {
    const { url } = await echoServer();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server?.closeAllConnections();
    server = undefined;
    const attempt = post(url, 'a=1');
    await expect(attempt).rejects.toBeInstanceOf(MetricStoreConnectionError);
    await expect(attempt).rejects.toMatchObject({ failure: 'network' });
  });

  it('turns the deadline into a typed timeout', async () => {
    server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const attempt = post(url, 'a=1', AbortSignal.timeout(100));
    await expect(attempt).rejects.toMatchObject({ failure: 'timeout' });
  });
});
