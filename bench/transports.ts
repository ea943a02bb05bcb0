/**
 * Part `transports`: the same small POST (a Prometheus-sized form body, a ~300-byte JSON
 * answer) over loopback through three HTTP clients — Node's global `fetch`, `node:http` with a
 * keep-alive Agent, and undici's Pool — one at a time and eight at a time, against a server in
 * a child process (so the server's work does not share the client's event loop).
 *
 * undici (the npm package) is not a dependency of the mirror: it is measured only when
 * importable, e.g. `UNDICI_MODULE=/path/to/node_modules/undici/index.js npm run bench -- transports`.
 */
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';

const SERVER = `
const http = require('node:http');
const answer = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'm', job: 'a' }, values: [[1767225600, '1'], [1767225615, '2'], [1767225630, '3']] }] } });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(answer); });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

type Send = (url: URL, body: string) => Promise<string>;

const FORM = new URLSearchParams({
  query: 'avg_over_time(room_temperature_celsius{room="north 101"}[59999ms] offset 1ms)',
  start: '1767225660',
  end: '1767247200',
  step: '60',
  timeout: '20s',
}).toString();

function viaFetch(): Send {
  return async (url, body) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    return r.text();
  };
}

function viaHttp(): Send {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  return (url, body) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

async function viaUndici(): Promise<Send | undefined> {
  const where = process.env.UNDICI_MODULE ?? 'undici';
  let undici: { Pool: new (origin: string, options: object) => { request(o: object): Promise<{ body: { text(): Promise<string> } }> } };
  try {
    undici = (await import(where)) as typeof undici;
  } catch {
    return undefined;
  }
  const pools = new Map<string, InstanceType<typeof undici.Pool>>();
  return async (url, body) => {
    let pool = pools.get(url.origin);
    if (!pool) {
      pool = new undici.Pool(url.origin, { connections: 16 });
      pools.set(url.origin, pool);
    }
    const r = await pool.request({
      method: 'POST',
      path: url.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    return r.body.text();
  };
}

async function measure(send: Send, url: URL, concurrency: number, total: number): Promise<{ p50: number; p95: number; rps: number }> {
  for (let i = 0; i < 200; i++) await send(url, FORM); // warm-up
  const times: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t = process.hrtime.bigint();
        await send(url, FORM);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)] ?? 0, p95: times[Math.floor(times.length * 0.95)] ?? 0, rps: times.length / seconds };
}

export async function transports(): Promise<void> {
  console.log('\n== transports: one small POST over loopback (server in a child process) ==');
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
    const url = new URL(`http://127.0.0.1:${port}/api/v1/query_range`);
    const clients: [string, Send | undefined][] = [
      ['fetch (global)', viaFetch()],
      ['node:http keep-alive Agent', viaHttp()],
      ['undici Pool', await viaUndici()],
    ];
    for (const round of [1, 2]) {
      for (const [name, send] of clients) {
        if (!send) {
          if (round === 1) console.log(`${name.padEnd(28)} (not installed: set UNDICI_MODULE)`);
          continue;
        }
        const one = await measure(send, url, 1, 3000);
        const eight = await measure(send, url, 8, 6000);
        console.log(
          `${name.padEnd(28)} 1 at a time: p50 ${one.p50.toFixed(3)} ms p95 ${one.p95.toFixed(3)} ms ${one.rps.toFixed(0).padStart(6)}/s   8 at a time: p50 ${eight.p50.toFixed(3)} ms ${eight.rps.toFixed(0).padStart(6)}/s`,
        );
      }
    }
  } finally {
    child.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await transports();
