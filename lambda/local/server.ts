import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV } from '../contract/index.js';
import { localContext, toApiGatewayEvent } from './api-gateway-event.js';
import { answerClientError, BODY_TIMEOUT_MS, readBody, sendJson } from './body.js';
import { installSelfMetrics, serveSelfMetrics } from './self-metrics.js';

/**
 * `npm start`: the Lambda handler behind a local HTTP server, configured by the same
 * environment variables the function reads. Loopback only unless HOST says otherwise.
 */
const port = Number(process.env.PORT ?? 7007);
const host = process.env.HOST ?? '127.0.0.1';

if (!process.env[ENV.apiKey] && !process.env[ENV.apiKeySecretArn]) {
  process.env[ENV.apiKey] = localApiKey(process.env[ENV.localKeyFile] ?? '.cache/local-api-key');
}
if (!process.env[ENV.allowedUrls]) {
  console.error(`${ENV.allowedUrls} is not set: any store URL is allowed (local use only).`);
}
if (!process.env[ENV.callerToken]) {
  console.error(`${ENV.callerToken} is not set: callers are not checked (local use only).`);
}
const { handler } = await import('../handler.js');
const { playground } = await import('./playground/routes.js');
const playgroundRoute = playground(handler);
const selfMetrics = installSelfMetrics();

const server = createServer(async (req, res) => {
  if (serveSelfMetrics(req, res, selfMetrics)) return;
  try {
    const read = await readBody(req);
    if (!read.ok) {
      sendJson(res, read.status, { _type: 'RemoteMirrorError', summary: read.summary, details: read.details }, read.close);
      return;
    }
    const body = read.body;
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
    if (res.headersSent) res.destroy();
    else sendJson(res, 500, { _type: 'RemoteMirrorError', summary: 'Internal error', details: 'The local server failed.' });
  }
});
// bodies are timed by readBody; what Node's parser refuses still gets typed JSON
server.requestTimeout = 0;
server.headersTimeout = BODY_TIMEOUT_MS;
server.on('clientError', answerClientError);

server.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.error(
    `StackState mirror listening on http://${host}:${bound} (POST api/connection, api/field/name, api/field/value, api/metric)`,
  );
  console.error(`Playground: http://${host}:${bound}/`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
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
