import { LRUCache } from 'lru-cache';
import { mergeRanges, type TimeRange } from '../../domain/time/cache-plan.js';
import { labelKey } from '../../domain/time/samples.js';

/** One point: epoch ms (a raw sample's time, or an aggregated bucket's start) and its value. */
export type CachedPoint = [timeMs: number, value: number];

/** What one key holds: the closed ranges it knows, every point in them, and whose points they are. */
interface Entry {
  /** Disjoint, ascending. */
  segments: Segment[];
  /** The label set of the one series with data, once a point has been seen; undefined before. */
  labels: Record<string, string> | undefined;
}

interface Segment extends TimeRange {
  /** Interleaved [t0, v0, t1, v1, …], ascending by t, every t in [fromMs, toMs). */
  points: Float64Array;
}

/** What a read finds: points of the covered parts of the range, and the labels they belong to. */
export interface CachedRead {
  covered: TimeRange[];
  points: CachedPoint[];
  labels: Record<string, string> | undefined;
}

const ENTRY_OVERHEAD_BYTES = 256;
const SEGMENT_OVERHEAD_BYTES = 96;

/**
 * Points of closed time ranges, kept across warm invocations and bounded by bytes (least
 * recently used keys go first). It only ever receives what a complete, successful read
 * returned for a whole range; it never holds errors or parts of a range. An entry larger
 * than the whole bound is not kept.
 */
export class ClosedCache {
  private readonly lru: LRUCache<string, Entry>;

  constructor(readonly maxBytes: number) {
    this.lru = new LRUCache<string, Entry>({ maxSize: Math.max(1, maxBytes), sizeCalculation: entryBytes });
  }

  /** Bytes held now (keys and points, with a fixed overhead per entry and segment). */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }

  /** The covered parts of `range` and their points (ascending). */
  read(key: string, range: TimeRange): CachedRead {
    const entry = this.lru.get(key);
    const covered: TimeRange[] = [];
    const points: CachedPoint[] = [];
    for (const s of entry?.segments ?? []) {
      const fromMs = Math.max(s.fromMs, range.fromMs);
      const toMs = Math.min(s.toMs, range.toMs);
      if (fromMs >= toMs) continue;
      covered.push({ fromMs, toMs });
      for (let i = 0; i < s.points.length; i += 2) {
        const t = s.points[i] as number;
        if (t >= fromMs && t < toMs) points.push([t, s.points[i + 1] as number]);
      }
    }
    return { covered, points, labels: entry?.labels };
  }

  /**
   * Keeps the points of the closed ranges `ranges` (each complete: every point the store
   * has in it). Points outside those ranges are ignored. `labels` is the series the points
   * belong to (undefined when there are none): points of another series replace the entry,
   * so one entry never mixes two series.
   */
  store(key: string, ranges: readonly TimeRange[], points: readonly CachedPoint[], labels: Record<string, string> | undefined): void {
    const fresh = mergeRanges(ranges);
    if (fresh.length === 0) return;
    const known = this.lru.peek(key);
    const previous = labels && known?.labels && labelKey(labels) !== labelKey(known.labels) ? undefined : known;
    const segments: Segment[] = [...(previous?.segments ?? [])];
    for (const r of fresh) segments.push({ ...r, points: pack(points.filter(([t]) => t >= r.fromMs && t < r.toMs)) });
    const entry: Entry = { segments: joinSegments(segments), labels: previous?.labels ?? labels };
    if (entryBytes(entry, key) > this.maxBytes) {
      this.lru.delete(key);
      return;
    }
    this.lru.set(key, entry);
  }

  clear(): void {
    this.lru.clear();
  }
}

function pack(points: readonly CachedPoint[]): Float64Array {
  const out = new Float64Array(points.length * 2);
  points.forEach(([t, v], i) => {
    out[2 * i] = t;
    out[2 * i + 1] = v;
  });
  return out;
}

/** Sorted, with overlapping or touching segments joined (an overlap keeps the earlier segment's points). */
function joinSegments(segments: Segment[]): Segment[] {
  segments.sort((a, b) => a.fromMs - b.fromMs);
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (!last || s.fromMs > last.toMs) {
      out.push(s);
      continue;
    }
    if (s.toMs <= last.toMs) continue;
    const tail: number[] = [];
    for (let i = 0; i < s.points.length; i += 2) {
      if ((s.points[i] as number) >= last.toMs) tail.push(s.points[i] as number, s.points[i + 1] as number);
    }
    const joined = new Float64Array(last.points.length + tail.length);
    joined.set(last.points);
    joined.set(tail, last.points.length);
    out[out.length - 1] = { fromMs: last.fromMs, toMs: s.toMs, points: joined };
  }
  return out;
}

function entryBytes(entry: Entry, key: string): number {
  let bytes = ENTRY_OVERHEAD_BYTES + key.length * 2 + (entry.labels ? JSON.stringify(entry.labels).length * 2 : 0);
  for (const s of entry.segments) bytes += SEGMENT_OVERHEAD_BYTES + s.points.byteLength;
  return bytes;
}
