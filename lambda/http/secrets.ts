import { loadMirrorSecrets } from '../security/secrets.js';
import { stateOf, type MirrorMiddleware } from './request-state.js';

/**
 * Loads the API key (sent back on every answer to an accepted caller) and the caller token
 * before the body is read. Without a caller token (local use) every caller counts as verified.
 */
export function mirrorSecrets(): MirrorMiddleware {
  return {
    before: async (request) => {
      const state = stateOf(request.context);
      const secrets = await loadMirrorSecrets(process.env, { deadline: state.invocation.deadline });
      state.apiKey = secrets.apiKey;
      state.callerToken = secrets.callerToken;
      if (secrets.callerToken === undefined) state.callerVerified = true;
    },
  };
}
