import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import { localContext, toApiGatewayEvent } from './api-gateway-event.js';
import { installSelfMetrics, serveSelfMetrics } from './self-metrics.js';

/**
 * `npm start`: the Lambda handler behind a local HTTP server, configured by the same
 * environment variables the function reads. Loopback only unless HOST says otherwise.
 */
const MAX_BODY_BYTES = 1024 * 1024;
const port = Number(process.env.PORT ?? 7007);
const host = process.env.HOST ?? '127.0.0.1';

if (!process.env.MIRROR_API_KEY && !process.env.MIRROR_API_KEY_SECRET_ARN) {
  process.env.MIRROR_API_KEY = localApiKey(process.env.MIRROR_LOCAL_KEY_FILE ?? '.cache/local-api-key');
}
if (!process.env.MIRROR_ALLOWED_URLS) {
  console.error('MIRROR_ALLOWED_URLS is not set: any store URL is allowed (local use only).');
}
if (!process.env.MIRROR_CALLER_TOKEN) {
  console.error('MIRROR_CALLER_TOKEN is not set: callers are not checked (local use only).');
}
const { handler } = await import('../handler.js');
const { playground } = await import('./playground/routes.js');
const playgroundRoute = playground(handler);
const selfMetrics = installSelfMetrics();

const server = createServer(async (req, res) => {
  if (serveSelfMetrics(req, res, selfMetrics)) return;
  try {
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ _type: 'RemoteMirrorError', summary: 'Request too large', details: 'The body is over 1 MiB.' }));
      return;
    }
    if (await playgroundRoute(req, res, body)) return;
    const event = toApiGatewayEvent({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    });
    const result = await handler(event, localContext());
    res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    res.end(result.body ?? '');
  } catch (error) {
    console.error('local server:', error instanceof Error ? error.name : 'error');
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ _type: 'RemoteMirrorError', summary: 'Internal error', details: 'The local server failed.' }));
  }
});

server.listen(port, host, () => {
  console.error(`StackState mirror listening on http://${host}:${port} (POST api/connection, api/field/name, api/field/value, api/metric)`);
  console.error(`Playground: http://${host}:${port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The same local API key on every `npm start`, so StackState's "Api Key" keeps working: made
 * up once and kept in a git-ignored file (mode 600). MIRROR_API_KEY, when set, wins.
 */
function localApiKey(file: string): string {
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (/^[\w-]{16,200}$/.test(kept)) {
      console.error(`MIRROR_API_KEY is not set: using ${kept} from ${file} (StackState's "Api Key"; delete the file for a new one).`);
      return kept;
    }
  } catch {
    // no key kept yet
  }
  const key = randomBytes(16).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  console.error(`MIRROR_API_KEY is not set: made up ${key} and kept it in ${file} for the next runs (StackState's "Api Key").`);
  return key;
}
