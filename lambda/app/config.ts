import { parseAllowedRoles, parseAllowedUrls } from '../security/allowlist.js';
import type { AllowedUrl } from '../security/allowlist.js';
import { misconfigured } from '../security/misconfigured.js';
import { parseSourceCidrs, type SourceCidrs } from '../security/source-ip.js';
import { ENV, LOCAL_TENANT, MIRROR_BOUNDS, type MirrorBoundName, NO_ROLES, nonEmpty } from '../contract/index.js';

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

const KEYS = [
  ENV.tenant,
  ENV.allowedUrls,
  ENV.allowedRoleArns,
  ENV.allowedSourceCidrs,
  'AWS_LAMBDA_FUNCTION_NAME',
  ...Object.values(MIRROR_BOUNDS).map((bound) => bound.env),
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
  const text = nonEmpty(env[variable]);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw misconfigured(`${variable} must be a whole number of at least 1.`);
  }
  return value;
}
