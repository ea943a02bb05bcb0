import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTransport } from '../../../lambda/upstream/http-transport.js';
import { ERROR_BODY_BYTES } from '../../../lambda/upstream/upstream-limits.js';

/** Answers 200_000 bytes, as a 500 under /fail, ending in a 3-byte character at ERROR_BODY_BYTES - 1. */
let server: Server;
let url = '';
/** Resolves when the server's side of the latest connection closes. */
let closed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  const big = Buffer.concat([
    Buffer.from('x'.repeat(ERROR_BODY_BYTES - 1)),
    Buffer.from('€'),
    Buffer.alloc(200_000 - ERROR_BODY_BYTES - 2, 'y'),
  ]);
  server = createServer((req, res) => {
    closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
    res.writeHead(req.url?.includes('fail') ? 500 : 200);
    res.end(big);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the node:http transport reads an answer under its cap', () => {
  const ask = (path: string) =>
    httpTransport({ method: 'GET', url: new URL(url + path), headers: {}, signal: AbortSignal.timeout(5000), maxBytes: 100_000 });

  it('refuses a successful answer over maxBytes and drops the connection', async () => {
    await expect(ask('/ok')).rejects.toMatchObject({ name: 'AnswerTooLargeError', limitBytes: 100_000 });
    await closed;
  });

  it('cuts an error answer to ERROR_BODY_BYTES, the cut character becoming U+FFFD, and drops the connection', async () => {
    const failed = await ask('/fail');
    expect(failed.status).toBe(500);
    expect(Buffer.byteLength(failed.body)).toBe(ERROR_BODY_BYTES + 2); // U+FFFD is 3 bytes where 1 was kept
    expect(failed.body.endsWith('x\uFFFD')).toBe(true);
    await closed;
  });

  it('with headBytes reads only that much of any answer, even one it was asked to stream, and drops the connection', async () => {
    const head = (path: string, headBytes: number) =>
      httpTransport({ method: 'GET', url: new URL(url + path), headers: {}, signal: AbortSignal.timeout(5000), stream: true, headBytes });

    const page = await head('/ok', 1000);
    expect(page.stream).toBeUndefined();
    expect(page.body).toBe('x'.repeat(1000));
    await closed;
    expect((await head('/fail', 1000)).body).toBe('x'.repeat(1000));
    await closed;
    expect(Buffer.byteLength((await head('/fail', 100_000)).body)).toBe(ERROR_BODY_BYTES + 2); // never more of an error
  });
});
