import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RemoteMirrorError } from '../../../lambda/errors.js';
import { clearMirrorSecretsCache, loadMirrorSecrets } from '../../../lambda/security/secrets.js';

const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:StackStateMirror-acme-ApiKey-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:StackStateMirror-acme-CallerToken-GhIjKl';
const deployedEnv = {
  AWS_LAMBDA_FUNCTION_NAME: 'mirror-acme',
  MIRROR_API_KEY_SECRET_ARN: KEY_ARN,
  MIRROR_CALLER_TOKEN_SECRET_ARN: TOKEN_ARN,
};

const secretsManager = mockClient(SecretsManagerClient);

function answer(values: Record<string, string>): void {
  for (const [arn, value] of Object.entries(values)) {
    secretsManager.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: value });
  }
}

function fetchesOf(arn: string): number {
  return secretsManager.commandCalls(GetSecretValueCommand, { SecretId: arn }).length;
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
    secretsManager.reset();
    clearMirrorSecretsCache();
  });

  afterEach(() => {
    vi.useRealTimers();
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

  it('does not cache a failed fetch, and says which secret failed without the SDK message', async () => {
    // Prepare
    const denied = Object.assign(new Error(`User is not authorized to access ${KEY_ARN}`), {
      name: 'AccessDeniedException',
    });
    secretsManager.on(GetSecretValueCommand, { SecretId: KEY_ARN }).rejectsOnce(denied).resolves({ SecretString: 'k' });
    secretsManager.on(GetSecretValueCommand, { SecretId: TOKEN_ARN }).resolves({ SecretString: 't' });

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

  it('reads plain variables locally, without calling Secrets Manager', async () => {
    // Prepare
    const env = { MIRROR_API_KEY: 'local-key', MIRROR_CALLER_TOKEN: 'local-token' };

    // Act
    const secrets = await loadMirrorSecrets(env);

    // Assess
    expect(secrets).toEqual({ apiKey: 'local-key', callerToken: 'local-token' });
    expect(secretsManager.calls()).toHaveLength(0);
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
