import type * as z from 'zod/mini';
import { RemoteMirrorError } from '../errors.js';

const MAX_ISSUES = 5;

/**
 * Validates a parsed body against a request schema. The error lists where the request is
 * wrong and why, never the offending values (they may hold secrets).
 */
export function parseRequest<S extends z.ZodMiniType>(schema: S, body: unknown, what: string): z.output<S> {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    throw new RemoteMirrorError(`Invalid ${what}`, 'The request body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
    return `${path}: ${issue.message}`;
  });
  const more = result.error.issues.length > MAX_ISSUES ? ` (and ${result.error.issues.length - MAX_ISSUES} more)` : '';
  throw new RemoteMirrorError(`Invalid ${what}`, `${issues.join('; ')}${more}`);
}
