import type { IncomingHttpHeaders } from 'node:http';
import aws4 from 'aws4';

/** A key the fake services know: its secret, and for temporary keys the token and expiry. */
export interface KnownKey {
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface ReceivedRequest {
  method: string;
  /** The request target as received: path and raw query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type SigV4Check =
  | { ok: true; accessKeyId: string; region: string }
  | { ok: false; problem: SigV4Problem; message: string; accessKeyId?: string };

export type SigV4Problem = 'missing' | 'service' | 'region' | 'unknown-key' | 'token' | 'expired' | 'date' | 'mismatch';

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Headers aws4 adds to a request when they are missing; ignored unless the caller signed them. */
const ADDED_BY_AWS4 = ['host', 'content-type', 'content-length', 'x-amz-security-token', 'x-amz-date'];

/**
 * Verifies a received request's SigV4 `Authorization` header the way an AWS front end does,
 * recomputing the signature with the `aws4` package — an implementation independent of the
 * signer under test. Answers with AWS's own wording for each failure.
 */
export function verifySigV4(
  request: ReceivedRequest,
  expected: { service: string; region?: string },
  lookup: (accessKeyId: string) => KnownKey | undefined,
  nowMs: number = Date.now(),
): SigV4Check {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? AUTH.exec(header) : null;
  if (!match) return { ok: false, problem: 'missing', message: 'Missing Authentication Token' };
  const [, accessKeyId = '', date = '', region = '', service = '', signedList = '', signature = ''] = match;

  if (service !== expected.service) {
    return {
      ok: false,
      problem: 'service',
      accessKeyId,
      message: `Credential should be scoped to correct service: '${expected.service}'. `,
    };
  }
  if (expected.region !== undefined && region !== expected.region) {
    return { ok: false, problem: 'region', accessKeyId, message: 'Credential should be scoped to a valid region. ' };
  }
  const key = lookup(accessKeyId);
  if (!key) return { ok: false, problem: 'unknown-key', accessKeyId, message: 'The security token included in the request is invalid.' };

  const signed = signedList.split(';');
  const token = request.headers['x-amz-security-token'];
  if (key.sessionToken !== undefined && (token !== key.sessionToken || !signed.includes('x-amz-security-token'))) {
    return { ok: false, problem: 'token', accessKeyId, message: 'The security token included in the request is invalid.' };
  }
  if (key.expiration !== undefined && key.expiration.getTime() <= nowMs) {
    return { ok: false, problem: 'expired', accessKeyId, message: 'The security token included in the request is expired' };
  }
  const amzDate = request.headers['x-amz-date'];
  const signedAt = typeof amzDate === 'string' && amzDate.startsWith(date) ? parseAmzDate(amzDate) : undefined;
  if (signedAt === undefined || Math.abs(nowMs - signedAt) > 5 * 60_000) {
    return { ok: false, problem: 'date', accessKeyId, message: 'Signature expired or X-Amz-Date missing.' };
  }

  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = request.headers[name];
    if (value === undefined) {
      return { ok: false, problem: 'mismatch', accessKeyId, message: mismatchText() };
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const extraHeadersToIgnore: Record<string, boolean> = {};
  for (const name of ADDED_BY_AWS4) if (!signed.includes(name)) extraHeadersToIgnore[name] = true;

  const signer = new aws4.RequestSigner(
    {
      method: request.method,
      path: request.url,
      headers,
      body: request.body === '' ? undefined : request.body,
      service,
      region,
      extraHeadersToIgnore,
    } as aws4.Request,
    { accessKeyId, secretAccessKey: key.secretAccessKey },
  );
  // prepareRequest reads X-Amz-Date into the signer before anything uses the date.
  signer.prepareRequest();
  const expectedSignature = signer.signature();
  if (signer.signedHeaders() !== signedList || expectedSignature !== signature) {
    return { ok: false, problem: 'mismatch', accessKeyId, message: mismatchText() };
  }
  return { ok: true, accessKeyId, region };
}

function mismatchText(): string {
  return 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
}

/** `20150830T123600Z` → epoch ms. */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Reads a whole request body as UTF-8. */
export async function readBody(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
