/**
 * The seam between the Prometheus client and the network. A Transport sends one HTTP
 * request and returns the whole answer; decorators add SigV4 signing (AMP) and retries.
 * Tests replace the transport or point it at a local Prometheus.
 */

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** For POST: an application/x-www-form-urlencoded body. */
  body?: string;
  /** Aborts the request at the caller's deadline. */
  signal: AbortSignal;
  /** A successful answer longer than this is not read (AnswerTooLargeError); error answers are cut to a few KiB. */
  maxBytes?: number;
  /** Hand a successful answer over as `stream` instead of reading it into `body`. */
  stream?: boolean;
  /**
   * Read only this many bytes of the answer, whatever its status (an error answer never more
   * than ERROR_BODY_BYTES), and drop the connection: for a caller that looks only at the head,
   * Test Connection's URL probe. A longer answer is cut, not refused, and is never streamed.
   */
  headBytes?: number;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  /** With `request.stream` and a 2xx status: the answer's bytes as they arrive ('' in `body`). Read it or `cancel` it. */
  stream?: AsyncIterable<Uint8Array>;
  /** Stops reading `stream` and frees the connection. */
  cancel?: () => void;
}

export type Transport = (request: UpstreamRequest) => Promise<UpstreamResponse>;
