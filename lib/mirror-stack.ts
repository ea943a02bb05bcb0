import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RestApi, Stage } from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { DEFAULT_ROLE_SESSION_NAME, DEFAULT_SESSION_SECONDS, ENV, NO_ROLES } from '../lambda/contract/index.js';
import { AMP_READ_ACTIONS, parseAmpWorkspaceUrl } from './amp-workspace.js';
import { acknowledgeManualRotation } from './mirror-nag.js';
import { MirrorApi } from './mirror-api.js';
import { warnDocumentationCidrs } from './documentation-cidrs.js';
import { MirrorFunction } from './mirror-function.js';
import { MirrorMonitoring } from './mirror-monitoring.js';
import { boundsEnvironment, type MirrorBounds, parseTenantsConfig } from './tenants-config.js';

export interface MirrorStackProps extends StackProps {
  /** Lower-case letters, digits, hyphens; the `Tenant` metric dimension and `MIRROR_TENANT`. */
  readonly tenant: string;
  /** The metric stores this tenant may name in `connectionDetails.url` (https). */
  readonly allowedWorkspaceUrls: string[];
  /** The roles this tenant may name in `connectionDetails.aws.role_arn`; empty: only the mirror's own role. */
  readonly allowedRoleArns?: string[];
  /**
   * Caller networks (StackState's egress addresses): the API's resource policy refuses every
   * other source before any invocation, and the function checks again. Default: any source.
   */
  readonly allowedSourceCidrs?: string[];
  /** A private API, reachable only through these interface VPC endpoints. @default a regional (public) API */
  readonly privateEndpoint?: { readonly vpcEndpointIds: string[] };
  /** Lambda reserved concurrency. @default min(⌈rateLimit × 25 s⌉, 100) */
  readonly reservedConcurrency?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** API Gateway stage throttling. @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default 512 */
  readonly memorySize?: number;
  /** How long the function caches the secrets (rotation delay). @default 300 */
  readonly secretTtlSeconds?: number;
  /** Closed-bucket cache: buckets younger than this are always asked again; 0 = off. @default 600 */
  readonly cacheFreshnessSeconds?: number;
  /** @default 10 */
  readonly errorRateAlarmPercent?: number;
  /** An existing SNS topic for the alarms. @default alarms without actions */
  readonly alarmTopicArn?: string;
  /** @default true */
  readonly dashboard?: boolean;
  /** Per-request bounds (answer bytes, store calls, retention, query cost). @default the function's defaults */
  readonly bounds?: MirrorBounds;
  /** The handler file. @default lambda/handler.ts */
  readonly handlerEntry?: string;
}

/**
 * One tenant's mirror: a REST API (catch-all methods, a resource policy that refuses callers
 * outside the tenant's networks or VPC endpoints, access log, throttling) in front of one
 * Lambda with reserved concurrency, two generated secrets (the API key returned in `X-MIRROR-API-KEY` and the caller
 * token StackState sends as `mirror_token`), least-privilege IAM (AssumeRole only on the
 * allowed roles, AMP reads only on the allowed same-account workspaces), alarms and outputs
 * ready for the StackState data source form.
 *
 * Props are validated with the same rules as `config/tenants.json`.
 *
 * @example
 * new MirrorStack(app, 'StackStateMirror-acme', {
 *   tenant: 'acme',
 *   allowedWorkspaceUrls: ['https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1'],
 *   allowedRoleArns: ['arn:aws:iam::111122223333:role/StackStateMirrorReader'],
 * });
 */
export class MirrorStack extends Stack {
  readonly mirror: MirrorFunction;
  readonly api: RestApi;
  readonly stage: Stage;
  readonly apiKeySecret: Secret;
  readonly callerTokenSecret: Secret;
  readonly monitoring: MirrorMonitoring;

