import { type AwsService, AwsServiceError, callAwsApi, errorCodeOf, xmlText } from './aws-api.js';
import type { AwsCredentials } from './credential-cache.js';

/** STS: an AssumeRole answer is ~2-3 KB (a session token of up to ~1.5 KB among them). */
export const STS: AwsService = { name: 'sts', endpointVariable: 'AWS_ENDPOINT_URL_STS', maxAnswerBytes: 64 * 1024 };

/** One STS call's limit, its retry included: two attempts of a few seconds. */
export const STS_CALL_TIMEOUT_MS = 8_000;

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  externalId?: string | undefined;
}

/**
 * `sts:AssumeRole` in `region`'s STS endpoint, signed with `source` — the Query protocol
 * (version 2011-06-15): a form POST in, XML out.
 *
 * @throws AwsServiceError with STS's code (`AccessDenied`, `RegionDisabledException`, …), its
 *   HTTP status and message; `IncompleteAnswer` when a 200 lacks a credential; the network
 *   errors of {@link callAwsApi}.
 */
export async function assumeRole(
  input: AssumeRoleInput,
  region: string,
  source: AwsCredentials,
  signal: AbortSignal | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsCredentials> {
  const form = new URLSearchParams({
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: input.roleArn,
    RoleSessionName: input.roleSessionName,
    DurationSeconds: String(input.durationSeconds),
  });
  if (input.externalId !== undefined) form.set('ExternalId', input.externalId);
  const answer = await callAwsApi(
    {
      service: STS,
      region,
      credentials: source,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form.toString(),
      signal,
      timeoutMs: STS_CALL_TIMEOUT_MS,
    },
    env,
  );
  if (answer.status < 200 || answer.status >= 300) {
    throw new AwsServiceError(
      errorCodeOf(answer) ?? `HTTP${answer.status}`,
      answer.status,
      xmlText(answer.body, 'Message') ?? '',
      xmlText(answer.body, 'RequestId'),
    );
  }
  return credentialsOf(answer.body);
}

/** The `<Credentials>` of an AssumeRole answer. */
export function credentialsOf(xml: string): AwsCredentials {
  const at = xml.indexOf('<Credentials>');
  const accessKeyId = at < 0 ? undefined : xmlText(xml, 'AccessKeyId', at);
  const secretAccessKey = at < 0 ? undefined : xmlText(xml, 'SecretAccessKey', at);
  const sessionToken = at < 0 ? undefined : xmlText(xml, 'SessionToken', at);
  const expiration = at < 0 ? undefined : xmlText(xml, 'Expiration', at);
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw new AwsServiceError('IncompleteAnswer', 200, 'STS answered AssumeRole without credentials');
  }
  const expires = expiration === undefined ? Number.NaN : Date.parse(expiration.trim());
  return {
    accessKeyId: accessKeyId.trim(),
    secretAccessKey: secretAccessKey.trim(),
    sessionToken: sessionToken.trim(),
    ...(Number.isNaN(expires) ? {} : { expiration: new Date(expires) }),
  };
}
