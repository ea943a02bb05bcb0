import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { credentialCacheKey, credentialCacheStats, resetAwsCredentialState, resolveCredentials } from '../../../lambda/aws/credentials.js';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import {
  type AwsCall,
  type AwsDouble,
  type AwsReply,
  installMirrorAwsDouble,
  MIRROR_KEY_ID,
  stsFailure,
} from '../../support/aws/aws-double.js';
import { assumeRoleXml } from '../../support/aws/fake-sts.js';

const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const REGION = 'eu-west-1';
const STATIC_SOURCE_KEY_ID = 'AKIASTATICSOURCE0001';
const STATIC_SOURCE_SECRET = 's';

let double: AwsDouble;
let issued = 0;

/** STS's answer to `call`: fresh credentials numbered in issue order, valid `lifetimeMs`. */
function stsCredentials(call: AwsCall, lifetimeMs = 3600_000): AwsReply {
  issued++;
  return {
    status: 200,
    body: assumeRoleXml({
      accessKeyId: `ASIATEMP${String(issued).padStart(12, '0')}`,
      secretAccessKey: `secret-${issued}`,
      sessionToken: `token-${issued}`,
      expiration: new Date(Date.now() + lifetimeMs),
      roleArn: call.form?.get('RoleArn') ?? ROLE,
      roleSessionName: call.form?.get('RoleSessionName') ?? 'session',
    }),
  };
}

function stsCalls(): AwsCall[] {
  return double.calls.filter((call) => call.service === 'sts');
}

/** The AssumeRole parameters of each STS call, as sent (form fields, so numbers are text). */
function assumeRoleInputs(): Record<string, string>[] {
  return stsCalls().map((call) => {
    const { Action: _action, Version: _version, ...input } = Object.fromEntries(call.form ?? []);
    return input;
  });
}

beforeEach(() => {
  resetAwsCredentialState();
  issued = 0;
  double = installMirrorAwsDouble({ [STATIC_SOURCE_KEY_ID]: { secretAccessKey: STATIC_SOURCE_SECRET } });
});

