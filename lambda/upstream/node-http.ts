/**
 * `node:http` through CommonJS `require`, for the Lambda bundle (lib/mirror-function.ts aliases
 * `node:http` here). An ESM `import … from 'node:http'` makes Node build the module's ESM
 * facade, which reads every export — including the lazy `WebSocket`, `CloseEvent` and
 * `MessageEvent` getters — and so loads undici (~10 ms of a cold start) that nothing uses.
 */
import { createRequire } from 'node:module';

const http = createRequire(import.meta.url)('http') as typeof import('node:http');

export const {
  Agent,
  STATUS_CODES,
  request,
  get,
  createServer,
  globalAgent,
  IncomingMessage,
  ServerResponse,
  ClientRequest,
  OutgoingMessage,
  METHODS,
  Server,
  validateHeaderName,
  validateHeaderValue,
  maxHeaderSize,
  setMaxIdleHTTPParsers,
} = http;
export default http;
