import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeMirror } from '../../support/invoke.js';

/**
 * A store URL that is a web portal: its API paths answer 404, and every page is an endless
 * HTML page (200), written as fast as the reader takes it. Counts the page bytes written.
 */
let server: Server;
let base = '';
let pageBytesWritten = 0;
/** One a page served: resolves when its connection closes. */
const pagesClosed: Promise<void>[] = [];
const MiB = 2 ** 20;

function endlessPage(res: ServerResponse): void {
  pagesClosed.push(new Promise((resolve) => res.once('close', () => resolve())));
  res.writeHead(200, { 'content-type': 'text/html' });
  res.write('<!doctype html><html><head><title>Company portal</title></head><body>');
  const chunk = Buffer.alloc(64 * 1024, '<p>more</p>');
  const more = (): void => {
    while (!res.destroyed) {
      pageBytesWritten += chunk.byteLength;
      if (!res.write(chunk)) {
        res.once('drain', more);
        return;
      }
    }
  };
  more();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/portal/api/') || req.url?.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
      return;
    }
    endlessPage(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("test connection's look at the url", () => {
  it('reads only the head of an endless page, drops the connection, and still sees an HTML page', async () => {
    const result = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: { url: `${base}/portal` } });

    expect(result.json.status, result.body).toBe('FAILURE');
    expect(String(result.json.error.details)).toContain(`"${base}/portal" answers with an HTML page`);
    expect(pagesClosed).toHaveLength(1);
    await Promise.all(pagesClosed); // the probe dropped the connection (or this never resolves)
    // What was written is what the probe read plus the sockets' kernel buffers: bounded, not endless.
    expect(pageBytesWritten).toBeLessThan(32 * MiB);
  });
});
