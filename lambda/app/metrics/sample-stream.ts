import { AMP_MAX_QUERY_RANGE_MS } from '../../aws/amp-limits.js';
import { firstPieceSpan, nextPieceSpan } from '../../domain/time/piece-size.js';
import { chunkEvaluations } from '../../domain/time/range-chunks.js';
import { labelKey } from '../../domain/time/samples.js';
import { notPrometheusError } from '../../upstream/upstream-errors.js';
import { assertQueryCost } from '../../domain/promql/query-cost.js';
import type { PrometheusClient, Sample, Series } from '../../upstream/prometheus-client.js';
import { MAX_CANDIDATE_SERIES, severalSeries } from './single-series.js';

/** The first raw-sample pieces span this much; later ones are sized from the density seen. */
export const FIRST_PIECE_MS = 6 * 60 * 60 * 1000;
/** About this many samples per piece once the density is known (≈ 0.6 MB of JSON). */
export const TARGET_SAMPLES_PER_PIECE = 20_000;
/** Pieces in flight at once. */
const PARALLEL = 4;

export interface RawPiece {
  startMs: number;
  endMs: number;
  /** The piece's samples of the one series, oldest first. */
  samples: Sample[];
  /** That series' labels (undefined when the piece holds no sample). */
  labels: Record<string, string> | undefined;
}

/**
 * Streams the stored samples of the one series `selector` names with fromMs <= t < toMs,
 * oldest first, piece by piece, so that memory holds a few pieces, not the range. A lead-in
 * piece [fromMs, alignFromMs) comes first when fromMs < alignFromMs; after it every piece
 * starts at alignFromMs + k·alignMs, so a bucket of alignMs is never split between pieces.
 * The lead-in is fetched in the same query as the first aligned piece (one round trip, not
 * two) and split from it here. Pieces are sized from the density seen so far (TARGET_SAMPLES_PER_PIECE, at most AMP's
 * longest range) and fetched PARALLEL at a time.
 *
 * Each piece [a, b) is the range selector `sel[b-a ms]` evaluated at b-1 ms, filtered to
 * [a, b): exact on closed (2.x) and left-open (3.x) engines alike, no sample fetched twice.
 * Samples of different series are never joined, within a piece or across pieces: that is
 * the several-series error. `onPiece` returning false stops the stream (`stopped`); so does the
 * per-request cap on store calls (`capped`: the pieces handed out are a complete prefix).
 */
export async function streamRawSamples(
  client: PrometheusClient,
  selector: string,
  range: { fromMs: number; toMs: number; alignFromMs?: number; alignMs?: number },
  onPiece: (piece: RawPiece) => boolean | void,
): Promise<'complete' | 'stopped' | 'capped'> {
  const alignMs = range.alignMs ?? 1;
  const alignFrom = Math.min(Math.max(range.alignFromMs ?? range.fromMs, range.fromMs), range.toMs);
  const seen = new Map<string, Record<string, string>>();
  let samplesSeen = 0;
  let spanSeen = 0;
  let span = firstPieceSpan(FIRST_PIECE_MS, alignMs);
  let next = range.fromMs;
  while (next < range.toMs) {
    const batch: { startMs: number; endMs: number }[] = [];
    // the lead-in rides in the query of the first aligned piece when their span fits in one
    const mergeLeadIn = next < alignFrom && alignFrom - next + span <= AMP_MAX_QUERY_RANGE_MS - 1;
    if (next < alignFrom) {
      batch.push({ startMs: next, endMs: alignFrom });
      next = alignFrom;
    }
    const calls = Math.min(PARALLEL, client.callsLeft);
    if (calls < 1) return 'capped';
    while (batch.length < calls + (mergeLeadIn ? 1 : 0) && next < range.toMs) {
      batch.push({ startMs: next, endMs: Math.min(range.toMs, next + span) });
      next += span;
    }
    const fetches = batch.map((piece) => ({ ...piece }));
    if (mergeLeadIn && fetches.length > 1) {
      (fetches[1] as { startMs: number }).startMs = (fetches[0] as { startMs: number }).startMs;
      fetches.shift();
    }
    const answers = await Promise.all(fetches.map((f) => fetchPiece(client, selector, f)));
    const merged = fetches.length < batch.length;
    for (let i = 0; i < batch.length; i++) {
      const piece = batch[i] as { startMs: number; endMs: number };
      const answer = answers[merged ? Math.max(0, i - 1) : i] as Series[];
      const series = merged && i <= 1 ? answer.map((s) => ({ labels: s.labels, samples: within(s.samples, piece) })) : answer;
      for (const s of series) if (s.samples.length > 0) seen.set(labelKey(s.labels), s.labels);
      if (seen.size > 1) throw severalSeries([...seen.values()], selector);
      const found = series.find((s) => s.samples.length > 0);
      const samples = found?.samples ?? [];
      samplesSeen += samples.length;
      spanSeen += piece.endMs - piece.startMs;
      if (onPiece({ ...piece, samples, labels: found?.labels }) === false) return 'stopped';
    }
    span = nextPieceSpan(samplesSeen, spanSeen, span, alignMs, TARGET_SAMPLES_PER_PIECE, AMP_MAX_QUERY_RANGE_MS - 1);
  }
  return 'complete';
}

