import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the front answered: when it arrived and when its answer was sent (ms, monotonic). */
export interface Visit {
  path: string;
  startMs: number;
  endMs: number;
}

export interface DelayFront {
  url: string;
  visits: Visit[];
  /** The delay added from now on. */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for a remote store: proxies every request to `target` after `delayMs`
 * (an in-region round trip), and records when each one ran. Listens on 127.0.0.1.
 */
export async function startDelayFront(target: string, delayMs: number): Promise<DelayFront> {
  const to = new URL(target);
  const visits: Visit[] = [];
  const front = { delayMs } as DelayFront;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const startMs = performance.now();
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const upstream = httpRequest(
          { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => visits.push({ path: (req.url ?? '').split('?')[0] ?? '', startMs, endMs: performance.now() }));
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(parts));
      }, front.delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(front, {
    url: `http://127.0.0.1:${port}`,
    visits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/**
 * Sequential round trips among `visits`: requests whose times overlap ran in parallel and
 * count once; the count is the number of groups left after merging overlapping intervals.
 */
export function sequentialRoundTrips(visits: Visit[]): number {
  const sorted = [...visits].sort((a, b) => a.startMs - b.startMs);
  let groups = 0;
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const v of sorted) {
    if (v.startMs >= groupEnd) groups++;
    groupEnd = Math.max(groupEnd, v.endMs);
  }
  return groups;
}
