import { provisionPrometheus } from '../prometheus/provision.js';

/** Paths of the two Prometheus programs the demo runs. */
export interface DemoBinaries {
  prometheus: string;
  promtool: string;
}

/**
 * The Prometheus programs the demo runs: Prometheus 2.x provisioned the way the tests do it
 * (Debian's package downloaded and unpacked into `.cache/prometheus/2/`, nothing installed).
 */
export async function demoBinaries(): Promise<DemoBinaries> {
  const { prometheus, promtool } = await provisionPrometheus(2, { log: (line) => console.error(line) });
  return { prometheus, promtool };
}
