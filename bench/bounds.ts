/**
 * Part "bounds": what refusing hostile requests costs the function. A loopback store double
 * streams a 1 GB answer slowly (generated lazily); the mirror must refuse and its memory must
 * stay bounded. Peak memory is sampled every 2 ms and printed above the idle figure (the store
 * double runs in this process too; it holds one 64 KiB piece at a time).
 */
import { setNetworkTransport } from '../lambda/app/store.js';
import { cond, gauge, metricsRequest, PATH } from '../test/fixtures/mirror-requests.js';
import { invokeMirror } from '../test/support/invoke.js';
import { type SlowStore, startSlowStore } from '../test/support/slow-store.js';
import { quietly } from './with-prometheus.js';
import { PROBE_EXPR } from '../lambda/domain/time/buckets.js';

const DAY = 86_400_000;
const MiB = 2 ** 20;
/** The parts of a mirror answer the bench prints. */
interface BenchAnswer {
  summary?: string;
  telemetry?: { points: unknown[]; isPartial: boolean };
}

async function measure(
  label: string,
  work: () => Promise<{ statusCode: number; json: BenchAnswer }>,
  extra: () => string = () => '',
): Promise<void> {
  global.gc?.();
  const idle = process.memoryUsage();
  let peakRss = idle.rss;
  let peakHeap = idle.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 2);
  const started = process.hrtime.bigint();
  const answer = await work();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  const what =
    answer.json?.summary ??
    (answer.json?.telemetry ? `${answer.json.telemetry.points.length} points, isPartial ${answer.json.telemetry.isPartial}` : '');
  console.log(
    `${label.padEnd(50)} HTTP ${answer.statusCode} ${String(what).padEnd(22)} ${ms.toFixed(0).padStart(6)} ms  peak above idle: rss +${((peakRss - idle.rss) / MiB).toFixed(0).padStart(4)} MiB, heap +${((peakHeap - idle.heapUsed) / MiB).toFixed(0).padStart(4)} MiB${extra()}`,
  );
}

export async function bounds(): Promise<void> {
  console.log('\n== bounds: refusing hostile requests (store double streaming 1 GB slowly on loopback) ==');
  const store = await startSlowStore({ totalBytes: 2 ** 30 });
  try {
    await quietly(() => hostileRequests(store));
  } finally {
    await store.close();
  }
}

/** The hostile requests against `store`, each measured and printed. */
async function hostileRequests(store: SlowStore): Promise<void> {
  const start = Date.now() - 4 * DAY;
  const allSeries = metricsRequest(store.url, {
    conditions: [cond('~', 'last_over_time({__name__=~".+"}[1y])')],
    startTime: start,
    endTime: start + 4 * DAY,
  });
  let before = store.bytesSent();
  const sent = () => `, store sent ${((store.bytesSent() - before) / MiB).toFixed(1)} MiB`;
  await measure('~ all series, raw 4 days (default settings)', () => invokeMirror(PATH.metric, allSeries), sent);
  before = store.bytesSent();
  await measure(
    '~ all series, raw 4 days (cost estimate off)',
    () => invokeMirror(PATH.metric, allSeries, { MIRROR_MAX_QUERY_SAMPLES: String(1e15) }),
    sent,
  );
  before = store.bytesSent();
  const endless = metricsRequest(store.url, { conditions: [cond('~', 'one_endless_series')], startTime: start, endTime: start + 4 * DAY });
  await measure('~ one endless series (answer size cap 8 MiB)', () => invokeMirror(PATH.metric, endless), sent);
  before = store.bytesSent();
  const fourAtOnce = metricsRequest(store.url, {
    conditions: gauge('one_endless_series'),
    startTime: start - 26 * DAY,
    endTime: start + 4 * DAY,
    aggregation: { method: 'MEAN', bucketSizeMillis: 60_000 },
  });
  await measure('gauge MEAN 30 days @ 1 min: 4 endless answers at once', () => invokeMirror(PATH.metric, fourAtOnce), sent);

  let calls = 0;
  const previous = setNetworkTransport(async (request) => {
    calls++;
    const form = new URLSearchParams(request.body ?? '');
    const ok = (data: unknown) => ({ status: 200, headers: {}, body: JSON.stringify({ status: 'success', data }) });
    if (request.url.pathname.endsWith('/series')) return ok([{ __name__: 'g' }]);
    if ((form.get('query') ?? '') === PROBE_EXPR) return ok({ resultType: 'vector', result: [{ metric: {}, value: [0, '3'] }] });
    return ok({ resultType: 'matrix', result: [{ metric: {}, values: [[Number(form.get('start')), '1']] }] });
  });
  try {
    const yearly = metricsRequest('http://calls.test', {
      conditions: gauge('g'),
      startTime: 0,
      endTime: 8.64e13,
      aggregation: { method: 'MEAN', bucketSizeMillis: 20 * DAY },
    });
    await measure(
      'gauge MEAN 20-day buckets, 0 to 8.64e13 (was 25,002 calls)',
      () => invokeMirror(PATH.metric, yearly),
      () => `, ${calls} store calls`,
    );
  } finally {
    setNetworkTransport(previous);
  }
}
