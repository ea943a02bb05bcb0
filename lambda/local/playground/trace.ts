import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transport, UpstreamRequest } from '../../upstream/transport.js';

/**
 * The playground's debug channel: while a playground call runs, every request the mirror
 * sends upstream is recorded here (what was asked, the PromQL, status, time, size). Only the
 * local server installs the hook and only its /playground/call endpoint opens a recording,
 * so the answers StackState gets never carry any of it. Headers are not recorded (they hold
 * SigV4 signatures and session tokens): only whether the request was signed.
 */
export interface UpstreamCall {
  method: string;
  /** Origin and path, without the query string. */
  url: string;
  /** The query parameters or form fields (query, start, end, step, match[] …). */
  params: [string, string][];
  signed: boolean;
  status?: number;
  /** Characters in the answer body. */
  bytes?: number;
  ms: number;
  /** The network error, when there was no answer. */
  error?: string;
}

/** Bounds what one playground call can record, whatever the query. */
const MAX_CALLS = 200;
const MAX_PARAM_CHARS = 4000;

const recording = new AsyncLocalStorage<UpstreamCall[]>();

/** Runs `work` with a fresh recording and returns what it sent upstream. */
export async function traced<T>(work: () => Promise<T>): Promise<{ result: T; calls: UpstreamCall[] }> {
  const calls: UpstreamCall[] = [];
  const result = await recording.run(calls, work);
  return { result, calls };
}

/** Wraps the network transport: records into the current recording, if any; else just sends. */
export function tracingTransport(inner: Transport): Transport {
  return async (request) => {
    const calls = recording.getStore();
    if (calls === undefined || calls.length >= MAX_CALLS) return inner(request);
    const call: UpstreamCall = {
      method: request.method,
      url: `${request.url.origin}${request.url.pathname}`,
      params: paramsOf(request),
      signed: 'authorization' in request.headers,
      ms: 0,
    };
    calls.push(call);
    const started = Date.now();
    try {
      const response = await inner(request);
      call.status = response.status;
      call.bytes = response.body.length;
      return response;
    } catch (error) {
      call.error = error instanceof Error ? error.message : 'failed';
      throw error;
    } finally {
      call.ms = Date.now() - started;
    }
  };
}

function paramsOf(request: UpstreamRequest): [string, string][] {
  const source = request.method === 'POST' && request.body ? new URLSearchParams(request.body) : request.url.searchParams;
  return [...source].map(([name, value]) => [name, value.length > MAX_PARAM_CHARS ? `${value.slice(0, MAX_PARAM_CHARS)}…` : value]);
}
