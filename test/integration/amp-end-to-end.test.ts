import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { setLogSink } from '../../lambda/app/request-log.js';
import { resetAwsCredentialState } from '../../lambda/aws/credentials.js';
import { HOUR, T0 } from '../fixtures/dataset.js';
import { type AmpFront, startAmpFront } from '../support/aws/amp-front.js';
import { type FakeSts, startFakeSts } from '../support/aws/fake-sts.js';
import { invokeMirror } from '../support/invoke.js';

/**
 * The mirror's handler against a local STS and a local AMP front, both checking SigV4 with an
 * implementation other than the mirror's, in front of the real test Prometheus.
 */

const MIRROR_KEY = 'AKIAMIRRORTESTKEY001';
const MIRROR_SECRET = 'mirror-secret-for-tests-only';
const REGION = 'us-east-1';
const WORKSPACE = 'ws-e2e-0001';
const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
const NO_APS_ROLE = 'arn:aws:iam::111122223333:role/NoApsAccess';
const EXTERNAL_A = 'tenant-a-external-id-7f3c';
const EXTERNAL_B = 'tenant-b-external-id-91d0';

let sts: FakeSts;
let front: AmpFront;

beforeAll(async () => {
  sts = await startFakeSts({
    callers: { [MIRROR_KEY]: MIRROR_SECRET },
    trust: [
      { roleArn: ROLE, externalId: EXTERNAL_A },
      { roleArn: ROLE, externalId: EXTERNAL_B },
      { roleArn: NO_APS_ROLE, externalId: EXTERNAL_A },
    ],
  });
  front = await startAmpFront({
    prometheusUrl: inject('prometheusUrl'),
    region: REGION,
    workspaces: [WORKSPACE],
    lookup: (id) => sts.lookup(id),
    denied: (id) => sts.issued().find((c) => c.accessKeyId === id)?.roleArn === NO_APS_ROLE,
  });
});

afterAll(async () => {
  await front?.close();
  await sts?.close();
  resetAwsCredentialState();
});

beforeEach(() => {
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', MIRROR_KEY);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', MIRROR_SECRET);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_REGION', REGION);
  resetAwsCredentialState();
});

function details(aws: Record<string, unknown>, workspace = WORKSPACE): Record<string, unknown> {
  return { url: front.workspaceUrl(workspace), request_timeout_seconds: 20, aws };
}

function testConnection(connectionDetails: Record<string, unknown>) {
  return invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails });
}

function fieldNames(connectionDetails: Record<string, unknown>) {
  return invokeMirror('/api/field/name', {
    _type: 'FieldNamesRequest',
    connectionDetails,
    query: { _type: 'FieldNamesQuery', conditions: [], startTime: T0, endTime: T0 + HOUR },
  });
}

