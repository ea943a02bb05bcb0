import { rmSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'mirror-prometheus-';
const OWNER_FILE = 'owner.pid';

/** A temporary directory for one harness run, removed by `remove()` or at process exit. */
export interface WorkDir {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Creates the run's directory under the system temp dir, first deleting the directories of
 * earlier runs whose test runner is gone (killed before its teardown could run).
 */
export async function createWorkDir(parent: string = tmpdir()): Promise<WorkDir> {
  await removeOrphans(parent);
  const path = await mkdtemp(join(parent, PREFIX));
  await writeFile(join(path, OWNER_FILE), String(process.pid));
  const removeAtExit = (): void => rmSync(path, { recursive: true, force: true });
  process.once('exit', removeAtExit);
  return {
    path,
    remove: async () => {
      process.removeListener('exit', removeAtExit);
      await rm(path, { recursive: true, force: true });
    },
  };
}

async function removeOrphans(parent: string): Promise<void> {
  const names = (await readdir(parent).catch(() => [] as string[])).filter((n) => n.startsWith(PREFIX));
  for (const name of names) {
    const dir = join(parent, name);
    if (await isOrphan(dir)) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function isOrphan(dir: string): Promise<boolean> {
  const owner = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => ''));
  if (!Number.isInteger(owner) || owner <= 0) {
    // no owner recorded (yet): only a directory older than an hour is surely abandoned
    const info = await stat(dir).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 3_600_000;
  }
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
