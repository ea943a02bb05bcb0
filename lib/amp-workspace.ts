import { parseAmpWorkspace, type AmpWorkspace } from '../lambda/contract/index.js';

// The host rules and read actions are the contract's: the Lambda finds the signing region
// with the same pattern (FIPS, dual-stack and VPC endpoint hosts included).
export { AMP_READ_ACTIONS, type AmpWorkspace } from '../lambda/contract/index.js';

/**
 * Reads region and workspace id from an AMP workspace URL
 * (`https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>`).
 *
 * @returns `undefined` for any other URL (a self-hosted Prometheus, for instance).
 * @example
 * parseAmpWorkspaceUrl('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1')
 * // { region: 'eu-west-1', workspaceId: 'ws-1' }
 */
export function parseAmpWorkspaceUrl(url: string): AmpWorkspace | undefined {
  const parsed = parseAmpWorkspace(url);
  return parsed.ok ? parsed.value : undefined;
}
