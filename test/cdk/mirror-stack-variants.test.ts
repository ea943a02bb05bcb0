import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MirrorStack } from '../../lib/mirror-stack.js';
import { TenantsConfigError } from '../../lib/tenants-config.js';
import { actionsOf, iamStatements, nagFindings, testApp } from './helpers.js';

// A tenant with only a self-hosted Prometheus, no roles, no topic, no dashboard, other retention.
let stack: MirrorStack;
let template: Template;

beforeAll(() => {
  const app = testApp();
  stack = new MirrorStack(app, 'StackStateMirror-lean', {
    tenant: 'lean',
    allowedWorkspaceUrls: ['https://prometheus.example.com/prom'],
    logRetention: RetentionDays.ONE_WEEK,
    memorySize: 1024,
    secretTtlSeconds: 60,
    throttling: { rateLimit: 2, burstLimit: 5 },
    dashboard: false,
  });
  template = Template.fromStack(stack);
});

describe('a tenant with no roles and no AMP workspace', () => {
  it('grants no sts:AssumeRole and no AMP action at all', () => {
    // Prepare
    const actions = iamStatements(template)
      .filter((s) => s.Principal === undefined)
      .flatMap(actionsOf);

    // Act / Assess
    expect(actions).not.toContain('sts:AssumeRole');
    expect(actions.filter((a) => a.startsWith('aps:'))).toEqual([]);
  });

  it('passes a role allowlist of none (not empty, which would mean unrestricted), no source networks, and its memory, TTL and retention', () => {
    // Prepare
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]!;
    const env = fn.Properties.Environment.Variables as Record<string, unknown>;

    // Act / Assess
    expect(env.MIRROR_ALLOWED_ROLE_ARNS).toBe('none');
    expect(env).not.toHaveProperty('MIRROR_ALLOWED_SOURCE_CIDRS');
    expect(env.MIRROR_SECRET_TTL_SECONDS).toBe('60');
    expect(fn.Properties.MemorySize).toBe(1024);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('has alarms without actions, no dashboard, and a Connection Details template without aws.role_arn', () => {
    // Prepare
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const output = template.findOutputs('ConnectionDetailsTemplate').ConnectionDetailsTemplate as { Value: string };

    // Act
    const details = JSON.parse(output.Value) as Record<string, unknown>;

    // Assess
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(details.url).toBe('https://prometheus.example.com/prom');
    expect(details).not.toHaveProperty('aws');
  });

  it('reserves the concurrency its throttle can use at the timeout: ⌈2 req/s × 25 s⌉ = 50', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 50 });
  });

  it('has a public API with no resource policy when no source network is configured', () => {
    // Prepare
    const api = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0]!;

    // Act / Assess
    expect(api.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    expect(api.Properties.Policy).toBeUndefined();
  });

  it('leaves no cdk-nag finding either', () => {
    // Prepare / Act / Assess
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('MirrorStack props validation', () => {
  const valid = {
    tenant: 'acme',
    allowedWorkspaceUrls: ['https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1'],
  };

  it.each([
    ['an upper-case tenant name', { tenant: 'Acme' }, /tenants\[0\]\.name/],
    ['no workspace', { allowedWorkspaceUrls: [] }, /allowedWorkspaceUrls: needs at least one/],
    [
      'an http workspace URL',
      { allowedWorkspaceUrls: ['http://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1'] },
      /must be an https URL/,
    ],
    ['a wildcard role', { allowedRoleArns: ['arn:aws:iam::111122223333:role/*'] }, /allowedRoleArns\[0\]: must be an IAM role ARN/],
    ['a bad CIDR', { allowedSourceCidrs: ['10.0.0.0/40'] }, /allowedSourceCidrs\[0\]/],
    ['a zero rate limit', { throttling: { rateLimit: 0, burstLimit: 10 } }, /throttling\.rateLimit/],
    ['a reserved concurrency of 0', { reservedConcurrency: 0 }, /reservedConcurrency: must be at least 1/],
    ['a reserved concurrency above the account default', { reservedConcurrency: 901 }, /reservedConcurrency: must be at most 900/],
    [
      'a private endpoint without endpoints',
      { privateEndpoint: { vpcEndpointIds: [] } },
      /privateEndpoint\.vpcEndpointIds: needs at least one/,
    ],
    [
      'a VPC endpoint id that is not one',
      { privateEndpoint: { vpcEndpointIds: ['vpc-0123456789abcdef0'] } },
      /vpcEndpointIds\[0\]: must be a VPC endpoint id/,
    ],
  ])('refuses %s with a message naming the field', (_case, override, message) => {
    // Prepare
    const app = testApp();

    // Act
    const act = () => new MirrorStack(app, 'Bad', { ...valid, ...override });

    // Assess
    expect(act).toThrow(TenantsConfigError);
    expect(act).toThrow(message);
  });
});
