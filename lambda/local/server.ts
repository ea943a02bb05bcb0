import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localContext, toApiGatewayEvent } from './api-gateway-event.js';
import { answerClientError, BODY_TIMEOUT_MS, readBody, sendJson } from './body.js';

/**
 * `npm start`: the Lambda handler behind a local HTTP server, configured by the same
 * environment variables the function reads. Loopback only unless HOST says otherwise.
 */
const port = Number(process.env.PORT ?? 7007);
const host = process.env.HOST ?? '127.0.0.1';

if (!process.env.MIRROR_API_KEY && !process.env.MIRROR_API_KEY_SECRET_ARN) {
  process.env.MIRROR_API_KEY = randomBytes(18).toString('base64url');
  console.error(`MIRROR_API_KEY is not set: using ${process.env.MIRROR_API_KEY} for this run (set it to StackState's "Api Key").`);
}
if (!process.env.MIRROR_ALLOWED_URLS) {
  console.error('MIRROR_ALLOWED_URLS is not set: any store URL is allowed (local use only).');
}
if (!process.env.MIRROR_CALLER_TOKEN) {
  console.error('MIRROR_CALLER_TOKEN is not set: callers are not checked (local use only).');
}
const { handler } = await import('../handler.js');

const server = createServer(async (req, res) => {
  try {
    const read = await readBody(req);
    if (!read.ok) {
      sendJson(res, read.status, { _type: 'RemoteMirrorError', summary: read.summary, details: read.details }, read.close);
      return;
    }
    const body = read.body;
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
  console.error(`StackState mirror listening on http://${host}:${bound} (POST api/connection, api/field/name, api/field/value, api/metric)`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
