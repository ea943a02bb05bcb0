import { RemoteMirrorError } from '../errors.js';

/** What an answer longer than the byte cap is, and how to ask for less. */
export class AnswerTooLargeError extends RemoteMirrorError {
  constructor(
    readonly origin: string,
    readonly limitBytes: number,
  ) {
    super(
      'Answer too large',
      `The store's answer passed ${formatBytes(limitBytes)} (the mirror's answer size limit, MIRROR_MAX_ANSWER_BYTES) and was not read further. ` +
        'Narrow the request: choose one series with more conditions (or aggregate the ~ expression, e.g. sum by (...)), shorten the time range, or use larger buckets.',
      413,
    );
    this.name = 'AnswerTooLargeError';
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(bytes % 2 ** 20 === 0 ? 0 : 1)} MiB` : `${bytes} bytes`;
}

/** Error answers are only read for their message: this much of them is enough. */
export const ERROR_BODY_BYTES = 64 * 1024;

/**
 * How much of a page Test Connection's URL probe reads (any status): what the diagnosis looks
 * for stands at the head (an HTML doctype and title, Grafana's health JSON, a one-line "HTTP
 * request to an HTTPS server"). A page may be endless; past this the connection is dropped.
 */
export const URL_PROBE_BYTES = 4096;

/** The request would pass the per-request cap on store calls. */
export class CallCapError extends RemoteMirrorError {
  constructor(readonly maxCalls: number) {
    super(
      'Too many store calls',
      `Answering needs more than ${maxCalls} calls to the store (MIRROR_MAX_UPSTREAM_CALLS). Narrow the request: a shorter time range or larger buckets.`,
      422,
    );
    this.name = 'CallCapError';
  }
}
