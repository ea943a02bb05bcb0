import { MetricStoreConnectionError } from '../errors.js';
import type { UpstreamRequest } from './transport.js';

/** A failed request as a typed error that says what failed (the transport and its body reader). */
export function networkError(request: UpstreamRequest, error: unknown): MetricStoreConnectionError {
  const where = request.url.origin;
  if (request.signal.aborted || isAbort(error)) {
    return new MetricStoreConnectionError(
      'timeout',
      `No answer from ${where} in time. Raise request_timeout_seconds, narrow the query, or check that the store is reachable from the mirror.`,
      undefined,
      { cause: error },
    );
  }
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new MetricStoreConnectionError(
      'dns',
      `The host name ${request.url.hostname} does not resolve. Check the url in the Connection Details (for AMP: https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace id>).`,
      undefined,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new MetricStoreConnectionError(
      'network',
      `Cannot connect to ${where} (${code}). Check the url and that the store accepts connections from the mirror.`,
      undefined,
      { cause: error },
    );
  }
  if (code !== undefined && /CERT|SSL|TLS/.test(code)) {
    return new MetricStoreConnectionError('network', `The TLS handshake with ${where} failed (${code}).`, undefined, { cause: error });
  }
  return new MetricStoreConnectionError('network', `The request to ${where} failed${code ? ` (${code})` : ''}.`, undefined, {
    cause: error,
  });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** undici wraps the system error in `cause`. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
