import { findBinaries, type PrometheusBinaries } from '../../test/support/prometheus/binaries.js';

/**
 * The Prometheus programs the demo runs. Today: the installed ones, found as the tests find
 * them. The lead switches this line to `provisionPrometheus(2)` (scripts/prometheus/provision.ts)
 * once provisioning lands, so that a fresh machine needs no manual install.
 */
export async function demoBinaries(): Promise<PrometheusBinaries> {
  return findBinaries();
}
