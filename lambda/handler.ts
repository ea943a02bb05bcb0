import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { dispatch } from './app/dispatch.js';
import { mirrorHttp, mirrorStateOf } from './app/mirror-http.js';
import { isRestApiEvent, toHttpApiEvent } from './http/rest-api-event.js';

/**
 * The mirror's Lambda entry point, behind a catch-all route. Takes the REST API's payload 1.0
 * (the deployed edge) and the HTTP API's 2.0 (`npm start`, tests); the chain works on 2.0.
 */
const mirror = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(mirrorHttp())
  // StackState's content type is not documented: parse JSON whatever it says (prototype-safe)
  .use(httpJsonBodyParser({ disableContentTypeCheck: true }))
  .handler(async (event) => dispatch(event.body, mirrorStateOf(event)));

export const handler = (
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => mirror(isRestApiEvent(event) ? toHttpApiEvent(event) : event, context);
