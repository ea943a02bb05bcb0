import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ARCHIVE_SERIES, type DatasetSeries, DENSE_SERIES } from '../../fixtures/dataset.js';
import { toOpenMetrics } from '../../fixtures/openmetrics.js';

const run = promisify(execFile);

/**
 * Writes the data set as OpenMetrics and backfills it into `dataDir` with promtool.
 *
 * The dense era goes into promtool's default 2-hour blocks, so that label names and values
 * narrowed by time (which Prometheus answers per block) differ between its hours. The
 * 60-day archive series goes into large blocks (promtool would otherwise re-read its file
 * once per 2-hour block, 720 times). The two eras do not overlap, so neither do the blocks.
 */
export async function backfill(
  promtool: string,
  workDir: string,
  dataDir: string,
  /** Applied to each era before it is written (the demo moves each to end now). */
  shape: (era: readonly DatasetSeries[]) => readonly DatasetSeries[] = (era) => era,
): Promise<void> {
  const dense = join(workDir, 'dense.om');
  const archive = join(workDir, 'archive.om');
  await writeFile(dense, toOpenMetrics(shape(DENSE_SERIES)));
  await writeFile(archive, toOpenMetrics(shape(ARCHIVE_SERIES)));
  await createBlocks(promtool, [dense, dataDir]);
  await createBlocks(promtool, ['--max-block-duration=1000h', archive, dataDir]);
}

async function createBlocks(promtool: string, args: string[]): Promise<void> {
  try {
    await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', ...args], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`promtool backfill failed: ${(e.stderr ?? e.message ?? String(error)).slice(-2000)}`);
  }
}
