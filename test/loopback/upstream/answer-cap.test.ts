import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { httpTransport } from '../../../lambda/upstream/http-transport.js';
import { PrometheusClient } from '../../../lambda/upstream/prometheus-client.js';
import { AnswerTooLargeError } from '../../../lambda/upstream/upstream-limits.js';

/** Answers `labels` with 10 MiB of label names, `status/buildinfo` with a 10 MiB error page. */
let server: Server;
let url: string;
const MiB = 2 ** 20;

beforeAll(async () => {
  server = createServer((req, res) => {
    if ((req.url ?? '').includes('/labels')) {
      const names = Array.from({ length: MiB / 8 }, (_, i) => `n${String(i).padStart(5, '0')}`);
      res.end(JSON.stringify({ status: 'success', data: names.concat(names, names, names, names, names, names, names) }));
      return;
    }
    res.statusCode = 500;
    res.end('x'.repeat(10 * MiB));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(maxAnswerBytes: number) {
  return new PrometheusClient({ baseUrl: url, transport: httpTransport, signal: AbortSignal.timeout(10_000), maxAnswerBytes });
}

describe('answers read with a byte cap', () => {
  it('refuses a label list past the cap with a 413 that names the setting', async () => {
    const error = await client(MiB)
      .labelNames([])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnswerTooLargeError);
    expect((error as AnswerTooLargeError).status).toBe(413);
    expect((error as AnswerTooLargeError).details).toContain('1 MiB');
    expect((error as AnswerTooLargeError).details).toContain('MIRROR_MAX_ANSWER_BYTES');
  });

  it('reads the same list under a larger cap', async () => {
    expect(await client(64 * MiB).labelNames([])).toHaveLength(MiB);
  });

  it('reads only the head of a huge error answer: a typed store error, no body echoed', async () => {
    const error = await client(MiB)
      .buildInfo()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricStoreConnectionError);
    expect((error as MetricStoreConnectionError).details.length).toBeLessThan(5000);
  });
});
