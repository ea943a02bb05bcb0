import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ROUTES } from './app/routes.js';
import { callerToken } from './http/caller-token.js';
import { credentialPrefetch } from './http/credential-prefetch.js';
import { isRestApiEvent, toHttpApiEvent } from './http/rest-api-event.js';
import { errorResponses } from './http/error-responses.js';
import { jsonBody } from './http/json-body.js';
import { requestLog } from './http/request-log.js';
import { requestState, stateOf, type MirrorContext } from './http/request-state.js';
import { route } from './http/route.js';
import { mirrorSecrets } from './http/secrets.js';
import { sourceIpGuard } from './http/source-ip-guard.js';

/**
 * The mirror's Lambda entry point, behind a catch-all route. Takes the REST API's payload 1.0
 * (the deployed edge) and payload 2.0 (`npm start`, tests); the chain works on 2.0. Middy runs `before` top to bottom and
 * `after` / `onError` bottom to top, so the log sees the answer the error mapping made.
 */
const mirror = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, MirrorContext>()
  .use(requestState())
  .use(requestLog())
  .use(errorResponses())
  .use(sourceIpGuard())
  .use(credentialPrefetch())
  .use(mirrorSecrets())
  .use(route())
  .use(jsonBody())
  .use(callerToken())
  .handler(async (event, context) => {
    const { call, invocation } = stateOf(context);
    if (call === undefined) throw new Error('the route middleware is not in the chain');
    const answer = await ROUTES[call].answer(event.body, invocation);
    return { statusCode: 200, body: JSON.stringify(answer) };
  });

export const handler = (
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => mirror(isRestApiEvent(event) ? toHttpApiEvent(event) : event, context as MirrorContext);
