import { InvalidRequestError } from '../errors.js';

/**
 * Argument checks shared by the time functions. A value the mirror cannot use exactly
 * (a fraction of a millisecond, NaN, a range that runs backwards) is refused with a
 * {@link InvalidRequestError} (400) that names it, never rounded or replaced by a default.
 */

/** Throws unless `value` is a whole number of milliseconds (a safe integer). */
export function requireWholeMs(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new InvalidRequestError('Invalid time value', `${name} must be a whole number of milliseconds, got ${String(value)}`);
  }
}

/** Throws unless `value` is a whole number of milliseconds greater than 0. */
export function requirePositiveMs(name: string, value: number): void {
  requireWholeMs(name, value);
  if (value <= 0) {
    throw new InvalidRequestError('Invalid time value', `${name} must be greater than 0, got ${String(value)}`);
  }
}

/** Throws unless both ends are whole milliseconds and `startMs <= endMs`. */
export function requireRange(startMs: number, endMs: number): void {
  requireWholeMs('startTime', startMs);
  requireWholeMs('endTime', endMs);
  if (startMs > endMs) {
    throw new InvalidRequestError('Invalid time range', `startTime (${startMs}) must not be after endTime (${endMs})`);
  }
}

/** Throws unless `value` is a whole number at least `min`. */
export function requireCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidRequestError('Invalid argument', `${name} must be a whole number of at least ${min}, got ${String(value)}`);
  }
}
