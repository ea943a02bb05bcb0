import { describe, expect, it } from 'vitest';
import { CallerUnauthorizedError } from '../../../lambda/errors.js';
import { verifyCallerToken } from '../../../lambda/security/caller-token.js';

const TOKEN = 'c0rrect-horse-battery-staple-0123456789abcdef';

function unauthorized(act: () => void): CallerUnauthorizedError {
  try {
    act();
  } catch (error) {
    if (error instanceof CallerUnauthorizedError) return error;
    throw error;
  }
  throw new Error('expected CallerUnauthorizedError, but the call passed');
}

describe('verifyCallerToken', () => {
  it('accepts the expected token', () => {
    // Prepare / Act / Assess
    expect(() => verifyCallerToken(TOKEN, TOKEN)).not.toThrow();
  });

  it('skips the check when no token is expected (local use)', () => {
    // Prepare / Act / Assess
    expect(() => verifyCallerToken(undefined, undefined)).not.toThrow();
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { token: TOKEN }],
    ['an empty string', ''],
  ])('refuses a token that is %s with a 401 that says where the token goes', (_case, provided) => {
    // Prepare / Act
    const error = unauthorized(() => verifyCallerToken(provided, TOKEN));

    // Assess
    expect(error.status).toBe(401);
    expect(error.details).toMatch(/mirror_token/);
    expect(error.toBody()._type).toBe('RemoteMirrorError');
  });

  it.each([
    ['wrong', 'not-the-token'],
    ['a prefix', TOKEN.slice(0, -1)],
    ['longer', `${TOKEN}x`],
    ['different in case', TOKEN.toUpperCase()],
  ])('refuses a token that is %s without quoting either token', (_case, provided) => {
    // Prepare / Act
    const error = unauthorized(() => verifyCallerToken(provided, TOKEN));

    // Assess
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(provided);
  });

  it('fails closed when the expected token is empty', () => {
    // Prepare / Act / Assess
    expect(() => verifyCallerToken('anything', '')).toThrow(CallerUnauthorizedError);
  });
});
