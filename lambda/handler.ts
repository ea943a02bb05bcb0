import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { dispatch } from './app/dispatch.js';
import { mirrorHttp, mirrorStateOf } from './app/mirror-http.js';

/**
 * The mirror's Lambda entry point (API Gateway HTTP API, payload 2.0, catch-all route).
 * `npm start` serves this same handler locally.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(mirrorHttp())
  // StackState's content type is not documented: parse JSON whatever it says (prototype-safe)
  .use(httpJsonBodyParser({ disableContentTypeCheck: true }))
  .handler(async (event) => dispatch(event.body, mirrorStateOf(event)));
