import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type PrometheusEngine, provisionPrometheus } from '../../../scripts/prometheus/provision.js';
import { ARCHIVE_START, DAY, HOUR, METRIC, T0 } from '../../fixtures/dataset.js';
import { backfill } from './backfill.js';
import { promApi, promQuery } from './http.js';
import { type RunningPrometheus, startPrometheus, waitUntil } from './process.js';
import { acquirePrometheus, type SharedPrometheus } from './shared.js';
import { createWorkDir } from './work-dir.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the test Prometheus, e.g. `http://127.0.0.1:40123` (no trailing slash). */
    prometheusUrl: string;
    /** The Prometheus major version this project runs on (set in vitest.config.ts). */
    prometheusEngine: PrometheusEngine;
  }
}

/**
 * Vitest global setup of the projects that query the test Prometheus (integration-2.x/3.x,
 * browser): provides `prometheusUrl` of the project's engine (`prometheusEngine`: 2 or 3).
 * Projects of one engine that run together (`npm test`: integration-2.x and browser) share
 * one Prometheus, started for the first and stopped by the last one's teardown; a project
 * run alone starts its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = project.getProvidedContext().prometheusEngine;
  const prometheus = await acquirePrometheus(`engine-${engine}`, () => startTestPrometheus(engine));
  project.provide('prometheusUrl', prometheus.url);
  return prometheus.release;
}

/**
 * Provisions Prometheus `engine` (downloaded and cached on first use), backfills the data set
 * into a temporary TSDB, starts a real Prometheus on it (scraping itself, so its own families
 * have metadata) and waits until the data and the metadata can be queried. Stopping it
 * deletes the directory; a failure half-way does the same before it reports.
 */
async function startTestPrometheus(engine: PrometheusEngine): Promise<SharedPrometheus> {
  const binaries = await provisionPrometheus(engine, { log: (line) => console.log(line) });
  const work = await createWorkDir();
  const workDir = work.path;
  const dataDir = join(workDir, 'data');
  let running: RunningPrometheus | undefined;
  const stop = async (): Promise<void> => {
    await running?.stop();
    await work.remove();
  };
  try {
    await mkdir(dataDir);
    await backfill(binaries.promtool, workDir, dataDir);
    running = await startPrometheus({ binary: binaries.prometheus, dataDir, workDir });
    await waitUntilQueryable(running);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: running.url, stop };
}

async function waitUntilQueryable(running: RunningPrometheus): Promise<void> {
  const url = running.url;
  try {
    await waitUntil(async () => {
      const dense = await promQuery(url, `count(${METRIC.room})`, T0 + HOUR);
      const archive = await promQuery(url, `count(${METRIC.archive})`, ARCHIVE_START + DAY);
      return dense[0]?.samples[0]?.[1] === 3 && archive[0]?.samples[0]?.[1] === 1;
    }, 30_000);
    // the self-scrape: real metadata, and series of a scraped gauge, counter and histogram
    await waitUntil(async () => {
      const metadata = (await promApi(url, 'metadata')) as Record<string, unknown[]>;
      const now = Date.now();
      const scraped = await Promise.all(
        ['prometheus_tsdb_head_series', 'prometheus_http_requests_total', 'prometheus_http_request_duration_seconds_count'].map(
          async (name) => (await promQuery(url, `count(${name})`, now))[0]?.samples[0]?.[1] ?? 0,
        ),
      );
      return (metadata.prometheus_tsdb_head_series?.length ?? 0) > 0 && scraped.every((n) => n > 0);
    }, 30_000);
  } catch (error) {
    throw new Error(`Prometheus started but the data are not queryable: ${(error as Error).message}\n${running.logTail()}`);
  }
}
