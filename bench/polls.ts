/**
 * What StackState's polling costs the store, with and without the closed-bucket cache.
 *
 * A 6-hour window of 1-minute buckets over a stream with one sample a minute is asked, then
 * asked again ten times with the window moved one minute each time — as StackState keeps a
 * live chart fresh. The clock is set so that each window ends "now": the last 10 minutes
 * (the freshness window) are always re-read. Samples processed are what the store reports
 * with stats=all (AMP's billing unit), summed per request from the request log line.
 * Then a second view of the same stream (another NaN mode, or for the counter another method)
 * is asked over the last poll's window: what the cache kept for the first view serves it.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setLogSink } from '../lambda/app/request-log.js';
import { findBinaries } from '../test/support/prometheus/binaries.js';
import { startPrometheus } from '../test/support/prometheus/process.js';
import { invokeMirror } from '../test/support/invoke.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const POLLS = 10;

export async function polls(): Promise<void> {
  console.log('\n== polls: a 6 h window of 1 min buckets asked again, moved one minute, ten times ==');
  const binaries = await findBinaries();
  const workDir = await mkdtemp(join(tmpdir(), 'mirror-bench-polls-'));
  const dataDir = join(workDir, 'data');
  await mkdir(dataDir);
  const start = Date.UTC(2026, 2, 1);
  const gauge: string[] = [];
  const counter: string[] = [];
  for (let t = start, k = 0; t < start + 8 * HOUR; t += MINUTE, k++) {
    gauge.push(`poll_level{job="bench"} ${(k * 37) % 101} ${t / 1000}`);
    counter.push(`poll_requests_total{job="bench"} ${k * 3 + (k % 7)} ${t / 1000}`);
  }
  const text = ['# TYPE poll_level gauge', ...gauge, '# TYPE poll_requests counter', ...counter, '# EOF', ''].join('\n');
  const file = join(workDir, 'polls.om');
  await writeFile(file, text);
  const logged: Record<string, number>[] = [];
  const restoreSink = setLogSink((line) => logged.push(JSON.parse(line) as Record<string, number>));
  const realNow = Date.now;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    await promisify(execFile)(binaries.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], {
      timeout: 120_000,
    });
    prometheus = await startPrometheus({ binary: binaries.prometheus, dataDir, workDir });
    const url = prometheus.url;
    for (const [label, key, name, other] of [
      ['gauge MEAN', '__gauge__', 'poll_level', { method: 'MEAN', nan: 'NONE' }],
      ['counter MEAN rate', '__counter__', 'poll_requests_total', { method: 'MAX', nan: 'ZERO' }],
    ] as const) {
      const ask = async (endMs: number, freshness: string, view: { method: string; nan: string } = { method: 'MEAN', nan: 'ZERO' }) => {
        // the clock reads 20 s past the window's end, as when StackState asks for "the last 6 hours"
        const offset = realNow() - (endMs + 20_000);
        Date.now = () => realNow() - offset;
        try {
          const answer = await invokeMirror(
            '/api/metric',
            {
              _type: 'MetricsRequest',
              connectionDetails: { url, nan_interpretation: view.nan },
              query: {
                _type: 'MetricsQuery',
                conditions: [{ _type: 'EqualityCondition', key, value: { _type: 'StringValue', value: name } }],
                startTime: endMs - 6 * HOUR,
                endTime: endMs,
                aggregation: { _type: 'Aggregation', method: view.method, bucketSizeMillis: MINUTE },
              },
            },
            { MIRROR_REQUEST_LOG: 'on', MIRROR_CACHE_FRESHNESS_SECONDS: freshness },
          );
          if (answer.statusCode !== 200) throw new Error(`${label}: HTTP ${answer.statusCode} ${answer.body.slice(0, 300)}`);
          const log = logged.at(-1) ?? {};
          return {
            body: answer.body,
            samples: log.SamplesProcessed ?? Number.NaN,
            hits: log.CacheHits ?? 0,
            calls: log.UpstreamCalls ?? 0,
          };
        } finally {
          Date.now = realNow;
        }
      };
      const firstEnd = start + 7 * HOUR;
      const first = await ask(firstEnd, '600');
      const firstUncached = await ask(firstEnd, '0');
      console.log(`${label}: first read ${first.samples} samples processed (uncached ${firstUncached.samples})`);
      let identical = first.body === firstUncached.body;
      const ratios: number[] = [];
      for (let i = 1; i <= POLLS; i++) {
        const end = firstEnd + i * MINUTE;
        const cached = await ask(end, '600');
        const uncached = await ask(end, '0');
        identical &&= cached.body === uncached.body;
        const ratio = cached.samples / first.samples;
        ratios.push(ratio);
        console.log(
          `  poll ${String(i).padStart(2)}: ${String(cached.samples).padStart(5)} samples (${(ratio * 100).toFixed(1).padStart(5)} % of the first read), uncached ${String(uncached.samples).padStart(5)}, ${cached.calls} upstream calls, answer ${cached.body === uncached.body ? 'identical' : 'DIFFERENT'}`,
        );
      }
      const lastEnd = firstEnd + POLLS * MINUTE;
      const view = await ask(lastEnd, '600', other);
      const viewUncached = await ask(lastEnd, '0', other);
      identical &&= view.body === viewUncached.body;
      console.log(
        `  ${other.method}, NaN ${other.nan} of the same stream: ${view.samples} samples (uncached ${viewUncached.samples}), ${view.hits} cache hits, answer ${view.body === viewUncached.body ? 'identical' : 'DIFFERENT'}`,
      );
      const worst = Math.max(...ratios);
      console.log(
        `  ${label}: worst poll ${(worst * 100).toFixed(1)} % of the first read (target ≤ 5 %): ${worst <= 0.05 ? 'met' : 'NOT met'}; answers ${identical ? 'identical to uncached' : 'DIFFER from uncached'}`,
      );
    }
  } finally {
    Date.now = realNow;
    setLogSink(restoreSink);
    await prometheus?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
