import { createHash } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsConnectionConfig } from '../protocol/connection-details.js';
import { type AwsCredentials, CredentialCache, type CredentialCacheStats } from './credential-cache.js';
import { stsError } from './sts-errors.js';
import { assumeRole as callAssumeRole } from './sts-assume-role.js';
import { untilAborted } from '../deadline.js';

export type { AwsCredentials, CredentialCacheStats } from './credential-cache.js';

import { DEFAULT_ROLE_SESSION_NAME, DEFAULT_SESSION_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from '../contract/index.js';

/** Credentials ready to sign with, and how to get rid of them when AMP says they are stale. */
export interface ResolvedCredentials {
  credentials: AwsCredentials;
  /** The cache key (a hash: it holds no secret). */
  key: string;
  /** False for static keys from the Connection Details: asking again would give the same keys. */
  refreshable: boolean;
}

export interface ResolveOptions {
  /** Aborts the STS call, and this caller's wait for a load another caller started (the invocation's deadline). */
  signal?: AbortSignal;
}

// Module scope: shared by every invocation of a warm Lambda; bounded, least recently used go first.
const cache = new CredentialCache();
/**
 * The mirror's own credentials, apart: callers' keys never push them out, and looking them up
 * (before every STS and Secrets Manager call) does not count in the callers' hits and misses.
 */
const own = new CredentialCache();
let ownProvider: (() => Promise<AwsCredentials>) | undefined;
/** The key of the mirror's own credentials (in `own`; also what `invalidateCredentials` is given for them). */
const OWN_KEY = 'own';

/**
 * The credentials to sign AMP requests with for one connection's `aws` settings:
 * - `role_arn`: AssumeRole (with `external_id`, `role_session_name`, `token_expiry_seconds`) in
 *   `region`'s STS endpoint, called with the static keys when given, else the mirror's own;
 * - static keys without `role_arn`: those keys;
 * - neither (`{}`): the mirror's own credentials (its execution role).
 *
 * Cached per (role ARN, external id, session name, region, static key) — two connection details
 * that differ in any of these never share credentials — and refreshed before they expire.
 *
 * @throws MetricStoreConnectionError ('sts', 'throttled', 'network' or 'timeout') with a message
 *   that says what to fix.
 */
export async function resolveCredentials(
  aws: AwsConnectionConfig,
  region: string,
  options: ResolveOptions = {},
): Promise<ResolvedCredentials> {
  const staticKeys = staticCredentials(aws);
  const roleArn = aws.role_arn;
  if (roleArn === undefined && staticKeys !== undefined) {
    const key = credentialCacheKey(aws, region);
    const credentials = await cache.get(key, async () => staticKeys);
    return { credentials, key, refreshable: false };
  }
  const context = {
    region,
    roleArn,
    hasExternalId: aws.external_id !== undefined,
    staticSource: staticKeys !== undefined,
  };
  try {
    if (roleArn === undefined) return { credentials: await mirrorCredentials(options.signal), key: OWN_KEY, refreshable: true };
    const key = credentialCacheKey(aws, region);
    const load = async () => assumeRole(aws, roleArn, region, staticKeys ?? (await mirrorCredentials(options.signal)), options.signal);
    const credentials = await untilAborted(cache.get(key, load), options.signal);
    return { credentials, key, refreshable: true };
  } catch (error) {
    throw stsError(error, context);
  }
}

/**
 * The mirror's own credentials — in Lambda its execution role's, from the environment; with
 * `npm start` the full chain (environment, profile, SSO, …) — cached and refreshed before
 * they expire like every other set. STS and Secrets Manager calls are signed with them.
 *
 * @throws the provider's error (`CredentialsProviderError`) when there are none.
 */
export function mirrorCredentials(signal?: AbortSignal): Promise<AwsCredentials> {
  return untilAborted(own.get(OWN_KEY, loadOwnCredentials), signal);
}

/** Forget `key`'s credentials if they are still `stale` (AMP said the token expired or is unknown). */
export function invalidateCredentials(key: string, stale?: AwsCredentials): void {
  (key === OWN_KEY ? own : cache).invalidate(key, stale);
}

/** Hits and misses of the credential cache since the cold start, for the request log. */
export function credentialCacheStats(): CredentialCacheStats {
  return cache.stats();
}

/**
 * Drops cached credentials and the mirror's own credential provider, so that the next call
 * reads the environment again. For tests, and for nothing else.
 */
export function resetAwsCredentialState(): void {
  cache.clear();
  own.clear();
  ownProvider = undefined;
}

/** How many credential sets the container holds now, for tests of the bound. */
export function cachedCredentialCount(): number {
  return cache.size;
}

/**
 * The cache key of a connection's AWS settings in a region: a SHA-256 over role ARN, external
 * id, session name, region, static key id and a fingerprint of the static secret, so that the
 * map holds no secret and rotated keys are never served stale.
 */
export function credentialCacheKey(aws: AwsConnectionConfig, region: string): string {
  const parts = [
    aws.role_arn ?? '',
    aws.external_id ?? '',
    aws.role_arn === undefined ? '' : sessionName(aws),
    aws.role_arn === undefined ? '' : String(sessionSeconds(aws)),
    region,
    aws.aws_access_key_id ?? '',
    aws.aws_secret_access_key ?? '',
    aws.aws_session_token ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function sessionName(aws: AwsConnectionConfig): string {
  return aws.role_session_name ?? DEFAULT_ROLE_SESSION_NAME;
}

function sessionSeconds(aws: AwsConnectionConfig): number {
  const asked = aws.token_expiry_seconds ?? DEFAULT_SESSION_SECONDS;
  return Math.min(MAX_SESSION_SECONDS, Math.max(MIN_SESSION_SECONDS, Math.floor(asked)));
}

function staticCredentials(aws: AwsConnectionConfig): AwsCredentials | undefined {
  if (aws.aws_access_key_id === undefined || aws.aws_secret_access_key === undefined) return undefined;
  return {
    accessKeyId: aws.aws_access_key_id,
    secretAccessKey: aws.aws_secret_access_key,
    ...(aws.aws_session_token !== undefined ? { sessionToken: aws.aws_session_token } : {}),
  };
}

async function assumeRole(
  aws: AwsConnectionConfig,
  roleArn: string,
  region: string,
  source: AwsCredentials,
  signal: AbortSignal | undefined,
): Promise<AwsCredentials> {
  return callAssumeRole(
    { roleArn, roleSessionName: sessionName(aws), durationSeconds: sessionSeconds(aws), externalId: aws.external_id },
    region,
    source,
    signal,
  );
}

async function loadOwnCredentials(): Promise<AwsCredentials> {
  ownProvider ??= defaultProvider();
  const c = await ownProvider();
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration !== undefined ? { expiration: c.expiration } : {}),
  };
}
