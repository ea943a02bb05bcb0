import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SELF_METRICS_PATH } from '../../lambda/local/self-metrics.js';
import { backfill } from '../../test/support/prometheus/backfill.js';
import { type RunningPrometheus, startPrometheus } from '../../test/support/prometheus/process.js';
import { endingNow } from './shift.js';

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
  await backfill(binaries.promtool, workDir, dataDir, (era) => endingNow(era, shiftedToMs));
  // the mirror starts after Prometheus: until then its scrapes fail, which does no harm
  const prometheus = await startPrometheus({
    binary: binaries.prometheus,
    dataDir,
    workDir,
    scrapeIntervalSeconds: LIVE_SCRAPE_SECONDS,
    extraTargets: [{ job: 'mirror', target: `127.0.0.1:${mirrorPort}`, metricsPath: SELF_METRICS_PATH }],
  });
  return { prometheus, shiftedToMs };
}
