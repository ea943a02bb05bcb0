import { LRUCache } from 'lru-cache';
import { mirrorCredentials } from '../aws/credentials.js';
import { getSecretValue, regionOfArn } from '../aws/secrets-manager.js';
import { type Deadline, untilAborted } from '../deadline.js';
import { RemoteMirrorError } from '../errors.js';
import { misconfigured } from './misconfigured.js';

/** The two per-tenant secrets the handler needs. */
export interface MirrorSecrets {
  /** Sent back in `X-MIRROR-API-KEY` on every answer to an accepted caller. */
  apiKey: string;
  /** Expected as `mirror_token` in the Connection Details JSON; absent = no caller check (local only). */
  callerToken?: string;
}

import { DEFAULT_SECRET_TTL_SECONDS, ENV, MAX_SECRET_TTL_SECONDS } from '../contract/index.js';

/** One Secrets Manager call's limit, whatever the request has left (two attempts at most). */
export const SECRET_FETCH_TIMEOUT_MS = 5_000;
/** Secret values kept per container (the API key and the caller token: two in practice). */
export const MAX_CACHED_SECRETS = 8;

interface CachedValue {
  value: string;
  expiresAt: number;
}

// expiry by Date.now() in the entry (not lru-cache's ttl, which runs on performance.now())
const cache = new LRUCache<string, CachedValue>({ max: MAX_CACHED_SECRETS });
const inFlight = new Map<string, Promise<string>>();
/** Bumped by {@link clearMirrorSecretsCache} so a fetch started before a clear does not refill the cache. */
let generation = 0;

/**
 * Loads the API key and the caller token.
 *
 * In Lambda both come from AWS Secrets Manager, named by `MIRROR_API_KEY_SECRET_ARN` and
 * `MIRROR_CALLER_TOKEN_SECRET_ARN`. Values are cached for `MIRROR_SECRET_TTL_SECONDS`
 * (default 300, `0` = no cache) so a rotated secret is picked up within that time;
 * concurrent callers share one fetch; a failed fetch is not cached (the next call retries).
 * Without the ARNs (local use) the values come from `MIRROR_API_KEY` / `MIRROR_CALLER_TOKEN`.
 * Empty strings count as missing.
 *
 * @param env - The environment to read; defaults to `process.env`.
 * @param options - `deadline`: when the request's time ends; the wait for Secrets
 *   Manager stops there (503) even when another request's fetch is still running.
 * @throws RemoteMirrorError 500 "Mirror misconfigured" naming the variable when there is no
 *   API key, when a deployed (Lambda) mirror has no caller token, or when a secret is empty;
 *   503 "Mirror secrets unavailable" when Secrets Manager cannot be read.
 * @example
 * const { apiKey, callerToken } = await loadMirrorSecrets();
 */
export async function loadMirrorSecrets(
  env: NodeJS.ProcessEnv = process.env,
  options: { deadline?: Deadline } = {},
): Promise<MirrorSecrets> {
  const ttlMs = secretTtlSeconds(env) * 1000;
  const both = Promise.all([
    fromSecretOrEnv(env, ENV.apiKeySecretArn, ENV.apiKey, ttlMs),
    fromSecretOrEnv(env, ENV.callerTokenSecretArn, ENV.callerToken, ttlMs),
  ]);
  const signal = options.deadline?.signal();
  let apiKey: string | undefined;
  let callerToken: string | undefined;
  try {
    [apiKey, callerToken] = await untilAborted(both, signal);
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') {
      throw new RemoteMirrorError(
        'Mirror secrets unavailable',
        "AWS Secrets Manager did not answer within the request's time. Try again; if it persists, check the mirror's network access to Secrets Manager.",
        503,
      );
    }
    throw error;
  }
  if (apiKey === undefined) {
    throw misconfigured(
      `No API key: set ${ENV.apiKeySecretArn} to the ARN of the API key secret (the stack does this), ` +
        `or ${ENV.apiKey} when running locally.`,
    );
  }
  if (callerToken === undefined) {
    if (setValue(env.AWS_LAMBDA_FUNCTION_NAME) !== undefined) {
      throw misconfigured(
        `No caller token: a deployed mirror must check its callers; set ${ENV.callerTokenSecretArn} ` +
          'to the ARN of the caller token secret (the stack does this).',
      );
    }
    return { apiKey };
  }
  return { apiKey, callerToken };
}

