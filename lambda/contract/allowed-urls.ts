import { ok, problem, splitList, type Parsed } from './parsed.js';
import { ENV } from './env.js';

/**
 * One allowed metric store, normalised: a request URL is allowed when it has the same
 * scheme, host and port and its path equals `path` or continues it at a `/` boundary.
 */
export interface AllowedUrl {
  /** `http:` or `https:`. */
  readonly scheme: 'http:' | 'https:';
  /** Lower-case host name (IPv6 in brackets), as the WHATWG URL parser gives it. */
  readonly host: string;
  /** The port, explicit even where the URL left it out (443 / 80). */
  readonly port: number;
  /** The path without trailing slash, dot segments resolved, duplicate slashes collapsed; `''` for the root. */
  readonly path: string;
}

/**
 * Parses the allowed metric store URLs (`MIRROR_ALLOWED_URLS`, comma-separated; the stack
 * writes `allowedWorkspaceUrls` there). Per-request matching lives with the runtime
 * (lambda/security/allowlist.ts) and uses {@link normaliseUrl} too.
 *
 * @returns The normalised entries, or `undefined` when `csv` is unset or empty (no restriction,
 *   local use only); a problem naming the bad entry's position and never repeating it.
 * @example
 * parseAllowedUrlList('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/')
 * // { ok: true, value: [{ scheme: 'https:', host: 'aps-workspaces.eu-west-1.amazonaws.com', port: 443, path: '/workspaces/ws-1' }] }
 */
export function parseAllowedUrlList(csv: string | undefined): Parsed<AllowedUrl[] | undefined> {
  const entries = splitList(csv);
  if (entries.length === 0) return ok(undefined);
  const urls: AllowedUrl[] = [];
  for (const [index, entry] of entries.entries()) {
    const why = allowedUrlProblem(entry);
    if (why !== undefined) return problem(`${ENV.allowedUrls} entry ${index + 1} ${why}.`);
    urls.push(normaliseUrl(new URL(entry)));
  }
  return ok(urls);
}

/** Why one allow-list entry is unusable, or `undefined`. */
export function allowedUrlProblem(entry: string): string | undefined {
  if (/[\s\\]/.test(entry) || hasControl(entry)) return 'contains whitespace or a backslash';
  if (!URL.canParse(entry)) return 'is not an absolute URL';
  const url = new URL(entry);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'is not an http(s) URL';
  if (url.username !== '' || url.password !== '' || entry.includes('@')) return 'must not contain user info';
  if (entry.includes('?') || entry.includes('#')) return 'must not contain a query or fragment';
  return undefined;
}

/** The one normal form of a metric store URL, for allow-list entries and request URLs alike. */
export function normaliseUrl(url: URL): AllowedUrl {
  const scheme = url.protocol === 'http:' ? 'http:' : 'https:';
  const port = url.port === '' ? (scheme === 'https:' ? 443 : 80) : Number(url.port);
  const path = url.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return { scheme, host: url.hostname, port, path };
}

export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
