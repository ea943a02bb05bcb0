import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSecretValue } from '../../../lambda/aws/secrets-manager.js';
import { assumeRole } from '../../../lambda/aws/sts-assume-role.js';
import { type FakeSecretsManager, startFakeSecretsManager } from '../../support/aws/fake-secrets-manager.js';
import { type FakeSts, type StsErrorCode, startFakeSts } from '../../support/aws/fake-sts.js';

/**
 * The mirror's own STS and Secrets Manager calls against the AWS SDK's clients — the reference —
 * on the same local services, which verify every signature with `aws4`: for each case both
 * must succeed with the same result, or fail with the same code, HTTP status and message.
 */
const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const CALLER = { accessKeyId: 'AKIAMIRRORAGREEMENT1', secretAccessKey: 'agreement-secret' };
const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ApiKey-AbCdEf';
const ODD_VALUE = 'v\u00e9rit\u00e9 "quoted" <tag> & \\ \u{1F511}\n';
let sts: FakeSts;
let sm: FakeSecretsManager;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sts = await startFakeSts({ callers: { [CALLER.accessKeyId]: CALLER.secretAccessKey }, trust: [{ roleArn: ROLE, externalId: 'ext-1' }] });
  sm = await startFakeSecretsManager({ callers: { [CALLER.accessKeyId]: CALLER.secretAccessKey }, values: { [KEY_ARN]: ODD_VALUE } });
  env = { AWS_ENDPOINT_URL_STS: sts.url, AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url };
});
afterAll(async () => {
  await sts.close();
  await sm.close();
});

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; status: number | undefined; message: string };

async function outcome(run: () => Promise<unknown>, status: (error: unknown) => number | undefined): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const e = error as Error;
    return { ok: false, code: e.name, status: status(error), message: e.message };
  }
}

const sdkStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const ourStatus = (error: unknown) => (error as { status?: number }).status;

interface StsCase {
  name: string;
  roleArn?: string;
  externalId?: string;
  sessionName?: string;
  duration?: number;
  secret?: string;
  fail?: StsErrorCode;
}

const STS_CASES: StsCase[] = [
  { name: 'credentials for a trusted role and external id', externalId: 'ext-1' },
  { name: 'AccessDenied for a wrong external id', externalId: 'wrong' },
  { name: 'AccessDenied without the external id the trust demands' },
  { name: 'ValidationError for a bad session name', externalId: 'ext-1', sessionName: 'has space' },
  { name: 'ValidationError for a duration over the role maximum', externalId: 'ext-1', duration: 43_200 },
  { name: 'SignatureDoesNotMatch for a wrong secret', externalId: 'ext-1', secret: 'not-it' },
  { name: 'RegionDisabledException', externalId: 'ext-1', fail: 'RegionDisabledException' },
  { name: 'ExpiredToken', externalId: 'ext-1', fail: 'ExpiredToken' },
];

describe('STS AssumeRole: the mirror and the SDK agree', () => {
  it.each(STS_CASES)('$name', async (c) => {
    // Prepare
    const source = { ...CALLER, secretAccessKey: c.secret ?? CALLER.secretAccessKey };
    const input = {
      roleArn: c.roleArn ?? ROLE,
      roleSessionName: c.sessionName ?? 'stackstate-mirror',
      durationSeconds: c.duration ?? 900,
      externalId: c.externalId,
    };
    const sdk = new STSClient({ region: 'eu-west-1', endpoint: sts.url, credentials: source, maxAttempts: 1 });

    // Act
    if (c.fail) sts.failNext(c.fail);
    const theirs = await outcome(async () => {
      const answer = await sdk.send(
        new AssumeRoleCommand({
          RoleArn: input.roleArn,
          RoleSessionName: input.roleSessionName,
          DurationSeconds: input.durationSeconds,
          ...(input.externalId === undefined ? {} : { ExternalId: input.externalId }),
        }),
      );
      const k = answer.Credentials;
      return { accessKeyId: k?.AccessKeyId, secretAccessKey: k?.SecretAccessKey, sessionToken: k?.SessionToken, expiration: k?.Expiration };
    }, sdkStatus);
    if (c.fail) sts.failNext(c.fail);
    const ours = await outcome(() => assumeRole(input, 'eu-west-1', source, undefined, env), ourStatus);
    sdk.destroy();

    // Assess
    if (theirs.ok && ours.ok) {
      const [first, second] = sts.issued().slice(-2);
      expect(theirs.value).toEqual({ ...first, roleArn: undefined, roleSessionName: undefined, durationSeconds: undefined });
      expect(ours.value).toEqual({
        accessKeyId: second?.accessKeyId,
        secretAccessKey: second?.secretAccessKey,
        sessionToken: second?.sessionToken,
        expiration: second?.expiration,
      });
    } else {
      expect(ours).toEqual(theirs);
    }
  });

  it('both retry a throttled call once and then report Throttling', async () => {
    // Prepare
    const sdk = new STSClient({ region: 'eu-west-1', endpoint: sts.url, credentials: CALLER, maxAttempts: 2 });
    const input = { roleArn: ROLE, roleSessionName: 'stackstate-mirror', durationSeconds: 900, externalId: 'ext-1' };

    // Act
    sts.failNext('Throttling', 2);
    const before = sts.totalCalls();
    const theirs = await outcome(
      () =>
        sdk.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'stackstate-mirror', DurationSeconds: 900, ExternalId: 'ext-1' })),
      sdkStatus,
    );
    const sdkCalls = sts.totalCalls() - before;
    sts.failNext('Throttling', 2);
    const ours = await outcome(
      () => assumeRole(input, 'eu-west-1', CALLER, undefined, env),
      (e) => (e as { status?: number }).status,
    );
    const ourCalls = sts.totalCalls() - before - sdkCalls;
    sdk.destroy();

    // Assess: the same code and message; our status says what it means (429) where STS sent 400
    expect(sdkCalls).toBe(2);
    expect(ourCalls).toBe(2);
    expect(ours).toEqual({ ...theirs, status: 429 });
    expect(theirs).toMatchObject({ ok: false, code: 'Throttling', status: 400 });
  });
});

describe('Secrets Manager GetSecretValue: the mirror and the SDK agree', () => {
  it.each([
    { name: 'a value with quotes, markup, escapes and non-ASCII', id: KEY_ARN },
    { name: 'ResourceNotFoundException for an unknown secret', id: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:Nope-123456' },
    { name: 'UnrecognizedClientException for a wrong secret key', id: KEY_ARN, secret: 'not-it' },
  ])('$name', async ({ id, secret }) => {
    // Prepare
    const credentials = { ...CALLER, secretAccessKey: secret ?? CALLER.secretAccessKey };
    const sdk = new SecretsManagerClient({ region: 'eu-west-1', endpoint: sm.url, credentials, maxAttempts: 1 });

    // Act
    const theirs = await outcome(async () => (await sdk.send(new GetSecretValueCommand({ SecretId: id }))).SecretString, sdkStatus);
    const ours = await outcome(() => getSecretValue(id, 'us-east-1', credentials, { timeoutMs: 5_000 }, env), ourStatus);
    sdk.destroy();

    // Assess
    expect(ours).toEqual(theirs);
    if (secret === undefined) expect(sm.regions().slice(-2)).toEqual(['eu-west-1', 'eu-west-1']); // the ARN's region, not us-east-1
  });
});
