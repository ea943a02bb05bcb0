import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ARCHIVE_SERIES, DENSE_SERIES, type DatasetSeries } from '../../test/fixtures/dataset.js';
import { toOpenMetrics } from '../../test/fixtures/openmetrics.js';
import { promApi } from '../../test/support/prometheus/http.js';
import { type RunningPrometheus, startPrometheus, waitUntil } from '../../test/support/prometheus/process.js';
import { endingNow } from './shift.js';

const run = promisify(execFile);

/** How often the demo Prometheus scrapes the mirror (and itself). */
export const LIVE_SCRAPE_SECONDS = 5;

export interface DemoStore {
  prometheus: RunningPrometheus;
  /** When the data set was shifted to end: its newest sample is within one data interval before this. */
  shiftedToMs: number;
}

/**
 * Backfills the test data set, each era moved so that it ends now (the dense era's six hours
 * are then the last six hours, the archive the last 60 days), into `workDir`/data, and starts
 * a Prometheus on it that scrapes itself and the mirror's local metrics every 5 s.
 *
 * The backfilled blocks all end before Prometheus starts, so live samples land after them
 * in the head (Prometheus refuses head samples older than its newest block).
 */
export async function startDemoStore(
  binaries: { prometheus: string; promtool: string },
  workDir: string,
  mirrorPort: number,
): Promise<DemoStore> {
  const dataDir = join(workDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const shiftedToMs = Date.now();
  await createBlocks(binaries.promtool, workDir, 'dense', endingNow(DENSE_SERIES, shiftedToMs), []);
  await createBlocks(binaries.promtool, workDir, 'archive', endingNow(ARCHIVE_SERIES, shiftedToMs), ['--max-block-duration=1000h']);
  const prometheus = await startPrometheus({ binary: binaries.prometheus, dataDir, workDir, scrapeIntervalSeconds: LIVE_SCRAPE_SECONDS });
  try {
    await addMirrorTarget(prometheus, workDir, mirrorPort);
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  return { prometheus, shiftedToMs };
}

async function createBlocks(
  promtool: string,
  workDir: string,
  name: string,
  series: readonly DatasetSeries[],
  flags: string[],
): Promise<void> {
  const file = join(workDir, `${name}.om`);
  await writeFile(file, toOpenMetrics(series));
  try {
    await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', ...flags, file, join(workDir, 'data')], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`promtool backfill failed: ${(e.stderr ?? e.message ?? String(error)).slice(-2000)}`);
  }
}

/**
 * The harness starts Prometheus with a self-scrape only; the demo rewrites that same
 * configuration file with the mirror as a second target and has Prometheus reload it (SIGHUP).
 */
async function addMirrorTarget(prometheus: RunningPrometheus, workDir: string, mirrorPort: number): Promise<void> {
  const self = new URL(prometheus.url).host;
  const config = [
    'global:',
    `  scrape_interval: ${LIVE_SCRAPE_SECONDS}s`,
    `  scrape_timeout: ${LIVE_SCRAPE_SECONDS - 1}s`,
    'scrape_configs:',
    '  - job_name: prometheus',
    '    static_configs:',
    `      - targets: ['${self}']`,
    '  - job_name: mirror',
    '    metrics_path: /_local/metrics',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${mirrorPort}']`,
    '',
  ].join('\n');
  await writeFile(join(workDir, 'prometheus.yml'), config);
  process.kill(prometheus.pid, 'SIGHUP');
  await waitUntil(async () => {
    const targets = (await promApi(prometheus.url, 'targets')) as { activeTargets: { labels: Record<string, string> }[] };
    return targets.activeTargets.some((t) => t.labels.job === 'mirror');
  }, 15_000);
}
