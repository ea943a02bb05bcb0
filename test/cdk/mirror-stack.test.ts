import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { MirrorStack } from '../../lib/mirror-stack.js';
import { acknowledgements, actionsOf, iamStatements, nagFindings, testApp } from './helpers.js';

const WORKSPACE = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-11111111-2222-3333-4444-555555555555';
const OTHER_WORKSPACE = 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-abc';
const SELF_HOSTED = 'https://prometheus.example.com/prom';
const READER = 'arn:aws:iam::111122223333:role/StackStateMirrorReader-acme';
const READER_2 = 'arn:aws:iam::999988887777:role/path/OtherReader';
const TOPIC = 'arn:aws:sns:eu-west-1:444455556666:mirror-alarms';

let stack: MirrorStack;
let template: Template;
let outdir: string;

beforeAll(() => {
  const app = testApp();
  stack = new MirrorStack(app, 'StackStateMirror-acme', {
    tenant: 'acme',
    allowedWorkspaceUrls: [WORKSPACE, OTHER_WORKSPACE, SELF_HOSTED],
    allowedRoleArns: [READER, READER_2],
    allowedSourceCidrs: ['203.0.113.0/24', '2001:db8::/32'],
    throttling: { rateLimit: 20, burstLimit: 40 },
    reservedConcurrency: 40,
    alarmTopicArn: TOPIC,
  });
  template = Template.fromStack(stack);
  outdir = app.outdir;
});

function resourceOfType(type: string): Record<string, unknown> {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Record<string, unknown> }).Properties;
}

describe('the mirror function', () => {
  it('runs Node.js 24 on arm64 with 512 MB and the handler of the ESM bundle', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Handler: 'index.handler',
    });
  });

  it('holds the configured reserved concurrency', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 40 });
  });

  it('times out before API Gateway gives up (29 s)', () => {
    // Prepare
    const fn = resourceOfType('AWS::Lambda::Function');

    // Act
    const timeout = fn.Timeout as number;

    // Assess
    expect(timeout).toBeGreaterThan(0);
    expect(timeout).toBeLessThan(29);
  });

  it('gets secret ARNs (references to the generated secrets), never secret values, in its environment', () => {
    // Prepare
    const secrets = Object.keys(template.findResources('AWS::SecretsManager::Secret'));

    // Act
    const env = (resourceOfType('AWS::Lambda::Function').Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(secrets).toHaveLength(2);
    expect(env.MIRROR_API_KEY_SECRET_ARN).toEqual({ Ref: expect.any(String) });
    expect(env.MIRROR_CALLER_TOKEN_SECRET_ARN).toEqual({ Ref: expect.any(String) });
    const referenced = [env.MIRROR_API_KEY_SECRET_ARN, env.MIRROR_CALLER_TOKEN_SECRET_ARN].map((v) => (v as { Ref: string }).Ref);
    expect(referenced.sort()).toEqual([...secrets].sort());
    expect(Object.keys(env)).not.toContain('MIRROR_API_KEY');
    expect(Object.keys(env)).not.toContain('MIRROR_CALLER_TOKEN');
  });

  it('gets the tenant, allowlists, source networks and secret TTL in its environment, and no source-map flag (it costs every cold start)', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MIRROR_TENANT: 'acme',
          MIRROR_ALLOWED_URLS: `${WORKSPACE},${OTHER_WORKSPACE},${SELF_HOSTED}`,
          MIRROR_ALLOWED_ROLE_ARNS: `${READER},${READER_2}`,
          MIRROR_ALLOWED_SOURCE_CIDRS: '203.0.113.0/24,2001:db8::/32',
          MIRROR_SECRET_TTL_SECONDS: '300',
          NODE_OPTIONS: Match.absent(),
        }),
      },
    });
  });

  it('logs to its own log group with a 30-day retention', () => {
    // Prepare
    const fn = resourceOfType('AWS::Lambda::Function');
    const groups = template.findResources('AWS::Logs::LogGroup');

    // Act
    const logGroupRef = (fn.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;

    // Assess
    expect(groups[logGroupRef]?.Properties).toMatchObject({ RetentionInDays: 30 });
  });

  it('is bundled as an ESM file that loads and exports the handler', async () => {
    // Prepare
    const fn = resourceOfType('AWS::Lambda::Function');
    const key = (fn.Code as { S3Key: string }).S3Key;
    const bundle = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');

    // Act
    const text = readFileSync(bundle, 'utf8');
    const module = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };

    // Assess
    expect(text.startsWith("import { createRequire as __mirrorCreateRequire } from 'node:module';")).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(false);
    expect(typeof module.handler).toBe('function');
  });
});

