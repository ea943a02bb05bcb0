import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsServiceError } from '../../../lambda/aws/aws-api.js';
import { resetAwsCredentialState, resolveCredentials } from '../../../lambda/aws/credentials.js';
import { stsError } from '../../../lambda/aws/sts-errors.js';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { type AwsDouble, type AwsReply, installMirrorAwsDouble, stsFailure } from '../../support/aws/aws-double.js';

const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const EXTERNAL_ID = 'tenant-external-id-do-not-print';
const STATIC_KEY_ID = 'AKIASTATIC0000000001';
const STATIC_SECRET = 'static-secret-do-not-print';

let double: AwsDouble;

/** What resolveCredentials throws when every AssumeRole call gets `reply`. */
async function failureFor(reply: AwsReply, aws: Record<string, string> = { role_arn: ROLE, external_id: EXTERNAL_ID }) {
  double.onSts(() => reply);
  const caught = await resolveCredentials(aws, 'eu-west-1').catch((e: unknown) => e);
  expect(double.calls.filter((call) => call.service === 'sts').length).toBeGreaterThan(0);
  expect(caught).toBeInstanceOf(MetricStoreConnectionError);
  return caught as MetricStoreConnectionError;
}

/** A failure of the network under the STS call (no answer at all). */
function networkFailure(error: Error): AwsReply {
  return { error };
}

beforeEach(() => {
  resetAwsCredentialState();
  double = installMirrorAwsDouble({ [STATIC_KEY_ID]: { secretAccessKey: STATIC_SECRET } });
});

afterEach(() => {
  double.restore();
  vi.unstubAllEnvs();
});

describe('what the user reads when AssumeRole fails', () => {
  it('explains AccessDenied as trust policy and external id, without printing the external id', async () => {
    // Act
    const error = await failureFor(
      stsFailure(
        'AccessDenied',
        `User: arn:aws:sts::999988887777:assumed-role/mirror-exec/x is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      ),
    );

    // Assess
    expect(error.failure).toBe('sts');
    expect(error.details).toContain('AccessDenied');
    expect(error.details).toContain("trust policy must trust the mirror's execution role");
    expect(error.details).toContain('sts:ExternalId');
    expect(error.details).toContain('aws.external_id matches the trust policy');
    expect(error.details).toContain('assumed-role/mirror-exec');
    expect(error.details).not.toContain(EXTERNAL_ID);
  });

  it('suggests adding an external id when AccessDenied comes without one', async () => {
    // Act
    const error = await failureFor(stsFailure('AccessDenied', 'not authorized'), { role_arn: ROLE });

    // Assess
    expect(error.details).toContain('add aws.external_id');
  });

  it('explains RegionDisabledException as STS not activated in the region', async () => {
    // Act
    const error = await failureFor(stsFailure('RegionDisabledException', 'STS is not activated in this region for account:111122223333.'));

    // Assess
    expect(error.failure).toBe('sts');
    expect(error.details).toContain('STS is not activated in eu-west-1');
    expect(error.details).toContain('IAM console');
  });

  it('reports throttling as throttled, to be tried again', async () => {
    // Act
    const error = await failureFor(stsFailure('Throttling', 'Rate exceeded'));

    // Assess
    expect(error.failure).toBe('throttled');
    expect(error.status).toBe(429);
    expect(error.details).toContain('Rate exceeded');
    expect(error.details).toContain('Try again');
  });

  it.each(['InvalidClientTokenId', 'SignatureDoesNotMatch'] as const)("blames the mirror's own credentials for %s", async (code) => {
    // Act
    const error = await failureFor(stsFailure(code, 'The security token included in the request is invalid.'));

    // Assess
    expect(error.failure).toBe('sts');
    expect(error.details).toContain("the mirror's own AWS credentials");
    expect(error.details).toContain(code);
  });

  it('blames the static keys of the Connection Details when they were the source, without printing the secret', async () => {
    // Act
    const error = await failureFor(stsFailure('InvalidClientTokenId', 'The security token included in the request is invalid.'), {
      role_arn: ROLE,
      aws_access_key_id: STATIC_KEY_ID,
      aws_secret_access_key: STATIC_SECRET,
    });

    // Assess
    expect(error.details).toContain('aws_access_key_id / aws_secret_access_key in the Connection Details');
    expect(error.details).not.toContain(STATIC_SECRET);
  });

  it('says when the source credentials have expired', async () => {
    // Act
    const error = await failureFor(stsFailure('ExpiredToken', 'The security token included in the request is expired'));

    // Assess
    expect(error.failure).toBe('sts');
    expect(error.details).toContain('have expired');
  });

  it('points at token_expiry_seconds when STS refuses the parameters', async () => {
    // Act
    const error = await failureFor(
      stsFailure('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
    );

    // Assess
    expect(error.details).toContain('aws.token_expiry_seconds');
    expect(error.details).toContain('MaxSessionDuration');
  });

  it('reports an unreachable STS as a network failure naming the endpoint', async () => {
    // Act
    const error = await failureFor(networkFailure(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' })));

    // Assess
    expect(error.failure).toBe('network');
    expect(error.details).toContain('sts.eu-west-1.amazonaws.com');
  });

  it('reports an aborted call as a timeout', async () => {
    // Act
    const error = await failureFor(networkFailure(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));

    // Assess
    expect(error.failure).toBe('timeout');
  });

  it('reports STS server errors as such', async () => {
    // Act
    const error = await failureFor(stsFailure('InternalFailure', 'An internal error occurred.'));

    // Assess
    expect(error.details).toContain('HTTP 500');
  });
});

describe('stsError', () => {
  it('tells a mirror without credentials of its own how to get some', () => {
    // Prepare
    const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

    // Act
    const error = stsError(missing, { region: 'eu-west-1', hasExternalId: false, staticSource: false });

    // Assess
    expect(error.failure).toBe('sts');
    expect(error.details).toContain('no AWS credentials of its own');
  });

  it('keeps the original error as the cause, for the logs', () => {
    // Prepare
    const original = new AwsServiceError('AccessDenied', 403, 'no');

    // Act
    const error = stsError(original, { region: 'eu-west-1', roleArn: ROLE, hasExternalId: true, staticSource: false });

    // Assess
    expect(error.cause).toBe(original);
  });
});
