import { bucketGrid } from '../../domain/time/buckets.js';
import { counterBuckets, counterRawRates, rawCounterStep } from '../../domain/time/counter-rates.js';
import type { MetricsQuery } from '../../protocol/requests.js';
import type { MetricsResponse, RawPoint } from '../../protocol/responses.js';
import type { PrometheusClient, Sample } from '../../upstream/prometheus-client.js';
import { aggregatedAnswer, rawAnswer } from './answer.js';
import { counterSamplesCached } from '../cache/cached-metrics.js';
import type { CacheScope } from '../cache/cache-scope.js';
import { requireProgress, streamRawSamples } from './sample-stream.js';
import { explainNoData } from './single-series.js';
import { answerGrid, RAW_MAX_POINTS } from './steps.js';

/** How far before the first bucket the mirror looks for the sample its first increase starts from. */
export function previousSampleLookback(bucketMs: number): number {
  return Math.min(60 * 60 * 1000, Math.max(5 * 60 * 1000, bucketMs));
}

/**
 * A counter as a per-second rate, computed by the mirror from the stored samples: exact
 * increases between consecutive samples (a drop is a reset), each counted once, in the
 * bucket of its later sample. PromQL's rate() is not used: it extrapolates, and its
 * buckets do not add up. The samples stream through bucket-aligned pieces, so a long range
 * costs round trips, not memory.
 */
export async function counterMetrics(
  client: PrometheusClient,
  selector: string,
  query: MetricsQuery,
  nan: 'ZERO' | 'NONE',
  cache?: CacheScope,
): Promise<MetricsResponse> {
  const { startTime, endTime, aggregation, limit } = query;
  if (aggregation) {
    const bucket = aggregation.bucketSizeMillis;
    const grid = answerGrid(startTime, endTime, bucket);
    if (grid.count === 0) return aggregatedAnswer([], nan, limit);
    const { points, capped } = await streamCounter(client, cache, selector, grid.firstStart, grid.endMs, bucket, (samples, from, to) =>
      counterBuckets(samples, { firstStart: from, count: (to - from) / bucket }, bucket, aggregation.method),
    );
    return aggregatedAnswer(points, nan, limit, grid.truncated || capped);
  }
  const step = rawCounterStep(startTime, endTime, Math.min(limit ?? RAW_MAX_POINTS, RAW_MAX_POINTS));
  const grid = bucketGrid(startTime, endTime, step);
  if (grid.count === 0) return rawAnswer([], nan, limit);
  const { points, capped } = await streamCounter(
    client,
    cache,
    selector,
    grid.firstStart,
    grid.firstStart + grid.count * step,
    step,
    (samples, from, to) => counterRawRates(samples, Math.max(from, startTime), Math.min(to, endTime), step),
  );
  return rawAnswer(
    points.map(([v, t]): RawPoint => [v, t]),
    nan,
    limit,
    capped,
  );
}

/**
 * Feeds `reduce` the samples of each bucket-aligned piece of [fromMs, toMs), each time led by
 * the last finite sample before the piece (where the piece's first increase starts), and
 * concatenates what it returns. At the call cap the points so far are a complete prefix (`capped`).
 */
async function streamCounter<P>(
  client: PrometheusClient,
  cache: CacheScope | undefined,
  selector: string,
  fromMs: number,
  toMs: number,
  bucketMs: number,
  reduce: (samples: Sample[], pieceFromMs: number, pieceToMs: number) => P[],
): Promise<{ points: P[]; capped: boolean }> {
  const lookback = previousSampleLookback(bucketMs);
  const kept = await counterSamplesCached(client, cache, selector, { fromMs: fromMs - lookback, toMs });
  if (kept.samples) {
    if (kept.samples.length === 0) await explainNoData(client, selector, fromMs - lookback, toMs);
    // the kept samples plus the new ones, reduced at once: the same pairs, in the same order, as piece by piece
    const lead = lastFinite(kept.samples.filter(([t]) => t < fromMs));
    const rest = kept.samples.filter(([t]) => t >= fromMs);
    return { points: reduce(lead ? [lead, ...rest] : rest, fromMs, toMs), capped: false };
  }
  const out: P[] = [];
  let carry: Sample | undefined;
  let anySample = false;
  const outcome = await streamRawSamples(
    client,
    selector,
    { fromMs: fromMs - lookback, toMs, alignFromMs: fromMs, alignMs: bucketMs },
    (piece) => {
      kept.keeper.add(piece.samples, piece.labels);
      if (piece.samples.length > 0) anySample = true;
      if (piece.startMs >= fromMs) {
        for (const point of reduce(carry ? [carry, ...piece.samples] : piece.samples, piece.startMs, piece.endMs)) out.push(point);
      }
      carry = lastFinite(piece.samples) ?? carry;
    },
  );
  kept.keeper.finish(outcome === 'complete');
  if (!anySample && outcome !== 'capped') await explainNoData(client, selector, fromMs - lookback, toMs);
  return { points: requireProgress(out, outcome === 'capped', client), capped: outcome === 'capped' };
}

function lastFinite(samples: Sample[]): Sample | undefined {
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i] as Sample;
    if (Number.isFinite(sample[1])) return sample;
  }
  return undefined;
}
