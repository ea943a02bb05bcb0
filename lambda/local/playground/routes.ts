import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { build } from 'esbuild';
import { setNetworkTransport } from '../../app/store.js';
import { httpTransport } from '../../upstream/http-transport.js';
import { localContext, toApiGatewayEvent } from '../api-gateway-event.js';
import { traced, tracingTransport } from './trace.js';

/**
 * The playground of `npm start`: the page at `/`, its script (bundled with esbuild when the
 * server starts, uPlot included from node_modules), its styles, and `POST /playground/call`,
 * which runs one Mirror API call through the same handler and returns the answer exactly as
 * StackState would get it plus the upstream calls it made. Local only: the Lambda never
 * serves any of this, and `/api/*` answers carry no trace.
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const here = dirname(fileURLToPath(import.meta.url));
const pageDir = join(here, 'page');
const uplotDist = dirname(createRequire(import.meta.url).resolve('uplot'));
const CALLS = new Set(['api/connection', 'api/field/name', 'api/field/value', 'api/metric']);
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
};

export interface PlaygroundCallAnswer {
  /** The HTTP status, headers and body StackState would get (the API key's value masked). */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** What the mirror sent upstream for this call. */
  upstream: Awaited<ReturnType<typeof traced>>['calls'];
  ms: number;
}

/**
 * Installs the recording hook on the mirror's network transport and returns the router:
 * it answers the playground's paths and returns false for everything else (the mirror's).
 */
export function playground(handler: Handler) {
  setNetworkTransport(tracingTransport(httpTransport));
  const script = bundle();
  script.catch((error: unknown) => console.error('playground: the page script does not build:', (error as Error).message));

  return async function route(req: IncomingMessage, res: ServerResponse, body: string): Promise<boolean> {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      send(res, 200, 'text/html; charset=utf-8', await readFile(join(pageDir, 'index.html')));
    } else if (req.method === 'GET' && path === '/playground/app.js') {
      send(res, 200, 'text/javascript; charset=utf-8', await script);
    } else if (req.method === 'GET' && path === '/playground/style.css') {
      send(res, 200, 'text/css; charset=utf-8', await readFile(join(pageDir, 'style.css')));
    } else if (req.method === 'GET' && path === '/playground/uplot.css') {
      send(res, 200, 'text/css; charset=utf-8', await readFile(join(uplotDist, 'uPlot.min.css')));
    } else if (req.method === 'POST' && path === '/playground/call') {
      if (!sameOrigin(req)) {
        send(
          res,
          403,
          'application/json',
          JSON.stringify({ error: 'Only the playground page may call this: a JSON POST from its own origin.' }),
        );
        return true;
      }
      const answer = await call(handler, body, req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1');
      send(res, answer.status, 'application/json', JSON.stringify(answer.json));
    } else {
      return false;
    }
    return true;
  };
}

async function call(handler: Handler, text: string, sourceIp: string): Promise<{ status: number; json: unknown }> {
  let parsed: { path?: unknown; request?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { status: 400, json: { error: 'The body must be JSON: {"path": "api/metric", "request": {…}}.' } };
  }
  if (typeof parsed?.path !== 'string' || !CALLS.has(parsed.path)) {
    return { status: 400, json: { error: `path must be one of ${[...CALLS].join(', ')}.` } };
  }
  const event = toApiGatewayEvent({
    method: 'POST',
    url: `/${parsed.path}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(parsed.request ?? null),
    sourceIp,
  });
  const started = Date.now();
  const { result, calls } = await traced(() => handler(event, localContext()));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name.toLowerCase()] = name.toLowerCase() === 'x-mirror-api-key' ? '<the Api Key npm start uses>' : String(value);
  }
  const answer: PlaygroundCallAnswer = {
    status: result.statusCode ?? 200,
    headers,
    body: result.body ?? '',
    upstream: calls,
    ms: Date.now() - started,
  };
  return { status: 200, json: answer };
}

/**
 * Another web site open in the same browser must not drive the store through the playground:
 * a JSON content type forces a CORS preflight (which this server never grants), and an
 * Origin, where the browser sends one, must be the page's own.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const json = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
  const origin = req.headers.origin;
  return json && (origin === undefined || origin === `http://${req.headers.host}`);
}

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [join(pageDir, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS });
  res.end(body);
}
