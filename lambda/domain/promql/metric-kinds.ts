/**
 * Telling gauges from counters, for the `__gauge__` / `__counter__` field values. The store's
 * metadata decides where it knows; otherwise Prometheus' naming conventions do (backfilled data
 * has no metadata at all).
 */

/** How a metric is read: a gauge as it is, a counter as a per-second rate. */
export type MetricKind = 'gauge' | 'counter';

/** The metadata answer of the Prometheus API (`/api/v1/metadata`): metric family → entries. */
export type MetricMetadataMap = Record<string, { type: string }[]>;

const FAMILY_TYPES = new Set(['histogram', 'summary', 'gaugehistogram']);
const FAMILY_COUNTER_SUFFIXES = ['_bucket', '_count', '_sum'] as const;
/** OpenMetrics gauge histograms: their buckets, `_gcount` and `_gsum` go up and down. */
const GAUGE_HISTOGRAM_SUFFIXES = ['_bucket', '_gcount', '_gsum'] as const;
const COUNTER_SUFFIXES = ['_total', '_bucket', '_count', '_sum'] as const;

/**
 * Classifies one metric name.
 *
 * 1. The name's own metadata: `counter` → counter; `gauge`, `info`, `stateset` → gauge; a
 *    `histogram` / `summary` / `gaugehistogram` family name itself (e.g. the summary's
 *    quantiles) → gauge.
 * 2. Its family's metadata: `f_bucket`, `f_gcount`, `f_gsum` of a `gaugehistogram` family `f`
 *    → gauge (OpenMetrics); `f_bucket`, `f_count`, `f_sum` of a `histogram` / `summary` family
 *    `f` → counter; `f_total` of a `counter` family `f` (OpenMetrics names the family without
 *    `_total`) → counter.
 * 3. Otherwise (`unknown`, `untyped`, no metadata): names ending in `_total`, `_bucket`, `_count`
 *    or `_sum` are counters, everything else is a gauge.
 *
 * Where a name has several metadata entries, the first with a known type decides.
 *
 * @example classifyMetric('http_requests_total', {}) // 'counter'
 * @example classifyMetric('rpc_duration_seconds_sum', { rpc_duration_seconds: [{ type: 'summary' }] }) // 'counter'
 */
export function classifyMetric(name: string, metadata: MetricMetadataMap): MetricKind {
  const own = knownType(metadata, name);
  if (own === 'counter') return 'counter';
  if (own !== undefined) return 'gauge';
  for (const suffix of GAUGE_HISTOGRAM_SUFFIXES) {
    if (name.endsWith(suffix) && knownType(metadata, name.slice(0, -suffix.length)) === 'gaugehistogram') return 'gauge';
  }
  for (const suffix of FAMILY_COUNTER_SUFFIXES) {
    if (name.endsWith(suffix) && FAMILY_TYPES.has(knownType(metadata, name.slice(0, -suffix.length)) ?? '')) return 'counter';
  }
  if (name.endsWith('_total') && knownType(metadata, name.slice(0, -'_total'.length)) === 'counter') return 'counter';
  return COUNTER_SUFFIXES.some((suffix) => name.endsWith(suffix)) ? 'counter' : 'gauge';
}

/**
 * What the store's metadata itself declares `name` to be, without naming conventions:
 * 'gauge' only for an explicit `gauge` type, 'counter' for `counter`, otherwise undefined.
 *
 * @example declaredKind('prometheus_tsdb_head_series', { prometheus_tsdb_head_series: [{ type: 'gauge' }] }) // 'gauge'
 * @example declaredKind('backfilled_total', {}) // undefined
 */
export function declaredKind(name: string, metadata: MetricMetadataMap): MetricKind | undefined {
  const own = knownType(metadata, name);
  return own === 'gauge' || own === 'counter' ? own : undefined;
}

const KNOWN_TYPES = new Set(['counter', 'gauge', 'info', 'stateset', ...FAMILY_TYPES]);

/** The first known (lower-cased) metadata type of `name`, or undefined for unknown/untyped/absent. */
function knownType(metadata: MetricMetadataMap, name: string): string | undefined {
  if (!Object.hasOwn(metadata, name)) return undefined;
  const entries = metadata[name];
  if (!Array.isArray(entries)) return undefined;
  for (const entry of entries) {
    const type = typeof entry?.type === 'string' ? entry.type.toLowerCase() : undefined;
    if (type !== undefined && KNOWN_TYPES.has(type)) return type;
  }
  return undefined;
}
