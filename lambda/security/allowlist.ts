import { MetricStoreConnectionError } from '../errors.js';
import { type AllowedUrl, isRoleArn, parseAllowedUrlList, parseRoleList } from '../contract/index.js';
import { displayStoreUrl, parseStoreUrl, type StoreUrl } from '../upstream/store-url.js';
import { misconfigured } from './misconfigured.js';

export type { AllowedUrl } from '../contract/index.js';

/** Where an operator changes the list; part of every refusal message. */
const HOW_TO_ALLOW_URL =
  "To allow it, add the workspace URL to this tenant's allowedWorkspaceUrls in the mirror's config " +
  '(config/tenants.json) and redeploy its stack (locally: MIRROR_ALLOWED_URLS).';
const HOW_TO_ALLOW_ROLE =
  "To allow it, add the role ARN to this tenant's allowedRoleArns in the mirror's config " +
  '(config/tenants.json) and redeploy its stack (locally: MIRROR_ALLOWED_ROLE_ARNS).';

/**
 * Parses the allowed metric store URLs (`MIRROR_ALLOWED_URLS`, comma-separated).
 *
 * @param csv - Comma-separated absolute `http(s)` URLs in normal form (see {@link parseStoreUrl}).
 * @returns The normalised entries, or `undefined` when `csv` is unset or empty: no
 *   restriction, for local use only.
 * @throws RemoteMirrorError (500, "Mirror misconfigured") naming the bad entry's position.
 * @example
 * parseAllowedUrls('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/')
 * // [{ scheme: 'https:', host: 'aps-workspaces.eu-west-1.amazonaws.com', port: 443, path: '/workspaces/ws-1', base: … }]
 */
export function parseAllowedUrls(csv: string | undefined): AllowedUrl[] | undefined {
  const parsed = parseAllowedUrlList(csv);
  if (!parsed.ok) throw misconfigured(parsed.problem);
  return parsed.value;
}

/**
 * Refuses, before any network call, a metric store URL that is not among the allowed ones.
 *
 * @param url - `connectionDetails.url` as the caller sent it, or already read by {@link parseStoreUrl}.
 * @param allowed - From {@link parseAllowedUrls}; `undefined` allows everything (local use).
 * @throws MetricStoreConnectionError `'refused'` (403) saying why and how to allow the URL.
 *   The message never repeats user info, query or fragment of the URL.
 */
export function checkUrlAllowed(url: string | StoreUrl, allowed: AllowedUrl[] | undefined): void {
  const target = typeof url === 'string' ? parseStoreUrl(url) : url;
  if (allowed === undefined) return;
  if (!allowed.some((entry) => sameStore(target, entry))) {
    throw new MetricStoreConnectionError(
      'refused',
      `The URL ${displayStoreUrl(target)} is not among this mirror's allowed workspaces. ${HOW_TO_ALLOW_URL}`,
    );
  }
}

/**
 * Parses the role ARNs a tenant may name in `aws.role_arn` (`MIRROR_ALLOWED_ROLE_ARNS`).
 *
 * @param csv - Comma-separated IAM role ARNs, or the contract's `NO_ROLES` (`none`).
 * @returns The ARNs; `[]` for `none` (every `role_arn` refused, the mirror's own role still
 *   allowed); `undefined` when `csv` is unset or empty: no restriction, for local use only.
 * @throws RemoteMirrorError (500, "Mirror misconfigured") naming the bad entry's position.
 * @example
 * parseAllowedRoles('none') // []
 */
export function parseAllowedRoles(csv: string | undefined): string[] | undefined {
  const parsed = parseRoleList(csv);
  if (!parsed.ok) throw misconfigured(parsed.problem);
  return parsed.value;
}

/**
 * Refuses, before any call to STS, a role the tenant may not assume. Exact match only.
 *
 * @param roleArn - `connectionDetails.aws.role_arn`; `undefined` means the mirror's own
 *   execution role, which is always allowed (IAM limits what it reaches).
 * @param allowed - From {@link parseAllowedRoles}; `undefined` allows every role (local use).
 * @throws MetricStoreConnectionError `'refused'` (403) saying how to allow the role.
 */
export function checkRoleAllowed(roleArn: string | undefined, allowed: string[] | undefined): void {
  if (roleArn === undefined || allowed === undefined) return;
  if (allowed.includes(roleArn)) return;
  const shown = isRoleArn(roleArn) ? `The role ${roleArn}` : 'The role_arn in the connection details';
  throw new MetricStoreConnectionError('refused', `${shown} is not among this mirror's allowed roles. ${HOW_TO_ALLOW_ROLE}`);
}

function sameStore(target: StoreUrl, entry: AllowedUrl): boolean {
  // `base` is the normal form written out from scheme, host, port and path: equal bases, equal stores
  return target.base === entry.base;
}
