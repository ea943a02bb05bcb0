import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { UpstreamRequest } from '../upstream/transport.js';
import type { AwsCredentials } from './credential-cache.js';

/** Headers the signer writes itself: one given by the caller is dropped, never signed twice. */
const SIGNER_OWNED = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);

/** Sent with every AMP request, added after signing (user-agent is never signed). */
export const MIRROR_USER_AGENT = 'stackstate-amp-mirror';

/**
 * Signs one request with AWS Signature Version 4 — the only place the project touches
 * `@smithy/signature-v4`, whose API calls itself internal.
 *
 * Signs exactly what is sent: the method, the path, every query parameter including repeated
 * keys (`match[]=a&match[]=b`), the `host` the URL names, the other headers present, and the
 * SHA-256 of the body. The query string of the returned URL is rewritten in SigV4's encoding
 * (RFC 3986, `%20` for a space) with the parameters in their original order, so no server can
 * read it differently from what was signed. Other headers (`content-type`, `x-amz-target`) are
 * signed as given; the signer's own (`authorization`, `x-amz-date`, …) are dropped and rewritten. `host` is signed as `url.host` and left out of the
 * returned headers (fetch sets it from the URL, and ignores one given); `user-agent` is added
 * after signing.
 *
 * @param service - The signing name. @default 'aps'
 * @param signingDate - Fixed in tests; the current time otherwise.
 * @returns A new request, the same but for its URL and headers (`stream` and `maxBytes` kept);
 *   the argument is not changed.
 */
export async function signRequest(
  request: UpstreamRequest,
  credentials: AwsCredentials,
  region: string,
  service = 'aps',
  signingDate?: Date,
): Promise<UpstreamRequest> {
  const url = new URL(request.url.href);
  const pairs = [...url.searchParams];
  url.search = pairs.map(([k, v]) => `${sigV4Escape(k)}=${sigV4Escape(v)}`).join('&');

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'host' || SIGNER_OWNED.has(lower)) continue;
    headers[lower] = value;
  }
  headers.host = url.host;

  const query: Record<string, string | string[]> = {};
  for (const [key, value] of pairs) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }

  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken !== undefined ? { sessionToken: credentials.sessionToken } : {}),
    },
    region,
    service,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    }),
    signingDate ? { signingDate } : {},
  );

  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() !== 'host') out[name.toLowerCase()] = String(value);
  }
  out['user-agent'] = MIRROR_USER_AGENT;
  // everything but the URL and headers as given: the body, and how the answer is read (stream, byte cap)
  return { ...request, url, headers: out };
}

/** SigV4's URI encoding: every byte except unreserved characters (A-Z a-z 0-9 - _ . ~) as %XX. */
export function sigV4Escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
