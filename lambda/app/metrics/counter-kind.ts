import { LRUCache } from 'lru-cache';
import { declaredKind } from '../../domain/promql/metric-kinds.js';
import { RemoteMirrorError } from '../../errors.js';
import type { PrometheusClient } from '../../upstream/prometheus-client.js';

const TTL_MS = 60 * 60 * 1000;
/** Metrics whose declared kind is remembered per container; least recently used go first. */
export const MAX_DECLARED_KINDS = 10_000;
/** All remembered keys (store URL + metric name, both from callers) together hold at most this many characters. */
export const MAX_DECLARED_KINDS_CHARS = 1024 * 1024;
/** A longer key (a metric name of kilobytes) is asked about every time, never remembered. */
export const MAX_DECLARED_KIND_KEY_CHARS = 4096;

/** store base URL + metric name → what its metadata declares ('none' where it declares nothing). */
const known = new LRUCache<string, { kind: 'gauge' | 'counter' | 'none'; expiresMs: number }>({
  max: MAX_DECLARED_KINDS,
  maxSize: MAX_DECLARED_KINDS_CHARS,
  maxEntrySize: MAX_DECLARED_KIND_KEY_CHARS,
  sizeCalculation: (_, key) => Math.max(1, key.length),
});

/** How many keys, and how many of their characters, are remembered now (for the bound's tests). */
export function declaredKindsHeld(): { entries: number; chars: number } {
  return { entries: known.size, chars: known.calculatedSize };
}

/**
 * `__counter__` on a metric the store's metadata calls a gauge would answer meaningless
 * "rates": refused with a 400 that says so and suggests `__gauge__`. One metadata call for
 * that name (`metric=`, `limit=1`: no samples read), remembered per store for an hour across
 * warm invocations (bounded: {@link MAX_DECLARED_KINDS}). Where the store has no metadata for
 * it (backfilled data, some AMP setups) or the call fails, the counter is read as asked: only
 * an explicit gauge is refused.
 */
export async function refuseDeclaredGauge(client: PrometheusClient, metric: string, now = Date.now()): Promise<void> {
  const key = `${client.base.toString()}\n${metric}`;
  let hit = known.get(key);
  if (hit === undefined || hit.expiresMs <= now) {
    let metadata: Awaited<ReturnType<PrometheusClient['metadata']>>;
    try {
      metadata = await client.metadata({ metric, limit: 1 });
    } catch {
      return;
    }
    hit = { kind: declaredKind(metric, metadata) ?? 'none', expiresMs: now + TTL_MS };
    known.set(key, hit);
  }
  if (hit.kind === 'gauge') {
    throw new RemoteMirrorError(
      'Not a counter',
      `The store's metadata says ${metric} is a gauge: as __counter__ it would be read as a per-second rate of a value that goes up and down, which means nothing. Use __gauge__ for ${metric}.`,
    );
  }
}
