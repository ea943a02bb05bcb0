import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ARCHIVE_START, DAY, HOUR, METRIC, T0 } from '../../fixtures/dataset.js';
import { backfill } from './backfill.js';
import { findBinaries } from './binaries.js';
import { promApi, promQuery } from './http.js';
import { type RunningPrometheus, startPrometheus, waitUntil } from './process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the test Prometheus, e.g. `http://127.0.0.1:40123` (no trailing slash). */
    prometheusUrl: string;
  }
}

/**
 * Vitest global setup of the integration tests: backfills the data set into a temporary
 * TSDB, starts a real Prometheus on it (scraping itself, so its own families have
 * metadata), waits until the data and the metadata can be queried, and provides
 * `prometheusUrl`. The returned teardown stops Prometheus and deletes the directory; a
 * failure half-way does the same before it reports.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binaries = await findBinaries();
  const workDir = await mkdtemp(join(tmpdir(), 'mirror-prometheus-'));
  const dataDir = join(workDir, 'data');
  let running: RunningPrometheus | undefined;
  const teardown = async (): Promise<void> => {
    await running?.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await mkdir(dataDir);
    await backfill(binaries.promtool, workDir, dataDir);
    running = await startPrometheus({ binary: binaries.prometheus, dataDir, workDir });
    await waitUntilQueryable(running);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('prometheusUrl', running.url);
  return teardown;
}

async function waitUntilQueryable(running: RunningPrometheus): Promise<void> {
  const url = running.url;
  try {
    await waitUntil(
      async () => {
        const dense = await promQuery(url, `count(${METRIC.room})`, T0 + HOUR);
        const archive = await promQuery(url, `count(${METRIC.archive})`, ARCHIVE_START + DAY);
        return dense[0]?.samples[0]?.[1] === 3 && archive[0]?.samples[0]?.[1] === 1;
      },
      30_000,
    );
    await waitUntil(
      async () => {
        const metadata = (await promApi(url, 'metadata', { metric: 'prometheus_tsdb_head_series' })) as Record<
          string,
          unknown[]
        >;
        const up = await promQuery(url, 'up{job="prometheus"}', Date.now());
        return (metadata.prometheus_tsdb_head_series?.length ?? 0) > 0 && up[0]?.samples[0]?.[1] === 1;
      },
      30_000,
    );
  } catch (error) {
    throw new Error(`Prometheus started but the data are not queryable: ${(error as Error).message}\n${running.logTail()}`);
  }
}
