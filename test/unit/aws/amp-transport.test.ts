import { Deadline } from '../../../lambda/deadline.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ampTransport, credentialCacheStats, isStaleTokenAnswer } from '../../../lambda/aws/amp-transport.js';
import { resetAwsCredentialState } from '../../../lambda/aws/credentials.js';
import { RemoteMirrorError } from '../../../lambda/errors.js';
import type { UpstreamRequest, UpstreamResponse } from '../../../lambda/upstream/transport.js';
import { type AwsDouble, installMirrorAwsDouble } from '../../support/aws/aws-double.js';
import { assumeRoleXml } from '../../support/aws/fake-sts.js';
import { verifySigV4 } from '../../support/aws/verify-sigv4.js';

const WORKSPACE = new URL('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234');
const STATIC = { aws_access_key_id: 'AKIASTATIC0000000001', aws_secret_access_key: 'static-secret' };
const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
let double: AwsDouble;
const noSleep = { sleep: async () => {} };

function post(endpoint: string, params: [string, string][]): UpstreamRequest {
  return {
    method: 'POST',
    url: new URL(`${WORKSPACE.pathname}/api/v1/${endpoint}`, WORKSPACE),
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
    signal: new AbortController().signal,
  };
}

const ok: UpstreamResponse = { status: 200, headers: {}, body: '{"status":"success","data":[]}' };

/** What reached the network: the requests, and whether aws4 accepts their signatures. */
function recordingInner(answers: (req: UpstreamRequest) => UpstreamResponse = () => ok) {
  const sent: UpstreamRequest[] = [];
  const inner = async (req: UpstreamRequest): Promise<UpstreamResponse> => {
    sent.push(req);
    return answers(req);
  };
  return { inner, sent };
}

function verify(req: UpstreamRequest, secrets: Record<string, string>) {
  return verifySigV4(
    {
      method: req.method,
      url: `${req.url.pathname}${req.url.search}`,
      headers: { ...req.headers, host: req.url.host },
      body: req.body ?? '',
    },
    { service: 'aps', region: 'eu-west-1' },
    (id) => (secrets[id] === undefined ? undefined : { secretAccessKey: secrets[id] }),
  );
}

beforeEach(() => {
  resetAwsCredentialState();
  double = installMirrorAwsDouble();
});

afterEach(() => {
  double.restore();
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('ampTransport', () => {
  it("signs every request for aps in the workspace's region, verifiably", async () => {
    // Prepare
    const { inner, sent } = recordingInner();
    const transport = ampTransport(STATIC, WORKSPACE, inner, { deadline: Deadline.after(20_000) });

    // Act
    await transport(
      post('query', [
        ['query', 'up'],
        ['time', '1'],
        ['timeout', '19s'],
      ]),
    );
    await transport(
      post('series', [
        ['match[]', 'up{job="a"}'],
        ['match[]', 'up{job="b"}'],
      ]),
    );

    // Assess
    expect(sent).toHaveLength(2);
    for (const req of sent) {
      expect(verify(req, { [STATIC.aws_access_key_id]: STATIC.aws_secret_access_key })).toEqual({
        ok: true,
        accessKeyId: STATIC.aws_access_key_id,
        region: 'eu-west-1',
      });
    }
  });

  it('retries a 429 with a fresh signature and returns the success', async () => {
    // Prepare
    let calls = 0;
    const { inner, sent } = recordingInner(() => (++calls === 1 ? { status: 429, headers: {}, body: '{"message":"Rate exceeded"}' } : ok));
    const transport = ampTransport(STATIC, WORKSPACE, inner, { deadline: Deadline.after(20_000), retry: noSleep });

    // Act
    const response = await transport(post('labels', []));

    // Assess
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(2);
  });

  it('refuses a region_name that contradicts the workspace host, before any network call', async () => {
    // Prepare
    const { inner, sent } = recordingInner();
    const transport = ampTransport({ ...STATIC, region_name: 'us-east-1' }, WORKSPACE, inner, { deadline: Deadline.after(20_000) });

    // Act
    const outcome = await transport(post('labels', [])).catch((e: unknown) => e);

    // Assess
    expect(outcome).toBeInstanceOf(RemoteMirrorError);
    expect(sent).toHaveLength(0);
  });

  it('gets new credentials once and repeats the request when AMP says the token expired', async () => {
    // Prepare
    let n = 0;
    double.onSts((call) => {
      n++;
      return {
        status: 200,
        body: assumeRoleXml({
          accessKeyId: `ASIAKEY${n}`,
          secretAccessKey: `s${n}`,
          sessionToken: `t${n}`,
          expiration: new Date(Date.now() + 3600_000),
          roleArn: call.form?.get('RoleArn') ?? ROLE,
          roleSessionName: call.form?.get('RoleSessionName') ?? 'session',
        }),
      };
    });
    const { inner, sent } = recordingInner((req) =>
      req.headers.authorization?.includes('ASIAKEY1/')
        ? {
            status: 403,
            headers: { 'x-amzn-errortype': 'ExpiredTokenException' },
            body: '{"message":"The security token included in the request is expired"}',
          }
        : ok,
    );
    const transport = ampTransport({ role_arn: ROLE }, WORKSPACE, inner, { deadline: Deadline.after(20_000) });

    // Act
    const response = await transport(post('labels', []));

    // Assess
    expect(response.status).toBe(200);
    expect(double.calls.filter((call) => call.service === 'sts').map((call) => call.form?.get('RoleArn'))).toEqual([ROLE, ROLE]);
    expect(sent.map((r) => /Credential=(\w+)\//.exec(r.headers.authorization ?? '')?.[1])).toEqual(['ASIAKEY1', 'ASIAKEY2']);
  });

  it('does not ask again for static keys, which would be the same', async () => {
    // Prepare
    const expired: UpstreamResponse = {
      status: 403,
      headers: {},
      body: '{"message":"The security token included in the request is expired"}',
    };
    const { inner, sent } = recordingInner(() => expired);
    const transport = ampTransport(STATIC, WORKSPACE, inner, { deadline: Deadline.after(20_000) });

    // Act
    const response = await transport(post('labels', []));

    // Assess
    expect(response.status).toBe(403);
    expect(sent).toHaveLength(1);
  });

  it('counts credential cache hits and misses', async () => {
    // Prepare
    const before = credentialCacheStats();
    const transport = ampTransport(STATIC, WORKSPACE, recordingInner().inner, { deadline: Deadline.after(20_000) });

    // Act
    for (let i = 0; i < 5; i++) await transport(post('labels', []));

    // Assess
    const after = credentialCacheStats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(4);
  });
});

describe('isStaleTokenAnswer', () => {
  it.each([
    [403, {}, '{"message":"The security token included in the request is expired"}', true],
    [403, {}, '{"message":"The security token included in the request is invalid."}', true],
    [403, { 'x-amzn-errortype': 'ExpiredTokenException:http://internal.amazon.com/' }, '{}', true],
    [403, { 'x-amzn-errortype': 'AccessDeniedException' }, '{"Message":"User: x is not authorized to perform: aps:QueryMetrics"}', false],
    [403, {}, '{"message":"The request signature we calculated does not match the signature you provided."}', false],
    [200, {}, '{"message":"The security token included in the request is expired"}', false],
  ])('answers %i %j %s → %s', (status, headers, body, stale) => {
    // Act
    const result = isStaleTokenAnswer({ status, headers: headers as Record<string, string>, body });

    // Assess
    expect(result).toBe(stale);
  });
});
