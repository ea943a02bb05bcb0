import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

// cdk-nag (AwsSolutions) findings this design accepts, each with the reason. Everything else
// the pack finds is fixed in the stack, not acknowledged (the stack tests assert no finding is left).

/**
 * AwsSolutions-SMG4 (no automatic rotation) on the API key and caller token secrets.
 *
 * @param secret - A secret whose copy lives in StackState's data source form.
 */
export function acknowledgeManualRotation(secret: IConstruct): void {
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'StackState keeps a copy of this value in its data source form, which only a person can update; ' +
      'an automatic rotation would break the data source until then. Rotation is a documented manual ' +
      'step (docs/deploy.md) that the function picks up within MIRROR_SECRET_TTL_SECONDS.',
  });
}

/**
 * AwsSolutions-APIG4 (no API Gateway authorizer) and AwsSolutions-COG4 (no Cognito user pool
 * authorizer) on the catch-all methods.
 *
 * @param method - A method that forwards to the mirror function.
 */
export function acknowledgeInFunctionAuthorization(method: IConstruct): void {
  const reason =
    'StackState sends no credential header (the Mirror API has none): the caller token rides in the ' +
    'request body (Connection Details "mirror_token"), which API Gateway authorizers cannot read, and ' +
    "StackState cannot sign in to Cognito. The resource policy refuses callers outside the tenant's " +
    'networks or VPC endpoints first; the function then checks the token in constant time on every ' +
    'request and answers 401 without the API key otherwise.';
  Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
}

/**
 * The REST API findings the edge accepts by design: AwsSolutions-APIG2 (request validation) on
 * the API, AwsSolutions-APIG3 (WAF) and AwsSolutions-APIG6 (execution logging) on the stage.
 *
 * @param api - The tenant's REST API.
 * @param stage - Its stage.
 */
export function acknowledgeEdgeDesign(api: IConstruct, stage: IConstruct): void {
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG2',
    reason:
      "The function validates every body (zod) and answers with the Mirror API's typed error bodies " +
      'that StackState shows; a gateway validator would answer {"message": "Invalid request body"} ' +
      "instead, and StackState's content type is not documented, so a model could not be chosen by it.",
  });
  Validations.of(stage).acknowledge(
    {
      id: 'AwsSolutions-APIG3',
      reason:
        'Who may call is decided by the resource policy (aws:SourceIp or aws:SourceVpce), before any ' +
        'invocation and at no cost; request size, rate and cost are bounded by the stage throttle, ' +
        'reserved concurrency and the function. A web ACL would add about $6 a month per tenant and no ' +
        'rule the Mirror API needs.',
    },
    {
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logs need the account-wide API Gateway CloudWatch role (a managed policy on a role ' +
        "shared by every API of the region), which is not a tenant stack's to set. Every request is in " +
        "the JSON access log (status, error type, source) and every invocation in the function's log.",
    },
  );
}
