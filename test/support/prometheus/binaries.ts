import { provisionPrometheus } from '../../../scripts/prometheus/provision.js';

/** Paths of the two Prometheus programs the harness runs. */
export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

/**
 * Prometheus 2.x for the benchmarks: `MIRROR_TEST_PROMETHEUS` / `MIRROR_TEST_PROMTOOL` when
 * set, else Debian's package, downloaded into `.cache/` on first use (see provision.ts).
 */
export async function findBinaries(env: NodeJS.ProcessEnv = process.env): Promise<PrometheusBinaries> {
  const { prometheus, promtool } = await provisionPrometheus(2, { env, log: (line) => console.log(line) });
  return { prometheus, promtool };
}
