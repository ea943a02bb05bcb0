import type { Deadline } from '../deadline.js';
import { MetricStoreConnectionError } from '../errors.js';
import type { Transport, UpstreamRequest, UpstreamResponse } from './transport.js';

export interface RetryOptions {
  /** By when every attempt must have finished: the retry budget. */
  deadline: Deadline;
  /** Attempts in all, the first included. @default 4 */
  maxAttempts?: number;
  /** Backoff before retry n (n = 1, 2, …) is random() × min(capMs, baseMs × 2^(n-1)). @default 100 */
  baseMs?: number;
  /** @default 2000 */
  capMs?: number;
  /** How long an attempt is assumed to take before one has been timed. @default 250 */
  minAttemptMs?: number;
  /** @default Math.random */
  random?: () => number;
  /** Waits `ms`, or rejects when `signal` aborts. @default a setTimeout */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told about each retry, for the request log. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  /** `HTTP 429`, `HTTP 503`, `ECONNRESET`, … */
  reason: string;
  delayMs: number;
}

/** HTTP statuses worth another try: throttling (AMP's 429 `Rate exceeded`) and passing server faults. */
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
/**
 * Network failures worth another try: the connection broke, the request may never have arrived.
 * A reset of a kept-alive socket the store had closed while idle never gets here: the node:http
 * transport sends that request again at once on a new connection (see httpTransport), so a
 * reset seen here is a real failure, and each costs one attempt.
 */
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** A Retry-After longer than this is not waited for. */
const MAX_RETRY_AFTER_MS = 20_000;

/**
 * Retries throttling (429), 500/502/503/504 and broken connections with full-jitter
 * exponential backoff. Never starts an attempt that cannot finish before `deadline`
 * (judged by the slowest attempt so far); waits what `Retry-After` asks when the answer
 * carries one. When it gives up it returns the last answer (or throws the last error), so
 * the caller's usual error mapping applies.
 */
export function withRetries(inner: Transport, options: RetryOptions): Transport {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseMs = options.baseMs ?? 100;
  const capMs = options.capMs ?? 2000;
  const minAttemptMs = options.minAttemptMs ?? 250;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;

  return async (request: UpstreamRequest): Promise<UpstreamResponse> => {
    let slowestMs = minAttemptMs;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let outcome: { response: UpstreamResponse } | { error: unknown };
      try {
        outcome = { response: await inner(request) };
      } catch (error) {
        outcome = { error };
      }
      slowestMs = Math.max(slowestMs, Date.now() - started);

      const reason = retryReason(outcome);
      const give = (): UpstreamResponse => {
        if ('error' in outcome) throw outcome.error;
        return outcome.response;
      };
      if (reason === undefined || attempt >= maxAttempts || request.signal.aborted) return give();

      const backoff = random() * Math.min(capMs, baseMs * 2 ** (attempt - 1));
      const asked = 'response' in outcome ? retryAfterMs(outcome.response.headers['retry-after']) : undefined;
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) return give();
      const delayMs = Math.round(asked ?? backoff);
      if (!options.deadline.allows(delayMs + slowestMs)) return give();

      options.onRetry?.({ attempt: attempt + 1, reason, delayMs });
      try {
        await sleep(delayMs, request.signal);
      } catch {
        return give();
      }
    }
  };
}

function retryReason(outcome: { response: UpstreamResponse } | { error: unknown }): string | undefined {
  if ('response' in outcome) {
    return RETRY_STATUS.has(outcome.response.status) ? `HTTP ${outcome.response.status}` : undefined;
  }
  const error = outcome.error;
  if (!(error instanceof MetricStoreConnectionError) || error.failure !== 'network') return undefined;
  const code = causeCode(error.cause);
  return code !== undefined && RETRY_CODES.has(code) ? code : undefined;
}

/** `Retry-After` as seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
