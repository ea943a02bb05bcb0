/**
 * Speed and memory of the mirror, printed as figures (never asserted in tests).
 *
 *   npm run bench            # domain, e2e, scale, fuzz, bounds, polls
 *   npm run bench -- domain  # one of those parts only
 *   npm run bench -- roundtrips | overhead | transports | cold   # parts run only when named
 *
 * domain times the domain code on large inputs. e2e starts a real Prometheus on the test data
 * set (the same backfill as the integration tests) and sends typical StackState requests
 * through the Lambda handler, reporting latency, upstream calls and memory. scale backfills a
 * 90-day, 15 s counter and measures exact counter rates over all of it (e2e and scale with the
 * closed-bucket cache off). fuzz sends 2,000 mutated requests, 1-12 MB bodies included, to
 * `npm start` and counts the answers: typed JSON, the playground page, resets, hangs, untyped
 * answers, stack traces. bounds refuses hostile requests against a store double that streams
 * 1 GB, printing peak memory above idle (bench/bounds.ts); polls: bench/polls.ts.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { counterBuckets } from '../lambda/domain/time/counter-rates.js';
import { bucketGrid } from '../lambda/domain/time/buckets.js';
import { pageFieldValues } from '../lambda/domain/promql/field-values.js';
import { describeSeriesAmbiguity } from '../lambda/domain/promql/series-identity.js';
import type { Sample } from '../lambda/upstream/prometheus-client.js';
import { setLogSink } from '../lambda/app/request-log.js';
import { ARCHIVE_END, ARCHIVE_START, DENSE_END, HOUR, METRIC, MINUTE, T0 } from '../test/fixtures/dataset.js';
import { findBinaries } from '../test/support/prometheus/binaries.js';
import { startPrometheus } from '../test/support/prometheus/process.js';
import { invokeMirror } from '../test/support/invoke.js';
import { fuzzLocalServer } from '../test/support/fuzz.js';
import { startLocalServer } from '../test/support/local-server.js';
import { cond, counter, fieldNamesRequest, fieldValuesRequest, gauge, metricsRequest, PATH } from '../test/fixtures/mirror-requests.js';
import type { Method } from '../test/support/reference/aggregate.js';
import { bounds } from './bounds.js';
import { polls } from './polls.js';
import { NO_CACHE, withPrometheus } from './with-prometheus.js';

function timeIt<T>(label: string, runs: number, work: () => T): T {
  let result: T = work(); // warm-up
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) result = work();
  const perRunMs = Number(process.hrtime.bigint() - started) / 1e6 / runs;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  console.log(`${label.padEnd(58)} ${perRunMs.toFixed(2).padStart(9)} ms/run   heap Δ ${heapMb.toFixed(1).padStart(6)} MiB`);
  return result;
}

function domain(): void {
  console.log('\n== domain (pure computation) ==');
  const start = Date.UTC(2026, 0, 1);
  const samples: Sample[] = [];
  let value = 0;
  for (let i = 0; i < 1_000_000; i++) {
    value = i % 100_000 === 99_999 ? 3 : value + (i % 7); // a reset every 100k samples
    samples.push([start + i * 15_000, value]);
  }
  const end = start + 1_000_000 * 15_000;
  const grid = bucketGrid(start, end, 3_600_000);
  timeIt('counter MEAN: 1,000,000 samples (174 days @15s) → 1h buckets', 5, () => counterBuckets(samples, grid, 3_600_000, 'MEAN'));
  timeIt('counter P99 : 1,000,000 samples → 1h buckets', 5, () => counterBuckets(samples, grid, 3_600_000, 'PERCENTILE_99'));

  const values = Array.from({ length: 100_000 }, (_, i) => `pod-${(i * 7919) % 100_000}-${i % 13}`);
  timeIt('field values: 100,000 values → patterns, page of 100', 10, () =>
    pageFieldValues(values, { offset: 0, limit: 100, patternThreshold: 1000 }),
  );
  const labelSets = Array.from({ length: 10_000 }, (_, i) => ({ __name__: 'm', pod: `pod-${i}`, zone: `z${i % 3}`, job: 'api' }));
  timeIt('ambiguity message: 10,000 series × 4 labels', 10, () => describeSeriesAmbiguity(labelSets, 'm{job="api"}'));
}

async function endToEnd(): Promise<void> {
  console.log('\n== end to end: Lambda handler → real Prometheus 2.42 (loopback), closed-bucket cache off ==');
  await withPrometheus('mirror-bench-', async (url) => {
    const probe = gauge(METRIC.probe);
    const cases: [string, string, unknown][] = [
      [
        'gauge MEAN, 6 h @ 1 min buckets',
        PATH.metric,
        metricsRequest(url, {
          conditions: probe,
          startTime: T0,
          endTime: DENSE_END,
          aggregation: { method: 'MEAN', bucketSizeMillis: MINUTE },
        }),
      ],
      [
        'gauge P95, 6 h @ 5 min buckets',
        PATH.metric,
        metricsRequest(url, {
          conditions: probe,
          startTime: T0,
          endTime: DENSE_END,
          aggregation: { method: 'PERCENTILE_95', bucketSizeMillis: 5 * MINUTE },
        }),
      ],
      ['gauge raw, 1 h', PATH.metric, metricsRequest(url, { conditions: probe, startTime: T0, endTime: T0 + HOUR })],
      [
        'counter MEAN rate, 6 h @ 1 min',
        PATH.metric,
        metricsRequest(url, {
          conditions: counter(METRIC.jobs),
          startTime: T0,
          endTime: DENSE_END,
          aggregation: { method: 'MEAN', bucketSizeMillis: MINUTE },
        }),
      ],
      [
        '~ expression MAX, 6 h @ 5 min',
        PATH.metric,
        metricsRequest(url, {
          conditions: [cond('~', `sum(${METRIC.requests})`)],
          startTime: T0,
          endTime: DENSE_END,
          aggregation: { method: 'MAX', bucketSizeMillis: 5 * MINUTE },
        }),
      ],
      [
        'gauge MEAN, 60 days @ 1 min (86,400 buckets, split)',
        PATH.metric,
        metricsRequest(url, {
          conditions: gauge(METRIC.archive),
          startTime: ARCHIVE_START,
          endTime: ARCHIVE_END,
          aggregation: { method: 'MEAN', bucketSizeMillis: MINUTE },
        }),
      ],
      [
        'counter MEAN rate, 58 days @ 1 h (streamed pieces)',
        PATH.metric,
        metricsRequest(url, {
          conditions: counter(METRIC.archiveRequests),
          startTime: ARCHIVE_START + 86_400_000,
          endTime: ARCHIVE_END - 86_400_000,
          aggregation: { method: 'MEAN', bucketSizeMillis: HOUR },
        }),
      ],
      [
        'field values: 1,200-value label → patterns',
        PATH.fieldValues,
        fieldValuesRequest(url, 'item', { startTime: 0, endTime: 0, limit: 100, offset: 0 }),
      ],
      [
        'field names, narrowed by a metric',
        PATH.fieldNames,
        fieldNamesRequest(url, { conditions: gauge(METRIC.room), startTime: T0, endTime: DENSE_END }),
      ],
    ];
    const runs = 20;
    for (const [label, path, body] of cases) {
      const first = await invokeMirror(path, body, NO_CACHE);
      if (first.statusCode !== 200) throw new Error(`${label}: HTTP ${first.statusCode} ${first.body.slice(0, 300)}`);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        await invokeMirror(path, body, NO_CACHE);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((a, b) => a - b);
      const points = first.json?.telemetry?.points?.length ?? first.json?.values?.length ?? first.json?.fields?.length;
      console.log(
        `${label.padEnd(52)} p50 ${(times[Math.floor(runs / 2)] ?? 0).toFixed(1).padStart(7)} ms  p95 ${(times[Math.floor(runs * 0.95)] ?? 0).toFixed(1).padStart(7)} ms  ${String(points).padStart(6)} items  ${(first.body.length / 1024).toFixed(0).padStart(5)} KiB`,
      );
    }
    const mem = process.memoryUsage();
    console.log(`process after the run: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  });
}

/**
 * A counter long and dense enough that exact rates read half a million samples: how long it
 * takes, how many round trips, and how much heap it needs while it streams.
 */
