import httpJsonBodyParser from '@middy/http-json-body-parser';
import { stateOf, type MirrorMiddleware, type MirrorRequest, type ParsedBody } from './request-state.js';

// StackState's content type is not documented: parse JSON whatever it says (prototype-safe)
const parser = httpJsonBodyParser({ disableContentTypeCheck: true });

/**
 * The request's body as middy's JSON body parser reads it (base64 decoded, `__proto__` refused),
 * parsed once per request: the first caller (the credential prefetch, or {@link jsonBody})
 * parses, later ones get the same value, or the same error.
 */
export function parsedBody(request: MirrorRequest): ParsedBody {
  const state = stateOf(request.context);
  if (state.body === undefined) {
    const event = { ...request.event };
    try {
      const pending: unknown = parser.before?.({ ...request, event } as never);
      if (pending instanceof Promise) throw new Error('the JSON body parser is no longer synchronous');
      state.body = { value: event.body };
    } catch (error) {
      state.body = { error };
    }
  }
  return state.body;
}

/**
 * Where the body parser stands in the chain (after the secrets and the route, before the
 * caller token): the parsed body replaces the text, or the parser's error is thrown here.
 */
export function jsonBody(): MirrorMiddleware {
  return {
    before: (request) => {
      const body = parsedBody(request);
      if ('error' in body) throw body.error;
      request.event.body = body.value as string;
    },
  };
}
