import { ok, problem, splitList, type Parsed } from './parsed.js';
import { ENV } from './env.js';
import { readStoreUrl, type StoreUrl } from './store-url.js';

/**
 * One allowed metric store, in the normal form of {@link readStoreUrl}: a request URL is
 * allowed when its normal form is exactly this one (scheme, host, port and whole path), so
 * never a sub-path below it. The entry and the request may each end in `/api/v1`.
 */
export type AllowedUrl = StoreUrl;

/**
 * Parses the allowed metric store URLs (`MIRROR_ALLOWED_URLS`, comma-separated; the stack
 * writes `allowedWorkspaceUrls` there) by the rules requests are read by. Per-request
 * matching lives with the runtime (lambda/security/allowlist.ts).
 *
 * @returns The normalised entries, or `undefined` when `csv` is unset or empty (no restriction,
 *   local use only); a problem naming the bad entry's position and never repeating it.
 * @example
 * parseAllowedUrlList('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/')
 * // { ok: true, value: [{ scheme: 'https:', host: 'aps-workspaces.eu-west-1.amazonaws.com', port: 443, path: '/workspaces/ws-1', base: … }] }
 */
export function parseAllowedUrlList(csv: string | undefined): Parsed<AllowedUrl[] | undefined> {
  const entries = splitList(csv);
  if (entries.length === 0) return ok(undefined);
  const urls: AllowedUrl[] = [];
  for (const [index, entry] of entries.entries()) {
    const read = readStoreUrl(entry);
    if (!read.ok) return problem(`${ENV.allowedUrls} entry ${index + 1} is refused: ${read.problem}.`);
    urls.push(read.value);
  }
  return ok(urls);
}
