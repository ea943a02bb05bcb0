import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAwsCredentialState } from '../../../lambda/aws/credentials.js';
import { clearMirrorSecretsCache } from '../../../lambda/security/secrets.js';
import { cond, gauge, metricsRequest, PATH } from '../../fixtures/mirror-requests.js';
import { type AwsDouble, installMirrorAwsDouble, secretValue } from '../../support/aws/aws-double.js';
import { invokeMirror } from '../../support/invoke.js';

const WORKSPACE = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-once';
const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:StackStateMirror-once-ApiKey-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:StackStateMirror-once-CallerToken-GhIjKl';
/** The deployment: secrets from Secrets Manager, and the workspace and role it allows (so the prefetch runs). */
const DEPLOYED = {
  MIRROR_API_KEY_SECRET_ARN: KEY_ARN,
  MIRROR_CALLER_TOKEN_SECRET_ARN: TOKEN_ARN,
  MIRROR_ALLOWED_URLS: WORKSPACE,
  MIRROR_ALLOWED_ROLE_ARNS: ROLE,
};

/** AssumeRole calls made when Secrets Manager was first asked. */
let assumedBeforeSecrets: number | undefined;
let double: AwsDouble;

beforeEach(() => {
  resetAwsCredentialState();
  clearMirrorSecretsCache();
  assumedBeforeSecrets = undefined;
  double = installMirrorAwsDouble();
  double.onSecrets((call) => {
    assumedBeforeSecrets ??= double.calls.filter((c) => c.service === 'sts').length;
    return secretValue(call, call.secretId === KEY_ARN ? 'api-key' : 'caller-token');
  });
});

afterEach(() => {
  double.restore();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetAwsCredentialState();
  clearMirrorSecretsCache();
});

/** How many times JSON.parse read exactly `text` while `work` ran. */
async function parsesOf<T>(text: string, work: () => Promise<T>): Promise<{ parses: number; result: T }> {
  const parse = vi.spyOn(JSON, 'parse');
  try {
    const result = await work();
    return { parses: parse.mock.calls.filter(([read]) => read === text).length, result };
  } finally {
    parse.mockRestore();
  }
}

describe('the request body is parsed once', () => {
  /** A metric request for the allowed role with `pad` filler conditions, and a wrong caller token (answered right after the parse). */
  function bigRequest(pad: number): string {
    const conditions = [...gauge('cpu'), ...Array.from({ length: pad }, (_, i) => cond(`pad_${i}`, 'x'.repeat(30)))];
    const request = metricsRequest(WORKSPACE, { conditions, startTime: 0, endTime: 60_000 }) as { connectionDetails: object };
    request.connectionDetails = {
      ...request.connectionDetails,
      mirror_token: 'not the token',
      aws: { role_arn: ROLE, external_id: 'ext' },
    };
    return JSON.stringify(request);
  }

  it('a big body is parsed once, and its AssumeRole still starts before the secrets are asked', async () => {
    // Prepare: half a megabyte
    const text = bigRequest(5_000);
    expect(text.length).toBeGreaterThan(500_000);

    // Act
    const { parses, result } = await parsesOf(text, () => invokeMirror(PATH.metric, text, DEPLOYED));

    // Assess
    expect(parses).toBe(1);
    expect(result.statusCode).toBe(401);
    expect(double.calls.filter((c) => c.service === 'sts')).toHaveLength(1);
    expect(assumedBeforeSecrets).toBe(1);
  });

  it('a body over a megabyte is parsed once too, after the secrets: no AssumeRole before the caller is known', async () => {
    const text = bigRequest(12_000);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const { parses, result } = await parsesOf(text, () => invokeMirror(PATH.metric, text, DEPLOYED));
    expect(parses).toBe(1);
    expect(result.statusCode).toBe(401);
    expect(double.calls.filter((c) => c.service === 'sts')).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"_type": '],
    ['a __proto__ key', `{"connectionDetails":{"url":"${WORKSPACE}","aws":{"role_arn":"${ROLE}"}},"__proto__":{"x":1}}`],
  ])('%s is parsed once and answered as before, with the prefetch on or off', async (_, text) => {
    const local = { MIRROR_CALLER_TOKEN: undefined };
    const noPrefetch = { MIRROR_ALLOWED_URLS: undefined, MIRROR_ALLOWED_ROLE_ARNS: undefined };
    for (const [env, status] of [
      [DEPLOYED, 401],
      [{ ...DEPLOYED, ...noPrefetch }, 401],
      [local, 400],
      [{ ...local, MIRROR_ALLOWED_URLS: WORKSPACE, MIRROR_ALLOWED_ROLE_ARNS: ROLE }, 400],
    ] as const) {
      const { parses, result } = await parsesOf(text, () => invokeMirror(PATH.metric, text, env));
      expect(parses).toBe(1);
      expect([result.statusCode, result.json?._type, result.json?.summary]).toEqual([
        status,
        'RemoteMirrorError',
        status === 401 ? 'Unauthorized' : 'Unreadable request',
      ]);
    }
    expect(double.calls.filter((c) => c.service === 'sts')).toHaveLength(0);
  });
});
