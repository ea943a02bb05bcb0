/**
 * Parts `roundtrips` and `overhead`: how many sequential round trips each kind of call costs
 * against a store 20 ms away, and what the mirror adds on top of the queries it sends.
 * Both run the Lambda handler in this process against a real Prometheus on the test data set.
 */
import { Agent, request as httpRequest } from 'node:http';
import { setNetworkTransport } from '../lambda/app/store.js';
import type { Transport, UpstreamRequest } from '../lambda/upstream/transport.js';
import { ARCHIVE_START, DAY, DENSE_END, HOUR, METRIC, MINUTE, T0 } from '../test/fixtures/dataset.js';
import { cond, counter, fieldNamesRequest, fieldValuesRequest, gauge, metricsRequest, PATH } from '../test/fixtures/mirror-requests.js';
import { invokeMirror } from '../test/support/invoke.js';
import { sequentialRoundTrips, startDelayFront } from './delay-front.js';
import { NO_CACHE, withPrometheus } from './with-prometheus.js';

/** The call kinds StackState sends, against the store at `url`. */
function calls(url: string): [string, string, unknown][] {
  const north101 = gauge(METRIC.room, { building: 'north', room: '101' });
  return [
    ['raw gauge, 1 h', PATH.metric, metricsRequest(url, { conditions: north101, startTime: T0, endTime: T0 + HOUR })],
    [
      'gauge MEAN, 6 h @ 1 min',
      PATH.metric,
      metricsRequest(url, {
        conditions: north101,
        startTime: T0,
        endTime: DENSE_END,
        aggregation: { method: 'MEAN', bucketSizeMillis: MINUTE },
      }),
    ],
    [
      'counter MEAN, 6 h @ 1 min',
      PATH.metric,
      metricsRequest(url, {
        conditions: counter(METRIC.jobs),
        startTime: T0,
        endTime: DENSE_END,
        aggregation: { method: 'MEAN', bucketSizeMillis: MINUTE },
      }),
    ],
    [
      'counter MEAN, 24 h @ 5 min',
      PATH.metric,
      metricsRequest(url, {
        conditions: counter(METRIC.archiveRequests),
        startTime: ARCHIVE_START + DAY,
        endTime: ARCHIVE_START + 2 * DAY,
        aggregation: { method: 'MEAN', bucketSizeMillis: 5 * MINUTE },
      }),
    ],
    [
      '~ sum(rate) MAX, 6 h @ 5 min',
      PATH.metric,
      metricsRequest(url, {
        conditions: [cond('~', `sum(rate(${METRIC.requests}[5m]))`)],
        startTime: T0,
        endTime: DENSE_END,
        aggregation: { method: 'MAX', bucketSizeMillis: 5 * MINUTE },
      }),
    ],
    [
      'field names of a metric',
      PATH.fieldNames,
      fieldNamesRequest(url, { conditions: gauge(METRIC.room), startTime: T0, endTime: DENSE_END }),
    ],
    [
      'field values of a label',
      PATH.fieldValues,
      fieldValuesRequest(url, 'room', { conditions: gauge(METRIC.room), startTime: T0, endTime: DENSE_END, limit: 100, offset: 0 }),
    ],
  ];
}

async function ok(path: string, body: unknown, label: string): Promise<void> {
  const answer = await invokeMirror(path, body, NO_CACHE);
  if (answer.statusCode !== 200) throw new Error(`${label}: HTTP ${answer.statusCode} ${answer.body.slice(0, 300)}`);
}

