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

/** A signal that aborts at `deadlineMs` (epoch ms); already aborted when that has passed. */
export function deadlineSignal(deadlineMs: number): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.floor(deadlineMs - Date.now())));
}

function abortError(): Error {
  return Object.assign(new Error("The request's time ran out while waiting."), { name: 'AbortError' });
}
