import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ROUTES } from './app/routes.js';
import { callerToken } from './http/caller-token.js';
import { errorResponses } from './http/error-responses.js';
import { requestLog } from './http/request-log.js';
import { requestState, stateOf, type MirrorContext } from './http/request-state.js';
import { route } from './http/route.js';
import { mirrorSecrets } from './http/secrets.js';
import { sourceIpGuard } from './http/source-ip-guard.js';

/**
 * The mirror's Lambda entry point (API Gateway HTTP API, payload 2.0, catch-all route).
 * `npm start` serves this same handler locally. Middy runs `before` top to bottom and
 * `after` / `onError` bottom to top, so the log sees the answer the error mapping made.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, MirrorContext>()
  .use(requestState())
  .use(requestLog())
  .use(errorResponses())
  .use(sourceIpGuard())
  .use(mirrorSecrets())
  .use(route())
  // StackState's content type is not documented: parse JSON whatever it says (prototype-safe)
  .use(httpJsonBodyParser({ disableContentTypeCheck: true }))
  .use(callerToken())
  .handler(async (event, context) => {
    const { call, invocation } = stateOf(context);
    if (call === undefined) throw new Error('the route middleware is not in the chain');
    const answer = await ROUTES[call].answer(event.body, invocation);
    return { statusCode: 200, body: JSON.stringify(answer) };
  });
