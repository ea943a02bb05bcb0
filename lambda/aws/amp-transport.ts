import type { Deadline } from '../deadline.js';
import type { AwsConnectionConfig } from '../protocol/connection-details.js';
import { type RetryOptions, withRetries } from '../upstream/retry.js';
import type { Transport, UpstreamRequest, UpstreamResponse } from '../upstream/transport.js';
import { invalidateCredentials, resolveCredentials } from './credentials.js';
import { regionForWorkspace } from './region.js';
import { signRequest } from './signer.js';

export { credentialCacheStats } from './credentials.js';

export interface AmpTransportOptions {
  /** By when every attempt must have finished (the request's budget, for the retries). */
  deadline: Deadline;
  /** Overrides of the retry policy (tests). */
  retry?: Omit<RetryOptions, 'deadline'>;
}

/**
 * The transport for an AMP workspace: resolves the connection's credentials (cached, see
 * `resolveCredentials`), signs every attempt with
 * SigV4 for `aps` in the workspace's region, and sends it through `withRetries(inner)`. When
 * AMP answers that the security token expired or is unknown, the credentials are dropped,
 * fetched again once, and the request repeated.
 *
 * The region is found on the first request, so a bad region is a typed error of that request.
 *
 * @param aws - `connectionDetails.aws`; `{}` means the mirror's own execution role.
 * @param baseUrl - The workspace URL (`https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>`).
 * @param inner - Sends one signed request (`httpTransport` in production: it resends a request
 *   that met a stale kept-alive socket itself, so that is no attempt of the retries here).
 */
export function ampTransport(aws: AwsConnectionConfig, baseUrl: URL, inner: Transport, options: AmpTransportOptions): Transport {
  let region: string | undefined;
  return async (request: UpstreamRequest): Promise<UpstreamResponse> => {
    region ??= regionForWorkspace(baseUrl, aws);
    const signingRegion = region;
    let resolved = await resolveCredentials(aws, signingRegion, { signal: request.signal });
    const send: Transport = async (attempt) => inner(await signRequest(attempt, resolved.credentials, signingRegion));
    const retrying = withRetries(send, { ...options.retry, deadline: options.deadline });

    const response = await retrying(request);
    if (!resolved.refreshable || !isStaleTokenAnswer(response)) return response;
    const stale = resolved.credentials;
    invalidateCredentials(resolved.key, stale);
    resolved = await resolveCredentials(aws, signingRegion, { signal: request.signal });
    if (resolved.credentials.accessKeyId === stale.accessKeyId) return response;
    return retrying(request);
  };
}

/**
 * AMP's answer to a request signed with a session token that has expired, or that AWS does
 * not know (any more): worth one refresh of the credentials.
 */
export function isStaleTokenAnswer(response: UpstreamResponse): boolean {
  if (response.status !== 403 && response.status !== 401) return false;
  const type = response.headers['x-amzn-errortype'] ?? '';
  if (/ExpiredToken|UnrecognizedClient|InvalidClientTokenId/i.test(type)) return true;
  return /security token included in the request is (expired|invalid)|token has expired/i.test(response.body.slice(0, 2000));
}
