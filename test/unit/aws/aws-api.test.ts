import { afterEach, describe, expect, it } from 'vitest';
import { awsEndpoint, AwsServiceError, callAwsApi, errorCodeOf, useAwsTransport, xmlText } from '../../../lambda/aws/aws-api.js';
import { regionOfArn, SECRETS_MANAGER } from '../../../lambda/aws/secrets-manager.js';
import { credentialsOf, STS } from '../../../lambda/aws/sts-assume-role.js';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { AnswerTooLargeError } from '../../../lambda/upstream/upstream-limits.js';
import type { Transport, UpstreamRequest } from '../../../lambda/upstream/transport.js';

const CREDENTIALS = { accessKeyId: 'AKIAUNITTEST00000001', secretAccessKey: 'unit-secret' };
let restore: Transport | undefined;

afterEach(() => {
  if (restore) useAwsTransport(restore);
  restore = undefined;
});

/** Replaces the network with `answer`, recording what was sent. */
function network(answer: (request: UpstreamRequest, n: number) => ReturnType<Transport>): UpstreamRequest[] {
  const sent: UpstreamRequest[] = [];
  restore = useAwsTransport(async (request) => {
    sent.push(request);
    return answer(request, sent.length);
  });
  return sent;
}

const call = (overrides: Partial<Parameters<typeof callAwsApi>[0]> = {}) =>
  callAwsApi(
    { service: STS, region: 'eu-west-1', credentials: CREDENTIALS, headers: {}, body: 'Action=AssumeRole', timeoutMs: 2_000, ...overrides },
    {},
  );

describe('awsEndpoint', () => {
  it.each([
    ['eu-west-1', {}, 'https://sts.eu-west-1.amazonaws.com/'],
    ['cn-north-1', {}, 'https://sts.cn-north-1.amazonaws.com.cn/'],
    ['us-gov-west-1', {}, 'https://sts.us-gov-west-1.amazonaws.com/'],
    ['eu-west-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9000/'],
    ['eu-west-1', { AWS_ENDPOINT_URL: 'http://a.test', AWS_ENDPOINT_URL_STS: 'http://b.test' }, 'http://b.test/'],
  ])('STS in %s with %j is %s', (region, env, expected) => {
    // Prepare / Act / Assess
    expect(awsEndpoint(STS, region, env).href).toBe(expected);
  });

  it('names Secrets Manager by its own variable', () => {
    // Prepare / Act / Assess
    expect(awsEndpoint(SECRETS_MANAGER, 'eu-west-1', { AWS_ENDPOINT_URL_STS: 'http://sts.test' }).href).toBe(
      'https://secretsmanager.eu-west-1.amazonaws.com/',
    );
  });
});

