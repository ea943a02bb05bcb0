import { MetricStoreConnectionError } from '../errors.js';
import { misconfigured } from './misconfigured.js';
import {
  type AllowedUrl,
  hasControl,
  normaliseUrl,
  parseAllowedUrlList,
  parseRoleList,
  ROLE_ARN,
} from '../contract/index.js';

export type { AllowedUrl } from '../contract/index.js';
export { NO_ROLES } from '../contract/index.js';

/** Where an operator changes the list; part of every refusal message. */
const HOW_TO_ALLOW_URL =
  "To allow it, add the workspace URL to this tenant's allowedWorkspaceUrls in the mirror's config " +
  '(config/tenants.json) and redeploy its stack (locally: MIRROR_ALLOWED_URLS).';
const HOW_TO_ALLOW_ROLE =
  "To allow it, add the role ARN to this tenant's allowedRoleArns in the mirror's config " +
  '(config/tenants.json) and redeploy its stack (locally: MIRROR_ALLOWED_ROLE_ARNS).';

/** Longest piece of caller input a message quotes. */
const MAX_QUOTE = 200;

/**
 * Parses the allowed metric store URLs (`MIRROR_ALLOWED_URLS`, comma-separated) with the
 * contract's parser (the stack checks the same rules at synth).
 *
 * @param csv - Comma-separated absolute `http(s)` URLs without user info, query or fragment.
 * @returns The normalised entries, or `undefined` when `csv` is unset or empty: no
 *   restriction, for local use only.
 * @throws RemoteMirrorError (500, "Mirror misconfigured") naming the bad entry's position.
 * @example
 * parseAllowedUrls('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/')
 * // [{ scheme: 'https:', host: 'aps-workspaces.eu-west-1.amazonaws.com', port: 443, path: '/workspaces/ws-1' }]
 */
export function parseAllowedUrls(csv: string | undefined): AllowedUrl[] | undefined {
  const parsed = parseAllowedUrlList(csv);
  if (!parsed.ok) throw misconfigured(parsed.problem);
  return parsed.value;
}

/**
 * Refuses, before any network call, a metric store URL that is not among the allowed ones.
 *
 * @param url - `connectionDetails.url` as the caller sent it.
 * @param allowed - From {@link parseAllowedUrls}; `undefined` allows everything (local use).
 * @throws MetricStoreConnectionError `'refused'` (403) saying why and how to allow the URL.
 *   The message never repeats user info, query or fragment of the URL.
 */
export function checkUrlAllowed(url: string, allowed: AllowedUrl[] | undefined): void {
  if (allowed === undefined) return;
  const problem = requestUrlProblem(url);
  if (problem !== undefined) {
    throw new MetricStoreConnectionError(
      'refused',
      `The connection details URL is not among this mirror's allowed workspaces: ${problem}. ${HOW_TO_ALLOW_URL}`,
    );
  }
  const target = normaliseUrl(new URL(url));
  if (!allowed.some((entry) => matches(target, entry))) {
    throw new MetricStoreConnectionError(
      'refused',
      `The URL ${display(target)} is not among this mirror's allowed workspaces. ${HOW_TO_ALLOW_URL}`,
    );
  }
}

/**
 * Parses the role ARNs a tenant may name in `aws.role_arn` (`MIRROR_ALLOWED_ROLE_ARNS`).
 *
 * @param csv - Comma-separated IAM role ARNs, or {@link NO_ROLES} (`none`).
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
  const shown = ROLE_ARN.test(roleArn) ? `The role ${roleArn}` : 'The role_arn in the connection details';
  throw new MetricStoreConnectionError(
    'refused',
    `${shown} is not among this mirror's allowed roles. ${HOW_TO_ALLOW_ROLE}`,
  );
}

/** Why a request URL cannot be allowed whatever the list holds, or `undefined`. */
function requestUrlProblem(url: string): string | undefined {
  if (url.length > 2048) return 'it is too long';
  if (hasControl(url) || /\s/.test(url)) return 'it contains whitespace or control characters';
  if (url.includes('\\')) return 'it contains a backslash';
  if (!URL.canParse(url)) return 'it is not an absolute URL';
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'it is not an http(s) URL';
  if (parsed.username !== '' || parsed.password !== '' || authority(url).includes('@')) {
    return 'it contains user info (user@host)';
  }
  if (url.includes('?') || url.includes('#')) return 'it contains a query or fragment';
  if (/%(?:2e|2f|5c)/i.test(url)) return 'it contains an encoded dot, slash or backslash';
  return undefined;
}

function matches(target: AllowedUrl, entry: AllowedUrl): boolean {
  if (target.scheme !== entry.scheme || target.host !== entry.host || target.port !== entry.port) return false;
  return target.path === entry.path || target.path.startsWith(`${entry.path}/`);
}

/** The part between `//` and the first `/`, for spotting `user@` that the parser might hide. */
function authority(url: string): string {
  const afterScheme = url.slice(url.indexOf('//') + 2);
  const end = afterScheme.search(/[/?#]/);
  return end === -1 ? afterScheme : afterScheme.slice(0, end);
}

function display(url: AllowedUrl): string {
  const text = `${url.scheme}//${url.host}:${url.port}${url.path}`;
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text;
}
