import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handler } from '../../lambda/handler.js';
import { localContext, toApiGatewayEvent } from '../../lambda/local/api-gateway-event.js';

export interface MirrorAnswer {
  statusCode: number;
  headers: Record<string, string>;
  /** The parsed body (undefined when it is not JSON). */
  json: any;
  body: string;
}

/** The API key tests run the mirror with, unless they set their own. */
export const TEST_API_KEY = 'test-api-key';

/**
 * Sends one request through the real Lambda handler as API Gateway would (HTTP API,
 * payload 2.0). `env` entries are set for this call only (undefined removes a variable).
 * The request log is off unless MIRROR_REQUEST_LOG is set in `env`.
 */
export async function invokeMirror(
  path: string,
  body: unknown,
  env: Record<string, string | undefined> = {},
  options: { method?: string; sourceIp?: string; headers?: Record<string, string> } = {},
): Promise<MirrorAnswer> {
  const settings: Record<string, string | undefined> = { MIRROR_API_KEY: TEST_API_KEY, MIRROR_REQUEST_LOG: 'off', ...env };
  const saved = new Map(Object.keys(settings).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(settings)) setEnv(name, value);
  try {
    const event = toApiGatewayEvent({
      method: options.method ?? 'POST',
      url: path,
      headers: { 'content-type': 'application/json', ...options.headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      sourceIp: options.sourceIp ?? '127.0.0.1',
    });
    const result = (await handler(event, localContext())) as APIGatewayProxyStructuredResultV2;
    const text = result.body ?? '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { statusCode: result.statusCode ?? 200, headers: (result.headers ?? {}) as Record<string, string>, json, body: text };
  } finally {
    for (const [name, value] of saved) setEnv(name, value);
  }
}

/** Only this call's variables are restored afterwards: what the test itself stubbed stays. */
function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
