import { mirrorTokenOf } from '../protocol/mirror-token.js';
import { verifyCallerToken } from '../security/caller-token.js';
import { stateOf, type MirrorMiddleware } from './request-state.js';

/**
 * Proves the caller with the `mirror_token` in its Connection Details, after the body is
 * parsed and before it is validated: a caller without the token learns nothing about what a
 * valid request looks like.
 */
export function callerToken(): MirrorMiddleware {
  return {
    before: (request) => {
      const state = stateOf(request.context);
      if (state.callerToken === undefined) return;
      verifyCallerToken(mirrorTokenOf(request.event.body), state.callerToken);
      state.callerVerified = true;
    },
  };
}
