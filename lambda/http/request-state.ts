import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { credentialCacheStats } from '../aws/amp-transport.js';
import type { MirrorError } from '../errors.js';
import { newInvocation, type Invocation } from '../app/invocation.js';
import type { MirrorCall } from '../app/routes.js';

/** What the middlewares learn about one request and hand to each other and to the handler. */
export interface RequestState {
  readonly startedMs: number;
  readonly invocation: Invocation;
  /** The credential cache's counters when the request came in, for the log's per-request figures. */
  readonly cacheBefore: { hits: number; misses: number };
  call?: MirrorCall;
  apiKey?: string | undefined;
  callerToken?: string | undefined;
  /** True once the caller token matched, or when the deployment has none (local use). */
  callerVerified: boolean;
  /** The error the answer reports, once mapped. */
  error?: MirrorError;
  /** The body, once parsed (see `parsedBody`): its value, or the parser's error. */
  body?: ParsedBody;
}

/** What parsing the body gave: the JSON value, or the error to answer with. */
export type ParsedBody = { value: unknown } | { error: unknown };

/** The Lambda context of one request, carrying its {@link RequestState}. */
export type MirrorContext = Context & { mirror?: RequestState };

export type MirrorRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, MirrorContext>;
export type MirrorMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, MirrorContext>;

/** The state of this request; the `requestState` middleware must come first in the chain. */
export function stateOf(context: MirrorContext): RequestState {
  if (context.mirror === undefined) throw new Error('the requestState middleware is not first in the chain');
  return context.mirror;
}

/**
 * Opens the request's state on its context (one context per invocation, so no state outlives
 * its request): start time, the invocation with its deadline and counters, cache figures.
 */
export function requestState(): MirrorMiddleware {
  return {
    before: (request) => {
      const context = request.context;
      const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
      context.mirror = {
        startedMs: Date.now(),
        callerVerified: false,
        invocation: newInvocation(context?.awsRequestId ?? 'local', remaining),
        cacheBefore: credentialCacheStats(),
      };
    },
  };
}
