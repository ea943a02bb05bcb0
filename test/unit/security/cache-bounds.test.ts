import { Deadline } from '../../../lambda/deadline.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CREDENTIAL_ENTRIES } from '../../../lambda/aws/credential-cache.js';
import { cachedCredentialCount, resetAwsCredentialState, resolveCredentials } from '../../../lambda/aws/credentials.js';
import { MetricStoreConnectionError, RemoteMirrorError } from '../../../lambda/errors.js';
import { cachedSecretCount, clearMirrorSecretsCache, loadMirrorSecrets, MAX_CACHED_SECRETS } from '../../../lambda/security/secrets.js';
import {
  type AwsCall,
  type AwsDouble,
  installAwsDouble,
  installMirrorAwsDouble,
  MIRROR_KEY_ID,
  MIRROR_SECRET,
  secretValue,
  stsCredentials,
} from '../../support/aws/aws-double.js';
import type { KnownKey } from '../../support/aws/verify-sigv4.js';

const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const MIRROR_KEYS: Record<string, KnownKey> = { [MIRROR_KEY_ID]: { secretAccessKey: MIRROR_SECRET } };
let double: AwsDouble;
let issued = 0;

/** A secret's ARN in eu-west-1 (the region Secrets Manager is called in). */
const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}`;

function stsCalls(): AwsCall[] {
  return double.calls.filter((call) => call.service === 'sts');
}

/** Fresh credentials for each AssumeRole call, valid an hour. */
function answerStsWithCredentials(): void {
  double.onSts((call) => {
    issued++;
    return stsCredentials(call, { accessKeyId: `ASIA${issued}` });
  });
}

beforeEach(() => {
  resetAwsCredentialState();
  clearMirrorSecretsCache();
  double = installMirrorAwsDouble();
  answerStsWithCredentials();
});

afterEach(() => {
  double.restore();
  vi.unstubAllEnvs();
});

describe('caches keyed by what callers send stay bounded', () => {
  it(`keeps at most ${MAX_CREDENTIAL_ENTRIES} credential sets, however many static keys callers send`, async () => {
    // Prepare
    const callers = MAX_CREDENTIAL_ENTRIES + 100;
    const keys: Record<string, KnownKey> = { ...MIRROR_KEYS };
    for (let i = 0; i < callers; i++) keys[`AKIACALLER${i}`] = { secretAccessKey: `secret-${i}` };
    double.restore();
    double = installAwsDouble(keys);
    answerStsWithCredentials();

    // Act
    for (let i = 0; i < callers; i++) {
      await resolveCredentials({ role_arn: ROLE, aws_access_key_id: `AKIACALLER${i}`, aws_secret_access_key: `secret-${i}` }, 'eu-west-1');
    }

    // Assess
    expect(stsCalls()).toHaveLength(callers);
    expect(cachedCredentialCount()).toBe(MAX_CREDENTIAL_ENTRIES);
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
    const before = stsCalls().length;
    await resolveCredentials(hot, 'eu-west-1');

    // Assess
    expect(stsCalls()).toHaveLength(before);
  });

  it(`keeps at most ${MAX_CACHED_SECRETS} secret values`, async () => {
    // Prepare
    double.onSecrets((call) => secretValue(call, `value-of-${call.secretId}`));

    // Act
    for (let i = 0; i < 3 * MAX_CACHED_SECRETS; i++) {
      await loadMirrorSecrets({
        MIRROR_API_KEY_SECRET_ARN: secretArn(`key-${i}`),
        MIRROR_CALLER_TOKEN_SECRET_ARN: secretArn(`token-${i}`),
      });
    }

    // Assess
    expect(cachedSecretCount()).toBe(MAX_CACHED_SECRETS);
  });
});

describe("waits end at the request's deadline", () => {
  it('answers 503 when Secrets Manager does not answer before the deadline', async () => {
    // Prepare
    double.onSecrets(() => new Promise(() => undefined));

    // Act
    const outcome = await loadMirrorSecrets(
      { MIRROR_API_KEY_SECRET_ARN: secretArn('key'), MIRROR_CALLER_TOKEN_SECRET_ARN: secretArn('token') },
      { deadline: Deadline.after(200) },
    ).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(RemoteMirrorError);
    expect(outcome).toMatchObject({ status: 503, summary: 'Mirror secrets unavailable' });
    expect((outcome as RemoteMirrorError).details).toContain("did not answer within the request's time");
  });

  it('stops a second caller waiting on an STS call another caller started, at its own deadline', async () => {
    // Prepare
    double.onSts(() => new Promise(() => undefined));
    const aws = { role_arn: ROLE };
    void resolveCredentials(aws, 'eu-west-1').catch(() => undefined); // the first caller: no deadline

    // Act
    const outcome = await resolveCredentials(aws, 'eu-west-1', { signal: AbortSignal.timeout(200) }).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(MetricStoreConnectionError);
    expect((outcome as MetricStoreConnectionError).failure).toBe('timeout');
  });
});