export async function roundTrips(delayMs = 20): Promise<void> {
  console.log(`\n== roundtrips: sequential round trips per call, store ${delayMs} ms away (steady state: second call of each kind) ==`);
  await withPrometheus('mirror-bench-calls-', async (prometheusUrl) => {
    const front = await startDelayFront(prometheusUrl, delayMs);
    try {
      const all: number[] = [];
      for (const [label, path, body] of calls(front.url)) {
        await ok(path, body, label); // the first call learns what is cached per store
        front.visits.length = 0;
        const t = performance.now();
        await ok(path, body, label);
        const ms = performance.now() - t;
        const trips = sequentialRoundTrips(front.visits);
        all.push(trips);
        const endpoints = front.visits.map((v) => v.path.split('/').pop()).join(' ');
        console.log(
          `${label.padEnd(30)} ${String(trips).padStart(2)} round trips  ${String(front.visits.length).padStart(2)} requests  ${ms.toFixed(0).padStart(4)} ms   (${endpoints})`,
        );
      }
      const mean = all.reduce((a, b) => a + b, 0) / all.length;
      console.log(`mean ${mean.toFixed(2)} sequential round trips per call, max ${Math.max(...all)}`);
    } finally {
      await front.close();
    }
  });
}

/** Replays recorded upstream requests with a plain keep-alive client: what the queries cost without the mirror. */
function directSender(): (request: UpstreamRequest) => Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  return (r) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        r.url,
        {
          method: r.method,
          agent,
          headers: r.body === undefined ? r.headers : { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function load(concurrency: number, total: number, once: () => Promise<void>): Promise<{ p50: number; p95: number; rps: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t = performance.now();
        await once();
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), rps: times.length / seconds };
}

export async function overhead(): Promise<void> {
  console.log('\n== overhead: mirror (handler in process) vs the same data queries sent directly, loopback Prometheus ==');
  await withPrometheus('mirror-bench-calls-', async (url) => {
    const direct = directSender();
    const rows: string[] = [];
    const ratios: number[] = [];
    const rates: number[] = [];
    for (const [label, path, body] of calls(url)) {
      // record the requests the mirror sends for this call (after a first call learnt the per-store facts)
      await ok(path, body, label);
      const sent: UpstreamRequest[] = [];
      const recorder =
        (inner: Transport): Transport =>
        async (request) => {
          sent.push(request);
          return inner(request);
        };
      const real = setNetworkTransport(async () => ({ status: 500, headers: {}, body: '' }));
      setNetworkTransport(recorder(real));
      await ok(path, body, label);
      setNetworkTransport(real);
      const queries = sent.filter((r) => /\/api\/v1\/(query|query_range|labels|label\/.*\/values)$/.test(r.url.pathname));
      const replay = async () => {
        await Promise.all(queries.map((r) => direct(r)));
      };
      const runs = 300;
      for (let i = 0; i < 30; i++) {
        await replay();
        await ok(path, body, label);
      }
      const m1 = await load(1, runs, () => ok(path, body, label));
      const d1 = await load(1, runs, replay);
      const m8 = await load(8, runs * 2, () => ok(path, body, label));
      const d8 = await load(8, runs * 2, replay);
      ratios.push(m1.p50 / d1.p50);
      rates.push(m8.rps / d8.rps);
      rows.push(
        `${label.padEnd(30)} 1: mirror p50 ${m1.p50.toFixed(2).padStart(6)} p95 ${m1.p95.toFixed(2).padStart(6)} ms, direct p50 ${d1.p50.toFixed(2).padStart(5)} p95 ${d1.p95.toFixed(2).padStart(5)} ms (${queries.length} quer${queries.length === 1 ? 'y' : 'ies'}), ratio ${(m1.p50 / d1.p50).toFixed(1).padStart(4)}` +
          ` | 8: mirror ${m8.rps.toFixed(0).padStart(5)}/s p50 ${m8.p50.toFixed(1).padStart(5)} ms, direct ${d8.rps.toFixed(0).padStart(5)}/s = ${((100 * m8.rps) / d8.rps).toFixed(0)} %`,
      );
    }
    for (const row of rows) console.log(row);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(
      `mean p50 ratio at 1: ${mean(ratios).toFixed(1)}; mean share of direct requests/s at 8: ${(100 * mean(rates)).toFixed(0)} %`,
    );
  });
}
