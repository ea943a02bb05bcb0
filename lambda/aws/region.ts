import { AWS_REGION as REGION, nonEmpty, regionFromAmpHost } from '../contract/index.js';
import { RemoteMirrorError } from '../errors.js';
import type { AwsConnectionConfig } from '../protocol/connection-details.js';

export { regionFromAmpHost } from '../contract/index.js';

/**
 * The region to sign AMP requests for (and to call STS in): the one in the workspace's host
 * name, else `aws.region_name`, else the mirror's own `AWS_REGION`. A host region that differs
 * from `region_name` is refused: the signature would be scoped to the wrong region and AMP
 * would answer 403.
 *
 * @throws RemoteMirrorError (400) when the regions disagree, `region_name` is not a region
 *   name, or no region can be found.
 * @example regionForWorkspace(new URL('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1'), {}) // 'eu-west-1'
 */
export function regionForWorkspace(url: URL, aws: AwsConnectionConfig, env: NodeJS.ProcessEnv = process.env): string {
  const fromHost = regionFromAmpHost(url.hostname);
  const configured = nonEmpty(aws.region_name);
  if (configured !== undefined && !REGION.test(configured)) {
    throw invalid(`aws.region_name "${configured.slice(0, 40)}" is not an AWS region name (like eu-west-1).`);
  }
  if (fromHost !== undefined) {
    if (configured !== undefined && configured !== fromHost) {
      throw invalid(
        `aws.region_name is ${configured} but the workspace url is in ${fromHost}. Remove aws.region_name or make it ${fromHost}: requests are signed for one region and AMP refuses signatures for another.`,
      );
    }
    return fromHost;
  }
  if (configured !== undefined) return configured;
  const fromEnv = nonEmpty(env.AWS_REGION);
  if (fromEnv !== undefined && REGION.test(fromEnv)) return fromEnv;
  throw invalid(
    `Cannot tell the AWS region of ${url.host}: it is not an AMP host name (aps-workspaces.<region>.amazonaws.com). Set aws.region_name in the Connection Details.`,
  );
}

function invalid(details: string): RemoteMirrorError {
  return new RemoteMirrorError('Invalid AWS settings in the Connection Details', details, 400);
}
