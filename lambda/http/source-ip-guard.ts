import { mirrorConfig } from '../app/config.js';
import { checkSourceIp } from '../security/source-ip.js';
import type { MirrorMiddleware } from './request-state.js';

/**
 * Refuses a caller outside the configured networks before anything else is spent on it,
 * using the gateway's view of the caller's address, never X-Forwarded-For.
 */
export function sourceIpGuard(): MirrorMiddleware {
  return {
    before: (request) => {
      checkSourceIp(request.event.requestContext?.http?.sourceIp, mirrorConfig().allowedSourceCidrs);
    },
  };
}
