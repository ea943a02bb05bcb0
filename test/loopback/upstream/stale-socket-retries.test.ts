import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Deadline } from '../../../lambda/deadline.js';
import { httpTransport } from '../../../lambda/upstream/http-transport.js';
import { type RetryEvent, withRetries } from '../../../lambda/upstream/retry.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/**
 * A store that, once `freeze()` is called, resets every request that arrives on a connection
 * opened before (as one does on connections it closed while the mirror's function was frozen);
 * with `resetAll`, on new connections too. Counts the requests each kind of connection got.
 */
async function freezingStore(options: { resetAll?: boolean } = {}) {
  const before = new Set<Socket>();
  const seen = { onOld: 0, onNew: 0 };
  let frozen = false;
  const store = createServer((req, res) => {
    if (frozen) {
      const old = before.has(req.socket);
      if (old) seen.onOld++;
      else seen.onNew++;
      if (old || options.resetAll) {
        req.socket.resetAndDestroy();
        return;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"success","data":[]}');
  });
  server = store;
  store.keepAliveTimeout = 60_000;
  store.on('connection', (socket: Socket) => {
    if (!frozen) before.add(socket);
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(store.address() as AddressInfo).port}/api/v1/labels`);
  return {
    url,
    seen,
    freeze: () => {
      frozen = true;
    },
  };
}

const get = (url: URL) => ({ method: 'GET' as const, url, headers: {}, signal: AbortSignal.timeout(10_000) });

/** Four requests at once: four kept-alive connections in the transport's pool. */
async function poolFour(url: URL): Promise<void> {
  const answers = await Promise.all([1, 2, 3, 4].map(() => httpTransport(get(url))));
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
}

function retrying(maxAttempts: number) {
  const retries: RetryEvent[] = [];
  const slept: number[] = [];
  const transport = withRetries(httpTransport, {
    deadline: Deadline.after(60_000),
    maxAttempts,
    random: () => 1,
    sleep: async (ms) => void slept.push(ms),
    onRetry: (event) => retries.push(event),
  });
  return { transport, retries, slept };
}

describe('a kept-alive connection the store closed', () => {
  it('costs one immediate resend on a new connection, not a retry attempt nor a backoff', async () => {
    const store = await freezingStore();
    await poolFour(store.url);
    store.freeze();
    const { transport, retries, slept } = retrying(1);

    const answer = await transport(get(store.url));

    expect(answer.status).toBe(200);
    expect(store.seen).toEqual({ onOld: 1, onNew: 1 }); // the other three idle connections were not tried
    expect(retries).toEqual([]);
    expect(slept).toEqual([]);
  });

  it('then leaves real resets to the retries: maxAttempts sends on new connections, after the one free resend', async () => {
    const store = await freezingStore({ resetAll: true });
    await poolFour(store.url);
    store.freeze();
    const { transport, retries, slept } = retrying(3);

    await expect(transport(get(store.url))).rejects.toMatchObject({ failure: 'network', details: expect.stringContaining('ECONNRESET') });

    expect(store.seen).toEqual({ onOld: 1, onNew: 3 });
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [2, 'ECONNRESET'],
      [3, 'ECONNRESET'],
    ]);
    expect(slept).toHaveLength(2);
  });
});
