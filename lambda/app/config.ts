import { parseAllowedRoles, parseAllowedUrls } from '../security/allowlist.js';
import type { AllowedUrl } from '../security/allowlist.js';
import { misconfigured } from '../security/misconfigured.js';
import { parseSourceCidrs, type SourceCidrs } from '../security/source-ip.js';

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
}

/**
 * Defaults of the bounds. 8 MiB of answer: 4 answers in flight and their parsed samples stay
 * well inside a 512 MB function (`npm run bench -- bounds` prints the peak). 1095 days: AMP's longest retention period (configurable per
 * workspace, 150 days by default). 10^9 samples: a query AMP bills at most that much for.
 */
export const BOUND_DEFAULTS = {
  MIRROR_MAX_ANSWER_BYTES: 8 * 2 ** 20,
  MIRROR_MAX_UPSTREAM_CALLS: 100,
  MIRROR_RETENTION_DAYS: 1095,
  MIRROR_MAX_SAMPLES_PROCESSED: 1_000_000_000,
  MIRROR_MAX_QUERY_SAMPLES: 1_000_000_000,
} as const;

const KEYS = [
  'MIRROR_TENANT',
  'MIRROR_ALLOWED_URLS',
  'MIRROR_ALLOWED_ROLE_ARNS',
  'MIRROR_ALLOWED_SOURCE_CIDRS',
  'AWS_LAMBDA_FUNCTION_NAME',
  ...(Object.keys(BOUND_DEFAULTS) as (keyof typeof BOUND_DEFAULTS)[]),
] as const;

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
    tenant: nonEmpty(env.MIRROR_TENANT) ?? 'local',
    allowedUrls: parseAllowedUrls(nonEmpty(env.MIRROR_ALLOWED_URLS)),
    allowedRoles: parseAllowedRoles(nonEmpty(env.MIRROR_ALLOWED_ROLE_ARNS)),
    allowedSourceCidrs: parseSourceCidrs(nonEmpty(env.MIRROR_ALLOWED_SOURCE_CIDRS)),
    defaultTimeoutMs: 20_000,
    maxAnswerBytes: bound(env, 'MIRROR_MAX_ANSWER_BYTES'),
    maxUpstreamCalls: bound(env, 'MIRROR_MAX_UPSTREAM_CALLS'),
    retentionMs: bound(env, 'MIRROR_RETENTION_DAYS') * 86_400_000,
    maxSamplesProcessed: bound(env, 'MIRROR_MAX_SAMPLES_PROCESSED'),
    maxQuerySamples: bound(env, 'MIRROR_MAX_QUERY_SAMPLES'),
  };
  if (nonEmpty(env.AWS_LAMBDA_FUNCTION_NAME) !== undefined) {
    if (config.allowedUrls === undefined) {
      throw misconfigured('MIRROR_ALLOWED_URLS is not set: a deployed mirror must list the workspaces it may reach.');
    }
    if (config.allowedRoles === undefined) {
      throw misconfigured('MIRROR_ALLOWED_ROLE_ARNS is not set: a deployed mirror must list the roles it may assume (or say none).');
    }
  }
  cached = { key, config };
  return config;
}

/** A positive whole number from the environment, or its default; anything else names the variable. */
function bound(env: NodeJS.ProcessEnv, name: keyof typeof BOUND_DEFAULTS): number {
  const text = nonEmpty(env[name]);
  if (text === undefined) return BOUND_DEFAULTS[name];
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw misconfigured(`${name} must be a whole number of at least 1.`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
