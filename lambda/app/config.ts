import { parseAllowedRoles, parseAllowedUrls } from '../security/allowlist.js';
import type { AllowedUrl } from '../security/allowlist.js';
import { misconfigured } from '../security/misconfigured.js';
import { parseSourceCidrs, type SourceCidrs } from '../security/source-ip.js';
import { ENV, LOCAL_TENANT, MIRROR_BOUNDS, type MirrorBoundName, NO_ROLES, nonEmpty } from '../contract/index.js';
import { DEFAULT_CACHE_FRESHNESS_SECONDS, DEFAULT_CACHE_MAX_BYTES, MAX_CACHE_FRESHNESS_SECONDS } from '../contract/defaults.js';
import type { CacheSettings } from './cache/cache-scope.js';

/** The deployment's settings, from the environment the stack (or `npm start`) sets. */
export interface MirrorConfig {
  tenant: string;
  allowedUrls: AllowedUrl[] | undefined;
  allowedRoles: string[] | undefined;
  allowedSourceCidrs: SourceCidrs | undefined;
  /** Default request_timeout_seconds when the Connection Details give none. */
  defaultTimeoutMs: number;
  /** Bytes of one store answer read at most (MIRROR_MAX_ANSWER_BYTES). */
  maxAnswerBytes: number;
  /** Store calls one request may make; past it the answer is a partial prefix (MIRROR_MAX_UPSTREAM_CALLS). */
  maxUpstreamCalls: number;
  /** How far back the store can hold data: requests are clipped to it (MIRROR_RETENTION_DAYS). */
  retentionMs: number;
  /** AMP's max_samples_processed_error_threshold sent with every query (MIRROR_MAX_SAMPLES_PROCESSED). */
  maxSamplesProcessed: number;
  /** Static cost estimate (samples per series) past which a query is refused unsent (MIRROR_MAX_QUERY_SAMPLES). */
  maxQuerySamples: number;
  /**
   * The closed-bucket cache: MIRROR_CACHE_FRESHNESS_SECONDS (default 600, 0 = off) and
   * MIRROR_CACHE_MAX_BYTES (default 64 MiB, 0 = off).
   */
  cache: CacheSettings;
}

const KEYS = [
  ENV.tenant,
  ENV.allowedUrls,
  ENV.allowedRoleArns,
  ENV.allowedSourceCidrs,
  'AWS_LAMBDA_FUNCTION_NAME',
  ...Object.values(MIRROR_BOUNDS).map((bound) => bound.env),
  ENV.cacheFreshnessSeconds,
  ENV.cacheMaxBytes,
];

let cached: { key: string; config: MirrorConfig } | undefined;

/**
 * Read and validated once per distinct environment (so once per cold start in Lambda); a
 * malformed allow-list fails here with a message that names the variable. In Lambda the
 * allow-lists are required: a deployed mirror without them would be an open proxy.
 */
export function mirrorConfig(env: NodeJS.ProcessEnv = process.env): MirrorConfig {
  const key = KEYS.map((k) => env[k] ?? '').join('\u0000');
  if (cached?.key === key) return cached.config;
  const config: MirrorConfig = {
    tenant: nonEmpty(env[ENV.tenant]) ?? LOCAL_TENANT,
    allowedUrls: parseAllowedUrls(nonEmpty(env[ENV.allowedUrls])),
    allowedRoles: parseAllowedRoles(nonEmpty(env[ENV.allowedRoleArns])),
    allowedSourceCidrs: parseSourceCidrs(nonEmpty(env[ENV.allowedSourceCidrs])),
    defaultTimeoutMs: 20_000,
    maxAnswerBytes: bound(env, 'maxAnswerBytes'),
    maxUpstreamCalls: bound(env, 'maxUpstreamCalls'),
    retentionMs: bound(env, 'retentionDays') * 86_400_000,
    maxSamplesProcessed: bound(env, 'maxSamplesProcessed'),
    maxQuerySamples: bound(env, 'maxQuerySamples'),
    cache: {
      freshnessSeconds: wholeNumber(env, ENV.cacheFreshnessSeconds, DEFAULT_CACHE_FRESHNESS_SECONDS, {
        min: 0,
        max: MAX_CACHE_FRESHNESS_SECONDS,
      }),
      maxBytes: wholeNumber(env, ENV.cacheMaxBytes, DEFAULT_CACHE_MAX_BYTES, { min: 0, max: 2 ** 40 }),
    },
  };
  if (nonEmpty(env.AWS_LAMBDA_FUNCTION_NAME) !== undefined) {
    if (config.allowedUrls === undefined) {
      throw misconfigured(`${ENV.allowedUrls} is not set: a deployed mirror must list the workspaces it may reach.`);
    }
    if (config.allowedRoles === undefined) {
      throw misconfigured(`${ENV.allowedRoleArns} is not set: a deployed mirror must list the roles it may assume (or say ${NO_ROLES}).`);
    }
  }
  cached = { key, config };
  return config;
}

/** A positive whole number from the environment, or its default; anything else names the variable. */
function bound(env: NodeJS.ProcessEnv, name: MirrorBoundName): number {
  const { env: variable, default: fallback } = MIRROR_BOUNDS[name];
  return wholeNumber(env, variable, fallback, { min: 1 });
}

/**
 * A whole number from `min` (to `max`, when given) from the environment, or `fallback` when
 * unset or blank; anything else fails with a message that names the variable.
 */
function wholeNumber(env: NodeJS.ProcessEnv, variable: string, fallback: number, range: { min: 0 | 1; max?: number }): number {
  const text = nonEmpty(env[variable]);
  if (text === undefined) return fallback;
  const value = Number(text);
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(text) || value < range.min || value > max) {
    throw misconfigured(
      range.max === undefined
        ? `${variable} must be a whole number of at least ${range.min}.`
        : `${variable} must be a whole number from ${range.min} to ${range.max}.`,
    );
  }
  return value;
}
