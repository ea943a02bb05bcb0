import { AMP_MAX_QUERY_RANGE_MS } from '../../aws/amp-limits.js';
import { chunkEvaluations, rawChunks } from '../../domain/time/range-chunks.js';
import { notPrometheusError } from '../../upstream/upstream-errors.js';
import type { PrometheusClient, Sample, Series } from '../../upstream/prometheus-client.js';
import { oneSeriesOf } from './single-series.js';

/** Raw samples are fetched in pieces of this span: bounded answers, and an early stop once `limit` is reached. */
export const RAW_CHUNK_MS = 6 * 60 * 60 * 1000;
/** Pieces in flight at once. */
const PARALLEL = 4;

/**
 * The stored samples of the series `selector` names with fromMs <= t < toMs, oldest first.
 * Each piece [a, b) is the range selector `sel[b-a ms]` evaluated at b-1 ms, filtered to
 * [a, b): exact on closed (2.x) and left-open (3.x) engines alike, no sample fetched twice.
 * Stops early once more than `stopAfter` samples are in hand (`complete: false`). Samples
 * of different series (in one piece or across pieces) are never joined: that is the
 * several-series error.
 */
export async function fetchRawSamples(
  client: PrometheusClient,
  selector: string,
  fromMs: number,
  toMs: number,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ samples: Sample[]; complete: boolean }> {
  const chunks = rawChunks(fromMs, toMs, RAW_CHUNK_MS);
  const bySeries = new Map<string, Series>();
  let count = 0;
  for (let i = 0; i < chunks.length; i += PARALLEL) {
    const batch = chunks.slice(i, i + PARALLEL);
    const answers = await Promise.all(
      batch.map(async (chunk) => {
        const result = await client.query(`${selector}[${chunk.endMs - chunk.startMs}ms]`, chunk.endMs - 1);
        if (result.resultType !== 'matrix') throw notPrometheusError(client.base.origin, 'a range selector did not answer a matrix');
        return result.series.map((s) => ({
          labels: s.labels,
          samples: s.samples.filter(([t]) => t >= chunk.startMs && t < chunk.endMs),
        }));
      }),
    );
    for (const part of answers) count += mergeSeries(bySeries, part);
    const one = oneSeriesOf([...bySeries.values()], selector);
    if (count > stopAfter) return { samples: one?.samples ?? [], complete: false };
  }
  return { samples: oneSeriesOf([...bySeries.values()], selector)?.samples ?? [], complete: true };
}

/** Appends each series' samples to the one with the same label set; returns how many samples came. */
function mergeSeries(into: Map<string, Series>, series: Series[]): number {
  let added = 0;
  for (const s of series) {
    const key = labelKey(s.labels);
    const target = into.get(key);
    if (target) for (const sample of s.samples) target.samples.push(sample);
    else into.set(key, { labels: s.labels, samples: [...s.samples] });
    added += s.samples.length;
  }
  return added;
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Evaluates `expr` with query_range at `count` points `firstEvalMs + k·stepMs`, split so no
 * call exceeds Prometheus' 11,000 points per series nor AMP's longest query range (counting
 * the window of one step before the first point); series are merged by label set.
 */
export async function evaluateRange(
  client: PrometheusClient,
  expr: string,
  firstEvalMs: number,
  count: number,
  stepMs: number,
): Promise<Series[]> {
  const maxSpanMs = Math.max(stepMs, AMP_MAX_QUERY_RANGE_MS - stepMs);
  const chunks = chunkEvaluations(firstEvalMs, count, stepMs, undefined, maxSpanMs);
  const merged = new Map<string, Series>();
  for (let i = 0; i < chunks.length; i += PARALLEL) {
    const batch = chunks.slice(i, i + PARALLEL);
    const answers = await Promise.all(batch.map((c) => client.queryRange(expr, c.startMs, c.endMs, stepMs)));
    for (const answer of answers) mergeSeries(merged, answer);
  }
  return [...merged.values()];
}
