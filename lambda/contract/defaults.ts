/** Defaults both sides must agree on: the stack's config defaults and the handler's fallbacks. */

/** Default `role_session_name`, the one the community AMP mirror uses (shows in CloudTrail). */
export const DEFAULT_ROLE_SESSION_NAME = 'StackState-Prometheus-Mirror';

/** Default and bounds of `token_expiry_seconds`: STS's minimum, and the role-chaining maximum. */
export const DEFAULT_SESSION_SECONDS = 900;
export const MIN_SESSION_SECONDS = 900;
export const MAX_SESSION_SECONDS = 3600;

/** Default cache lifetime of the two secrets, in seconds (`MIRROR_SECRET_TTL_SECONDS`). */
export const DEFAULT_SECRET_TTL_SECONDS = 300;
/** Longest allowed `MIRROR_SECRET_TTL_SECONDS` / `secretTtlSeconds`: one day. */
export const MAX_SECRET_TTL_SECONDS = 86_400;

/** Tenant name when `MIRROR_TENANT` is unset (`npm start`). */
export const LOCAL_TENANT = 'local';

/** Default `MIRROR_CACHE_FRESHNESS_SECONDS`: AMP accepts samples up to 600 s late (60 s by default). */
export const DEFAULT_CACHE_FRESHNESS_SECONDS = 600;
/** Longest freshness window, and the bound of `cache_freshness_seconds`: one day. */
export const MAX_CACHE_FRESHNESS_SECONDS = 86_400;
/** Default `MIRROR_CACHE_MAX_BYTES`: 64 MiB, well inside the function's default 512 MB. */
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/** The API's stage: the last segment of the Mirror URL (`https://<api>.execute-api.<region>.amazonaws.com/mirror/`). */
export const API_STAGE_NAME = 'mirror';

/** API Gateway REST APIs give up on an integration after 29 s (their default and ceiling without a quota raise). */
export const API_GATEWAY_TIMEOUT_SECONDS = 29;
/** The mirror function's timeout: below the API's, so the function answers a slow call itself. */
export const FUNCTION_TIMEOUT_SECONDS = 25;
