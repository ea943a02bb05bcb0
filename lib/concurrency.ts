// How much of an account's Lambda concurrency one tenant may hold. Plain numbers, no
// constructs: the tenants file rules and the stack both use them.

import { API_GATEWAY_TIMEOUT_SECONDS, FUNCTION_TIMEOUT_SECONDS } from '../lambda/contract/index.js';

export { API_GATEWAY_TIMEOUT_SECONDS, FUNCTION_TIMEOUT_SECONDS };

/** An account's default Lambda concurrency per region. */
export const ACCOUNT_DEFAULT_CONCURRENCY = 1000;

/** Lambda refuses a reservation that leaves fewer than this unreserved in the account. */
export const LAMBDA_MIN_UNRESERVED = 100;

/** The most any tenant, or all tenants of one account and region together, may reserve: 1,000 − 100. */
export const MAX_RESERVED_CONCURRENCY = ACCOUNT_DEFAULT_CONCURRENCY - LAMBDA_MIN_UNRESERVED;

/** The default never takes more than this, so nine tenants fit into an account with default quotas. */
export const DEFAULT_RESERVED_CONCURRENCY_CAP = 100;

/**
 * The reserved concurrency a tenant gets when its config names none:
 * `min(⌈rateLimit × FUNCTION_TIMEOUT_SECONDS⌉, 100)`.
 *
 * `rateLimit × timeout` is what the stage's throttle can ask of Lambda when every call runs
 * until it times out (Little's law: concurrency = arrival rate × time in the system). At the
 * default 50 req/s × 25 s that is 1,250, more than an account has; the cap keeps one tenant to
 * a tenth of a default account, which still serves 100 req/s of 1-second calls.
 *
 * @example
 * defaultReservedConcurrency(50)  // 100 (1,250 capped)
 * defaultReservedConcurrency(2)   // 50
 */
export function defaultReservedConcurrency(rateLimit: number): number {
  return Math.min(Math.ceil(rateLimit * FUNCTION_TIMEOUT_SECONDS), DEFAULT_RESERVED_CONCURRENCY_CAP);
}
