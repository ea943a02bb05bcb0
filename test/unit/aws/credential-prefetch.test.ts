import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { prefetchCredentials } from '../../../lambda/app/credential-prefetch.js';
import { credentialCacheStats, resetAwsCredentialState, resolveCredentials } from '../../../lambda/aws/credentials.js';
import { type AwsCall, type AwsDouble, installMirrorAwsDouble, stsCredentials } from '../../support/aws/aws-double.js';

const WORKSPACE = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-prefetch';
const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const OTHER_ROLE = 'arn:aws:iam::111122223333:role/SomethingElse';

let double: AwsDouble;
/** Resolves with the first AssumeRole call the double receives. */
let firstStsCall: Promise<AwsCall>;

const body = (roleArn: string, url = WORKSPACE) => ({
  _type: 'MetricsRequest',
  connectionDetails: { url, mirror_token: 'not checked yet', aws: { role_arn: roleArn, external_id: 'ext' } },
});

function stsCalls(): AwsCall[] {
  return double.calls.filter((call) => call.service === 'sts');
}

beforeEach(() => {
  resetAwsCredentialState();
  vi.stubEnv('MIRROR_ALLOWED_URLS', WORKSPACE);
  vi.stubEnv('MIRROR_ALLOWED_ROLE_ARNS', ROLE);
  double = installMirrorAwsDouble();
  let arrived: (call: AwsCall) => void = () => {};
  firstStsCall = new Promise((resolve) => {
    arrived = resolve;
  });
  double.onSts((call) => {
    arrived(call);
    return stsCredentials(call, { accessKeyId: 'ASIAPREFETCH00000001' });
  });
});

afterEach(() => {
  double.restore();
  vi.unstubAllEnvs();
  resetAwsCredentialState();
});

describe('credential prefetch beside the secrets', () => {
  it('starts AssumeRole for an allowed role, and the request proper gets the same credentials without a second call', async () => {
    // Act
    prefetchCredentials(() => body(ROLE));
    const prefetched = await firstStsCall; // the call prefetch started, before the request proper asks
    const callsAfterPrefetch = stsCalls().length;
    const resolved = await resolveCredentials({ role_arn: ROLE, external_id: 'ext' }, 'eu-west-1');

    // Assess
    expect(callsAfterPrefetch).toBe(1);
    expect(prefetched.form?.get('RoleArn')).toBe(ROLE);
    expect(prefetched.form?.get('ExternalId')).toBe('ext');
    expect(prefetched.region).toBe('eu-west-1');
    expect(resolved.credentials.accessKeyId).toBe('ASIAPREFETCH00000001');
    expect(stsCalls()).toHaveLength(1);
  });

  it('assumes nothing for a role or a workspace the deployment does not allow', () => {
    // Prepare
    const before = credentialCacheStats();

    // Act
    prefetchCredentials(() => body(OTHER_ROLE));
    prefetchCredentials(() => body(ROLE, 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-other'));

    // Assess
    // a credential load is counted the moment it starts, so none was started (and no STS call can follow)
    expect(credentialCacheStats()).toEqual(before);
    expect(stsCalls()).toHaveLength(0);
  });

  it('assumes nothing where the deployment lists no roles (local use)', () => {
    // Prepare
    vi.stubEnv('MIRROR_ALLOWED_ROLE_ARNS', '');
    const before = credentialCacheStats();

    // Act
    prefetchCredentials(() => body(ROLE));

    // Assess
    expect(credentialCacheStats()).toEqual(before);
    expect(stsCalls()).toHaveLength(0);
  });

  it('ignores a body it cannot read', () => {
    // Prepare
    const before = credentialCacheStats();

    // Act / Assess
    expect(() => prefetchCredentials(() => null)).not.toThrow();
    expect(() => prefetchCredentials(() => ({ connectionDetails: 'x' }))).not.toThrow();
    expect(credentialCacheStats()).toEqual(before);
    expect(stsCalls()).toHaveLength(0);
  });
});
