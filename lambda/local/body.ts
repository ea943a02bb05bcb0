import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ENV } from '../contract/index.js';

/**
 * The local server's side of HTTP that API Gateway does in Lambda: bounded bodies, bounded time
 * to send them, and a typed JSON answer for everything, so a client never sees a reset.
 */

/** Largest body handed to the handler (Lambda's own limit is 6 MB; StackState sends a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this, an oversized body is no longer read to its end: 413, then the connection closes. */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
/** Time for a whole body to arrive (`MIRROR_LOCAL_BODY_TIMEOUT_MS`, default 10 s). */
export const BODY_TIMEOUT_MS = positive(process.env[ENV.localBodyTimeoutMs]) ?? 10_000;

export type BodyResult = { ok: true; body: string } | { ok: false; status: number; summary: string; details: string; close: boolean };

/**
 * Reads the request body. An oversized one is read to its end without keeping it (so the client
 * gets the 413 and the connection stays usable) unless it passes {@link MAX_DRAIN_BYTES}; a body
 * slower than {@link BODY_TIMEOUT_MS} or broken off gets a typed 4xx and the connection closes.
 */
export function readBody(req: IncomingMessage, timeoutMs = BODY_TIMEOUT_MS): Promise<BodyResult> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(
      () => finish(refusal(408, 'Request timeout', `The body did not arrive within ${timeoutMs} ms.`, true)),
      timeoutMs,
    );
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAIN_BYTES) return finish(tooLarge(true));
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) finish(tooLarge(true));
      else if (size <= MAX_BODY_BYTES) parts.push(chunk);
      else parts.length = 0;
    });
    req.on('end', () => finish(size > MAX_BODY_BYTES ? tooLarge(false) : { ok: true, body: Buffer.concat(parts).toString('utf8') }));
    const broken = () => finish(refusal(400, 'Broken request', 'The body could not be read to its end.', true));
    req.on('error', broken);
    req.on('close', broken);
  });
}

/** Writes a typed JSON answer; with `close`, the connection ends after it (the body was not read to its end). */
export function sendJson(res: ServerResponse, status: number, body: object, close = false): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

/**
 * For `server.on('clientError')`: what Node's parser refuses before a request exists (bad request
 * line, headers too large or too slow) still gets a typed JSON answer, then the connection closes.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, details] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request headers did not arrive in time.']
        : [400, 'Bad Request', 'The request is not valid HTTP/1.1.'];
  const text = JSON.stringify({ _type: 'RemoteMirrorError', summary: reason, details });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

function tooLarge(close: boolean): BodyResult {
  return refusal(413, 'Request too large', `The body is over ${MAX_BODY_BYTES} bytes (1 MiB).`, close);
}

function refusal(status: number, summary: string, details: string, close: boolean): BodyResult {
  return { ok: false, status, summary, details, close };
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
