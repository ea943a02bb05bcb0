import { MetricStoreConnectionError } from '../errors.js';
import { readStoreUrl, type StoreUrl } from '../contract/index.js';

export { displayStoreUrl, type StoreUrl } from '../contract/index.js';

/**
 * Reads `connectionDetails.url` strictly and once, with the contract's reader (the same rules
 * the stack applies to allowed workspace URLs at synth).
 *
 * @throws StoreUrlRefusedError (403) naming `connectionDetails.url` and why.
 */
export function parseStoreUrl(raw: string): StoreUrl {
  const read = readStoreUrl(raw);
  if (read.ok) return read.value;
  throw new StoreUrlRefusedError(
    read.problem,
    `The connectionDetails.url is refused: ${read.problem}. Write it as http(s)://host[:port]/path (an AMP workspace: ` +
      'https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>) without "//", "." or ".." segments, ' +
      'percent-encoding, ";", "\\", user info, query or fragment.',
  );
}

/** The 403 for a URL not in normal form; `reason` says why in a few words (it never quotes user info). */
export class StoreUrlRefusedError extends MetricStoreConnectionError {
  constructor(
    readonly reason: string,
    details: string,
  ) {
    super('refused', details);
  }
}
