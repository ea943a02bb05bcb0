import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { edgePolicy } from '../../lib/edge-policy.js';

const resolve = (document: ReturnType<typeof edgePolicy>) =>
  document === undefined ? undefined : (new Stack().resolve(document.toJSON()) as { Statement: Record<string, unknown>[] });

describe('edgePolicy', () => {
  it('restricts nothing for a public API without source networks', () => {
    // Prepare / Act / Assess
    expect(edgePolicy({})).toBeUndefined();
  });

  it('writes bare addresses as one-address networks, IPv4 and IPv6', () => {
    // Prepare / Act
    const policy = resolve(edgePolicy({ sourceCidrs: ['203.0.113.9', '2001:db8::1', '198.51.100.0/24'] }));

    // Assess
    expect(policy?.Statement.map((s) => s.Condition)).toEqual([
      { IpAddress: { 'aws:SourceIp': ['203.0.113.9/32', '2001:db8::1/128', '198.51.100.0/24'] } },
      { NotIpAddress: { 'aws:SourceIp': ['203.0.113.9/32', '2001:db8::1/128', '198.51.100.0/24'] } },
    ]);
  });

  it('lets a private API without source networks be called from its VPC endpoints only', () => {
    // Prepare / Act
    const policy = resolve(edgePolicy({ vpcEndpointIds: ['vpce-0123456789abcdef0'] }));

    // Assess
    expect(policy?.Statement.map((s) => [s.Effect, s.Condition])).toEqual([
      ['Allow', { StringEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } }],
      ['Deny', { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } }],
    ]);
  });
});
