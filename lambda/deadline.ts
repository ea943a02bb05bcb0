/**
 * The request's time, with one owner: a {@link Deadline} is created per invocation
 * (`newInvocation`), narrowed by the Connection Details' `request_timeout_seconds` (`openStore`)
 * and handed down. Every layer reads its time from it: the store's `timeout` parameter
 * (`queryTimeout`), the retry budget (`allows`), the abort signal of each upstream request and
 * the waits for shared loads (credentials, secrets).
 */

/** Time kept back from the deadline for signing, the answer's transfer and its conversion. */
export const QUERY_TIMEOUT_MARGIN_MS = 1_500;

/** An instant (epoch ms) by which work must be done, read against a clock. */
export class Deadline {
  private constructor(
    /** Epoch ms. */
    readonly atMs: number,
    private readonly clock: () => number,
  ) {}

  /** The deadline at epoch ms `atMs`. */
  static at(atMs: number, clock: () => number = Date.now): Deadline {
    return new Deadline(atMs, clock);
  }

  /** The deadline `ms` from now. */
  static after(ms: number, clock: () => number = Date.now): Deadline {
    return new Deadline(clock() + ms, clock);
  }

  /** Ms left, never negative. */
  leftMs(): number {
    return Math.max(0, this.atMs - this.clock());
  }

  /** The earlier of this deadline and `ms` from now: a part of the work with its own limit. */
  within(ms: number): Deadline {
    return new Deadline(Math.min(this.atMs, this.clock() + ms), this.clock);
  }

  /** Whether work taking `ms`, started now, ends in time. */
  allows(ms: number): boolean {
    return this.clock() + ms <= this.atMs;
  }

  /** A signal that aborts at the deadline (already aborting when it has passed). */
  signal(): AbortSignal {
    return AbortSignal.timeout(Math.max(1, Math.floor(this.leftMs())));
  }

  /**
   * The store's `timeout` query parameter: the time left less {@link QUERY_TIMEOUT_MARGIN_MS},
   * at most `capMs` (the store's own cap), at least 1 s, in whole seconds (`"8s"`).
   */
  queryTimeout(capMs: number = Number.POSITIVE_INFINITY): string {
    const ms = Math.min(capMs, this.atMs - this.clock() - QUERY_TIMEOUT_MARGIN_MS);
    return `${Math.max(1, Math.floor(ms / 1000))}s`;
  }
}

/**
 * Bounds a wait by the request's time: a shared promise (a credential load, a secret fetch)
 * may run for another caller with more time left; each caller stops waiting at its own end.
 */

/**
 * `promise`, or a rejection with an `AbortError` once `signal` aborts, whichever comes first.
 * The promise itself keeps running (others may share it); only this wait ends.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(): Error {
  return Object.assign(new Error("The request's time ran out while waiting."), { name: 'AbortError' });
}
