import { vi } from 'vitest';
import { useAwsTransport } from '../../../lambda/aws/aws-api.js';
import type { Transport, UpstreamRequest, UpstreamResponse } from '../../../lambda/upstream/transport.js';
import { secretsErrorAnswer, secretValueAnswer } from './fake-secrets-manager.js';
import { assumeRoleXml, type StsErrorCode, stsErrorAnswer } from './fake-sts.js';
import { type KnownKey, verifySigV4 } from './verify-sigv4.js';

/** One AWS API call the double received, its signature checked with `aws4`. */
export interface AwsCall {
  service: 'sts' | 'secretsmanager';
  /** The signature's region. */
  region: string;
  /** Who signed it. */
  accessKeyId: string;
  /** STS: the form fields. */
  form?: URLSearchParams;
  /** Secrets Manager: the SecretId asked for. */
  secretId?: string;
  url: URL;
}

/** What a scripted call answers: an HTTP answer, or a thrown network error. */
export type AwsAnswer = { status: number; body: string; headers?: Record<string, string> };
export type AwsReply = AwsAnswer | { error: Error };

export interface AwsDouble {
  calls: AwsCall[];
  /** Answers STS calls (default: credentials for any role, one hour). */
  onSts(answer: (call: AwsCall) => AwsReply | Promise<AwsReply>): void;
  /** Answers Secrets Manager calls (default: ResourceNotFoundException). */
  onSecrets(answer: (call: AwsCall) => AwsReply | Promise<AwsReply>): void;
  /** Puts the network back. */
  restore(): void;
}

/**
 * An in-process stand-in for STS and Secrets Manager under the mirror's AWS API calls
 * (`useAwsTransport`): every request's SigV4 signature is verified with `aws4` against the
 * keys given, then answered in the service's own wire format (STS XML, Secrets Manager JSON).
 * A request signed wrongly gets the error AWS would send. For the offline unit tests; the
 * loopback tests use the HTTP fakes (fake-sts.ts).
 */
export function installAwsDouble(keys: Record<string, KnownKey>): AwsDouble {
  const calls: AwsCall[] = [];
  let sts: (call: AwsCall) => AwsReply | Promise<AwsReply> = (call) => stsCredentials(call);
  let secrets: (call: AwsCall) => AwsReply | Promise<AwsReply> = () =>
    secretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

  const transport: Transport = async (request: UpstreamRequest): Promise<UpstreamResponse> => {
    const service = request.headers['x-amz-target']?.startsWith('secretsmanager.') ? 'secretsmanager' : 'sts';
    const check = verifySigV4(
      {
        method: request.method,
        url: request.url.pathname + request.url.search,
        headers: { ...request.headers, host: request.url.host },
        body: request.body ?? '',
      },
      { service },
      (id) => keys[id],
    );
    if (!check.ok) {
      return service === 'sts'
        ? answerOf(stsErrorAnswer(check.problem === 'unknown-key' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch'))
        : answerOf(secretsError('UnrecognizedClientException', check.message, 400));
    }
    const call: AwsCall = { service, region: check.region, accessKeyId: check.accessKeyId, url: request.url };
    if (service === 'sts') call.form = new URLSearchParams(request.body ?? '');
    else call.secretId = (JSON.parse(request.body ?? '{}') as { SecretId?: string }).SecretId ?? '';
    calls.push(call);
    const reply = await (service === 'sts' ? sts(call) : secrets(call));
    if ('error' in reply) throw reply.error;
    return answerOf(reply);
  };
  const previous = useAwsTransport(transport);
  return {
    calls,
    onSts: (answer) => {
      sts = answer;
    },
    onSecrets: (answer) => {
      secrets = answer;
    },
    restore: () => void useAwsTransport(previous),
  };
}

/** The mirror's own keys in the offline tests: what Lambda would put in its environment. */
export const MIRROR_KEY_ID = 'AKIAMIRROROWNKEY0001';
export const MIRROR_SECRET = 'mirror-own-secret';

/**
 * Puts the mirror's own keys in the environment (`vi.stubEnv`; undo with `vi.unstubAllEnvs`) and
 * installs the double, knowing those keys and `more` (callers' static keys).
 */
export function installMirrorAwsDouble(more: Record<string, KnownKey> = {}): AwsDouble {
  vi.stubEnv('AWS_ACCESS_KEY_ID', MIRROR_KEY_ID);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', MIRROR_SECRET);
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  return installAwsDouble({ [MIRROR_KEY_ID]: { secretAccessKey: MIRROR_SECRET }, ...more });
}

let issued = 0;

/** An AssumeRole answer with fresh credentials for the call's role (key `accessKeyId` if given), valid `lifetimeMs`. */
export function stsCredentials(call: AwsCall, options: { accessKeyId?: string; lifetimeMs?: number } = {}): AwsReply {
  issued++;
  const lifetimeMs = options.lifetimeMs ?? 3_600_000;
  return {
    status: 200,
    body: assumeRoleXml({
      accessKeyId: options.accessKeyId ?? `ASIADOUBLE${String(issued).padStart(10, '0')}`,
      secretAccessKey: `secret-${issued}`,
      sessionToken: `token-${issued}`,
      expiration: new Date(Math.floor((Date.now() + lifetimeMs) / 1000) * 1000),
      roleArn: call.form?.get('RoleArn') ?? 'arn:aws:iam::111122223333:role/R',
      roleSessionName: call.form?.get('RoleSessionName') ?? 'mirror',
    }),
  };
}

/** STS's error answer for `code`. */
export function stsFailure(code: StsErrorCode, message?: string): AwsReply {
  return stsErrorAnswer(code, message);
}

/** A GetSecretValue answer holding `value`. */
export function secretValue(call: AwsCall, value: string): AwsReply {
  return secretValueAnswer(call.secretId ?? '', value);
}

/** Secrets Manager's error answer, as the loopback fake sends it. */
export function secretsError(code: string, message: string, status = 400): AwsAnswer {
  return secretsErrorAnswer(code, message, status);
}

function answerOf(reply: AwsAnswer): UpstreamResponse {
  return { status: reply.status, headers: { 'content-type': 'text/xml', ...reply.headers }, body: reply.body };
}
