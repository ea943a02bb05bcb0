import { ok, problem, type Parsed } from './parsed.js';

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`, … */
export const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * AMP's data-plane host names, from AWS's "Amazon Managed Service for Prometheus endpoints and
 * quotas" page (general reference, prometheus-service): `aps-workspaces.<region>.amazonaws.com`
 * (IPv4), `aps-workspaces-fips.<region>.amazonaws.com` (FIPS), `aps-workspaces[-fips].<region>.api.aws`
 * (dual stack), `.amazonaws.com.cn` in the China partition, and interface VPC endpoint names
 * `vpce-….aps-workspaces.<region>.vpce.amazonaws.com`. The region is group 1 or group 2.
 */
export const AMP_HOST =
  /^(?:aps-workspaces(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)|vpce-[a-z0-9-]+\.aps-workspaces\.([a-z0-9-]+)\.vpce\.amazonaws\.com(?:\.cn)?)$/;

const AMP_PATH = /^\/workspaces\/(ws-[A-Za-z0-9-]{1,64})(?:\/|$)/;

/** The aps actions a reading identity needs: query and query_range, labels and values, series, metadata. */
export const AMP_READ_ACTIONS: readonly string[] = ['aps:QueryMetrics', 'aps:GetLabels', 'aps:GetSeries', 'aps:GetMetricMetadata'];

/** The region named by an AMP data-plane host name, or undefined for any other host. */
export function regionFromAmpHost(hostname: string): string | undefined {
  const match = AMP_HOST.exec(hostname.toLowerCase().replace(/\.$/, ''));
  const region = match?.[1] ?? match?.[2];
  return region !== undefined && AWS_REGION.test(region) ? region : undefined;
}

/** An Amazon Managed Service for Prometheus workspace, as named by its query URL. */
export interface AmpWorkspace {
  /** The AWS region in the URL's host, e.g. `eu-west-1`. */
  readonly region: string;
  /** The workspace id, e.g. `ws-12345678-abcd-1234-abcd-123456789012`. */
  readonly workspaceId: string;
}

/**
 * Reads region and workspace id from an AMP workspace URL
 * (`https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>`, or a FIPS, dual-stack or
 * VPC endpoint host).
 *
 * @example
 * parseAmpWorkspace('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1')
 * // { ok: true, value: { region: 'eu-west-1', workspaceId: 'ws-1' } }
 */
export function parseAmpWorkspace(url: string): Parsed<AmpWorkspace> {
  if (!URL.canParse(url)) return problem('is not an absolute URL');
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return problem('is not an https URL');
  const region = regionFromAmpHost(parsed.hostname);
  if (region === undefined) return problem('is not on an AMP host (aps-workspaces.<region>.amazonaws.com)');
  const workspaceId = AMP_PATH.exec(parsed.pathname.replace(/\/{2,}/g, '/'))?.[1];
  if (workspaceId === undefined) return problem('has no /workspaces/<workspace id> path');
  return ok({ region, workspaceId });
}
