import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAwsCredentialState } from '../../../lambda/aws/credentials.js';
import { RemoteMirrorError } from '../../../lambda/errors.js';
import { clearMirrorSecretsCache, loadMirrorSecrets } from '../../../lambda/security/secrets.js';
import {
  type AwsCall,
  type AwsDouble,
  installMirrorAwsDouble,
  MIRROR_KEY_ID,
  secretsError,
  secretValue,
} from '../../support/aws/aws-double.js';

const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:StackStateMirror-acme-ApiKey-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:StackStateMirror-acme-CallerToken-GhIjKl';
const deployedEnv = {
  AWS_LAMBDA_FUNCTION_NAME: 'mirror-acme',
  MIRROR_API_KEY_SECRET_ARN: KEY_ARN,
  MIRROR_CALLER_TOKEN_SECRET_ARN: TOKEN_ARN,
};

let double: AwsDouble;

/** Secrets Manager holds these values from now on (and nothing else: ResourceNotFoundException). */
function answer(values: Record<string, string>): void {
  double.onSecrets((call) => {
    const value = values[call.secretId ?? ''];
    return value === undefined
      ? secretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
      : secretValue(call, value);
  });
}

function secretsCalls(): AwsCall[] {
  return double.calls.filter((call) => call.service === 'secretsmanager');
}

function fetchesOf(arn: string): number {
  return secretsCalls().filter((call) => call.secretId === arn).length;
}

async function rejection(promise: Promise<unknown>): Promise<RemoteMirrorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RemoteMirrorError) return error;
    throw error;
  }
  throw new Error('expected a RemoteMirrorError, but the call passed');
}

