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
} as const;

/** The `MIRROR_ALLOWED_ROLE_ARNS` value that allows no role at all (only the mirror's own). */
export const NO_ROLES = 'none';
