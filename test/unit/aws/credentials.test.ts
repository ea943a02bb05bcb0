import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { credentialCacheKey, credentialCacheStats, resetAwsCredentialState, resolveCredentials } from '../../../lambda/aws/credentials.js';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';

const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const REGION = 'eu-west-1';
const sts = mockClient(STSClient);

let issued = 0;
function stsCredentials(lifetimeMs = 3600_000) {
  issued++;
  return {
    Credentials: {
      AccessKeyId: `ASIATEMP${String(issued).padStart(12, '0')}`,
      SecretAccessKey: `secret-${issued}`,
      SessionToken: `token-${issued}`,
      Expiration: new Date(Date.now() + lifetimeMs),
    },
  };
}

function assumeRoleInputs() {
  return sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  sts.reset();
  resetAwsCredentialState();
  issued = 0;
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAMIRROROWNKEY0001');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'mirror-own-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('resolveCredentials with a role', () => {
  it('sends AssumeRole with the role, external id, default session name and 900 s', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials());

    // Act
    const resolved = await resolveCredentials({ role_arn: ROLE, external_id: 'ext-1' }, REGION);

    // Assess
    expect(assumeRoleInputs()).toEqual([
      { RoleArn: ROLE, ExternalId: 'ext-1', RoleSessionName: 'StackState-Prometheus-Mirror', DurationSeconds: 900 },
    ]);
    expect(resolved.credentials).toMatchObject({ accessKeyId: 'ASIATEMP000000000001', sessionToken: 'token-1' });
    expect(resolved.refreshable).toBe(true);
  });

  it('sends the session name and duration the Connection Details ask for, and no ExternalId without one', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials());

    // Act
    await resolveCredentials({ role_arn: ROLE, role_session_name: 'tenant-a', token_expiry_seconds: 3600 }, REGION);

    // Assess
    expect(assumeRoleInputs()).toEqual([{ RoleArn: ROLE, RoleSessionName: 'tenant-a', DurationSeconds: 3600 }]);
  });

  it('calls STS in the workspace region', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials());

    // Act
    await resolveCredentials({ role_arn: ROLE }, 'ap-southeast-2');

    // Assess
    const client = sts.commandCalls(AssumeRoleCommand)[0]?.thisValue as STSClient;
    expect(await client.config.region()).toBe('ap-southeast-2');
  });

  it('answers 100 calls with one AssumeRole', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials());
    const aws = { role_arn: ROLE, external_id: 'ext-1' };
    const statsBefore = credentialCacheStats();

    // Act
    const keys = new Set<string>();
    for (let i = 0; i < 100; i++) keys.add((await resolveCredentials(aws, REGION)).credentials.accessKeyId);

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(keys.size).toBe(1);
    const stats = credentialCacheStats();
    expect(stats.misses - statsBefore.misses).toBe(1);
    expect(stats.hits - statsBefore.hits).toBe(99);
  });

  it('lets concurrent callers share one AssumeRole call', async () => {
    // Prepare
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    sts.on(AssumeRoleCommand).callsFake(async () => {
      await gate;
      return stsCredentials();
    });
    const aws = { role_arn: ROLE, external_id: 'ext-1' };

    // Act
    const pending = Array.from({ length: 20 }, () => resolveCredentials(aws, REGION));
    release();
    const all = await Promise.all(pending);

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(new Set(all.map((r) => r.credentials.accessKeyId)).size).toBe(1);
  });

  it('never shares credentials between connection details that differ only in external id', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials());

    // Act
    const a = await resolveCredentials({ role_arn: ROLE, external_id: 'tenant-a' }, REGION);
    const b = await resolveCredentials({ role_arn: ROLE, external_id: 'tenant-b' }, REGION);
    const a2 = await resolveCredentials({ role_arn: ROLE, external_id: 'tenant-a' }, REGION);

    // Assess
    expect(a.credentials.accessKeyId).not.toBe(b.credentials.accessKeyId);
    expect(a2.credentials.accessKeyId).toBe(a.credentials.accessKeyId);
    expect(assumeRoleInputs().map((input) => input.ExternalId)).toEqual(['tenant-a', 'tenant-b']);
  });

  it.each([
    ['session name', { role_session_name: 'other-session' }],
    ['region', {}],
    ['static source key', { aws_access_key_id: 'AKIASTATICSOURCE0001', aws_secret_access_key: 's' }],
  ])('does not share credentials across a different %s', async (_what, difference) => {
    // Prepare
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials());
    const base = { role_arn: ROLE, external_id: 'ext-1' };

    // Act
    await resolveCredentials(base, REGION);
    await resolveCredentials({ ...base, ...difference }, Object.keys(difference).length === 0 ? 'us-east-1' : REGION);

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('refreshes credentials before they expire, and not earlier', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials(3600_000));
    const aws = { role_arn: ROLE, external_id: 'ext-1', token_expiry_seconds: 3600 };
    const first = await resolveCredentials(aws, REGION);

    // Act
    vi.setSystemTime(new Date('2026-01-01T00:54:00Z'));
    const stillCached = await resolveCredentials(aws, REGION);
    vi.setSystemTime(new Date('2026-01-01T00:56:00Z'));
    const refreshed = await resolveCredentials(aws, REGION);

    // Assess
    expect(stillCached.credentials.accessKeyId).toBe(first.credentials.accessKeyId);
    expect(refreshed.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('refreshes short sessions a quarter of their life before expiry', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    sts.on(AssumeRoleCommand).callsFake(async () => stsCredentials(900_000));
    const aws = { role_arn: ROLE };
    await resolveCredentials(aws, REGION);

    // Act
    vi.setSystemTime(new Date('2026-01-01T00:11:00Z'));
    await resolveCredentials(aws, REGION);
    const callsAt11 = sts.commandCalls(AssumeRoleCommand).length;
    vi.setSystemTime(new Date('2026-01-01T00:11:30Z'));
    await resolveCredentials(aws, REGION);

    // Assess
    expect(callsAt11).toBe(1);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('does not cache a failure: the next call asks STS again', async () => {
    // Prepare
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(
        new STSServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }),
      )
      .callsFake(async () => stsCredentials());
    const aws = { role_arn: ROLE, external_id: 'ext-1' };

    // Act
    const failed = await resolveCredentials(aws, REGION).catch((error: unknown) => error);
    const next = await resolveCredentials(aws, REGION);

    // Assess
    expect(failed).toBeInstanceOf(MetricStoreConnectionError);
    expect(next.credentials.accessKeyId).toBe('ASIATEMP000000000001');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('keeps serving still-valid credentials when their early refresh fails', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    sts
      .on(AssumeRoleCommand)
      .callsFakeOnce(async () => stsCredentials(3600_000))
      .rejects(new STSServiceException({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'boom' }));
    const aws = { role_arn: ROLE };
    const first = await resolveCredentials(aws, REGION);

    // Act
    vi.setSystemTime(new Date('2026-01-01T00:57:00Z'));
    const during = await resolveCredentials(aws, REGION);
    vi.setSystemTime(new Date('2026-01-01T00:59:30Z'));
    const late = await resolveCredentials(aws, REGION).catch((error: unknown) => error);

    // Assess
    expect(during.credentials.accessKeyId).toBe(first.credentials.accessKeyId);
    expect(late).toBeInstanceOf(MetricStoreConnectionError);
  });
});

