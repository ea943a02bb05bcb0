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
}

export interface UpstreamResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export type Transport = (request: UpstreamRequest) => Promise<UpstreamResponse>;
