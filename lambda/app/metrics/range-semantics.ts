import { LRUCache } from 'lru-cache';
import { PROBE_EXPR, PROBE_TIME_MS, semanticsFromProbe, type RangeSemantics } from '../../domain/time/buckets.js';
import { notPrometheusError } from '../../upstream/upstream-errors.js';
import type { PrometheusClient } from '../../upstream/prometheus-client.js';

const TTL_MS = 60 * 60 * 1000;
/** Stores whose range semantics are remembered per container (keyed by the caller's URL). */
const MAX_KNOWN_STORES = 256;
const known = new LRUCache<string, { semantics: RangeSemantics; expiresMs: number }>({ max: MAX_KNOWN_STORES });

/**
 * Whether the store's range selectors are closed (Prometheus 2.x, older Cortex/AMP) or
 * left-open (Prometheus 3.x): learnt once per store with a query that reads no data, and
 * kept for an hour across warm invocations.
 */
export async function rangeSemanticsOf(client: PrometheusClient, now = Date.now()): Promise<RangeSemantics> {
  const key = client.base.toString();
  const hit = known.get(key);
  if (hit && hit.expiresMs > now) return hit.semantics;
  const result = await client.query(PROBE_EXPR, PROBE_TIME_MS);
  const value =
    result.resultType === 'vector' && result.series.length === 1
      ? result.series[0]?.samples[0]?.[1]
      : result.resultType === 'scalar'
        ? result.value[1]
        : undefined;
  if (typeof value !== 'number') throw notPrometheusError(client.base.origin, 'the range-boundary probe returned no number');
  const semantics = semanticsFromProbe(value);
  known.set(key, { semantics, expiresMs: now + TTL_MS });
  return semantics;
}
