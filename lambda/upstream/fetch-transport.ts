import { AnswerTooLargeError, ERROR_BODY_BYTES } from './upstream-limits.js';
import { networkError } from './network-error.js';
import type { Transport, UpstreamRequest, UpstreamResponse } from './transport.js';

/**
 * The plain network transport: Node's fetch (undici, keep-alive connections pooled per
 * origin across warm invocations). Network failures become typed errors that say what
 * failed; the caller's AbortSignal is the deadline.
 */
export const fetchTransport: Transport = async (request: UpstreamRequest): Promise<UpstreamResponse> => {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal,
      redirect: 'manual',
    });
  } catch (error) {
    throw networkError(request, error);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const ok = response.status >= 200 && response.status < 300;
  if (ok && request.stream && response.body) {
    const reader = response.body.getReader();
    return {
      status: response.status,
      headers,
      body: '',
      stream: chunks(reader, request),
      cancel: () => void reader.cancel().catch(() => undefined),
    };
  }
  const cap = ok ? (request.maxBytes ?? Number.POSITIVE_INFINITY) : ERROR_BODY_BYTES;
  const body = response.body ? await readCapped(response.body.getReader(), cap, ok, request) : '';
  return { status: response.status, headers, body };
};

/**
 * Reads at most `cap` bytes, then stops reading (the connection is released): over the cap a
 * successful answer is an error, an error answer is simply cut (only its message matters).
 */
async function readCapped(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  cap: number,
  strict: boolean,
  request: UpstreamRequest,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      bytes += value.byteLength;
      if (bytes > cap) {
        void reader.cancel().catch(() => undefined);
        if (strict) throw new AnswerTooLargeError(request.url.origin, cap);
        return text + decoder.decode(value.subarray(0, value.byteLength - (bytes - cap)));
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (error instanceof AnswerTooLargeError) throw error;
    throw networkError(request, error);
  }
}

async function* chunks(reader: ReadableStreamDefaultReader<Uint8Array>, request: UpstreamRequest): AsyncGenerator<Uint8Array> {
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>;
    try {
      next = await reader.read();
    } catch (error) {
      throw networkError(request, error);
    }
    if (next.done) return;
    yield next.value;
  }
}
