import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** Who may reach a tenant's API, as the tenants file says. */
export interface EdgeAccess {
  /** Caller networks; undefined: any source. */
  readonly sourceCidrs?: readonly string[];
  /** Interface VPC endpoints of a private API; undefined: a public (regional) API. */
  readonly vpcEndpointIds?: readonly string[];
}

/** Every method of every stage of the API the policy is attached to. */
const THIS_API = 'execute-api:/*';

/**
 * The REST API's resource policy: API Gateway evaluates it before any integration runs, so a
 * refused caller gets a 403 from the gateway and costs neither an invocation nor the stage's
 * throttle. Invoke is allowed only from the tenant's networks (and VPC endpoints), and an
 * explicit deny refuses everything else, so no other statement can widen it.
 *
 * A public API compares `aws:SourceIp`. Through a VPC endpoint there is no public source
 * address: a private API compares `aws:SourceVpce`, and the caller's address inside the VPC
 * as `aws:VpcSourceIp`.
 *
 * @returns undefined for a public API open to every source (nothing to restrict).
 */
export function edgePolicy(access: EdgeAccess): PolicyDocument | undefined {
  const cidrs = access.sourceCidrs === undefined ? undefined : access.sourceCidrs.map(withPrefix);
  const endpoints = access.vpcEndpointIds;
  if (cidrs === undefined && endpoints === undefined) return undefined;
  const ipKey = endpoints === undefined ? 'aws:SourceIp' : 'aws:VpcSourceIp';
  const allowWhen: Record<string, Record<string, string[]>> = {};
  const denies: PolicyStatement[] = [];
  if (endpoints !== undefined) {
    allowWhen.StringEquals = { 'aws:SourceVpce': [...endpoints] };
    denies.push(deny('DenyOtherVpcEndpoints', { StringNotEquals: { 'aws:SourceVpce': [...endpoints] } }));
  }
  if (cidrs !== undefined) {
    allowWhen.IpAddress = { [ipKey]: cidrs };
    denies.push(deny('DenyOtherSourceNetworks', { NotIpAddress: { [ipKey]: cidrs } }));
  }
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'AllowTenantCallers',
        effect: Effect.ALLOW,
        principals: [new AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [THIS_API],
        conditions: allowWhen,
      }),
      ...denies,
    ],
  });
}

function deny(sid: string, conditions: Record<string, Record<string, string[]>>): PolicyStatement {
  return new PolicyStatement({
    sid,
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: [THIS_API],
    conditions,
  });
}

/** A bare address is a one-address network; written out so the policy says what it means. */
function withPrefix(cidr: string): string {
  if (cidr.includes('/')) return cidr;
  return cidr.includes(':') ? `${cidr}/128` : `${cidr}/32`;
}
