import { rmSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a running demo records in its lock file. */
export interface LockRecord {
  pid: number;
  /** The mirror's URL, to tell a second demo where to look. */
  mirror: string;
  /** The demo's temporary folder, removed by the next demo if this one was killed. */
  workDir: string;
}

export type LockResult = { held: true; release: () => void } | { held: false; owner: LockRecord };

/** The lock file: one demo per temp folder (`TMPDIR` chooses it, as for the data). */
export function lockPath(): string {
  return join(tmpdir(), 'mirror-demo.lock');
}

/**
 * Takes the demo lock, or reports the running demo that holds it. A lock left by a demo
 * that is gone (killed before it could clean up) is removed with its temporary folder.
 */
export async function takeLock(record: LockRecord): Promise<LockResult> {
  const path = lockPath();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(JSON.stringify(record));
      await file.close();
      return { held: true, release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(path);
    if (owner !== undefined && isAlive(owner.pid)) return { held: false, owner };
    if (owner?.workDir.startsWith(join(tmpdir(), 'mirror-demo-'))) await rm(owner.workDir, { recursive: true, force: true });
    await rm(path, { force: true });
  }
  throw new Error(`could not take the demo lock ${path}`);
}

async function readOwner(path: string): Promise<LockRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockRecord>;
    if (typeof parsed.pid !== 'number' || typeof parsed.mirror !== 'string' || typeof parsed.workDir !== 'string') return undefined;
    return parsed as LockRecord;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
