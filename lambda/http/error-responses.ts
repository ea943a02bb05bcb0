import { InvalidRequestError, QueryTooCostlyError, UnsupportedEngineError } from '../domain/errors.js';
import { CallerUnauthorizedError, MetricStoreConnectionError, MirrorError, RemoteMirrorError } from '../errors.js';
import { stateOf, type MirrorMiddleware, type RequestState } from './request-state.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/**
 * The answer's HTTP shape: JSON headers and `X-MIRROR-API-KEY` on every answer to an accepted
 * caller; typed error bodies with fitting statuses (domain errors mapped here); a 401 without the key for a caller that has
 * not proven itself. The mapped error is left on the request state for the log.
 */
export function errorResponses(): MirrorMiddleware {
  return {
    after: (request) => {
      const state = stateOf(request.context);
      const response = request.response ?? { statusCode: 204 };
      response.headers = { ...JSON_HEADERS, ...response.headers, 'x-mirror-api-key': state.apiKey ?? '' };
      request.response = response;
    },
    onError: (request) => {
      const state = stateOf(request.context);
      const mirrorError = toMirrorError(request.error, state);
      const unauthorised = mirrorError instanceof CallerUnauthorizedError || (!state.callerVerified && state.apiKey !== undefined);
      if (unauthorised) {
        const denied =
          mirrorError instanceof CallerUnauthorizedError
            ? mirrorError
            : new CallerUnauthorizedError('This mirror needs its caller token as "mirror_token" in the Connection Details.');
        state.error = denied;
        request.response = { statusCode: 401, headers: { ...JSON_HEADERS }, body: JSON.stringify(denied.toBody()) };
        return;
      }
      const headers: Record<string, string> = { ...JSON_HEADERS };
      if (state.apiKey !== undefined) headers['x-mirror-api-key'] = state.apiKey;
      state.error = mirrorError;
      request.response = { statusCode: mirrorError.status, headers, body: JSON.stringify(mirrorError.toBody()) };
    },
  };
}

function toMirrorError(error: unknown, state: RequestState): MirrorError {
  if (error instanceof MirrorError) return error;
  // the domain says what is wrong; the edge says it in the Mirror API's terms
  if (error instanceof InvalidRequestError) return new RemoteMirrorError(error.summary, error.details, 400, { cause: error });
  if (error instanceof QueryTooCostlyError) return new RemoteMirrorError(error.summary, error.details, 422, { cause: error });
  if (error instanceof UnsupportedEngineError) {
    return new MetricStoreConnectionError('not-prometheus', error.details, undefined, { cause: error });
  }
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // middy's body parser: unreadable JSON, forbidden keys
    return new RemoteMirrorError('Unreadable request', 'The request body is not a valid JSON object.', 400);
  }
  const requestId = state.invocation.requestId;
  if (state.apiKey === undefined) {
    return new RemoteMirrorError(
      'Mirror misconfigured',
      `The mirror cannot read its own settings (request ${requestId}). See its logs.`,
      500,
    );
  }
  return new RemoteMirrorError('Internal error', `The mirror failed unexpectedly (request ${requestId}). See its logs.`, 500);
}
