import { routeFor } from '../app/routes.js';
import { RemoteMirrorError } from '../errors.js';
import { stateOf, type MirrorMiddleware } from './request-state.js';

/** Finds the call the path names (404 for any other path), then insists on POST (405). */
export function route(): MirrorMiddleware {
  return {
    before: (request) => {
      const call = routeFor(request.event.rawPath ?? '/');
      if (!call) {
        throw new RemoteMirrorError(
          'Not found',
          'The mirror answers POST requests to api/connection, api/field/name, api/field/value and api/metric.',
          404,
        );
      }
      stateOf(request.context).call = call;
      const method = request.event.requestContext?.http?.method ?? 'POST';
      if (method !== 'POST') {
        throw new RemoteMirrorError('Method not allowed', `The Mirror API takes POST, not ${method}.`, 405);
      }
    },
  };
}
