import { readCappedBody, streamsAnswer } from './capped-body.js';
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
  if (!response.body) return { status: response.status, headers, body: '' };
  const reader = response.body.getReader();
  if (streamsAnswer(request, response.status)) {
    return {
      status: response.status,
      headers,
      body: '',
      stream: chunks(reader, request),
      cancel: () => void reader.cancel().catch(() => undefined),
    };
  }
  return { status: response.status, headers, body: await readCappedBody(chunks(reader, request), response.status, request) };
};

/** The body as it arrives, read failures typed; leaving early cancels it (the connection is dropped). */
async function* chunks(reader: ReadableStreamDefaultReader<Uint8Array>, request: UpstreamRequest): AsyncGenerator<Uint8Array> {
  try {
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
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}
