import { MetricNotFoundError, RemoteMirrorError } from '../../errors.js';
import { describeSeriesAmbiguity } from '../../domain/promql/series-identity.js';
import type { PrometheusClient } from '../../upstream/prometheus-client.js';

/**
 * One stream is one series: asks the store's index (no samples read) which series the
 * selector matches in the time range, and refuses none (404) or several (naming the labels
 * that tell them apart).
 */
export async function requireOneSeries(
  client: PrometheusClient,
  selector: string,
  startMs: number,
  endMs: number,
): Promise<void> {
  const labelSets = await client.series([selector], { startMs, endMs });
  assertOneSeries(labelSets, selector, startMs, endMs);
}

export function assertOneSeries(labelSets: Record<string, string>[], what: string, startMs: number, endMs: number): void {
  if (labelSets.length === 0) {
    throw new MetricNotFoundError(
      what,
      `No series matches ${what} between ${new Date(startMs).toISOString()} and ${new Date(endMs).toISOString()}.`,
    );
  }
  if (labelSets.length > 1) {
    throw new RemoteMirrorError('Several series match', describeSeriesAmbiguity(labelSets, what));
  }
}
