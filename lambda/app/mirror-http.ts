import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { CallerUnauthorizedError, MetricStoreConnectionError, MirrorError, RemoteMirrorError } from '../errors.js';
import { loadMirrorSecrets } from '../security/secrets.js';
import { credentialCacheStats } from '../aws/amp-transport.js';
import { newInvocation, type Invocation } from './invocation.js';
import { writeRequestLog } from './request-log.js';
import { routeFor, type MirrorCall } from './routes.js';
import { mirrorConfig } from './config.js';
import { checkSourceIp } from '../security/source-ip.js';

export interface MirrorState {
  startedMs: number;
  call?: MirrorCall;
  apiKey?: string;
  callerToken?: string;
  callerVerified: boolean;
  invocation: Invocation;
  cacheBefore: { hits: number; misses: number };
}

type MirrorRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

const states = new WeakMap<object, MirrorState>();

/** The state `mirrorHttp` keeps for one request, found by its event (middy hands the handler only the event). */
export function mirrorStateOf(event: APIGatewayProxyEventV2): MirrorState {
  const state = states.get(event);
  if (!state) throw new Error('mirrorHttp middleware is not in the chain');
  return state;
}

function stateOf(request: MirrorRequest): MirrorState {
  let state = states.get(request.event);
  if (!state) {
    state = {
      startedMs: Date.now(),
      callerVerified: false,
      invocation: newInvocation(request.context?.awsRequestId ?? 'local', remaining(request.context)),
      cacheBefore: credentialCacheStats(),
    };
    states.set(request.event, state);
  }
  return state;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/**
 * The Mirror API's HTTP rules in one middleware: the secrets and the route before the body
 * is read; the `X-MIRROR-API-KEY` header on every answer to an accepted caller; typed error
 * bodies with fitting statuses; a 401 without the key for a caller that has not proven
 * itself; one request log line.
 */
export function mirrorHttp(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  return {
    before: async (request) => {
      const internal = stateOf(request);
      const config = mirrorConfig();
      // the gateway's view of the caller's address, never X-Forwarded-For
      checkSourceIp(request.event.requestContext?.http?.sourceIp, config.allowedSourceCidrs);
      const secrets = await loadMirrorSecrets(process.env, { deadlineMs: internal.invocation.deadlineMs });
      internal.apiKey = secrets.apiKey;
      internal.callerToken = secrets.callerToken;
      if (secrets.callerToken === undefined) internal.callerVerified = true;
      const call = routeFor(request.event.rawPath ?? '/');
      if (!call) {
        throw new RemoteMirrorError(
          'Not found',
          'The mirror answers POST requests to api/connection, api/field/name, api/field/value and api/metric.',
          404,
        );
      }
      internal.call = call;
      const method = request.event.requestContext?.http?.method ?? 'POST';
      if (method !== 'POST') {
        throw new RemoteMirrorError('Method not allowed', `The Mirror API takes POST, not ${method}.`, 405);
      }
    },
    after: async (request) => {
      const internal = stateOf(request);
      const response = request.response ?? { statusCode: 204 };
      response.headers = { ...JSON_HEADERS, ...response.headers, 'x-mirror-api-key': internal.apiKey ?? '' };
      request.response = response;
      log(request, response.statusCode ?? 200, outcomeOf(response));
    },
    onError: async (request) => {
      const internal = stateOf(request);
      const error = request.error;
      const mirrorError = toMirrorError(error, internal);
      const unauthorised =
        mirrorError instanceof CallerUnauthorizedError || (!internal.callerVerified && internal.apiKey !== undefined);
      if (unauthorised) {
        const denied =
          mirrorError instanceof CallerUnauthorizedError
            ? mirrorError
            : new CallerUnauthorizedError('This mirror needs its caller token as "mirror_token" in the Connection Details.');
        request.response = { statusCode: 401, headers: { ...JSON_HEADERS }, body: JSON.stringify(denied.toBody()) };
        log(request, 401, 'error', denied);
        return;
      }
      const headers: Record<string, string> = { ...JSON_HEADERS };
      if (internal.apiKey !== undefined) headers['x-mirror-api-key'] = internal.apiKey;
      request.response = {
        statusCode: mirrorError.status,
        headers,
        body: JSON.stringify(mirrorError.toBody()),
      };
      log(request, mirrorError.status, 'error', mirrorError);
    },
  };
}

function toMirrorError(error: unknown, internal: MirrorState): MirrorError {
  if (error instanceof MirrorError) return error;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // middy's body parser: unreadable JSON, forbidden keys
    return new RemoteMirrorError('Unreadable request', 'The request body is not a valid JSON object.', 400);
  }
  if (internal.apiKey === undefined) {
    return new RemoteMirrorError(
      'Mirror misconfigured',
      `The mirror cannot read its own settings (request ${internal.invocation?.requestId ?? 'unknown'}). See its logs.`,
      500,
    );
  }
  return new RemoteMirrorError(
    'Internal error',
    `The mirror failed unexpectedly (request ${internal.invocation?.requestId ?? 'unknown'}). See its logs.`,
    500,
  );
}

function outcomeOf(response: APIGatewayProxyStructuredResultV2): 'ok' | 'failure' {
  return typeof response.body === 'string' && response.body.includes('"status":"FAILURE"') ? 'failure' : 'ok';
}

function log(request: MirrorRequest, status: number, outcome: 'ok' | 'failure' | 'error', error?: MirrorError): void {
  const internal = stateOf(request);
  const stats = credentialCacheStats();
  const before = internal.cacheBefore ?? stats;
  let tenant = 'unknown';
  try {
    tenant = mirrorConfig().tenant;
  } catch {
    // a malformed allow-list is reported as the request's error; the log line still goes out
  }
  writeRequestLog({
    requestId: internal.invocation?.requestId ?? request.context.awsRequestId ?? 'local',
    tenant,
    call: internal.call ?? 'unknown',
    status,
    outcome,
    errorType: error?.errorType ?? (outcome === 'failure' ? 'MetricStoreConnectionError' : undefined),
    failure: error instanceof MetricStoreConnectionError ? error.failure : undefined,
    latencyMs: Date.now() - (internal.startedMs ?? Date.now()),
    upstreamCalls: internal.invocation?.stats.upstreamCalls ?? 0,
    upstreamMs: internal.invocation?.stats.upstreamMs ?? 0,
    credentialCacheHits: stats.hits - before.hits,
    credentialCacheMisses: stats.misses - before.misses,
  });
  if (error && error.status >= 500 && request.error && !(request.error instanceof MirrorError)) {
    // the unexpected error itself, for the operator: its class and where, not its message (it may hold data)
    process.stderr.write(`${JSON.stringify({ requestId: internal.invocation?.requestId, unexpected: request.error.name, stack: request.error.stack?.split('\n').slice(1, 6).join(' | ') })}\n`);
  }
}

function remaining(context: Context | undefined): number | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
}
