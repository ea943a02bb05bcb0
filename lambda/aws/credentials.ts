import { createHash } from 'node:crypto';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { LRUCache } from 'lru-cache';
import type { AwsConnectionConfig } from '../protocol/connection-details.js';
import { type AwsCredentials, CredentialCache, type CredentialCacheStats } from './credential-cache.js';
import { stsError } from './sts-errors.js';
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

/** STS clients kept per container (one per region and static source key; ~21 KiB each). */
export const MAX_STS_CLIENTS = 16;

// Module scope: shared by every invocation of a warm Lambda; both bounded, least recently used go first.
const cache = new CredentialCache();
const stsClients = new LRUCache<string, STSClient>({
  max: MAX_STS_CLIENTS,
  // later than any call it may still be making (2 attempts of at most 5 s)
  dispose: (client) => setTimeout(() => client.destroy(), 15_000).unref(),
});
let ownCredentials: (() => Promise<AwsCredentials>) | undefined;

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
  const key = credentialCacheKey(aws, region);
  const staticKeys = staticCredentials(aws);
  const roleArn = aws.role_arn;
  if (roleArn === undefined && staticKeys !== undefined) {
    const credentials = await cache.get(key, async () => staticKeys);
    return { credentials, key, refreshable: false };
  }
  const context = {
    region,
    roleArn,
    hasExternalId: aws.external_id !== undefined,
    staticSource: staticKeys !== undefined,
  };
  const load = roleArn === undefined ? () => loadOwnCredentials() : () => assumeRole(aws, roleArn, region, staticKeys, options.signal);
  try {
    const credentials = await untilAborted(cache.get(key, load), options.signal);
    return { credentials, key, refreshable: true };
  } catch (error) {
    throw stsError(error, context);
  }
}

/** Forget `key`'s credentials if they are still `stale` (AMP said the token expired or is unknown). */
export function invalidateCredentials(key: string, stale?: AwsCredentials): void {
  cache.invalidate(key, stale);
}

/** Hits and misses of the credential cache since the cold start, for the request log. */
export function credentialCacheStats(): CredentialCacheStats {
  return cache.stats();
}

/**
 * Drops cached credentials, STS clients and the mirror's own credential provider, so that the
 * next call reads the environment again. For tests, and for nothing else.
 */
export function resetAwsCredentialState(): void {
  cache.clear();
  stsClients.clear();
  ownCredentials = undefined;
}

/** How many credential sets and STS clients the container holds now, for tests of the bounds. */
export function awsCredentialStateSizes(): { credentials: number; stsClients: number } {
  return { credentials: cache.size, stsClients: stsClients.size };
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
  source: AwsCredentials | undefined,
  signal: AbortSignal | undefined,
): Promise<AwsCredentials> {
  const client = stsClientFor(region, source);
  const answer = await client.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: sessionName(aws),
      DurationSeconds: sessionSeconds(aws),
      ...(aws.external_id !== undefined ? { ExternalId: aws.external_id } : {}),
    }),
    signal ? { abortSignal: signal } : {},
  );
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw Object.assign(new Error('STS answered AssumeRole without credentials'), { name: 'IncompleteAnswer' });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
  };
}

/**
 * One STS client per region (and per static source key), created on first use; at most
 * {@link MAX_STS_CLIENTS}, the least recently used destroyed first. The regional endpoint is the SDK's default; `AWS_ENDPOINT_URL_STS`
 * overrides it (tests point it at a local STS).
 */
function stsClientFor(region: string, source: AwsCredentials | undefined): STSClient {
  const id = source === undefined ? region : `${region}:${fingerprint(source)}`;
  let client = stsClients.get(id);
  if (client === undefined) {
    client = new STSClient({
      region,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 },
      ...(source !== undefined ? { credentials: source } : {}),
    });
    stsClients.set(id, client);
  }
  return client;
}

async function loadOwnCredentials(): Promise<AwsCredentials> {
  ownCredentials ??= defaultProvider();
  const c = await ownCredentials();
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration !== undefined ? { expiration: c.expiration } : {}),
  };
}

function fingerprint(credentials: AwsCredentials): string {
  return createHash('sha256')
    .update(`${credentials.accessKeyId}\u0000${credentials.secretAccessKey}\u0000${credentials.sessionToken ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}
