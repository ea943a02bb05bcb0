import { prefetchCredentials } from '../app/credential-prefetch.js';
import { parsedBody } from './json-body.js';
import type { MirrorMiddleware } from './request-state.js';

/** Bodies larger than this are not read before the secrets (the body parser reads them after). */
const MAX_PREFETCH_BODY_CHARS = 1024 * 1024;

/**
 * Before the secrets load: starts the request's AssumeRole beside them (see `prefetchCredentials`).
 * The body it reads is the request's one parse, kept for the body parser.
 */
export function credentialPrefetch(): MirrorMiddleware {
  return {
    before: (request) => {
      const raw = request.event.body;
      if (typeof raw !== 'string' || raw.length > MAX_PREFETCH_BODY_CHARS) return;
      prefetchCredentials(() => {
        const body = parsedBody(request);
        return 'value' in body ? body.value : undefined;
      });
    },
  };
}
