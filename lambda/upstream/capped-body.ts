import { MetricStoreConnectionError } from '../errors.js';
import { networkError } from './network-error.js';
import type { UpstreamRequest } from './transport.js';
import { AnswerTooLargeError, ERROR_BODY_BYTES } from './upstream-limits.js';

/** A 2xx answer is data for the caller; any other is read only for its message. */
function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Whether a transport hands this answer over as `stream` rather than reading it into `body`. */
export function streamsAnswer(request: UpstreamRequest, status: number): boolean {
  return request.stream === true && request.headBytes === undefined && isSuccess(status);
}

/**
 * Reads an answer's body under its byte cap. A successful
 * answer longer than `request.maxBytes` is an AnswerTooLargeError; an error answer is cut to
 * ERROR_BODY_BYTES (only its message matters), a multi-byte character cut in two becoming U+FFFD.
 * With `request.headBytes` any answer is cut there (and an error answer at ERROR_BODY_BYTES if sooner).
 * Nothing past the cap is read: leaving the loop early ends `chunks` (the `IncomingMessage` is
 * destroyed), which drops the connection. A failure while reading is a
 * typed network error.
 *
 * @param chunks - The body as it arrives (a source may throw its failures already typed).
 */
export async function readCappedBody(chunks: AsyncIterable<Uint8Array>, status: number, request: UpstreamRequest): Promise<string> {
  const limit = isSuccess(status) ? (request.maxBytes ?? Number.POSITIVE_INFINITY) : ERROR_BODY_BYTES;
  const strict = isSuccess(status) && request.headBytes === undefined;
  const cap = Math.min(limit, request.headBytes ?? Number.POSITIVE_INFINITY);
  const parts: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      if (bytes + chunk.byteLength > cap) {
        if (strict) throw new AnswerTooLargeError(request.url.origin, cap);
        parts.push(chunk.subarray(0, cap - bytes));
        bytes = cap;
        break;
      }
      parts.push(chunk);
      bytes += chunk.byteLength;
    }
  } catch (error) {
    if (error instanceof AnswerTooLargeError || error instanceof MetricStoreConnectionError) throw error;
    throw networkError(request, error);
  }
  return new TextDecoder().decode(Buffer.concat(parts, bytes));
}
