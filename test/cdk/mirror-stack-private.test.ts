import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MirrorStack } from '../../lib/mirror-stack.js';
import { nagFindings, testApp } from './helpers.js';

// A tenant whose StackState runs in the same AWS network: a private API behind two VPC endpoints.
const ENDPOINTS = ['vpce-0123456789abcdef0', 'vpce-0fedcba9876543210'];
let stack: MirrorStack;
let template: Template;

beforeAll(() => {
  stack = new MirrorStack(testApp(), 'StackStateMirror-inhouse', {
    tenant: 'inhouse',
    allowedWorkspaceUrls: ['https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-1'],
    allowedSourceCidrs: ['10.20.0.0/16', '10.30.0.7'],
    privateEndpoint: { vpcEndpointIds: ENDPOINTS },
  });
  template = Template.fromStack(stack);
});

describe('a tenant with the private endpoint option', () => {
  it('is a PRIVATE REST API bound to its VPC endpoints', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: ENDPOINTS },
    });
  });

  it('lets in only its VPC endpoints, and inside them only its networks (aws:VpcSourceIp), each with an explicit deny', () => {
    // Prepare
    const cidrs = ['10.20.0.0/16', '10.30.0.7/32'];
    const invoke = { Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' };

    // Act / Assess
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: [
          {
            ...invoke,
            Sid: 'AllowTenantCallers',
            Effect: 'Allow',
            Condition: { StringEquals: { 'aws:SourceVpce': ENDPOINTS }, IpAddress: { 'aws:VpcSourceIp': cidrs } },
          },
          { ...invoke, Sid: 'DenyOtherVpcEndpoints', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': ENDPOINTS } } },
          { ...invoke, Sid: 'DenyOtherSourceNetworks', Effect: 'Deny', Condition: { NotIpAddress: { 'aws:VpcSourceIp': cidrs } } },
        ],
      },
    });
  });

  it('never compares aws:SourceIp, which a call through a VPC endpoint does not carry', () => {
    // Prepare
    const api = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0]!;

    // Act / Assess
    expect(JSON.stringify(api.Properties.Policy)).not.toContain('aws:SourceIp');
  });

  it('still passes the networks to the function (the second check) and reserves the default concurrency', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 100,
      Environment: { Variables: { MIRROR_ALLOWED_SOURCE_CIDRS: '10.20.0.0/16,10.30.0.7' } },
    });
  });

  it('gives the Mirror URL for a VPC endpoint without private DNS as well', () => {
    // Prepare
    const output = template.findOutputs('MirrorUrlWithoutPrivateDns').MirrorUrlWithoutPrivateDns as { Value: unknown };

    // Act / Assess
    expect(JSON.stringify(output.Value)).toContain(`-${ENDPOINTS[0]}.execute-api.`);
    template.hasOutput('MirrorUrl', {});
  });

  it('leaves no cdk-nag finding', () => {
    // Prepare / Act / Assess
    expect(nagFindings(stack)).toEqual([]);
  });
});
