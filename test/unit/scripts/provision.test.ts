import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionInto, provisionPrometheus } from '../../../scripts/prometheus/provision.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provision-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes two shell programs under `root/usr/bin` that print `version` like Prometheus does. */
async function fakePrograms(root: string, version: string): Promise<void> {
  await mkdir(join(root, 'usr', 'bin'), { recursive: true });
  for (const name of ['prometheus', 'promtool']) {
    const file = join(root, 'usr', 'bin', name);
    await writeFile(file, `#!/bin/sh\necho "${name}, version ${version}+ds1 (branch: debian/sid)"\n`);
    await chmod(file, 0o755);
  }
}

describe('provisioning Prometheus for the tests', () => {
  it('unpacks once, then reuses the cache', async () => {
    // Prepare
    let unpacked = 0;
    const unpack = async (root: string): Promise<void> => {
      unpacked++;
      await fakePrograms(root, '3.5.3');
    };

    // Act
    const first = await provisionInto(3, dir, unpack, () => undefined);
    const second = await provisionInto(3, dir, unpack, () => undefined);

    // Assess
    expect(first).toEqual({
      prometheus: join(dir, 'root/usr/bin/prometheus'),
      promtool: join(dir, 'root/usr/bin/promtool'),
      version: '3.5.3',
    });
    expect(second).toEqual(first);
    expect(unpacked).toBe(1);
    expect(await readdir(dir)).toEqual(['root']);
  });

  it('lets two processes provision at once: one copy wins, both get it, no staging left', async () => {
    // Prepare
    const unpack = async (root: string): Promise<void> => {
      await fakePrograms(root, '2.42.0');
      await new Promise((resolve) => setTimeout(resolve, 50));
    };

    // Act
    const [a, b] = await Promise.all([provisionInto(2, dir, unpack, () => undefined), provisionInto(2, dir, unpack, () => undefined)]);

    // Assess
    expect(a).toEqual(b);
    expect(a.version).toBe('2.42.0');
    expect(await readdir(dir)).toEqual(['root']);
  });

  it('refuses a package of the wrong major version and keeps nothing of it', async () => {
    // Act / Assess
    await expect(
      provisionInto(
        2,
        dir,
        (root) => fakePrograms(root, '3.5.3'),
        () => undefined,
      ),
    ).rejects.toThrow(/is Prometheus 3\.5\.3, not 2\.x/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('uses the override programs when both are set, and checks them', async () => {
    // Prepare
    await fakePrograms(join(dir, 'o'), '3.1.0');
    const bin = join(dir, 'o', 'usr', 'bin');
    const env = { MIRROR_TEST_PROMETHEUS_3: join(bin, 'prometheus'), MIRROR_TEST_PROMTOOL_3: join(bin, 'promtool') };

    // Act / Assess
    await expect(provisionPrometheus(3, { env })).resolves.toEqual({
      prometheus: join(bin, 'prometheus'),
      promtool: join(bin, 'promtool'),
      version: '3.1.0',
    });
    await expect(
      provisionPrometheus(2, { env: { MIRROR_TEST_PROMETHEUS: join(bin, 'prometheus'), MIRROR_TEST_PROMTOOL: join(bin, 'promtool') } }),
    ).rejects.toThrow(/not 2\.x/);
    await expect(provisionPrometheus(3, { env: { MIRROR_TEST_PROMETHEUS_3: join(bin, 'prometheus') } })).rejects.toThrow(
      /Set both MIRROR_TEST_PROMETHEUS_3 and MIRROR_TEST_PROMTOOL_3/,
    );
    await expect(
      provisionPrometheus(3, {
        env: { MIRROR_TEST_PROMETHEUS_3: '/nonexistent/prometheus', MIRROR_TEST_PROMTOOL_3: '/nonexistent/promtool' },
      }),
    ).rejects.toThrow(/\/nonexistent\/prometheus does not run/);
  });
});
