import { Deadline } from '../../../lambda/deadline.js';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CREDENTIAL_ENTRIES } from '../../../lambda/aws/credential-cache.js';
import { awsCredentialStateSizes, MAX_STS_CLIENTS, resetAwsCredentialState, resolveCredentials } from '../../../lambda/aws/credentials.js';
import { MetricStoreConnectionError, RemoteMirrorError } from '../../../lambda/errors.js';
import { cachedSecretCount, clearMirrorSecretsCache, loadMirrorSecrets, MAX_CACHED_SECRETS } from '../../../lambda/security/secrets.js';
import { assumeRoleAnswer } from '../../support/aws/assume-role-answer.js';

const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const sts = mockClient(STSClient);
const secretsManager = mockClient(SecretsManagerClient);
let issued = 0;

beforeEach(() => {
  sts.reset();
  secretsManager.reset();
  resetAwsCredentialState();
  clearMirrorSecretsCache();
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAMIRROROWNKEY0001');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'mirror-own-secret');
  sts.on(AssumeRoleCommand).callsFake(async () => {
    issued++;
    return assumeRoleAnswer(`ASIA${issued}`);
  });
});

describe('caches keyed by what callers send stay bounded', () => {
  it(`keeps at most ${MAX_STS_CLIENTS} STS clients and ${MAX_CREDENTIAL_ENTRIES} credential sets, however many static keys callers send`, async () => {
    // Prepare
    const callers = MAX_CREDENTIAL_ENTRIES + 100;

    // Act
    for (let i = 0; i < callers; i++) {
      await resolveCredentials({ role_arn: ROLE, aws_access_key_id: `AKIACALLER${i}`, aws_secret_access_key: `secret-${i}` }, 'eu-west-1');
    }

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(callers);
    expect(awsCredentialStateSizes()).toEqual({ credentials: MAX_CREDENTIAL_ENTRIES, stsClients: MAX_STS_CLIENTS });
  });

  it('keeps the most recently used credentials when it drops others', async () => {
    // Prepare
    const hot = { role_arn: ROLE, external_id: 'hot' };
    await resolveCredentials(hot, 'eu-west-1');

    // Act
    for (let i = 0; i < MAX_CREDENTIAL_ENTRIES + 10; i++) {
      await resolveCredentials({ role_arn: ROLE, external_id: `cold-${i}` }, 'eu-west-1');
      if (i % 100 === 0) await resolveCredentials(hot, 'eu-west-1');
    }
    const before = sts.commandCalls(AssumeRoleCommand).length;
    await resolveCredentials(hot, 'eu-west-1');

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(before);
  });

  it(`keeps at most ${MAX_CACHED_SECRETS} secret values`, async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .callsFake(async (input: { SecretId: string }) => ({ SecretString: `value-of-${input.SecretId}` }));

    // Act
    for (let i = 0; i < 3 * MAX_CACHED_SECRETS; i++) {
      await loadMirrorSecrets({ MIRROR_API_KEY_SECRET_ARN: `arn:key-${i}`, MIRROR_CALLER_TOKEN_SECRET_ARN: `arn:token-${i}` });
    }

    // Assess
    expect(cachedSecretCount()).toBe(MAX_CACHED_SECRETS);
  });
});

describe("waits end at the request's deadline", () => {
  it('answers 503 when Secrets Manager does not answer before the deadline', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).callsFake(() => new Promise(() => undefined));

    // Act
    const outcome = await loadMirrorSecrets(
      { MIRROR_API_KEY_SECRET_ARN: 'arn:key', MIRROR_CALLER_TOKEN_SECRET_ARN: 'arn:token' },
      { deadline: Deadline.after(200) },
    ).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(RemoteMirrorError);
    expect(outcome).toMatchObject({ status: 503, summary: 'Mirror secrets unavailable' });
  });

  it('stops a second caller waiting on an STS call another caller started, at its own deadline', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(() => new Promise(() => undefined));
    const aws = { role_arn: ROLE };
    void resolveCredentials(aws, 'eu-west-1').catch(() => undefined); // the first caller: no deadline

    // Act
    const outcome = await resolveCredentials(aws, 'eu-west-1', { signal: AbortSignal.timeout(200) }).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(MetricStoreConnectionError);
    expect((outcome as MetricStoreConnectionError).failure).toBe('timeout');
  });
});
