import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * API Gateway REST APIs (the deployed edge, so a resource policy can refuse strangers) send
 * Lambda proxy events in payload format 1.0; the handler works on the HTTP API's 2.0 shape,
 * which the local server builds too. This turns a 1.0 event into that shape.
 */

/** True for a REST API (payload 1.0) event: it names its method at the top, a 2.0 event in `requestContext.http`. */
export function isRestApiEvent(event: unknown): event is APIGatewayProxyEvent {
  if (typeof event !== 'object' || event === null) return false;
  const candidate = event as { httpMethod?: unknown; version?: unknown };
  return typeof candidate.httpMethod === 'string' && candidate.version !== '2.0';
}

/**
 * The 2.0 event for a 1.0 event: the source address API Gateway saw on the connection
 * (`requestContext.identity.sourceIp`, never a header), method, path (without the stage),
 * headers lower-cased with repeated values joined by commas as the HTTP API does, the query
 * string, and the body with its base64 flag unchanged (the body parser decodes it).
 *
 * @example
 * const v2 = toHttpApiEvent(restEvent); // v2.requestContext.http.sourceIp === restEvent.requestContext.identity.sourceIp
 */
export function toHttpApiEvent(event: APIGatewayProxyEvent): APIGatewayProxyEventV2 {
  const context = event.requestContext ?? ({} as Partial<APIGatewayProxyEvent['requestContext']>);
  const headers = joinedHeaders(event.headers, event.multiValueHeaders);
  const rawPath = event.path ?? '/';
  const method = (event.httpMethod ?? context.httpMethod ?? 'POST').toUpperCase();
  const timeEpoch = typeof context.requestTimeEpoch === 'number' ? context.requestTimeEpoch : Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: rawQueryString(event.queryStringParameters, event.multiValueQueryStringParameters),
    headers,
    requestContext: {
      accountId: context.accountId ?? 'unknown',
      apiId: context.apiId ?? 'unknown',
      domainName: context.domainName ?? headers.host ?? 'unknown',
      domainPrefix: context.domainPrefix ?? 'unknown',
      http: {
        method,
        path: rawPath,
        protocol: context.protocol ?? 'HTTP/1.1',
        sourceIp: context.identity?.sourceIp ?? '',
        userAgent: context.identity?.userAgent ?? headers['user-agent'] ?? '',
      },
      requestId: context.requestId ?? 'unknown',
      routeKey: '$default',
      stage: context.stage ?? '$default',
      time: new Date(timeEpoch).toISOString(),
      timeEpoch,
    },
    ...(event.body === null || event.body === undefined ? {} : { body: event.body }),
    isBase64Encoded: event.isBase64Encoded === true,
  };
}

type SingleValues = Record<string, string | undefined> | null | undefined;
type MultiValues = Record<string, string[] | undefined> | null | undefined;

/** Lower-case names; all values of a repeated header, in order, joined by `,`. */
function joinedHeaders(single: SingleValues, multi: MultiValues): Record<string, string> {
  const joined = new Map<string, string[]>();
  const add = (name: string, values: string[]) => {
    const key = name.toLowerCase();
    joined.set(key, [...(joined.get(key) ?? []), ...values]);
  };
  const multiNames = new Set<string>();
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (!Array.isArray(values)) continue;
    multiNames.add(name);
    add(name, values);
  }
  // `headers` holds the last value of each header that `multiValueHeaders` already lists in full
  for (const [name, value] of Object.entries(single ?? {})) {
    if (typeof value === 'string' && !multiNames.has(name)) add(name, [value]);
  }
  return Object.fromEntries([...joined].map(([name, values]) => [name, values.join(',')]));
}

function rawQueryString(single: SingleValues, multi: MultiValues): string {
  const pairs: string[] = [];
  const seen = new Set<string>();
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (!Array.isArray(values)) continue;
    seen.add(name);
    for (const value of values) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  for (const [name, value] of Object.entries(single ?? {})) {
    if (typeof value === 'string' && !seen.has(name)) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return pairs.join('&');
}
