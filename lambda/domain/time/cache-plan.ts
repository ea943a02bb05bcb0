/**
 * What a read must still fetch when part of it is already known.
 *
 * Ranges are half-open `[fromMs, toMs)` epoch ms. A bucket-aligned read (alignMs = B) keeps
 * every missing range on bucket boundaries, so a bucket is always answered whole, from the
 * cache or from the store, never half from each. Raw samples use alignMs = 1.
 */

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/**
 * The parts of `[fromMs, toMs)` that `covered` does not hold, ascending, each widened
 * outward to multiples of `alignMs` (and clipped to the range): cached ∪ missing = the range.
 * `covered` may be unsorted and overlapping.
 *
 * @example missingRanges({ fromMs: 0, toMs: 600 }, [{ fromMs: 0, toMs: 420 }], 60) // [{ fromMs: 420, toMs: 600 }]
 */
export function missingRanges(range: TimeRange, covered: readonly TimeRange[], alignMs = 1): TimeRange[] {
  const sorted = covered.filter((c) => c.toMs > c.fromMs).sort((a, b) => a.fromMs - b.fromMs);
  const out: TimeRange[] = [];
  let cursor = range.fromMs;
  for (const c of sorted) {
    if (cursor >= range.toMs) break;
    const innerFrom = Math.max(range.fromMs, alignUp(c.fromMs, alignMs));
    const innerTo = Math.min(range.toMs, alignDown(c.toMs, alignMs));
    if (innerTo <= cursor || innerFrom >= innerTo) continue;
    if (innerFrom > cursor) out.push({ fromMs: cursor, toMs: innerFrom });
    cursor = Math.max(cursor, innerTo);
  }
  if (cursor < range.toMs) out.push({ fromMs: cursor, toMs: range.toMs });
  return out;
}

/**
 * The end of what may be kept: ranges (and buckets) ending at or before it are closed, so a
 * sample arriving late (within `freshnessMs` of now) can only land after it. Aligned down to
 * `alignMs`; `-Infinity` when caching is off (freshness ≤ 0 is off, not "cache everything").
 */
export function closedUntil(nowMs: number, freshnessMs: number, alignMs = 1): number {
  if (!(freshnessMs > 0)) return Number.NEGATIVE_INFINITY;
  return alignDown(nowMs - freshnessMs, alignMs);
}

/** Merges overlapping or touching ranges into a sorted list of disjoint ones. */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((r) => r.toMs > r.fromMs).sort((a, b) => a.fromMs - b.fromMs);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, r.toMs);
    else out.push({ ...r });
  }
  return out;
}

function alignDown(t: number, alignMs: number): number {
  return t - (((t % alignMs) + alignMs) % alignMs);
}

function alignUp(t: number, alignMs: number): number {
  const down = alignDown(t, alignMs);
  return down === t ? t : down + alignMs;
}
