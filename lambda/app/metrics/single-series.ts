import { MetricNotFoundError, RemoteMirrorError } from '../../errors.js';
import { describeSeriesAmbiguity } from '../../domain/promql/series-identity.js';
import type { PrometheusClient, Series } from '../../upstream/prometheus-client.js';

/**
 * More candidates than this in the store's index and an empty answer is called ambiguous:
 * the conditions clearly do not pick one series.
 */
export const MAX_CANDIDATE_SERIES = 20;

/**
 * One stream is one series, decided by the data themselves (`oneSeriesOf`): the data are
 * asked for first. Only when they hold no series does the store's index (no samples read)
 * explain why: no series matches at all (MetricNotFoundError), or clearly many do (the error
 * naming the labels that differ). The index answers at block granularity — a series replaced
 * within the last hours is still listed for the last minutes — so a few candidates without
 * data in the range are simply an empty answer.
 */
export async function explainNoData(client: PrometheusClient, selector: string, startMs: number, endMs: number): Promise<void> {
  const labelSets = await client.series([selector], { startMs, endMs });
  if (labelSets.length === 0) throw notFound(selector, startMs, endMs);
  if (labelSets.length > MAX_CANDIDATE_SERIES) throw severalSeries(labelSets, selector);
}

/** The one series with data, or undefined when none has any; several → the error that names their differences. */
export function oneSeriesOf(series: Series[], what: string): Series | undefined {
  const withData = series.filter((s) => s.samples.length > 0);
  if (withData.length > 1)
    throw severalSeries(
      withData.map((s) => s.labels),
      what,
    );
  return withData[0];
}

export function notFound(what: string, startMs: number, endMs: number): MetricNotFoundError {
  return new MetricNotFoundError(
    what,
    `No series matches ${what} between ${new Date(startMs).toISOString()} and ${new Date(endMs).toISOString()}.`,
  );
}

export function severalSeries(labelSets: Record<string, string>[], what: string): RemoteMirrorError {
  return new RemoteMirrorError('Several series match', describeSeriesAmbiguity(labelSets, what));
}