async function scale(): Promise<void> {
  console.log('\n== scale: exact counter rates over 90 days of a 15 s counter (518,400 samples), closed-bucket cache off ==');
  const binaries = await findBinaries();
  const workDir = await mkdtemp(join(tmpdir(), 'mirror-bench-scale-'));
  const dataDir = join(workDir, 'data');
  await mkdir(dataDir);
  const start = Date.UTC(2025, 6, 1);
  const days = 90;
  const step = 15_000;
  const lines = ['# TYPE bench_requests counter'];
  let value = 0;
  for (let t = start, k = 0; t < start + days * 86_400_000; t += step, k++) {
    value = k % 200_000 === 199_999 ? 1 : value + (k % 5);
    lines.push(`bench_requests_total{job="bench"} ${value} ${t / 1000}`);
  }
  lines.push('# EOF', '');
  const file = join(workDir, 'scale.om');
  await writeFile(file, lines.join('\n'));
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  const upstream: number[] = [];
  const restoreSink = setLogSink((line) => upstream.push(JSON.parse(line).UpstreamCalls as number));
  try {
    const backfillStarted = Date.now();
    await promisify(execFile)(
      binaries.promtool,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', '--max-block-duration=1000h', file, dataDir],
      { timeout: 300_000 },
    );
    console.log(`(backfill ${((Date.now() - backfillStarted) / 1000).toFixed(1)} s)`);
    prometheus = await startPrometheus({ binary: binaries.prometheus, dataDir, workDir });
    for (const [label, bucket] of [
      ['MEAN @ 1 h', 3_600_000],
      ['MEAN @ 5 min', 300_000],
      ['PERCENTILE_99 @ 1 d', 86_400_000],
    ] as const) {
      const method = label.split(' ')[0] as Method;
      const body = metricsRequest(prometheus.url, {
        conditions: counter('bench_requests_total'),
        startTime: start,
        endTime: start + days * 86_400_000,
        aggregation: { method, bucketSizeMillis: bucket },
      });
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = heapBefore;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 5);
      const t = process.hrtime.bigint();
      const answer = await invokeMirror(PATH.metric, body, { MIRROR_REQUEST_LOG: 'on', ...NO_CACHE });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      clearInterval(sampler);
      if (answer.statusCode !== 200) throw new Error(`${label}: HTTP ${answer.statusCode} ${answer.body.slice(0, 300)}`);
      console.log(
        `${label.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  ${String(upstream.at(-1)).padStart(4)} upstream calls  peak heap +${((peak - heapBefore) / 2 ** 20).toFixed(0).padStart(4)} MiB  ${String(answer.json.telemetry.points.length).padStart(6)} points`,
      );
    }
  } finally {
    setLogSink(restoreSink);
    await prometheus?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function fuzz(): Promise<void> {
  console.log('\n== fuzz: 2,000 mutated requests against npm start (loopback) ==');
  const server = await startLocalServer({ MIRROR_LOCAL_BODY_TIMEOUT_MS: '2000' });
  try {
    const started = Date.now();
    const counts = await fuzzLocalServer(server.url, 2000);
    const statuses = Object.entries(counts.byStatus)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    console.log(`sent ${counts.sent} (${counts.bigBodies} with 1-12 MB bodies) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(
      `typed JSON ${counts.typed}   playground page (GET /) ${counts.pages}   resets ${counts.resets}   hangs ${counts.hangs}   untyped ${counts.untyped}   stack traces ${counts.traces}`,
    );
    console.log(`statuses: ${statuses}`);
    for (const example of counts.examples) console.log(`  ${example}`);
  } finally {
    await server.stop();
  }
}

const only = process.argv[2];
if (only === 'roundtrips') await (await import('./store-calls.js')).roundTrips();
if (only === 'overhead') await (await import('./store-calls.js')).overhead();
if (only === 'transports') await (await import('./transports.js')).transports();
if (only === 'cold') await (await import('./cold.js')).cold();
if (only === undefined || only === 'domain') domain();
if (only === undefined || only === 'e2e') await endToEnd();
if (only === undefined || only === 'scale') await scale();
if (only === undefined || only === 'fuzz') await fuzz();
if (only === undefined || only === 'bounds') await bounds();
if (only === undefined || only === 'polls') await polls();
