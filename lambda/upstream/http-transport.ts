import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { MetricStoreConnectionError } from '../errors.js';
import { networkError } from './network-error.js';
import { readCappedBody, streamsAnswer } from './capped-body.js';
import { AnswerTooLargeError } from './upstream-limits.js';
import type { Transport, UpstreamRequest, UpstreamResponse } from './transport.js';

/**
 * Keep-alive agents in module scope: a warm Lambda reuses its connections (TLS included)
 * across invocations. LIFO hands out the most recently used socket, the one least likely to
 * have been closed by the store while the function was frozen.
 */
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 32, maxFreeSockets: 8, scheduling: 'lifo' as const };
const httpAgent = new HttpAgent(AGENT_OPTIONS);
const httpsAgent = new HttpsAgent(AGENT_OPTIONS);

/**
 * The network transport: `node:http(s)` with keep-alive agents. Measured against Node's
 * `fetch` and undici's Pool (`npm run bench -- transports`): 2-3× less time per call than
 * `fetch`, and undici's Pool, a little faster still, would add ~700 KB to the Lambda bundle.
 * Network failures become typed errors (network-error.ts); the caller's
 * AbortSignal is the deadline; `stream` hands a successful answer over as it arrives, and
 * `maxBytes` stops reading a longer one (error answers are cut to ERROR_BODY_BYTES).
 *
 * A request that fails on a kept-alive socket the store had closed (a stale socket: reset before
 * any answer) is sent once more at once, on a new connection. This transport is the one place
 * that handles it: only here is it known that the socket was a reused one, and a stale socket is
 * no failure of the store, so it must not spend one of withRetries' attempts nor wait a backoff.
 * What fails on the new connection is a real failure, for withRetries to count and retry.
 */
export const httpTransport: Transport = async (request: UpstreamRequest): Promise<UpstreamResponse> => {
  try {
    return await send(request);
  } catch (error) {
    if (!(error instanceof StaleSocketError) || request.signal.aborted) throw typed(request, error);
  }
  dropIdleSockets(request.url.protocol === 'https:' ? httpsAgent : httpAgent);
  try {
    return await send(request);
  } catch (error) {
    throw typed(request, error);
  }
};

function typed(request: UpstreamRequest, error: unknown): Error {
  if (error instanceof AnswerTooLargeError || error instanceof MetricStoreConnectionError) return error;
  return networkError(request, error);
}

class StaleSocketError extends Error {
  constructor(readonly original: unknown) {
    super('a kept-alive connection was closed by the store', { cause: original });
  }
}

/**
 * Destroys the agent's idle sockets, so that the resend opens a new connection (the agent never
 * hands out a destroyed socket) and no later attempt meets another stale one: what closed one
 * idle socket (the function frozen past the store's keep-alive timeout) closed the others,
 * idle at least as long. For another store's idle sockets this costs one new connection.
 */
function dropIdleSockets(agent: HttpAgent): void {
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of [...(sockets ?? [])]) socket.destroy();
  }
}

function send(request: UpstreamRequest): Promise<UpstreamResponse> {
  const https = request.url.protocol === 'https:';
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      request.url,
      { method: request.method, headers, agent: https ? httpsAgent : httpAgent, signal: request.signal },
      (res) => {
        const status = res.statusCode ?? 0;
        if (streamsAnswer(request, status)) {
          resolve({ status, headers: flatHeaders(res), body: '', stream: chunks(res, request), cancel: () => res.destroy() });
          return;
        }
        readCappedBody(res, status, request).then(
          (body) => resolve({ status, headers: flatHeaders(res), body }),
          (error: unknown) => reject(error),
        );
      },
    );
    req.on('error', (error: Error & { code?: string }) => {
      const stale = req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      reject(stale ? new StaleSocketError(error) : error);
    });
    req.end(request.body);
  });
}

async function* chunks(res: IncomingMessage, request: UpstreamRequest): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (error) {
    throw networkError(request, error);
  }
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