  constructor(scope: Construct, id: string, props: MirrorStackProps) {
    const tenant = validated(props); // before any construct exists, so a bad prop leaves no half-built stack
    super(scope, id, props);
    warnDocumentationCidrs(this, props.allowedSourceCidrs);
    const allowedRoleArns = props.allowedRoleArns ?? [];
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.apiKeySecret = new Secret(this, 'ApiKey', {
      description: `StackState mirror ${tenant.name}: the API key (StackState data source "Api Key", sent back in X-MIRROR-API-KEY)`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    this.callerTokenSecret = new Secret(this, 'CallerToken', {
      description: `StackState mirror ${tenant.name}: the caller token (Connection Details JSON "mirror_token")`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    this.mirror = new MirrorFunction(this, 'Mirror', {
      ...(props.handlerEntry === undefined ? {} : { entry: props.handlerEntry }),
      description: `StackState mirror for AMP, tenant ${tenant.name}`,
      memorySize: tenant.memorySize,
      reservedConcurrentExecutions: tenant.reservedConcurrency,
      logRetention,
      environment: {
        [ENV.tenant]: tenant.name,
        [ENV.apiKeySecretArn]: this.apiKeySecret.secretArn,
        [ENV.callerTokenSecretArn]: this.callerTokenSecret.secretArn,
        [ENV.secretTtlSeconds]: String(tenant.secretTtlSeconds),
        [ENV.cacheFreshnessSeconds]: String(tenant.cacheFreshnessSeconds),
        [ENV.allowedUrls]: tenant.allowedWorkspaceUrls.join(','),
        // `none`, not '': an empty variable would mean "no restriction" (local use).
        [ENV.allowedRoleArns]: allowedRoleArns.length === 0 ? NO_ROLES : allowedRoleArns.join(','),
        ...(tenant.allowedSourceCidrs === undefined ? {} : { [ENV.allowedSourceCidrs]: tenant.allowedSourceCidrs.join(',') }),
        ...boundsEnvironment(tenant),
      },
    });
    [this.apiKeySecret, this.callerTokenSecret].forEach(acknowledgeManualRotation);
    this.apiKeySecret.grantRead(this.mirror.role);
    this.callerTokenSecret.grantRead(this.mirror.role);
    this.grantReach(tenant.allowedWorkspaceUrls, allowedRoleArns);

    const accessLogGroup = new LogGroup(this, 'AccessLogs', { retention: logRetention });
    const edge = new MirrorApi(this, 'Edge', {
      tenant: tenant.name,
      function: this.mirror.function,
      accessLogGroup,
      throttling: tenant.throttling,
      ...(tenant.allowedSourceCidrs === undefined ? {} : { allowedSourceCidrs: tenant.allowedSourceCidrs }),
      ...(tenant.privateEndpoint === undefined ? {} : { vpcEndpointIds: tenant.privateEndpoint.vpcEndpointIds }),
    });
    this.api = edge.api;
    this.stage = edge.stage;

    this.monitoring = new MirrorMonitoring(this, 'Monitoring', {
      tenant: tenant.name,
      function: this.mirror.function,
      accessLogGroup,
      api: { name: this.api.restApiName, stage: this.stage.stageName },
      errorRateAlarmPercent: tenant.errorRateAlarmPercent,
      dashboard: tenant.dashboard,
      ...(tenant.alarmTopicArn === undefined ? {} : { alarmTopicArn: tenant.alarmTopicArn }),
    });

    this.addOutputs(tenant.name, tenant.allowedWorkspaceUrls, allowedRoleArns);
    if (tenant.privateEndpoint !== undefined) this.addPrivateUrlOutput(tenant.privateEndpoint.vpcEndpointIds[0] ?? '');
  }

  /** `sts:AssumeRole` on exactly the allowed roles; AMP reads on the allowed workspaces in this account. */
  private grantReach(workspaceUrls: string[], roleArns: string[]): void {
    if (roleArns.length > 0) {
      this.mirror.role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'AssumeAllowedReaderRoles', actions: ['sts:AssumeRole'], resources: roleArns }),
      );
    }
    // An AMP URL does not name its account. The ARN below carries this stack's account, so it
    // matches a workspace only if it lives here; a workspace elsewhere is reached through a role.
    const workspaceArns = [
      ...new Set(
        workspaceUrls.flatMap((url) => {
          const workspace = parseAmpWorkspaceUrl(url);
          return workspace === undefined
            ? []
            : [
                this.formatArn({
                  service: 'aps',
                  region: workspace.region,
                  resource: 'workspace',
                  resourceName: workspace.workspaceId,
                  arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
                }),
              ];
        }),
      ),
    ];
    if (workspaceArns.length > 0) {
      this.mirror.role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'ReadAllowedWorkspaces', actions: [...AMP_READ_ACTIONS], resources: workspaceArns }),
      );
    }
  }

  /** Without private DNS on the VPC endpoint, a private API is reached at the endpoint's own name. */
  private addPrivateUrlOutput(vpcEndpointId: string): void {
    new CfnOutput(this, 'MirrorUrlWithoutPrivateDns', {
      description: 'StackState data source "Mirror URL" when the VPC endpoint has no private DNS enabled',
      value: `https://${this.api.restApiId}-${vpcEndpointId}.execute-api.${this.region}.vpce.amazonaws.com/${this.stage.stageName}/`,
    });
  }

  private addOutputs(tenant: string, workspaceUrls: string[], roleArns: string[]): void {
    new CfnOutput(this, 'MirrorUrl', {
      description: 'StackState data source "Mirror URL"',
      value: this.api.url,
    });
    new CfnOutput(this, 'ApiKeySecretArn', {
      description:
        'StackState data source "Api Key": aws secretsmanager get-secret-value --secret-id <this> --query SecretString --output text',
      value: this.apiKeySecret.secretArn,
    });
    new CfnOutput(this, 'CallerTokenSecretArn', {
      description: 'The "mirror_token" of the Connection Details JSON (same command as the API key)',
      value: this.callerTokenSecret.secretArn,
    });
    new CfnOutput(this, 'ExecutionRoleArn', {
      description: "The mirror's execution role: the principal that customer reader roles must trust",
      value: this.mirror.role.roleArn,
    });
    new CfnOutput(this, 'ConnectionDetailsTemplate', {
      description: `Connection Details JSON for tenant ${tenant}: replace the <…> placeholders`,
      value: connectionDetailsTemplate(workspaceUrls[0] ?? '', roleArns[0]),
    });
  }
}

