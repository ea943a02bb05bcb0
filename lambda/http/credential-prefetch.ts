import { prefetchCredentials } from '../app/credential-prefetch.js';
import type { MirrorMiddleware } from './request-state.js';

/** Before the secrets load: starts the request's AssumeRole beside them (see `prefetchCredentials`). */
export function credentialPrefetch(): MirrorMiddleware {
  return {
    before: (request) => {
      const raw = request.event.body;
      if (typeof raw !== 'string' || raw.length > 1024 * 1024) return;
      let body: unknown;
      try {
        body = JSON.parse(request.event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw);
      } catch {
        return;
      }
      prefetchCredentials(body);
    },
  };
}