afterEach(() => {
  double.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('resolveCredentials with a role', () => {
  it('sends AssumeRole with the role, external id, default session name and 900 s', async () => {
    // Prepare
    double.onSts((call) => stsCredentials(call));

    // Act
    const resolved = await resolveCredentials({ role_arn: ROLE, external_id: 'ext-1' }, REGION);

    // Assess
    expect(assumeRoleInputs()).toEqual([
      { RoleArn: ROLE, ExternalId: 'ext-1', RoleSessionName: 'StackState-Prometheus-Mirror', DurationSeconds: '900' },
    ]);
    expect(resolved.credentials).toMatchObject({ accessKeyId: 'ASIATEMP000000000001', sessionToken: 'token-1' });
    expect(resolved.refreshable).toBe(true);
  });

  it('sends the session name and duration the Connection Details ask for, and no ExternalId without one', async () => {
    // Prepare
    double.onSts((call) => stsCredentials(call));

    // Act
    await resolveCredentials({ role_arn: ROLE, role_session_name: 'tenant-a', token_expiry_seconds: 3600 }, REGION);

    // Assess
    expect(assumeRoleInputs()).toEqual([{ RoleArn: ROLE, RoleSessionName: 'tenant-a', DurationSeconds: '3600' }]);
  });

  it('calls STS in the workspace region', async () => {
    // Prepare
    double.onSts((call) => stsCredentials(call));

    // Act
    await resolveCredentials({ role_arn: ROLE }, 'ap-southeast-2');

    // Assess
    expect(stsCalls()).toHaveLength(1);
    expect(stsCalls()[0]?.region).toBe('ap-southeast-2');
    expect(stsCalls()[0]?.url.host).toBe('sts.ap-southeast-2.amazonaws.com');
  });

  it("calls STS with the static keys of the Connection Details when given, else with the mirror's own", async () => {
    // Prepare
    double.onSts((call) => stsCredentials(call));

    // Act
    await resolveCredentials({ role_arn: ROLE }, REGION);
    await resolveCredentials(
      { role_arn: ROLE, aws_access_key_id: STATIC_SOURCE_KEY_ID, aws_secret_access_key: STATIC_SOURCE_SECRET },
      REGION,
    );

    // Assess
    expect(stsCalls().map((call) => call.accessKeyId)).toEqual([MIRROR_KEY_ID, STATIC_SOURCE_KEY_ID]);
  });

  it('answers 100 calls with one AssumeRole', async () => {
    // Prepare
    double.onSts((call) => stsCredentials(call));
    const aws = { role_arn: ROLE, external_id: 'ext-1' };
    const statsBefore = credentialCacheStats();

    // Act
    const keys = new Set<string>();
    for (let i = 0; i < 100; i++) keys.add((await resolveCredentials(aws, REGION)).credentials.accessKeyId);

    // Assess
    expect(stsCalls()).toHaveLength(1);
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
    double.onSts(async (call) => {
      await gate;
      return stsCredentials(call);
    });
    const aws = { role_arn: ROLE, external_id: 'ext-1' };

    // Act
    const pending = Array.from({ length: 20 }, () => resolveCredentials(aws, REGION));
    release();
    const all = await Promise.all(pending);

    // Assess
    expect(stsCalls()).toHaveLength(1);
    expect(new Set(all.map((r) => r.credentials.accessKeyId)).size).toBe(1);
  });

  it('never shares credentials between connection details that differ only in external id', async () => {
    // Prepare
    double.onSts((call) => stsCredentials(call));

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
    ['static source key', { aws_access_key_id: STATIC_SOURCE_KEY_ID, aws_secret_access_key: STATIC_SOURCE_SECRET }],
  ])('does not share credentials across a different %s', async (_what, difference) => {
    // Prepare
    double.onSts((call) => stsCredentials(call));
    const base = { role_arn: ROLE, external_id: 'ext-1' };

    // Act
    await resolveCredentials(base, REGION);
    await resolveCredentials({ ...base, ...difference }, Object.keys(difference).length === 0 ? 'us-east-1' : REGION);

    // Assess
    expect(stsCalls()).toHaveLength(2);
  });

  it('refreshes credentials before they expire, and not earlier', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    double.onSts((call) => stsCredentials(call, 3600_000));
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
    expect(stsCalls()).toHaveLength(2);
  });

  it('refreshes short sessions a quarter of their life before expiry', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    double.onSts((call) => stsCredentials(call, 900_000));
    const aws = { role_arn: ROLE };
    await resolveCredentials(aws, REGION);

    // Act
    vi.setSystemTime(new Date('2026-01-01T00:11:00Z'));
    await resolveCredentials(aws, REGION);
    const callsAt11 = stsCalls().length;
    vi.setSystemTime(new Date('2026-01-01T00:11:30Z'));
    await resolveCredentials(aws, REGION);

    // Assess
    expect(callsAt11).toBe(1);
    expect(stsCalls()).toHaveLength(2);
  });

  it('does not cache a failure: the next call asks STS again', async () => {
    // Prepare
    let throttling = true; // every attempt of the first call, its own retry included
    double.onSts((call) => (throttling ? stsFailure('Throttling', 'Rate exceeded') : stsCredentials(call)));
    const aws = { role_arn: ROLE, external_id: 'ext-1' };

    // Act
    const failed = await resolveCredentials(aws, REGION).catch((error: unknown) => error);
    const callsOfTheFailure = stsCalls().length;
    throttling = false;
    const next = await resolveCredentials(aws, REGION);

    // Assess
    expect(failed).toBeInstanceOf(MetricStoreConnectionError);
    expect(callsOfTheFailure).toBeGreaterThanOrEqual(1);
    expect(next.credentials.accessKeyId).toBe('ASIATEMP000000000001');
    expect(stsCalls()).toHaveLength(callsOfTheFailure + 1);
  });

  it('keeps serving still-valid credentials when their early refresh fails', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    double.onSts((call) => (stsCalls().length === 1 ? stsCredentials(call, 3600_000) : stsFailure('InternalFailure', 'boom')));
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
    expect(stsCalls().length).toBeGreaterThan(1);
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
    expect(stsCalls()).toHaveLength(0);
  });

  it("uses the mirror's own credentials for an empty aws object", async () => {
    // Act
    const resolved = await resolveCredentials({}, REGION);

    // Assess
    expect(resolved.credentials.accessKeyId).toBe(MIRROR_KEY_ID);
    expect(resolved.refreshable).toBe(true);
    expect(stsCalls()).toHaveLength(0);
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
