import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReaderRoleStack } from '../../lib/reader-role-stack.js';
import { TenantsConfigError } from '../../lib/tenants-config.js';
import { actionsOf, iamStatements, nagFindings, testApp } from './helpers.js';

const MIRROR_ROLE = 'arn:aws:iam::444455556666:role/StackStateMirror-acme-MirrorRole-AbCdEf';
const WORKSPACE = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-11111111-2222';

let stack: ReaderRoleStack;
let template: Template;

beforeAll(() => {
  stack = new ReaderRoleStack(testApp(), 'StackStateMirrorReader-acme', {
    mirrorRoleArn: MIRROR_ROLE,
    workspaceUrl: WORKSPACE,
    roleName: 'StackStateMirrorReader-acme',
  });
  template = Template.fromStack(stack);
});

describe('the reader role', () => {
  it('trusts only the mirror execution role, and only with the external id parameter', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'StackStateMirrorReader-acme',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { AWS: MIRROR_ROLE },
            Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
          },
        ],
      },
    });
  });

  it('may only run the four AMP reads on the one workspace, in its own account', () => {
    // Prepare
    const statements = iamStatements(template).filter((s) => s.Principal === undefined);

    // Act / Assess
    expect(statements).toHaveLength(1);
    expect([...actionsOf(statements[0]!)].sort()).toEqual(['aps:GetLabels', 'aps:GetMetricMetadata', 'aps:GetSeries', 'aps:QueryMetrics']);
    expect(statements[0]!.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':aps:eu-west-1:', { Ref: 'AWS::AccountId' }, ':workspace/ws-11111111-2222']],
    });
  });

  it('takes the external id as a hidden parameter of at least 32 characters, never a value in the template', () => {
    // Prepare / Act / Assess
    template.hasParameter('ExternalId', { Type: 'String', NoEcho: true, MinLength: 32 });
    expect(template.toJSON().Parameters).not.toHaveProperty('BootstrapVersion');
  });

  it('outputs the role ARN and the aws part of the Connection Details JSON', () => {
    // Prepare / Act / Assess
    template.hasOutput('ReaderRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReaderRole'), 'Arn'] } });
    const aws = JSON.stringify(template.findOutputs('ConnectionDetailsAws'));
    expect(aws).toContain('region_name');
    expect(aws).toContain('external_id');
  });

  it('leaves no cdk-nag finding', () => {
    // Prepare / Act / Assess
    expect(nagFindings(stack)).toEqual([]);
  });

  it.each([
    ['a user as mirror principal', { mirrorRoleArn: 'arn:aws:iam::444455556666:user/bob' }, /mirrorRoleArn/],
    ['a non-AMP workspace URL', { workspaceUrl: 'https://prometheus.example.com' }, /must be an AMP workspace URL/],
  ])('refuses %s', (_case, override, message) => {
    // Prepare
    const props = { mirrorRoleArn: MIRROR_ROLE, workspaceUrl: WORKSPACE, ...override };

    // Act
    const act = () => new ReaderRoleStack(testApp(), 'Bad', props);

    // Assess
    expect(act).toThrow(TenantsConfigError);
    expect(act).toThrow(message);
  });
});