describe('reading AWS answers', () => {
  it('decodes the XML entities STS may put in a message, and leaves unknown ones', () => {
    // Prepare
    const xml = '<Error><Message>Value &apos;a b&apos; &lt;x&gt; &amp;amp; &#233;&#x1F511; &bogus;</Message></Error>';

    // Act / Assess
    expect(xmlText(xml, 'Message')).toBe("Value 'a b' <x> &amp; é\u{1F511} &bogus;");
    expect(xmlText(xml, 'Code')).toBeUndefined();
    expect(xmlText('<Message>never closed', 'Message')).toBeUndefined();
  });

  it.each([
    [{ 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/' }, '{}', 'AccessDeniedException'],
    [{}, '{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","Message":"x"}', 'ResourceNotFoundException'],
    [{}, '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code></Error></ErrorResponse>', 'AccessDenied'],
    [{}, '<html>502 Bad Gateway</html>', undefined],
  ])('the error code of %j %s is %s', (headers, body, code) => {
    // Prepare / Act / Assess
    expect(errorCodeOf({ status: 400, headers, body })).toBe(code);
  });

  it('takes credentials from <Credentials> only, and refuses an answer without them', () => {
    // Prepare
    const xml = `<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>a</Arn></AssumedRoleUser><Credentials>
      <AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s+/=</SecretAccessKey><SessionToken>t</SessionToken>
      <Expiration>2026-12-03T15:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`;

    // Act / Assess
    expect(credentialsOf(xml)).toEqual({
      accessKeyId: 'ASIAX',
      secretAccessKey: 's+/=',
      sessionToken: 't',
      expiration: new Date('2026-12-03T15:00:00Z'),
    });
    expect(() => credentialsOf('<AccessKeyId>ASIAX</AccessKeyId><Credentials></Credentials>')).toThrow(AwsServiceError);
  });

  it.each([
    ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:k-AbCdEf', 'eu-west-1'],
    ['arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:k-AbCdEf', 'cn-north-1'],
    ['MySecretName', undefined],
    ['arn:aws:secretsmanager:not a region:1:secret:k', undefined],
  ])('the region of %s is %s', (arn, region) => {
    // Prepare / Act / Assess
    expect(regionOfArn(arn)).toBe(region);
  });
});

describe('callAwsApi', () => {
  it('signs for the service and region and keeps the headers it was given', async () => {
    // Prepare
    const sent = network(async () => ({ status: 200, headers: {}, body: 'ok' }));

    // Act
    await call({ service: SECRETS_MANAGER, headers: { 'x-amz-target': 'secretsmanager.GetSecretValue' } });

    // Assess
    expect(sent[0]?.url.href).toBe('https://secretsmanager.eu-west-1.amazonaws.com/');
    expect(sent[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(sent[0]?.headers.authorization).toMatch(/Credential=AKIAUNITTEST00000001\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request/);
    expect(sent[0]?.maxBytes).toBe(SECRETS_MANAGER.maxAnswerBytes);
  });

  it('retries a 400 Throttling once, then answers it as 429 with its body', async () => {
    // Prepare
    const throttled = '<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>';
    const sent = network(async () => ({ status: 400, headers: {}, body: throttled }));

    // Act
    const answer = await call();

    // Assess
    expect(sent).toHaveLength(2);
    expect(answer).toMatchObject({ status: 429, body: throttled });
  });

  it('does not retry an error that is not throttling', async () => {
    // Prepare
    const sent = network(async () => ({ status: 403, headers: {}, body: '<Code>AccessDenied</Code>' }));

    // Act
    const answer = await call();

    // Assess
    expect(sent).toHaveLength(1);
    expect(answer.status).toBe(403);
  });

  it('hands back the system error of a failed connection, code included', async () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    network(async (request) => {
      throw new MetricStoreConnectionError('network', `Cannot connect to ${request.url.origin}`, undefined, { cause: refused });
    });

    // Act / Assess
    await expect(call()).rejects.toBe(refused);
  });

  it('ends at its own time limit with a TimeoutError, and at the caller’s signal with an AbortError', async () => {
    // Prepare
    network(
      (request) =>
        new Promise((_, reject) => {
          const late = () => reject(new MetricStoreConnectionError('timeout', 'late'));
          if (request.signal.aborted) late(); // as node:http does for a signal that has already ended
          request.signal.addEventListener('abort', late);
        }),
    );
    const caller = new AbortController();

    // Act
    const own = call({ timeoutMs: 20 });
    const aborted = call({ timeoutMs: 60_000, signal: caller.signal });
    caller.abort();
    const [ownEnd, abortedEnd] = await Promise.allSettled([own, aborted]);

    // Assess
    expect(ownEnd).toMatchObject({ status: 'rejected', reason: { name: 'TimeoutError' } });
    expect(abortedEnd).toMatchObject({ status: 'rejected', reason: { name: 'AbortError' } });
  });

  it('turns an answer over the cap into AnswerTooLarge', async () => {
    // Prepare
    network(async (request) => {
      throw new AnswerTooLargeError(request.url.origin, request.maxBytes ?? 0);
    });

    // Act / Assess
    await expect(call()).rejects.toMatchObject({ name: 'AnswerTooLarge', message: `sts answered more than ${STS.maxAnswerBytes} bytes` });
  });
});
