import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mirrorConfig } from '../app/config.js';
import { writeRequestLog } from '../app/request-log.js';
import { credentialCacheStats } from '../aws/amp-transport.js';
import { DomainError } from '../domain/errors.js';
import { MetricStoreConnectionError, MirrorError } from '../errors.js';
import { stateOf, type MirrorMiddleware, type MirrorRequest } from './request-state.js';

/**
 * One log line per request, after everything else has shaped the answer (so it comes first in
 * the chain: middy runs `after` and `onError` in reverse order). An unexpected error also gets
 * its class and stack (never its message, which may hold data) on stderr for the operator.
 */
export function requestLog(): MirrorMiddleware {
  return {
    after: (request) => log(request),
    onError: (request) => log(request),
  };
}

function log(request: MirrorRequest): void {
  const state = stateOf(request.context);
  const response = request.response;
  const status = response?.statusCode ?? 200;
  const error = state.error;
  const outcome = error !== undefined ? 'error' : state.call === 'connection' ? outcomeOf(response) : 'ok';
  const stats = credentialCacheStats();
  let tenant = 'unknown';
  try {
    tenant = mirrorConfig().tenant;
  } catch {
    // a malformed allow-list is reported as the request's error; the log line still goes out
  }
  writeRequestLog({
    requestId: state.invocation.requestId,
    tenant,
    call: state.call ?? 'unknown',
    status,
    outcome,
    errorType: error?.errorType ?? (outcome === 'failure' ? 'MetricStoreConnectionError' : undefined),
    failure: error instanceof MetricStoreConnectionError ? error.failure : undefined,
    latencyMs: Date.now() - state.startedMs,
    upstreamCalls: state.invocation.stats.upstreamCalls,
    upstreamMs: state.invocation.stats.upstreamMs,
    credentialCacheHits: stats.hits - state.cacheBefore.hits,
    credentialCacheMisses: stats.misses - state.cacheBefore.misses,
    samplesProcessed: state.invocation.stats.samplesProcessed,
    cacheHits: state.invocation.stats.cacheHits,
    cacheMisses: state.invocation.stats.cacheMisses,
  });
  if (error && error.status >= 500 && request.error && !(request.error instanceof MirrorError) && !(request.error instanceof DomainError)) {
    const unexpected = request.error;
    process.stderr.write(
      `${JSON.stringify({ requestId: state.invocation.requestId, unexpected: unexpected.name, stack: unexpected.stack?.split('\n').slice(1, 6).join(' | ') })}\n`,
    );
  }
}

/** Test connection answers FAILURE with a 200; no other call's answer can say so, so only its body is searched. */
function outcomeOf(response: APIGatewayProxyStructuredResultV2 | null | undefined): 'ok' | 'failure' {
  return typeof response?.body === 'string' && response.body.includes('"status":"FAILURE"') ? 'failure' : 'ok';
}
