import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
  type Stage,
} from 'aws-cdk-lib/aws-apigateway';
import { InterfaceVpcEndpoint } from 'aws-cdk-lib/aws-ec2';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_STAGE_NAME } from '../lambda/contract/index.js';
import { edgePolicy } from './edge-policy.js';
import { acknowledgeEdgeDesign, acknowledgeInFunctionAuthorization } from './mirror-nag.js';

export interface MirrorApiProps {
  readonly tenant: string;
  readonly function: IFunction;
  readonly accessLogGroup: ILogGroup;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Caller networks the resource policy lets in; undefined: any source. */
  readonly allowedSourceCidrs?: readonly string[];
  /** A private API, reachable only through these interface VPC endpoints; undefined: a regional (public) API. */
  readonly vpcEndpointIds?: readonly string[];
}

/**
 * The tenant's edge: a REST API (payload 1.0 Lambda proxy, `ANY /` and `ANY /{proxy+}`) whose
 * resource policy refuses callers outside the tenant's networks or VPC endpoints before any
 * invocation, one stage with throttling and JSON access logs.
 */
export class MirrorApi extends Construct {
  readonly api: RestApi;
  readonly stage: Stage;

  constructor(scope: Construct, id: string, props: MirrorApiProps) {
    super(scope, id);
    const vpcEndpoints = props.vpcEndpointIds?.map((vpcEndpointId, index) =>
      InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(this, `VpcEndpoint${index}`, { vpcEndpointId, port: 443 }),
    );
    const policy = edgePolicy({
      ...(props.allowedSourceCidrs === undefined ? {} : { sourceCidrs: props.allowedSourceCidrs }),
      ...(props.vpcEndpointIds === undefined ? {} : { vpcEndpointIds: props.vpcEndpointIds }),
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: `StackStateMirror-${props.tenant}`,
      description: `StackState mirror for AMP, tenant ${props.tenant}`,
      endpointConfiguration:
        vpcEndpoints === undefined ? { types: [EndpointType.REGIONAL] } : { types: [EndpointType.PRIVATE], vpcEndpoints },
      ...(policy === undefined ? {} : { policy }),
      // the account-wide API Gateway logging role is not a tenant's to set (it needs a managed policy)
      cloudWatchRole: false,
      deployOptions: {
        stageName: API_STAGE_NAME,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        accessLogDestination: new LogGroupLogDestination(props.accessLogGroup),
        accessLogFormat: accessLogFormat(props.tenant),
        loggingLevel: MethodLoggingLevel.OFF,
        dataTraceEnabled: false,
      },
    });
    // The stack has its own MirrorUrl output; the construct's default one would repeat it.
    this.api.node.tryRemoveChild('Endpoint');
    this.stage = this.api.deploymentStage;

    // No test-invoke permission: only the deployed stage may invoke the function.
    const integration = new LambdaIntegration(props.function, { proxy: true, allowTestInvoke: false });
    const methods = [this.api.root.addMethod('ANY', integration), this.api.root.addResource('{proxy+}').addMethod('ANY', integration)];
    methods.forEach(acknowledgeInFunctionAuthorization);
    acknowledgeEdgeDesign(this.api, this.stage);
  }
}

/** JSON access log lines: ids, resource, status, timings, source address. No headers or bodies, so no secrets. */
function accessLogFormat(tenant: string): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      tenant,
      requestId: '$context.requestId',
      requestTime: '$context.requestTime',
      sourceIp: '$context.identity.sourceIp',
      vpceId: '$context.identity.vpceId',
      httpMethod: '$context.httpMethod',
      path: '$context.path',
      resourcePath: '$context.resourcePath',
      protocol: '$context.protocol',
      status: '$context.status',
      responseLength: '$context.responseLength',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      integrationStatus: '$context.integration.status',
      integrationError: '$context.integration.error',
      errorType: '$context.error.responseType',
      error: '$context.error.message',
    }),
  );
}