describe('loadMirrorSecrets', () => {
  beforeEach(() => {
    clearMirrorSecretsCache();
    resetAwsCredentialState();
    double = installMirrorAwsDouble();
  });

  afterEach(() => {
    double.restore();
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('reads both secrets from Secrets Manager by the ARNs in the environment', async () => {
    // Prepare
    answer({ [KEY_ARN]: 'api-key-1', [TOKEN_ARN]: 'token-1' });

    // Act
    const secrets = await loadMirrorSecrets(deployedEnv);

    // Assess
    expect(secrets).toEqual({ apiKey: 'api-key-1', callerToken: 'token-1' });
    expect(fetchesOf(KEY_ARN)).toBe(1);
    expect(fetchesOf(TOKEN_ARN)).toBe(1);
  });

  it("asks with the mirror's own credentials, in the region of the secret's ARN", async () => {
    // Prepare
    answer({ [KEY_ARN]: 'api-key-1', [TOKEN_ARN]: 'token-1' });
    const env = { ...deployedEnv, AWS_REGION: 'us-east-1' };

    // Act
    await loadMirrorSecrets(env);

    // Assess
    expect(
      secretsCalls()
        .map((call) => [call.secretId, call.region, call.accessKeyId, call.url.host])
        .sort(),
    ).toEqual([
      [KEY_ARN, 'eu-west-1', MIRROR_KEY_ID, 'secretsmanager.eu-west-1.amazonaws.com'],
      [TOKEN_ARN, 'eu-west-1', MIRROR_KEY_ID, 'secretsmanager.eu-west-1.amazonaws.com'],
    ]);
  });

  it('serves cached values within the TTL and re-reads them after it, so a rotation is picked up', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    const env = { ...deployedEnv, MIRROR_SECRET_TTL_SECONDS: '60' };
    answer({ [KEY_ARN]: 'api-key-1', [TOKEN_ARN]: 'token-1' });
    await loadMirrorSecrets(env);
    answer({ [KEY_ARN]: 'api-key-2', [TOKEN_ARN]: 'token-2' });

    // Act
    vi.advanceTimersByTime(59_000);
    const withinTtl = await loadMirrorSecrets(env);
    vi.advanceTimersByTime(1_000);
    const afterTtl = await loadMirrorSecrets(env);

    // Assess
    expect(withinTtl).toEqual({ apiKey: 'api-key-1', callerToken: 'token-1' });
    expect(afterTtl).toEqual({ apiKey: 'api-key-2', callerToken: 'token-2' });
    expect(fetchesOf(KEY_ARN)).toBe(2);
  });

  it('uses a TTL of 300 seconds when MIRROR_SECRET_TTL_SECONDS is unset', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00Z') });
    answer({ [KEY_ARN]: 'k', [TOKEN_ARN]: 't' });
    await loadMirrorSecrets(deployedEnv);

    // Act
    vi.advanceTimersByTime(299_999);
    await loadMirrorSecrets(deployedEnv);
    const beforeExpiry = fetchesOf(KEY_ARN);
    vi.advanceTimersByTime(1);
    await loadMirrorSecrets(deployedEnv);

    // Assess
    expect(beforeExpiry).toBe(1);
    expect(fetchesOf(KEY_ARN)).toBe(2);
  });

  it('lets concurrent callers share one fetch per secret', async () => {
    // Prepare
    answer({ [KEY_ARN]: 'k', [TOKEN_ARN]: 't' });

    // Act
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => loadMirrorSecrets(deployedEnv)));

    // Assess
    expect(results.every((r) => r.apiKey === 'k' && r.callerToken === 't')).toBe(true);
    expect(fetchesOf(KEY_ARN)).toBe(1);
    expect(fetchesOf(TOKEN_ARN)).toBe(1);
  });

  it('does not cache a failed fetch, and says which secret failed without the message Secrets Manager gave', async () => {
    // Prepare
    double.onSecrets((call) => {
      if (call.secretId === KEY_ARN && fetchesOf(KEY_ARN) === 1) {
        return secretsError('AccessDeniedException', `User is not authorized to access ${KEY_ARN}`);
      }
      return secretValue(call, call.secretId === KEY_ARN ? 'k' : 't');
    });

    // Act
    const error = await rejection(loadMirrorSecrets(deployedEnv));
    const retried = await loadMirrorSecrets(deployedEnv);

    // Assess
    expect(error.status).toBe(503);
    expect(error.details).toContain('MIRROR_API_KEY_SECRET_ARN');
    expect(error.details).toContain('AccessDeniedException');
    expect(error.details).not.toContain('not authorized');
    expect(retried).toEqual({ apiKey: 'k', callerToken: 't' });
    expect(fetchesOf(KEY_ARN)).toBe(2);
  });

  it('refuses an empty secret value and names the variable', async () => {
    // Prepare
    answer({ [KEY_ARN]: '', [TOKEN_ARN]: 't' });

    // Act
    const error = await rejection(loadMirrorSecrets(deployedEnv));

    // Assess
    expect(error.status).toBe(500);
    expect(error.details).toContain('MIRROR_API_KEY_SECRET_ARN');
  });

  it('refuses a secret named without a region when AWS_REGION is unset, before calling Secrets Manager', async () => {
    // Prepare
    const env = { ...deployedEnv, MIRROR_API_KEY_SECRET_ARN: 'StackStateMirror-acme-ApiKey' };

    // Act
    const error = await rejection(loadMirrorSecrets(env));

    // Assess
    expect(error.status).toBe(500);
    expect(error.details).toMatch(/MIRROR_API_KEY_SECRET_ARN names no region .* AWS_REGION is not set/);
    expect(fetchesOf('StackStateMirror-acme-ApiKey')).toBe(0);
  });

  it('reads plain variables locally, without calling Secrets Manager', async () => {
    // Prepare
    const env = { MIRROR_API_KEY: 'local-key', MIRROR_CALLER_TOKEN: 'local-token' };

    // Act
    const secrets = await loadMirrorSecrets(env);

    // Assess
    expect(secrets).toEqual({ apiKey: 'local-key', callerToken: 'local-token' });
    expect(secretsCalls()).toHaveLength(0);
  });

  it('treats empty strings as missing: an empty ARN falls back to the plain variable, an empty token to none', async () => {
    // Prepare
    const env = { MIRROR_API_KEY_SECRET_ARN: '', MIRROR_API_KEY: 'local-key', MIRROR_CALLER_TOKEN: '' };

    // Act
    const secrets = await loadMirrorSecrets(env);

    // Assess
    expect(secrets).toEqual({ apiKey: 'local-key' });
    expect('callerToken' in secrets).toBe(false);
  });

  it('fails with a message naming the variables when there is no API key at all', async () => {
    // Prepare / Act
    const error = await rejection(loadMirrorSecrets({ MIRROR_API_KEY: '' }));

    // Assess
    expect(error.status).toBe(500);
    expect(error.details).toContain('MIRROR_API_KEY_SECRET_ARN');
    expect(error.details).toContain('MIRROR_API_KEY');
  });

  it('fails closed in Lambda when no caller token is configured', async () => {
    // Prepare
    answer({ [KEY_ARN]: 'k' });
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'mirror-acme', MIRROR_API_KEY_SECRET_ARN: KEY_ARN };

    // Act
    const error = await rejection(loadMirrorSecrets(env));

    // Assess
    expect(error.details).toContain('MIRROR_CALLER_TOKEN_SECRET_ARN');
  });

  it.each([['-1'], ['abc'], ['1.5'], ['86401']])('refuses MIRROR_SECRET_TTL_SECONDS=%s with a message naming it', async (ttl) => {
    // Prepare / Act
    const error = await rejection(loadMirrorSecrets({ MIRROR_API_KEY: 'k', MIRROR_SECRET_TTL_SECONDS: ttl }));

    // Assess
    expect(error.details).toContain('MIRROR_SECRET_TTL_SECONDS');
  });

  it('never puts a secret value in an error message', async () => {
    // Prepare
    answer({ [KEY_ARN]: 'the-api-key-value' });
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'f', MIRROR_API_KEY_SECRET_ARN: KEY_ARN, MIRROR_CALLER_TOKEN: '' };

    // Act
    const error = await rejection(loadMirrorSecrets(env));

    // Assess
    expect(error.message).not.toContain('the-api-key-value');
  });
});
