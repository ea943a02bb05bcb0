import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMirrorStacks, EXAMPLE_TENANTS_FILE, loadTenantsConfig, type MirrorStacks } from '../../lib/mirror-app.js';
import { testApp } from './helpers.js';

// The app as `cdk synth` builds it from the example config, cdk-nag plugin included.
// (CI also runs the real CLI: `npm run synth` in .ci/run.)
let app: App;
let stacks: MirrorStacks;

beforeAll(() => {
  app = testApp();
  stacks = addMirrorStacks(app, loadTenantsConfig(EXAMPLE_TENANTS_FILE, () => {}).config);
  app.synth();
});

describe('the CDK app for the example config', () => {
  it('has one stack per tenant and per reader role, named after them', () => {
    // Prepare / Act
    const names = app.node.children.map((c) => c.node.id).filter((id) => id.startsWith('StackStateMirror'));

    // Assess
    expect(names.sort()).toEqual(['StackStateMirror-acme', 'StackStateMirror-inhouse', 'StackStateMirrorReader-acme']);
  });

  it('attaches the cdk-nag AwsSolutions checks, so a finding fails synthesis', () => {
    // Prepare
    const other = testApp();
    const { config } = loadTenantsConfig(EXAMPLE_TENANTS_FILE, () => {});
    const { readers } = addMirrorStacks(other, { ...config, tenants: [] });
    new Bucket(readers[0]!, 'UnloggedBucket');

    // Act
    const act = () => other.synth();

    // Assess
    expect(act).toThrow(/AwsSolutions/);
  });

  it('keeps the stacks independent: no exports, no imports, no dependencies between them', () => {
    // Prepare
    const all = [...stacks.mirrors, ...stacks.readers];

    // Act
    const templates = all.map((s) => JSON.stringify(Template.fromStack(s).toJSON()));

    // Assess
    for (const text of templates) {
      expect(text).not.toContain('Fn::ImportValue');
      expect(text).not.toContain('"Export"');
    }
    for (const stack of all) expect(stack.dependencies).toEqual([]);
  });

  it('gives each tenant its own settings', () => {
    // Prepare
    const [acme, inhouse] = stacks.mirrors.map((s) => Template.fromStack(s));

    // Act / Assess
    acme!.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MIRROR_TENANT: 'acme' } },
    });
    inhouse!.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MIRROR_TENANT: 'inhouse', MIRROR_ALLOWED_ROLE_ARNS: 'none' } },
    });
  });

  it('stops strangers at the edge: acme by source address, inhouse through its VPC endpoint only; both reserve concurrency', () => {
    // Prepare
    const [acme, inhouse] = stacks.mirrors.map((s) => Template.fromStack(s));

    // Act / Assess
    acme!.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
        ]),
      },
    });
    inhouse!.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0123456789abcdef0'] },
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } } }),
        ]),
      },
    });
    acme!.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 100 });
    inhouse!.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 100 });
  });

  it('warns at synth that the example CIDR is a documentation block, so a copied file does not refuse every caller silently', () => {
    // Prepare
    const [acme, inhouse] = stacks.mirrors;

    // Act
    const acmeWarnings = Annotations.fromStack(acme!).findWarning(
      '*',
      Match.stringLikeRegexp('203\\.0\\.113\\.0/24.*reserved for documentation'),
    );
    const inhouseWarnings = Annotations.fromStack(inhouse!).findWarning('*', Match.stringLikeRegexp('reserved for documentation'));

    // Assess
    expect(acmeWarnings).toHaveLength(1);
    expect(inhouseWarnings).toHaveLength(0);
  });
});
