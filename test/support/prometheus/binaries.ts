import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Paths of the two Prometheus programs the harness runs. */
export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

export const INSTALL_HINT = 'apt-get install -y --no-install-recommends prometheus';

/**
 * Finds `prometheus` and `promtool`: `MIRROR_TEST_PROMETHEUS` / `MIRROR_TEST_PROMTOOL` when
 * set, else the PATH, else /usr/bin (where Debian's package puts them).
 * @throws Error naming the missing program and the apt-get line that installs it.
 */
export async function findBinaries(env: NodeJS.ProcessEnv = process.env): Promise<PrometheusBinaries> {
  const prometheus = await findProgram('prometheus', env.MIRROR_TEST_PROMETHEUS, env.PATH);
  const promtool = await findProgram('promtool', env.MIRROR_TEST_PROMTOOL, env.PATH);
  const missing = [prometheus === undefined ? 'prometheus' : '', promtool === undefined ? 'promtool' : ''].filter(Boolean);
  if (prometheus === undefined || promtool === undefined) {
    throw new Error(
      `The integration tests need a real Prometheus 2.x, but ${missing.join(' and ')} ` +
        `${missing.length > 1 ? 'are' : 'is'} not installed. Install it with: ${INSTALL_HINT}`,
    );
  }
  return { prometheus, promtool };
}

async function findProgram(name: string, override: string | undefined, path: string | undefined): Promise<string | undefined> {
  const candidates =
    override !== undefined && override !== ''
      ? [override]
      : [...(path ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)), join('/usr/bin', name)];
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