describe('IAM', () => {
  it('has no wildcard action anywhere', () => {
    // Prepare
    const actions = iamStatements(template).flatMap(actionsOf);

    // Act
    const wildcards = actions.filter((a) => a.includes('*'));

    // Assess
    expect(actions.length).toBeGreaterThan(0);
    expect(wildcards).toEqual([]);
  });

  it('allows sts:AssumeRole on exactly the allowed roles, and nowhere else', () => {
    // Prepare
    const assume = iamStatements(template).filter((s) => actionsOf(s).includes('sts:AssumeRole') && s.Principal === undefined);

    // Act / Assess
    expect(assume).toHaveLength(1);
    expect(actionsOf(assume[0]!)).toEqual(['sts:AssumeRole']);
    expect(assume[0]!.Resource).toEqual([READER, READER_2]);
  });

  it('allows the four AMP reads on exactly the allowed workspaces, as ARNs in the stack account', () => {
    // Prepare
    const arn = (region: string, id: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:aps:${region}:`, { Ref: 'AWS::AccountId' }, `:workspace/${id}`]],
    });
    const aps = iamStatements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('aps:')));

    // Act / Assess
    expect(aps).toHaveLength(1);
    expect([...actionsOf(aps[0]!)].sort()).toEqual(['aps:GetLabels', 'aps:GetMetricMetadata', 'aps:GetSeries', 'aps:QueryMetrics']);
    expect(aps[0]!.Resource).toEqual([arn('eu-west-1', 'ws-11111111-2222-3333-4444-555555555555'), arn('us-east-1', 'ws-abc')]);
  });

  it('lets the function read only its two secrets and write only its own log group', () => {
    // Prepare
    const statements = iamStatements(template).filter((s) => s.Principal === undefined);

    // Act
    const secretReads = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    const logWrites = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));

    // Assess
    expect(secretReads.map((s) => s.Resource)).toEqual([
      { Ref: expect.stringMatching(/^ApiKey/) },
      { Ref: expect.stringMatching(/^CallerToken/) },
    ]);
    expect(
      secretReads.flatMap(actionsOf).every((a) => ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'].includes(a)),
    ).toBe(true);
    expect(logWrites).toHaveLength(1);
    expect(logWrites[0]!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^MirrorLogGroup/), 'Arn'] });
  });

  it('uses no AWS managed policy', () => {
    // Prepare / Act
    const roles = Object.values(template.findResources('AWS::IAM::Role'));

    // Assess
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('secrets', () => {
  it('generates both secrets in Secrets Manager, with no value in the template', () => {
    // Prepare
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));

    // Act / Assess
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.SecretStringBeta1).toBeUndefined();
    }
  });
});

describe('the REST API (the edge)', () => {
  it('is a regional REST API whose resource policy lets in only the tenant networks, with an explicit deny for the rest', () => {
    // Prepare
    const cidrs = ['203.0.113.0/24', '2001:db8::/32'];

    // Act / Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      Policy: {
        Statement: [
          {
            Sid: 'AllowTenantCallers',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { IpAddress: { 'aws:SourceIp': cidrs } },
          },
          {
            Sid: 'DenyOtherSourceNetworks',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { NotIpAddress: { 'aws:SourceIp': cidrs } },
          },
        ],
      },
    });
  });

  it('routes ANY / and ANY /{proxy+} to the function as a Lambda proxy (payload 1.0), without an authorizer', () => {
    // Prepare
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));

    // Act
    const integrations = methods.map((m) => m.Properties.Integration as { Type: string; Uri: unknown });

    // Assess
    expect(methods).toHaveLength(2);
    for (const m of methods) expect(m.Properties).toMatchObject({ HttpMethod: 'ANY', AuthorizationType: 'NONE' });
    for (const i of integrations) expect(JSON.stringify(i.Uri)).toContain('MirrorFunction');
    expect(integrations.map((i) => i.Type)).toEqual(['AWS_PROXY', 'AWS_PROXY']);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
  });

  it('lets only the deployed stage invoke the function (no test-invoke permission)', () => {
    // Prepare
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));

    // Act
    const sources = permissions.map((p) => JSON.stringify(p.Properties.SourceArn));

    // Assess
    expect(permissions).toHaveLength(2);
    for (const source of sources) expect(source).toMatch(/EdgeApiDeploymentStagemirror/);
    for (const source of sources) expect(source).not.toContain('test-invoke-stage');
  });

  it('throttles the stage with the configured rate and burst', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'mirror',
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }),
      ]),
    });
  });

  it('writes JSON access logs with ids, status, error type and timings but no headers or bodies to their own log group', () => {
    // Prepare
    const stage = resourceOfType('AWS::ApiGateway::Stage');
    const settings = stage.AccessLogSetting as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    const groups = template.findResources('AWS::Logs::LogGroup');

    // Act
    const format = JSON.parse(settings.Format) as Record<string, string>;

    // Assess
    expect(format).toMatchObject({
      tenant: 'acme',
      requestId: '$context.requestId',
      status: '$context.status',
      errorType: '$context.error.responseType',
      sourceIp: '$context.identity.sourceIp',
    });
    expect(settings.Format).not.toMatch(/\$input|\$request\.header|\$context\.authorizer|requestOverride/i);
    const group = groups[settings.DestinationArn['Fn::GetAtt'][0]];
    expect(group?.Properties).toMatchObject({ RetentionInDays: 30 });
  });
});

describe('alarms and metrics', () => {
  it('alarms on the error rate, Errors / Requests of this tenant, and notifies the topic', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [TOPIC],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('errors.*/ requests') }),
        Match.objectLike({
          Id: 'requests',
          MetricStat: Match.objectLike({
            Metric: { Namespace: 'StackStateMirror', MetricName: 'Requests', Dimensions: [{ Name: 'Tenant', Value: 'acme' }] },
          }),
        }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: { Namespace: 'StackStateMirror', MetricName: 'Errors', Dimensions: [{ Name: 'Tenant', Value: 'acme' }] },
          }),
        }),
      ]),
    });
  });

  it('counts 429 answers from the access log and alarms on them', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [
        Match.objectLike({
          MetricNamespace: 'StackStateMirror',
          MetricName: 'Http429',
          Dimensions: [{ Key: 'Tenant', Value: '$.tenant' }],
        }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'StackStateMirror',
      MetricName: 'Http429',
      Dimensions: [{ Name: 'Tenant', Value: 'acme' }],
      AlarmActions: [TOPIC],
    });
  });

  it('alarms on Lambda throttles and on function errors', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 1 });
  });

  it('counts the callers the resource policy refused from the access log', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.errorType = "ACCESS_DENIED" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'StackStateMirror', MetricName: 'EdgeDenied' })],
    });
  });

  it('adds a dashboard with the REST API metrics (ApiName and Stage dimensions)', () => {
    // Prepare
    const dashboard = resourceOfType('AWS::CloudWatch::Dashboard');

    // Act
    const body = JSON.stringify(dashboard.DashboardBody);

    // Assess
    expect(body).toContain('\\"AWS/ApiGateway\\",\\"4XXError\\",\\"ApiName\\",\\"StackStateMirror-acme\\",\\"Stage\\"');
    expect(body).toContain('EdgeDenied');
  });
});

describe('outputs', () => {
  it('gives the Mirror URL, both secret ARNs and the execution role ARN', () => {
    // Prepare / Act / Assess
    template.hasOutput('MirrorUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '/'])] } });
    template.hasOutput('ApiKeySecretArn', { Value: { Ref: Match.stringLikeRegexp('^ApiKey') } });
    template.hasOutput('CallerTokenSecretArn', { Value: { Ref: Match.stringLikeRegexp('^CallerToken') } });
    template.hasOutput('ExecutionRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MirrorRole'), 'Arn'] } });
  });

  it('gives a Connection Details JSON template filled from the config, with placeholders for what is secret', () => {
    // Prepare
    const output = template.findOutputs('ConnectionDetailsTemplate').ConnectionDetailsTemplate as { Value: string };

    // Act
    const details = JSON.parse(output.Value) as Record<string, unknown>;

    // Assess
    expect(details).toEqual({
      url: WORKSPACE,
      request_timeout_seconds: 20,
      nan_interpretation: 'ZERO',
      mirror_token: expect.stringMatching(/^<.*CallerTokenSecretArn.*>$/),
      aws: {
        role_arn: READER,
        external_id: expect.stringMatching(/^<.*>$/),
        region_name: 'eu-west-1',
        role_session_name: 'StackState-Prometheus-Mirror',
        token_expiry_seconds: 900,
      },
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no unacknowledged error or warning', () => {
    // Prepare / Act
    const findings = nagFindings(stack);

    // Assess
    expect(findings).toEqual([]);
  });

  it('acknowledges only rotation, in-function authorization and the edge design choices, each with a reason', () => {
    // Prepare / Act
    const acknowledged = acknowledgements(stack);

    // Assess
    expect(acknowledged.map((a) => `${a.id} ${a.path}`).sort()).toEqual([
      'AwsSolutions-APIG2 StackStateMirror-acme/Edge/Api',
      'AwsSolutions-APIG3 StackStateMirror-acme/Edge/Api/DeploymentStage.mirror',
      'AwsSolutions-APIG4 StackStateMirror-acme/Edge/Api/Default/ANY',
      'AwsSolutions-APIG4 StackStateMirror-acme/Edge/Api/Default/{proxy+}/ANY',
      'AwsSolutions-APIG6 StackStateMirror-acme/Edge/Api/DeploymentStage.mirror',
      'AwsSolutions-COG4 StackStateMirror-acme/Edge/Api/Default/ANY',
      'AwsSolutions-COG4 StackStateMirror-acme/Edge/Api/Default/{proxy+}/ANY',
      'AwsSolutions-SMG4 StackStateMirror-acme/ApiKey',
      'AwsSolutions-SMG4 StackStateMirror-acme/CallerToken',
    ]);
    for (const a of acknowledged) expect(a.reason.length).toBeGreaterThan(80);
  });

  it('does report findings on a stack that has them (the check is live)', () => {
    // Prepare
    const other = new Stack(testApp(), 'Unsafe');
    new Bucket(other, 'Bucket');

    // Act
    const findings = nagFindings(other);

    // Assess
    expect(findings.map((f) => f.rule)).toContain('AwsSolutions-S1');
  });
});
