import { describe, expect, it } from 'vitest';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { readCappedBody } from '../../../lambda/upstream/capped-body.js';
import type { UpstreamRequest } from '../../../lambda/upstream/transport.js';
import { AnswerTooLargeError, ERROR_BODY_BYTES } from '../../../lambda/upstream/upstream-limits.js';

const request = (maxBytes?: number): UpstreamRequest => ({
  method: 'GET',
  url: new URL('http://store.example:9090/api/v1/labels'),
  headers: {},
  signal: new AbortController().signal,
  ...(maxBytes === undefined ? {} : { maxBytes }),
});

/** A body of the given chunks that records how many were pulled and whether it was ended early. */
function body(...parts: (string | Uint8Array | Error)[]) {
  const seen = { pulled: 0, ended: false };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (const part of parts) {
        seen.pulled++;
        if (part instanceof Error) throw part;
        yield typeof part === 'string' ? Buffer.from(part) : part;
      }
    } finally {
      seen.ended = seen.pulled < parts.length;
    }
  }
  return { chunks: chunks(), seen };
}

describe('the capped body reader both transports use', () => {
  it('reads a successful answer up to maxBytes whole, a character split across chunks intact', async () => {
    const euro = Buffer.from('€'); // 3 bytes
    const { chunks } = body('price: ', euro.subarray(0, 1), euro.subarray(1), ' 10');
    expect(await readCappedBody(chunks, 200, request(13))).toBe('price: € 10');
  });

  it('refuses a successful answer one byte over maxBytes, and reads no further chunk', async () => {
    const { chunks, seen } = body('x'.repeat(10), 'y', 'never pulled');
    const error = await readCappedBody(chunks, 200, request(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnswerTooLargeError);
    expect(seen).toEqual({ pulled: 2, ended: true });
  });

  it('cuts an error answer at ERROR_BODY_BYTES whatever maxBytes says, a cut character becoming U+FFFD', async () => {
    const { chunks, seen } = body('e'.repeat(ERROR_BODY_BYTES - 1), '€', 'never pulled');
    const text = await readCappedBody(chunks, 500, request(10));
    expect(text).toBe(`${'e'.repeat(ERROR_BODY_BYTES - 1)}\uFFFD`);
    expect(seen).toEqual({ pulled: 2, ended: true });
  });

  it('with headBytes cuts a successful answer there instead of refusing it, and reads no further chunk', async () => {
    const { chunks, seen } = body('<!doctype html><title>', 'Portal</title>', 'never pulled');
    const text = await readCappedBody(chunks, 200, { ...request(), headBytes: 25 });
    expect(text).toBe('<!doctype html><title>Por');
    expect(seen).toEqual({ pulled: 2, ended: true });
  });

  it('types a failure while reading as a network error', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const { chunks } = body('{"status":', reset);
    const error = await readCappedBody(chunks, 200, request(100)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricStoreConnectionError);
    expect(error).toMatchObject({ failure: 'network', details: expect.stringContaining('ECONNRESET') });
  });

  it('passes a failure the source already typed through unchanged', async () => {
    const typed = new MetricStoreConnectionError('timeout', 'No answer in time.');
    const { chunks } = body('{', typed);
    expect(await readCappedBody(chunks, 200, request(100)).catch((e: unknown) => e)).toBe(typed);
  });
});
