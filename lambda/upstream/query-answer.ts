import { notPrometheusError, upstreamHttpError } from './upstream-errors.js';
import { JsonStreamSyntaxError, PromJsonStream } from './json-stream.js';
import type { UpstreamResponse } from './transport.js';
import { AnswerTooLargeError } from './upstream-limits.js';

/**
 * Called with each series' labels as soon as they are read: throwing stops reading the answer;
 * returning false leaves the series' samples out of the result (they are not kept).
 */
export type OnSeries = (index: number, labels: Record<string, string>) => boolean | void;

export interface QueryAnswerOptions {
  origin: string;
  endpoint: string;
  /** Bytes read at most (AnswerTooLargeError past them). */
  maxBytes: number;
  onSeries?: OnSeries | undefined;
  /** `[t, "v"]` as read → the sample kept. */
  toSample: (pair: [number, string]) => unknown;
}

/**
 * Reads a query answer as it arrives (or from `body` when the transport read it whole): at
 * most `maxBytes`, series labels handed to `onSeries` as soon as they are read, values turned
 * into samples on the fly. Always releases the connection. Returns the answer's `data`, its
 * `result` rebuilt from the series kept (or the `[t, "v"]` of a scalar/string answer).
 */
export async function readQueryAnswer(response: UpstreamResponse, options: QueryAnswerOptions): Promise<unknown> {
  const { origin, endpoint, onSeries } = options;
  const series: Record<string, unknown>[] = [];
  const dropped = new Set<number>();
  const reader = new PromJsonStream({
    onMetric: (index, labels) => {
      if (onSeries?.(index, labels) === false) dropped.add(index);
    },
    onItem: (index, item) => {
      if (!dropped.has(index)) series.push(item);
    },
    onPair: (pair) => {
      if (!Array.isArray(pair) || typeof pair[0] !== 'number' || typeof pair[1] !== 'string') {
        throw notPrometheusError(origin, `the ${endpoint} answer holds a value that is not [time, "value"]`);
      }
      return options.toSample(pair as [number, string]);
    },
  });
  try {
    await feed(response, reader, options.maxBytes, origin);
    reader.end();
  } catch (error) {
    if (error instanceof JsonStreamSyntaxError) throw notPrometheusError(origin, `the ${endpoint} answer is ${error.message}`);
    throw error;
  } finally {
    response.cancel?.();
  }
  const root = reader.value as { status?: unknown; data?: { result?: unknown } } | null;
  if (root?.status !== 'success') {
    throw upstreamHttpError({ ...response, status: 422, body: JSON.stringify(root) }, origin);
  }
  const data = root.data;
  if (data && typeof data === 'object' && Array.isArray(data.result)) {
    data.result = reader.resultScalars.length > 0 ? reader.resultScalars : series;
  }
  return data;
}

async function feed(response: UpstreamResponse, reader: PromJsonStream, cap: number, origin: string): Promise<void> {
  if (!response.stream) {
    if (response.body.length > cap) throw new AnswerTooLargeError(origin, cap);
    reader.feed(response.body);
    return;
  }
  const decoder = new TextDecoder();
  let bytes = 0;
  for await (const chunk of response.stream) {
    bytes += chunk.byteLength;
    if (bytes > cap) throw new AnswerTooLargeError(origin, cap);
    reader.feed(decoder.decode(chunk, { stream: true }));
  }
  reader.feed(decoder.decode());
}
