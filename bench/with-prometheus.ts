/**
 * What several bench parts share: a real Prometheus on the test data set (the same backfill as
 * the integration tests), and the request log kept off the console while a part prints figures.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogSink } from '../lambda/app/request-log.js';
import { backfill } from '../test/support/prometheus/backfill.js';
import { findBinaries } from '../test/support/prometheus/binaries.js';
import { startPrometheus } from '../test/support/prometheus/process.js';

/**
 * The closed-bucket cache off: a part that repeats one request measures the work of an uncached
 * request, not a cache hit (what the cache saves on polls is the `polls` part).
 */
export const NO_CACHE = { MIRROR_CACHE_FRESHNESS_SECONDS: '0' } as const;

/** Runs `work` with the request log silenced, restoring the previous sink afterwards. */
export async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const restoreSink = setLogSink(() => undefined);
  try {
    return await work();
  } finally {
    setLogSink(restoreSink);
  }
}

/**
 * Backfills the test data set into a temporary directory (named from `tempPrefix`), starts
 * Prometheus on it and runs `work` against its URL with the request log silenced; stops it and
 * removes the directory however `work` ends.
 */
export async function withPrometheus(tempPrefix: string, work: (url: string) => Promise<void>): Promise<void> {
  const binaries = await findBinaries();
  const workDir = await mkdtemp(join(tmpdir(), tempPrefix));
  const dataDir = join(workDir, 'data');
  await mkdir(dataDir);
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    await quietly(async () => {
      await backfill(binaries.promtool, workDir, dataDir);
      prometheus = await startPrometheus({ binary: binaries.prometheus, dataDir, workDir });
      await work(prometheus.url);
    });
  } finally {
    await prometheus?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
