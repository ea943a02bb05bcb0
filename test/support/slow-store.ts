import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROBE_EXPR } from '../../lambda/domain/time/buckets.js';

/**
 * A store double on loopback whose query answers are enormous and slow: a valid Prometheus
 * matrix answer of `totalBytes`, generated lazily piece by piece (never held), written at the
 * pace the reader takes it with a pause every `pauseEvery` bytes. `bytesSent` tells how much
 * the mirror made it send before it stopped reading.
 *
 * - a query naming `one_endless_series`: a single series whose values go on until `totalBytes`;
 * - any other query: series after series (`m_0`, `m_1`, …), each `pointsPerSeries` points.
 * The probe of range semantics and `series` are answered small and right away.
 */
export interface SlowStore {
  url: string;
  /** Bytes of query answers written so far (all connections). */
  bytesSent(): number;
  /** Query answers still being written. */
  open(): number;
  close(): Promise<void>;
}

export async function startSlowStore(options: {
  totalBytes: number;
  pointsPerSeries?: number;
  pauseEvery?: number;
  pauseMs?: number;
}): Promise<SlowStore> {
  const pointsPerSeries = options.pointsPerSeries ?? 10_000;
  const pauseEvery = options.pauseEvery ?? 1 << 20;
  const pauseMs = options.pauseMs ?? 5;
  let sent = 0;
  let open = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(req.method === 'POST' ? Buffer.concat(chunks).toString() : ((req.url ?? '').split('?')[1] ?? ''));
      const path = (req.url ?? '').split('?')[0] ?? '';
      const query = form.get('query') ?? '';
      res.setHeader('content-type', 'application/json');
      if (path.endsWith('/series')) {
        res.end(JSON.stringify({ status: 'success', data: [{ __name__: 'one_endless_series' }] }));
      } else if (query === PROBE_EXPR) {
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '3'] }] } }));
      } else if (path.endsWith('/query') || path.endsWith('/query_range')) {
        open++;
        res.on('close', () => open--);
        void stream(res, pieces(query.includes('one_endless_series'), pointsPerSeries, options.totalBytes), (n) => {
          sent += n;
        });
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  async function stream(res: import('node:http').ServerResponse, source: Generator<string>, count: (n: number) => void): Promise<void> {
    let sinceLastPause = 0;
    for (const piece of source) {
      if (res.destroyed || res.writableEnded) return;
      const ok = res.write(piece);
      count(piece.length);
      sinceLastPause += piece.length;
      if (!ok) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
      if (sinceLastPause >= pauseEvery) {
        sinceLastPause = 0;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
    if (!res.destroyed) res.end();
  }

  return {
    url: `http://127.0.0.1:${port}`,
    bytesSent: () => sent,
    open: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The answer's text in pieces of about 64 KiB, generated as they are asked for. */
function* pieces(oneSeries: boolean, pointsPerSeries: number, totalBytes: number): Generator<string> {
  const t0 = 1_767_225_600;
  let written = 0;
  let buffer = '{"status":"success","data":{"resultType":"matrix","result":[';
  const flush = function* (force: boolean): Generator<string> {
    if (buffer.length >= 65_536 || (force && buffer.length > 0)) {
      written += buffer.length;
      yield buffer;
      buffer = '';
    }
  };
  for (let s = 0; written < totalBytes; s++) {
    buffer += `${s > 0 ? ',' : ''}{"metric":{"__name__":"${oneSeries ? 'one_endless_series' : `m_${s}`}","job":"bench"},"values":[`;
    for (let k = 0; oneSeries ? written < totalBytes : k < pointsPerSeries; k++) {
      buffer += `${k > 0 ? ',' : ''}[${t0 + k * 15},"${k % 1000}.5"]`;
      yield* flush(false);
      if (written >= totalBytes) break;
    }
    buffer += ']}';
  }
  buffer += ']}}';
  yield* flush(true);
}
