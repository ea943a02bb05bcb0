import { ok, problem, type Parsed } from './parsed.js';

/**
 * A metric store's base URL in its one normal form: what the allowlist compares and the only
 * thing request URLs are built from (by appending `/api/v1/<endpoint>`, never by resolving).
 */
export interface StoreUrl {
  /** `http:` or `https:`. */
  readonly scheme: 'http:' | 'https:';
  /** Lower-case host name, IPv4 address or bracketed IPv6 address, exactly as written. */
  readonly host: string;
  /** The port, explicit even where the URL left it out (443 / 80). */
  readonly port: number;
  /** `''` for the root, else `/seg/seg`: no trailing slash, no `/api/v1` suffix. */
  readonly path: string;
  /** `scheme//host[:port]path`, the default port left out: the text requests are built on. */
  readonly base: string;
}

/** Longest `connectionDetails.url` the mirror reads at all. */
export const MAX_STORE_URL_LENGTH = 2048;
/** Longest piece of caller input a message quotes. */
const MAX_QUOTE = 200;
/** Characters of a path segment: RFC 3986's unreserved set. No `%`, `;`, `@`, `\`, `?`, `#`. */
const SEGMENT_CHAR = /^[A-Za-z0-9._~-]$/;

/**
 * Reads `connectionDetails.url` strictly and once. Accepted: `http(s)://host[:port][/seg…][/]`,
 * optionally followed by `/api/v1[/]`, where every segment is unreserved characters and not
 * made of dots only, and the host is written as the URL parser would write it. Everything a
 * parser, a proxy or a store could read differently is refused instead of normalised: empty
 * segments (`//`), dot segments, percent-encoding of any kind (`%2e`, `%252e`, `%2f`…), `;`
 * parameters, backslashes, user info, query, fragment, whitespace, non-ASCII, numeric or
 * shortened host forms (`2130706433`, `127.1`, `[::ffff:7f00:1]` unless written so).
 *
 * Linear in the input, and the length is checked before anything else looks at it.
 *
 * @returns The normal form, or the problem in a few words (never quoting user info).
 */
export function readStoreUrl(raw: string): Parsed<StoreUrl> {
  try {
    return ok(strictStoreUrl(raw));
  } catch (error) {
    if (error instanceof Refusal) return problem(error.why);
    throw error;
  }
}

function strictStoreUrl(raw: string): StoreUrl {
  if (raw.length > MAX_STORE_URL_LENGTH) refuse(`it is longer than ${MAX_STORE_URL_LENGTH} characters`);
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) refuse('it contains whitespace, control or non-ASCII characters');
    const problem = FORBIDDEN[raw[i] as string];
    if (problem !== undefined) refuse(problem);
  }
  const lower = raw.slice(0, 8).toLowerCase();
  const scheme = lower.startsWith('https://') ? 'https:' : lower.startsWith('http://') ? 'http:' : undefined;
  if (scheme === undefined) refuse('it is not an absolute http:// or https:// URL');
  const rest = raw.slice(scheme.length + 2);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const { host, port } = parseAuthority(authority, scheme);
  const path = parsePath(slash === -1 ? '' : rest.slice(slash));
  const defaultPort = scheme === 'https:' ? 443 : 80;
  const base = `${scheme}//${host}${port === defaultPort ? '' : `:${port}`}${path}`;
  // the WHATWG parser must read the normal form back unchanged: no host or path rewriting
  const parsed = URL.canParse(base) ? new URL(base) : undefined;
  if (
    parsed === undefined ||
    parsed.hostname !== host ||
    `${parsed.protocol}//${parsed.host}` !== base.slice(0, base.length - path.length)
  ) {
    refuse(`its host ${quote(host)} is not written in its normal form`);
  }
  if (parsed.pathname !== (path === '' ? '/' : path)) refuse('its path is not in its normal form');
  return { scheme, host, port, path, base };
}

/** `scheme//host:port/path` with the port always shown, for messages. */
export function displayStoreUrl(url: StoreUrl): string {
  return quote(`${url.scheme}//${url.host}:${url.port}${url.path}`);
}

const FORBIDDEN: Record<string, string> = {
  '\\': 'it contains a backslash',
  '@': 'it contains user info (user@host)',
  '?': 'it contains a query',
  '#': 'it contains a fragment',
  '%': 'it contains percent-encoded characters',
  ';': 'it contains a ";" parameter',
};

function parseAuthority(authority: string, scheme: 'http:' | 'https:'): { host: string; port: number } {
  let hostText: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) refuse('its IPv6 host has no closing "]"');
    hostText = authority.slice(0, close + 1);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) refuse('it has text after its IPv6 host');
    portText = after === '' ? undefined : after.slice(1);
    if (!/^\[[0-9a-fA-F:.]{2,45}\]$/.test(hostText)) refuse('its IPv6 host is not an IPv6 address');
  } else {
    const colon = authority.indexOf(':');
    hostText = colon === -1 ? authority : authority.slice(0, colon);
    portText = colon === -1 ? undefined : authority.slice(colon + 1);
    if (hostText.length > 253 || !/^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*$/.test(hostText)) {
      refuse('its host is not a host name or address');
    }
  }
  let port = scheme === 'https:' ? 443 : 80;
  if (portText !== undefined) {
    if (!/^[1-9]\d{0,4}$/.test(portText) || Number(portText) > 65_535) refuse('its port is not a number from 1 to 65535');
    port = Number(portText);
  }
  return { host: hostText.toLowerCase(), port };
}

/** `''` or `/seg/seg`: one trailing slash and a trailing `/api/v1` dropped, every segment checked. */
function parsePath(text: string): string {
  if (text === '' || text === '/') return '';
  const segments = text.slice(1).split('/');
  if (segments[segments.length - 1] === '') segments.pop();
  for (const segment of segments) {
    if (segment === '') refuse('its path has an empty segment ("//")');
    let dotsOnly = true;
    for (const char of segment) {
      if (!SEGMENT_CHAR.test(char)) refuse(`its path has the character ${quote(char)} (allowed: letters, digits and - . _ ~)`);
      if (char !== '.') dotsOnly = false;
    }
    if (dotsOnly) refuse('its path has a dot segment ("." or "..")');
  }
  if (segments.length >= 2 && segments[segments.length - 2] === 'api' && segments[segments.length - 1] === 'v1') {
    segments.length -= 2;
  }
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

/** Thrown inside the reader only; {@link readStoreUrl} turns it into a problem. */
class Refusal {
  constructor(readonly why: string) {}
}

function refuse(why: string): never {
  throw new Refusal(why);
}

function quote(text: string): string {
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text;
}