/**
 * Forgets every cached secret value. For tests, and for a handler that learns a secret
 * changed (for instance StackState reporting a wrong API key) and wants to re-read it now.
 */
export function clearMirrorSecretsCache(): void {
  cache.clear();
  inFlight.clear();
  generation += 1;
}

/** Secret values held now (never more than {@link MAX_CACHED_SECRETS}), for tests of the bound. */
export function cachedSecretCount(): number {
  return cache.size;
}

/**
 * Reads `MIRROR_SECRET_TTL_SECONDS`.
 *
 * @returns Whole seconds; {@link DEFAULT_SECRET_TTL_SECONDS} when unset or empty.
 * @throws RemoteMirrorError 500 naming the variable when it is not a whole number of seconds
 *   between 0 and 86400.
 */
export function secretTtlSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = setValue(env[ENV.secretTtlSeconds]);
  if (raw === undefined) return DEFAULT_SECRET_TTL_SECONDS;
  const seconds = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(seconds >= 0 && seconds <= MAX_SECRET_TTL_SECONDS)) {
    throw misconfigured(`${ENV.secretTtlSeconds} must be a whole number of seconds from 0 to ${MAX_SECRET_TTL_SECONDS}.`);
  }
  return seconds;
}

async function fromSecretOrEnv(
  env: NodeJS.ProcessEnv,
  arnVariable: string,
  valueVariable: string,
  ttlMs: number,
): Promise<string | undefined> {
  const arn = setValue(env[arnVariable]);
  if (arn === undefined) return setValue(env[valueVariable]);
  return cachedSecret(arn, arnVariable, ttlMs, env);
}

function cachedSecret(arn: string, arnVariable: string, ttlMs: number, env: NodeJS.ProcessEnv): Promise<string> {
  const hit = cache.get(arn);
  if (hit !== undefined && Date.now() < hit.expiresAt) return Promise.resolve(hit.value);
  const pending = inFlight.get(arn);
  if (pending !== undefined) return pending;
  const started = generation;
  const fetch = fetchSecret(arn, arnVariable, env).then(
    (value) => {
      if (started === generation) {
        inFlight.delete(arn);
        if (ttlMs > 0) cache.set(arn, { value, expiresAt: Date.now() + ttlMs });
      }
      return value;
    },
    (error: unknown) => {
      if (started === generation) inFlight.delete(arn);
      throw error;
    },
  );
  inFlight.set(arn, fetch);
  return fetch;
}

async function fetchSecret(arn: string, arnVariable: string, env: NodeJS.ProcessEnv): Promise<string> {
  // the region is the ARN's; AWS_REGION (Lambda's own) only for a bare secret name
  const region = regionOfArn(arn) ?? setValue(env.AWS_REGION);
  if (region === undefined) {
    throw misconfigured(`${arnVariable} names no region (it is not a secret ARN) and AWS_REGION is not set: use the secret's ARN.`);
  }
  let secretString: string | undefined;
  try {
    const credentials = await mirrorCredentials();
    secretString = await getSecretValue(arn, region, credentials, { timeoutMs: SECRET_FETCH_TIMEOUT_MS }, env);
  } catch (error) {
    throw new RemoteMirrorError(
      'Mirror secrets unavailable',
      `Could not read the secret named by ${arnVariable} from AWS Secrets Manager (${errorName(error)}). ` +
        "Check that the secret exists and that the mirror's execution role may read it.",
      503,
      { cause: error },
    );
  }
  if (secretString === undefined || secretString === '') {
    throw misconfigured(`The secret named by ${arnVariable} holds no text value; put a non-empty string in it.`);
  }
  return secretString;
}

/**
 * The AWS error code (e.g. `AccessDeniedException`) or the network's (`ECONNREFUSED`); never
 * the message, which may quote input.
 */
function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const name = typeof code === 'string' ? code : error instanceof Error ? error.name : '';
  return /^[A-Za-z][\w.]{0,63}$/.test(name) && name !== 'Error' ? name : 'unknown error';
}

/**
 * A variable's value as set, or undefined when unset or empty. Unlike the contract's
 * `nonEmpty` it does not trim: a secret is used byte for byte (a key ending in a space is that
 * key, and must match what the caller sends), and a blank TTL is refused, not defaulted.
 */
function setValue(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
