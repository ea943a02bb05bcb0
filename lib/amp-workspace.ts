/** The four AMP read actions the mirror uses (query and query_range, labels and values, series, metadata). */
export const AMP_READ_ACTIONS: readonly string[] = ['aps:QueryMetrics', 'aps:GetLabels', 'aps:GetSeries', 'aps:GetMetricMetadata'];

/** An Amazon Managed Service for Prometheus workspace, as named by its query URL. */
export interface AmpWorkspace {
  /** The AWS region in the URL's host, e.g. `eu-west-1`. */
  readonly region: string;
  /** The workspace id, e.g. `ws-12345678-abcd-1234-abcd-123456789012`. */
  readonly workspaceId: string;
}

const AMP_HOST = /^aps-workspaces\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;
const AMP_PATH = /^\/workspaces\/(ws-[A-Za-z0-9-]{1,64})(?:\/|$)/;

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
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return undefined;
  const host = AMP_HOST.exec(parsed.hostname);
  const path = AMP_PATH.exec(parsed.pathname.replace(/\/{2,}/g, '/'));
  if (host?.[1] === undefined || path?.[1] === undefined) return undefined;
  return { region: host[1], workspaceId: path[1] };
}
