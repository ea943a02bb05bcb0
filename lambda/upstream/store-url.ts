import { MetricStoreConnectionError } from '../errors.js';
import { readStoreUrl, type StoreUrl } from '../contract/index.js';

export { displayStoreUrl, type StoreUrl } from '../contract/index.js';

/**
 * Reads `connectionDetails.url` strictly and once, with the contract's reader (the same rules
 * the stack applies to allowed workspace URLs at synth).
 *
 * @throws MetricStoreConnectionError `'refused'` (403) naming `connectionDetails.url` and why
 *   (the reader's reason never quotes user info).
 */
export function parseStoreUrl(raw: string): StoreUrl {
  const read = readStoreUrl(raw);
  if (read.ok) return read.value;
  throw new MetricStoreConnectionError(
    'refused',
    `The connectionDetails.url is refused: ${read.problem}. Write it as http(s)://host[:port]/path (an AMP workspace: ` +
      'https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>) without "//", "." or ".." segments, ' +
      'percent-encoding, ";", "\\", user info, query or fragment.',
  );
}
