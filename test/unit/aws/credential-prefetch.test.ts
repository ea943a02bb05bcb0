import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { prefetchCredentials } from '../../../lambda/app/credential-prefetch.js';
import { resetAwsCredentialState, resolveCredentials } from '../../../lambda/aws/credentials.js';
import { assumeRoleAnswer } from '../../support/aws/assume-role-answer.js';

const sts = mockClient(STSClient);
const WORKSPACE = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-prefetch';
const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const OTHER_ROLE = 'arn:aws:iam::111122223333:role/SomethingElse';

const body = (roleArn: string, url = WORKSPACE) => ({
  _type: 'MetricsRequest',
  connectionDetails: { url, mirror_token: 'not checked yet', aws: { role_arn: roleArn, external_id: 'ext' } },
});

beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).resolves(assumeRoleAnswer('ASIAPREFETCH00000001'));
  resetAwsCredentialState();
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAMIRROROWNKEY0001');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'mirror-own-secret');
  vi.stubEnv('MIRROR_ALLOWED_URLS', WORKSPACE);
  vi.stubEnv('MIRROR_ALLOWED_ROLE_ARNS', ROLE);
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetAwsCredentialState();
});

describe('credential prefetch beside the secrets', () => {
  it('starts AssumeRole for an allowed role, and the request proper gets the same credentials without a second call', async () => {
    prefetchCredentials(() => body(ROLE));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);

    const resolved = await resolveCredentials({ role_arn: ROLE, external_id: 'ext' }, 'eu-west-1');

    expect(resolved.credentials.accessKeyId).toBe('ASIAPREFETCH00000001');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('assumes nothing for a role or a workspace the deployment does not allow', () => {
    prefetchCredentials(() => body(OTHER_ROLE));
    prefetchCredentials(() => body(ROLE, 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-other'));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('assumes nothing where the deployment lists no roles (local use)', () => {
    vi.stubEnv('MIRROR_ALLOWED_ROLE_ARNS', '');
    const readBody = vi.fn(() => body(ROLE));
    prefetchCredentials(readBody);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(readBody).not.toHaveBeenCalled(); // nor is the body parsed before its time
  });

  it('ignores a body it cannot read', () => {
    expect(() => prefetchCredentials(() => null)).not.toThrow();
    expect(() => prefetchCredentials(() => ({ connectionDetails: 'x' }))).not.toThrow();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});
