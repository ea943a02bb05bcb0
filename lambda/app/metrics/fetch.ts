import { AMP_MAX_QUERY_RANGE_MS } from '../../aws/amp-limits.js';
import { chunkEvaluations, rawChunks } from '../../domain/time/range-chunks.js';
import { notPrometheusError } from '../../upstream/upstream-errors.js';
import type { PrometheusClient, Sample, Series } from '../../upstream/prometheus-client.js';
import { assertOneSeries } from './single-series.js';

/** Raw samples are fetched in pieces of this span: bounded answers, and an early stop once `limit` is reached. */
export const RAW_CHUNK_MS = 6 * 60 * 60 * 1000;
/** Pieces in flight at once. */
const PARALLEL = 4;

/**
 * The stored samples of the series `selector` names with fromMs <= t < toMs, oldest first.
 * Each piece [a, b) is the range selector `sel[b-a ms]` evaluated at b-1 ms, filtered to
 * [a, b): exact on closed (2.x) and left-open (3.x) engines alike, no sample fetched twice.
 * Stops early once more than `stopAfter` samples are in hand (`complete: false`).
 */
export async function fetchRawSamples(
  client: PrometheusClient,
  selector: string,
  fromMs: number,
  toMs: number,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ samples: Sample[]; complete: boolean }> {
  const chunks = rawChunks(fromMs, toMs, RAW_CHUNK_MS);
  const samples: Sample[] = [];
  for (let i = 0; i < chunks.length; i += PARALLEL) {
    const batch = chunks.slice(i, i + PARALLEL);
    const answers = await Promise.all(
      batch.map(async (chunk) => {
        const result = await client.query(`${selector}[${chunk.endMs - chunk.startMs}ms]`, chunk.endMs - 1);
        if (result.resultType !== 'matrix') throw notPrometheusError(client.base.origin, 'a range selector did not answer a matrix');
        if (result.series.length > 1) assertOneSeries(result.series.map((s) => s.labels), selector, chunk.startMs, chunk.endMs);
        return (result.series[0]?.samples ?? []).filter(([t]) => t >= chunk.startMs && t < chunk.endMs);
      }),
    );
    for (const part of answers) for (const sample of part) samples.push(sample);
    if (samples.length > stopAfter) return { samples, complete: false };
  }
  return { samples, complete: true };
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
    for (const answer of answers) {
      for (const series of answer) {
        const key = JSON.stringify(Object.entries(series.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        const into = merged.get(key);
        if (into) into.samples.push(...series.samples);
        else merged.set(key, { labels: series.labels, samples: [...series.samples] });
      }
    }
  }
  return [...merged.values()];
}
