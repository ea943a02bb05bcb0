import { AWS_REGION } from '../contract/index.js';
import { type AwsService, AwsServiceError, callAwsApi, errorCodeOf } from './aws-api.js';
import type { AwsCredentials } from './credential-cache.js';

/** A secret's text is at most 64 KiB; JSON escaping can make it up to six times longer. */
export const SECRETS_MANAGER: AwsService = {
  name: 'secretsmanager',
  endpointVariable: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  maxAnswerBytes: 512 * 1024,
};

/**
 * `secretsmanager:GetSecretValue` for `secretId` — the JSON 1.1 protocol. The region is the
 * one in the secret's ARN (where the secret lives), else `region`.
 *
 * @returns The secret's `SecretString`; undefined when it holds only binary data.
 * @throws AwsServiceError with Secrets Manager's code (`ResourceNotFoundException`,
 *   `AccessDeniedException`, …) and status; the network errors of {@link callAwsApi}.
 */
export async function getSecretValue(
  secretId: string,
  region: string,
  credentials: AwsCredentials,
  options: { signal?: AbortSignal | undefined; timeoutMs: number },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const answer = await callAwsApi(
    {
      service: SECRETS_MANAGER,
      region: regionOfArn(secretId) ?? region,
      credentials,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: secretId }),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    },
    env,
  );
  const parsed = parseJson(answer.body);
  if (answer.status < 200 || answer.status >= 300) {
    const message = parsed?.Message ?? parsed?.message;
    throw new AwsServiceError(errorCodeOf(answer) ?? `HTTP${answer.status}`, answer.status, typeof message === 'string' ? message : '');
  }
  if (parsed === undefined) throw new AwsServiceError('IncompleteAnswer', answer.status, 'Secrets Manager answered no JSON object');
  return typeof parsed.SecretString === 'string' ? parsed.SecretString : undefined;
}

/** The region of an ARN (`arn:<partition>:secretsmanager:<region>:…`), when it names one. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.startsWith('arn:') ? arn.split(':', 4)[3] : undefined;
  return region !== undefined && AWS_REGION.test(region) ? region : undefined;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
