import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { verifyCallerToken } from '../security/caller-token.js';
import { mirrorTokenOf } from '../protocol/mirror-token.js';
import { testConnection } from './test-connection.js';
import { fieldNames } from './field-names.js';
import { fieldValues } from './field-values.js';
import { metrics } from './metric-values.js';
import type { MirrorState } from './mirror-http.js';

/**
 * The handler proper: proves the caller, then hands the parsed body to the service of the
 * call the path named. Everything else (route, headers, errors, log) is middleware.
 */
export async function dispatch(body: unknown, internal: MirrorState): Promise<APIGatewayProxyStructuredResultV2> {
  if (internal.callerToken !== undefined) {
    verifyCallerToken(mirrorTokenOf(body), internal.callerToken);
    internal.callerVerified = true;
  }
  const inv = internal.invocation;
  let answer: unknown;
  switch (internal.call) {
    case 'connection':
      answer = await testConnection(body, inv);
      break;
    case 'fieldNames':
      answer = await fieldNames(body, inv);
      break;
    case 'fieldValues':
      answer = await fieldValues(body, inv);
      break;
    case 'metrics':
      answer = await metrics(body, inv);
      break;
    default:
      throw new Error('dispatch without a route');
  }
  return { statusCode: 200, body: JSON.stringify(answer) };
}
