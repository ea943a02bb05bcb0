/**
 * The environment variables the stack sets and the handler reads (`npm start` sets the
 * local ones). One name, one place: lib/ writes them, lambda/ reads them.
 */
export const ENV = {
  /** Tenant name: the `Tenant` metric dimension. */
  tenant: 'MIRROR_TENANT',
  /** Comma-separated metric store URLs the tenant may query. */
  allowedUrls: 'MIRROR_ALLOWED_URLS',
  /** Comma-separated role ARNs the tenant may name, or {@link NO_ROLES}. */
  allowedRoleArns: 'MIRROR_ALLOWED_ROLE_ARNS',
  /** Comma-separated caller networks (CIDRs); unset: every source. */
  allowedSourceCidrs: 'MIRROR_ALLOWED_SOURCE_CIDRS',
  /** Secrets Manager ARNs of the API key and the caller token (Lambda). */
  apiKeySecretArn: 'MIRROR_API_KEY_SECRET_ARN',
  callerTokenSecretArn: 'MIRROR_CALLER_TOKEN_SECRET_ARN',
  /** The values themselves (local use only). */
  apiKey: 'MIRROR_API_KEY',
  callerToken: 'MIRROR_CALLER_TOKEN',
  /** How long the two secrets are cached, in seconds. */
  secretTtlSeconds: 'MIRROR_SECRET_TTL_SECONDS',
  /** `off` silences the request log line (tests). */
  requestLog: 'MIRROR_REQUEST_LOG',
  /** The per-request bounds; see {@link MIRROR_BOUNDS} for their defaults. */
  maxAnswerBytes: 'MIRROR_MAX_ANSWER_BYTES',
  maxUpstreamCalls: 'MIRROR_MAX_UPSTREAM_CALLS',
  retentionDays: 'MIRROR_RETENTION_DAYS',
  maxSamplesProcessed: 'MIRROR_MAX_SAMPLES_PROCESSED',
  maxQuerySamples: 'MIRROR_MAX_QUERY_SAMPLES',
  /** `npm start` only: the file that keeps the local API key, and how long a request body may take. */
  localKeyFile: 'MIRROR_LOCAL_KEY_FILE',
  localBodyTimeoutMs: 'MIRROR_LOCAL_BODY_TIMEOUT_MS',
  /** Buckets ending less than this many seconds ago are not cached; 0 turns the cache off. */
  cacheFreshnessSeconds: 'MIRROR_CACHE_FRESHNESS_SECONDS',
  /** Bytes the closed-bucket cache may hold (LRU beyond). */
  cacheMaxBytes: 'MIRROR_CACHE_MAX_BYTES',
} as const;

/** The `MIRROR_ALLOWED_ROLE_ARNS` value that allows no role at all (only the mirror's own). */
export const NO_ROLES = 'none';

/**
 * The per-request bounds a tenant may set (tenants file → function environment), each with
 * its variable and the default the function keeps when it is unset. 8 MiB of answer: 4
 * answers in flight and their parsed samples stay well inside a 512 MB function (`npm run
 * bench -- bounds` prints the peak). 1095 days: AMP's longest retention period (configurable
 * per workspace, 150 days by default). 10^9 samples: a query AMP bills at most that much for.
 */
export const MIRROR_BOUNDS = {
  maxAnswerBytes: { env: ENV.maxAnswerBytes, default: 8 * 2 ** 20 },
  maxUpstreamCalls: { env: ENV.maxUpstreamCalls, default: 100 },
  retentionDays: { env: ENV.retentionDays, default: 1095 },
  maxSamplesProcessed: { env: ENV.maxSamplesProcessed, default: 1_000_000_000 },
  maxQuerySamples: { env: ENV.maxQuerySamples, default: 1_000_000_000 },
} as const;

export type MirrorBoundName = keyof typeof MIRROR_BOUNDS;