describe('the mirror on AMP, through a local STS and a signature-checking AMP front', () => {
  it('passes test connection with a role assumed through STS and a signed, token-carrying session', async () => {
    // Act
    const answer = await testConnection(details({ role_arn: ROLE, external_id: EXTERNAL_A }));

    // Assess
    expect(answer.json).toEqual({ _type: 'TestConnectionResponse', status: 'OK' });
    expect(sts.callsFor(ROLE, EXTERNAL_A)).toBe(1);
    const issued = sts.issued().at(-1);
    expect(issued?.roleSessionName).toBe('StackState-Prometheus-Mirror');
    expect(issued?.durationSeconds).toBe(900);
    expect(new Set(front.seenAccessKeyIds())).toEqual(new Set([issued?.accessKeyId]));
  });

  it('answers 100 field requests with the same role on one AssumeRole call', async () => {
    // Prepare
    const connection = details({ role_arn: ROLE, external_id: EXTERNAL_A, token_expiry_seconds: 1800 });
    const before = sts.callsFor(ROLE, EXTERNAL_A);

    // Act
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await fieldNames(connection));

    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 100 }, () => 200));
    expect(answers[0]?.json._type).toBe('FieldNamesResponse');
    expect(sts.callsFor(ROLE, EXTERNAL_A) - before).toBe(1);
    expect(sts.issued().at(-1)?.durationSeconds).toBe(1800);
  });

  it('logs the samples AMP processed, and never lets two identities share cached buckets', async () => {
    // Prepare
    const logged: Record<string, number>[] = [];
    const restore = setLogSink((line) => logged.push(JSON.parse(line) as Record<string, number>));
    const metrics = (externalId: string) =>
      invokeMirror(
        '/api/metric',
        {
          _type: 'MetricsRequest',
          connectionDetails: details({ role_arn: ROLE, external_id: externalId }),
          query: {
            _type: 'MetricsQuery',
            conditions: [
              { _type: 'EqualityCondition', key: '__gauge__', value: { _type: 'StringValue', value: 'room_temperature_celsius' } },
              { _type: 'EqualityCondition', key: 'room', value: { _type: 'StringValue', value: '101' } },
              { _type: 'EqualityCondition', key: 'building', value: { _type: 'StringValue', value: 'north' } },
            ],
            startTime: T0,
            endTime: T0 + HOUR,
            aggregation: { _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: 60_000 },
          },
        },
        { MIRROR_REQUEST_LOG: 'on' },
      );

    // Act
    try {
      const a = await metrics(EXTERNAL_A);
      const a2 = await metrics(EXTERNAL_A);
      const b = await metrics(EXTERNAL_B);

      // Assess: 15 s samples, 240 in the hour; the second read of A is all kept buckets; B reads its own
      expect([a.statusCode, a2.statusCode, b.statusCode]).toEqual([200, 200, 200]);
      expect(a2.body).toBe(a.body);
      expect(b.body).toBe(a.body);
      const [logA, logA2, logB] = logged.slice(-3);
      expect(logA?.SamplesProcessed).toBeGreaterThanOrEqual(240);
      expect(logA).toMatchObject({ CacheHits: 0, CacheMisses: 1 });
      expect(logA2).toMatchObject({ SamplesProcessed: 0, CacheHits: 1, CacheMisses: 0 });
      expect(logB).toMatchObject({ SamplesProcessed: 240, CacheHits: 0, CacheMisses: 1 });
    } finally {
      setLogSink(restore);
    }
  });

  it('never lets two connection details that differ only in external id share credentials', async () => {
    // Prepare
    const seenBefore = front.seenAccessKeyIds().length;

    // Act
    const a = await fieldNames(details({ role_arn: ROLE, external_id: EXTERNAL_A }));
    const b = await fieldNames(details({ role_arn: ROLE, external_id: EXTERNAL_B }));
    const a2 = await fieldNames(details({ role_arn: ROLE, external_id: EXTERNAL_A }));

    // Assess
    expect([a.statusCode, b.statusCode, a2.statusCode]).toEqual([200, 200, 200]);
    const [keyA, keyB, keyA2] = front.seenAccessKeyIds().slice(seenBefore);
    expect(keyA).not.toBe(keyB);
    expect(keyA2).toBe(keyA);
    expect(sts.callsFor(ROLE, EXTERNAL_B)).toBeGreaterThanOrEqual(1);
  });

  it('fails test connection on a wrong external id with a message about the trust policy, not the id', async () => {
    // Prepare
    const wrong = 'not-the-external-id-4411';

    // Act
    const answer = await testConnection(details({ role_arn: ROLE, external_id: wrong }));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json.status).toBe('FAILURE');
    const text: string = answer.json.error.details;
    expect(text).toMatch(/AccessDenied/);
    expect(text).toMatch(/trust policy/);
    expect(text).toMatch(/external_id/);
    expect(text).not.toContain(wrong);
    expect(sts.callsFor(ROLE, wrong)).toBe(1);
  });

  it('fails test connection with the signature message when the requests are signed for another region', async () => {
    // Act
    const answer = await testConnection(details({ role_arn: ROLE, external_id: EXTERNAL_A, region_name: 'eu-west-1' }));

    // Assess
    expect(answer.json.status).toBe('FAILURE');
    expect(answer.json.error.details).toMatch(/signature/i);
    expect(answer.json.error.details).toMatch(/region/);
  });

  it('fails test connection with the aps permission message when AMP answers 403 AccessDenied', async () => {
    // Act
    const answer = await testConnection(details({ role_arn: NO_APS_ROLE, external_id: EXTERNAL_A }));

    // Assess
    expect(answer.json.status).toBe('FAILURE');
    const text: string = answer.json.error.details;
    expect(text).toContain('aps:QueryMetrics');
    expect(text).toContain('aps:GetLabels');
    expect(text).toContain('aps:GetSeries');
    expect(text).toContain('aps:GetMetricMetadata');
  });

  it('fails test connection with the 404 message for a workspace that does not exist', async () => {
    // Act
    const answer = await testConnection(details({ role_arn: ROLE, external_id: EXTERNAL_A }, 'ws-does-not-exist'));

    // Assess
    expect(answer.json.status).toBe('FAILURE');
    expect(answer.json.error.details).toMatch(/404/);
    expect(answer.json.error.details).toMatch(/workspace/);
  });

  it('retries a 429 Rate exceeded transparently', async () => {
    // Prepare
    const throttledBefore = front.outcomes().throttled ?? 0;
    front.throttleNext(1);

    // Act
    const answer = await fieldNames(details({ role_arn: ROLE, external_id: EXTERNAL_A }));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json._type).toBe('FieldNamesResponse');
    expect((front.outcomes().throttled ?? 0) - throttledBefore).toBe(1);
  });

  it('gets new credentials once and repeats the request when AMP says the session token expired', async () => {
    // Prepare
    const connection = details({ role_arn: ROLE, external_id: EXTERNAL_A });
    await fieldNames(connection);
    const first = sts.issued().at(-1);
    if (first) sts.expire(first.accessKeyId);
    const callsBefore = sts.callsFor(ROLE, EXTERNAL_A);

    // Act
    const answer = await fieldNames(connection);

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(sts.callsFor(ROLE, EXTERNAL_A) - callsBefore).toBe(1);
    expect(sts.issued().at(-1)?.accessKeyId).not.toBe(first?.accessKeyId);
  });
});
