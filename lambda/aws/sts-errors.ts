import { MetricStoreConnectionError } from '../errors.js';
import { AwsServiceError } from './aws-api.js';

/** What the message may say about the AssumeRole call: never the external id or a secret. */
export interface StsCallContext {
  region: string;
  /** Undefined when the mirror uses its own credentials without assuming a role. */
  roleArn?: string | undefined;
  hasExternalId: boolean;
  /** The source credentials are the static keys of the Connection Details (not the mirror's role). */
  staticSource: boolean;
}

const MAX_QUOTED = 300;

/**
 * Turns a failure of AssumeRole (or of loading the mirror's own credentials) into a typed
 * error whose message tells the StackState user what to fix. STS's own message is quoted in
 * part: it names the identities and accounts involved, which helps, and holds no secret.
 */
export function stsError(error: unknown, context: StsCallContext): MetricStoreConnectionError {
  const code = errorCode(error);
  const said = stsSaid(error);
  const role = context.roleArn ?? 'the role';
  const source = context.staticSource
    ? 'the aws_access_key_id / aws_secret_access_key in the Connection Details'
    : "the mirror's own AWS credentials (its execution role)";
  const options = { cause: error };

  if (isAbort(error)) {
    return new MetricStoreConnectionError(
      'timeout',
      `STS did not answer AssumeRole for ${role} in time (region ${context.region}). Check that the mirror can reach sts.${context.region}.amazonaws.com (NAT gateway or an STS VPC endpoint).`,
      undefined,
      options,
    );
  }
  switch (code) {
    case 'AccessDenied':
    case 'AccessDeniedException':
      return new MetricStoreConnectionError(
        'sts',
        `STS refused to let the mirror assume ${role} (AccessDenied). The role's trust policy must trust the mirror's execution role for sts:AssumeRole` +
          (context.hasExternalId
            ? ', with a condition sts:ExternalId equal to the external_id in the Connection Details — check that aws.external_id matches the trust policy exactly'
            : '; if the trust policy requires an external id, add aws.external_id to the Connection Details') +
          `. The mirror's execution role also needs sts:AssumeRole on ${role}.${said}`,
        undefined,
        options,
      );
    case 'RegionDisabledException':
      return new MetricStoreConnectionError(
        'sts',
        `STS is not activated in ${context.region} for the account (RegionDisabledException). An administrator can activate it in the IAM console under Account settings → Security Token Service (STS) endpoints, for the account the message names.${said}`,
        undefined,
        options,
      );
    case 'Throttling':
    case 'ThrottlingException':
    case 'TooManyRequestsException':
    case 'RequestLimitExceeded':
      return new MetricStoreConnectionError(
        'throttled',
        `STS is throttling AssumeRole for ${role} (Rate exceeded). The mirror caches credentials per connection, so this usually means something else in the account calls STS heavily. Try again in a minute.${said}`,
        undefined,
        options,
      );
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
    case 'SignatureDoesNotMatch':
    case 'IncompleteSignature':
    case 'MissingAuthenticationToken':
      return new MetricStoreConnectionError(
        'sts',
        `STS does not accept ${source} (${code}): the access key is unknown, deactivated or its secret is wrong.${said}`,
        undefined,
        options,
      );
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return new MetricStoreConnectionError(
        'sts',
        `STS says ${source} have expired (${code}). Refresh the session token, or use the mirror's execution role instead of static keys.${said}`,
        undefined,
        options,
      );
    case 'CredentialsProviderError':
      return new MetricStoreConnectionError(
        'sts',
        `The mirror has no AWS credentials of its own to call STS with (no environment keys, profile or execution role found). Deploy it with an execution role, or put aws_access_key_id and aws_secret_access_key in the Connection Details.`,
        undefined,
        options,
      );
    case 'ValidationError':
    case 'InvalidParameterValue':
    case 'MalformedPolicyDocument':
    case 'MalformedPolicyDocumentException':
    case 'PackedPolicyTooLarge':
    case 'PackedPolicyTooLargeException':
      return new MetricStoreConnectionError(
        'sts',
        `STS refused the AssumeRole parameters (${code}). Check aws.role_arn, aws.role_session_name and aws.token_expiry_seconds (at most the role's maximum session duration, and at most 3600 when the mirror itself runs as a role).${said}`,
        undefined,
        options,
      );
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'TimeoutError':
      return new MetricStoreConnectionError(
        'network',
        `The mirror cannot reach STS in ${context.region} (${code}). Check its network egress to sts.${context.region}.amazonaws.com (NAT gateway or an STS VPC endpoint).`,
        undefined,
        options,
      );
    default: {
      const status = httpStatus(error);
      if (status !== undefined && status >= 500) {
        return new MetricStoreConnectionError(
          'sts',
          `STS failed with HTTP ${status} while assuming ${role}. Try again later.${said}`,
          undefined,
          options,
        );
      }
      return new MetricStoreConnectionError('sts', `AssumeRole for ${role} failed${code ? ` (${code})` : ''}.${said}`, undefined, options);
    }
  }
}

/** The AWS error code (an AwsServiceError's `name`), or a Node system error code. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const record = e as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && /^E[A-Z_]+$/.test(record.code)) return record.code;
    if (typeof record.name === 'string' && record.name !== 'Error') return record.name;
    e = record.cause;
  }
  return undefined;
}

/** The HTTP status of an answer STS gave; undefined when it gave none (network, timeout). */
function httpStatus(error: unknown): number | undefined {
  return error instanceof AwsServiceError ? error.status : undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** STS's own message, one line, shortened; only for errors STS itself answered. */
function stsSaid(error: unknown): string {
  if (httpStatus(error) === undefined || !(error instanceof Error) || !error.message) return '';
  const line = error.message.replace(/\s+/g, ' ').trim();
  return ` STS said: ${line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED)}…` : line}`;
}
