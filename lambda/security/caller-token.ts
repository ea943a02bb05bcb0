import { createHash, timingSafeEqual } from 'node:crypto';
import { CallerUnauthorizedError } from '../errors.js';

/**
 * Checks the caller token StackState sends as `"mirror_token"` in the Connection Details JSON.
 *
 * Both values are hashed (SHA-256) and the digests compared with `timingSafeEqual`, so
 * neither the comparison time nor the digest length tells a caller anything about the
 * expected token.
 *
 * @param provided - `connectionDetails.mirror_token` as received, of any type.
 * @param expected - This deployment's token; `undefined` means no caller check (local use only).
 *   An empty `expected` matches nothing (fails closed).
 * @throws CallerUnauthorizedError (401) when the token is missing, not a string, or wrong.
 * @example
 * verifyCallerToken(details.mirror_token, secrets.callerToken);
 */
export function verifyCallerToken(provided: unknown, expected: string | undefined): void {
  if (expected === undefined) return;
  if (typeof provided !== 'string' || provided === '') {
    throw new CallerUnauthorizedError(
      'This mirror requires a caller token: add "mirror_token": "<token>" to the Connection Details JSON ' +
        "of the StackState data source (the token is the value of the stack's caller token secret).",
    );
  }
  const same = expected !== '' && timingSafeEqual(digest(provided), digest(expected));
  if (!same) {
    throw new CallerUnauthorizedError(
      'The "mirror_token" in the Connection Details JSON is not this mirror\'s caller token. ' +
        "Copy it again from the stack's caller token secret.",
    );
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
