import { RemoteMirrorError } from '../errors.js';

/**
 * The error for a deployment whose own settings (environment variables) are wrong: a 500
 * with a message that names the setting and says how to fix it, never its value.
 *
 * @param details - What is wrong and how to fix it; must not contain a secret.
 */
export function misconfigured(details: string, options?: ErrorOptions): RemoteMirrorError {
  return new RemoteMirrorError('Mirror misconfigured', details, 500, options);
}