/**
 * The Connection Details JSON a user pastes into StackState, with placeholders for what only
 * they can fill in (the caller token, the external id).
 *
 * @param workspaceUrl - The AMP workspace URL (region is read from it).
 * @param roleArn - The customer reader role; `undefined` for a workspace the mirror's own role reads.
 */
export function connectionDetailsTemplate(workspaceUrl: string, roleArn: string | undefined): string {
  const region = parseAmpWorkspaceUrl(workspaceUrl)?.region;
  const aws: Record<string, unknown> = {
    ...(roleArn === undefined
      ? {}
      : {
          role_arn: roleArn,
          external_id: '<ExternalId of the reader role stack>',
          role_session_name: DEFAULT_ROLE_SESSION_NAME,
          token_expiry_seconds: DEFAULT_SESSION_SECONDS,
        }),
    ...(region === undefined ? {} : { region_name: region }),
  };
  return JSON.stringify({
    url: workspaceUrl,
    request_timeout_seconds: 20,
    nan_interpretation: 'ZERO',
    mirror_token: '<value of the CallerTokenSecretArn secret>',
    ...(Object.keys(aws).length === 0 ? {} : { aws }),
  });
}

/** Applies the tenants-file rules (and defaults) to the props. */
function validated(props: MirrorStackProps) {
  const config = parseTenantsConfig(
    {
      tenants: [
        {
          name: props.tenant,
          allowedWorkspaceUrls: props.allowedWorkspaceUrls,
          allowedRoleArns: props.allowedRoleArns ?? [],
          ...(props.allowedSourceCidrs === undefined ? {} : { allowedSourceCidrs: props.allowedSourceCidrs }),
          ...(props.privateEndpoint === undefined ? {} : { privateEndpoint: props.privateEndpoint }),
          ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrency: props.reservedConcurrency }),
          ...(props.throttling === undefined ? {} : { throttling: props.throttling }),
          ...(props.memorySize === undefined ? {} : { memorySize: props.memorySize }),
          ...(props.secretTtlSeconds === undefined ? {} : { secretTtlSeconds: props.secretTtlSeconds }),
          ...(props.cacheFreshnessSeconds === undefined ? {} : { cacheFreshnessSeconds: props.cacheFreshnessSeconds }),
          ...(props.errorRateAlarmPercent === undefined ? {} : { errorRateAlarmPercent: props.errorRateAlarmPercent }),
          ...(props.alarmTopicArn === undefined ? {} : { alarmTopicArn: props.alarmTopicArn }),
          ...(props.dashboard === undefined ? {} : { dashboard: props.dashboard }),
          ...props.bounds,
        },
      ],
    },
    `(MirrorStack ${props.tenant})`,
  );
  const tenant = config.tenants[0];
  if (tenant === undefined) throw new Error('unreachable: a validated config with one tenant has a tenant');
  return tenant;
}
