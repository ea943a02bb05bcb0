import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkDir } from './work-dir.js';

describe('the harness work directory', () => {
  let parent = '';
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('removes directories of runs whose runner is gone and keeps those of live runs', async () => {
    // Prepare
    parent = await mkdtemp(join(tmpdir(), 'work-dir-test-'));
    await mkdir(join(parent, 'mirror-prometheus-dead'));
    await writeFile(join(parent, 'mirror-prometheus-dead', 'owner.pid'), '2147483646');
    await mkdir(join(parent, 'mirror-prometheus-live'));
    await writeFile(join(parent, 'mirror-prometheus-live', 'owner.pid'), String(process.pid));

    // Act
    const work = await createWorkDir(parent);

    // Assess
    const left = await readdir(parent);
    expect(left).toContain('mirror-prometheus-live');
    expect(left).not.toContain('mirror-prometheus-dead');
    expect(left).toContain(work.path.slice(parent.length + 1));
    await work.remove();
    expect(await readdir(parent)).toEqual(['mirror-prometheus-live']);
  });
});