function within(samples: Sample[], piece: { startMs: number; endMs: number }): Sample[] {
  return samples.filter(([t]) => t >= piece.startMs && t < piece.endMs);
}

async function fetchPiece(client: PrometheusClient, selector: string, piece: { startMs: number; endMs: number }): Promise<Series[]> {
  const result = await client.query(`${selector}[${piece.endMs - piece.startMs}ms]`, piece.endMs - 1);
  if (result.resultType !== 'matrix') throw notPrometheusError(client.base.origin, 'a range selector did not answer a matrix');
  return result.series.map((s) => ({
    labels: s.labels,
    samples: s.samples.filter(([t]) => t >= piece.startMs && t < piece.endMs),
  }));
}

/**
 * All the stored samples of the one series with fromMs <= t < toMs, oldest first; stops
 * once more than `stopAfter` are in hand (`complete: false`), or at the call cap (`capped`:
 * the samples are all those before `capped`'s time).
 */
export async function fetchRawSamples(
  client: PrometheusClient,
  selector: string,
  fromMs: number,
  toMs: number,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ samples: Sample[]; complete: boolean; capped: boolean; labels: Record<string, string> | undefined }> {
  const samples: Sample[] = [];
  let complete = true;
  let labels: Record<string, string> | undefined;
  const outcome = await streamRawSamples(client, selector, { fromMs, toMs }, (piece) => {
    labels ??= piece.labels;
    for (const sample of piece.samples) samples.push(sample);
    if (samples.length > stopAfter) {
      complete = false;
      return false;
    }
    return true;
  });
  if (outcome === 'capped' && samples.length === 0) throw client.callCapError();
  return { samples, complete: complete && outcome === 'complete', capped: outcome === 'capped', labels };
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

export interface EvaluateOptions {
  /** The answer must be one series: reading stops at the second one (the several-series error names `oneSeries`). */
  oneSeries?: string;
  /** Refuse unsent when the static cost estimate passes this many samples per series. */
  maxQuerySamples?: number;
}

/**
 * Evaluates `expr` with query_range at `count` points `firstEvalMs + k·stepMs`, split so no
 * call exceeds Prometheus' 11,000 points per series nor AMP's longest query range (counting
 * the window of one step before the first point); series are merged by label set. At the
 * per-request cap on store calls it stops: `evaluated` points (a prefix) were asked for.
 */
export async function evaluateRange(
  client: PrometheusClient,
  expr: string,
  firstEvalMs: number,
  count: number,
  stepMs: number,
  options: EvaluateOptions = {},
): Promise<{ series: Series[]; evaluated: number }> {
  if (options.maxQuerySamples !== undefined) assertQueryCost(expr, count, options.maxQuerySamples);
  const maxSpanMs = Math.max(stepMs, AMP_MAX_QUERY_RANGE_MS - stepMs);
  const all = chunkEvaluations(firstEvalMs, count, stepMs, undefined, maxSpanMs);
  const allowed = Math.max(0, Math.min(all.length, client.callsLeft));
  if (allowed === 0 && all.length > 0) throw client.callCapError();
  const chunks = all.slice(0, allowed);
  const merged = new Map<string, Series>();
  // One series wanted: from the second on only labels are kept (for the error that names their
  // differences), and reading stops once there are enough of them to say so.
  const seen = new Map<string, Record<string, string>>();
  const oneSeries = options.oneSeries;
  const onSeries =
    oneSeries === undefined
      ? undefined
      : (_: number, labels: Record<string, string>) => {
          seen.set(labelKey(labels), labels);
          if (seen.size > MAX_CANDIDATE_SERIES) throw severalSeries([...seen.values()], oneSeries);
          return seen.size === 1;
        };
  for (let i = 0; i < chunks.length; i += PARALLEL) {
    const batch = chunks.slice(i, i + PARALLEL);
    const answers = await Promise.all(batch.map((c) => client.queryRange(expr, c.startMs, c.endMs, stepMs, onSeries)));
    if (oneSeries !== undefined && seen.size > 1) throw severalSeries([...seen.values()], oneSeries);
    for (const answer of answers) mergeSeries(merged, answer);
  }
  const last = chunks.at(-1);
  const evaluated = last === undefined ? 0 : Math.round((last.endMs - firstEvalMs) / stepMs) + 1;
  return { series: [...merged.values()], evaluated };
}

/**
 * A partial answer must hold a point: StackState asks again from its last one. A prefix the
 * call cap left empty cannot be continued, so it is the call-cap refusal instead.
 */
export function requireProgress<T>(points: T[], capped: boolean, client: PrometheusClient): T[] {
  if (capped && points.length === 0) throw client.callCapError();
  return points;
}