describe('resolveCredentials without a role', () => {
  it('uses static keys from the Connection Details without calling STS', async () => {
    // Act
    const resolved = await resolveCredentials(
      { aws_access_key_id: 'AKIASTATIC0000000001', aws_secret_access_key: 'static-secret', aws_session_token: 'tok' },
      REGION,
    );

    // Assess
    expect(resolved.credentials).toEqual({ accessKeyId: 'AKIASTATIC0000000001', secretAccessKey: 'static-secret', sessionToken: 'tok' });
    expect(resolved.refreshable).toBe(false);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it("uses the mirror's own credentials for an empty aws object", async () => {
    // Act
    const resolved = await resolveCredentials({}, REGION);

    // Assess
    expect(resolved.credentials.accessKeyId).toBe('AKIAMIRROROWNKEY0001');
    expect(resolved.refreshable).toBe(true);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});

describe('credentialCacheKey', () => {
  it('holds neither the external id nor any secret', () => {
    // Act
    const key = credentialCacheKey(
      { role_arn: ROLE, external_id: 'very-secret-external-id', aws_access_key_id: 'AKIA1', aws_secret_access_key: 'secret-key' },
      REGION,
    );

    // Assess
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when only the static secret differs, so rotated keys are not served stale', () => {
    // Act
    const a = credentialCacheKey({ aws_access_key_id: 'AKIA1', aws_secret_access_key: 'old' }, REGION);
    const b = credentialCacheKey({ aws_access_key_id: 'AKIA1', aws_secret_access_key: 'new' }, REGION);

    // Assess
    expect(a).not.toBe(b);
  });
});
