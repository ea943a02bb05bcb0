import { createHash } from 'node:crypto';
import type { ConnectionDetails } from '../../protocol/connection-details.js';
import { ClosedCache } from './closed-cache.js';

/** The deployment's cache settings (read with the rest of MirrorConfig). */
export interface CacheSettings {
  freshnessSeconds: number;
  maxBytes: number;
}

/** Where one request may read and keep closed points: the cache, its key prefix, and what counts as closed. */
export interface CacheScope {
  cache: ClosedCache;
  /** Store URL and credential identity: two identities never share an entry. */
  prefix: string;
  freshnessMs: number;
  nowMs: number;
  /** Per request, for the log: reads that found something kept, and reads that found nothing. */
  stats: { cacheHits: number; cacheMisses: number };
}

/**
 * Who the store sees: the role and external id, or the static key (id and secret, hashed),
 * or the function's own credentials, or none. A request whose credentials the store refuses
 * still fails: every read asks the store something first (the candidate series).
 */
export function credentialIdentity(details: ConnectionDetails): string {
  const aws = details.aws;
  if (!aws) return 'plain';
  const parts = [
    `role=${aws.role_arn ?? ''}`,
    `external=${aws.external_id ?? ''}`,
    `key=${aws.aws_access_key_id ?? ''}`,
    `secret=${aws.aws_secret_access_key ?? ''}`,
    `session=${aws.aws_session_token ?? ''}`,
    `region=${aws.region_name ?? ''}`,
  ];
  return `aws:${createHash('sha256').update(parts.join('\u0000')).digest('hex')}`;
}

let shared: ClosedCache | undefined;

/** The process-wide cache (kept across warm invocations), rebuilt when its bound changes. */
export function sharedCache(maxBytes: number): ClosedCache {
  if (shared?.maxBytes !== maxBytes) shared = new ClosedCache(maxBytes);
  return shared;
}

/**
 * The scope of one request, or undefined when caching is off (freshness 0, from the
 * Connection Details' `cache_freshness_seconds` or else the deployment's setting).
 */
export function cacheScopeFor(
  baseUrl: string,
  details: ConnectionDetails,
  settings: CacheSettings,
  stats: { cacheHits: number; cacheMisses: number },
  nowMs = Date.now(),
): CacheScope | undefined {
  const freshnessSeconds = details.cache_freshness_seconds ?? settings.freshnessSeconds;
  if (!(freshnessSeconds > 0) || !(settings.maxBytes > 0)) return undefined;
  return {
    cache: sharedCache(settings.maxBytes),
    prefix: `${baseUrl}\u0000${credentialIdentity(details)}`,
    freshnessMs: freshnessSeconds * 1000,
    nowMs,
    stats,
  };
}

/**
 * The key of one stream's points: scope, what is read, and (for buckets) the bucket size —
 * only what the kept points depend on. Raw samples are the selector's whatever the request
 * does with them (gauge raw, counter rates of any method). A bucket's value depends on the
 * method, but the expression already names it (`avg_over_time`, `quantile_over_time(0.9, …)`),
 * so methods reading the same function share (SUM and SUM_NO_ZEROS; EVENT_COUNT, VALUE_COUNT,
 * EVENT_COUNT_NO_ZEROS), and an empty bucket's rule is applied after the read. The NaN mode
 * is applied to the answer, never to what is kept: both modes share every entry.
 */
export function streamKey(scope: CacheScope, what: { kind: 'buckets' | 'samples'; query: string; bucketMs?: number }): string {
  return [scope.prefix, what.kind, what.query, String(what.bucketMs ?? '')].join('\u0000');
}
