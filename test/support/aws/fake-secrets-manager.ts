import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, verifySigV4 } from './verify-sigv4.js';

export interface FakeSecretsManager {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  url: string;
  /** GetSecretValue calls with a valid signature, per SecretId. */
  callsFor(secretId: string): number;
  /** The region each valid call was signed for, oldest first. */
  regions(): string[];
  close(): Promise<void>;
}

/**
 * A local Secrets Manager speaking the JSON 1.1 protocol for GetSecretValue. It verifies the
 * caller's SigV4 signature with `aws4` (service `secretsmanager`), and answers the value given
 * for each SecretId, or AWS's ResourceNotFoundException. Listens on 127.0.0.1.
 */
export async function startFakeSecretsManager(options: {
  /** Who may call: access key id → secret. */
  callers: Record<string, string>;
  values: Record<string, string>;
}): Promise<FakeSecretsManager> {
  const calls = new Map<string, number>();
  const regions: string[] = [];
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const check = verifySigV4(
          { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
          { service: 'secretsmanager' },
          (id) => (options.callers[id] === undefined ? undefined : { secretAccessKey: options.callers[id] }),
        );
        if (!check.ok) {
          sendError(res, 400, 'UnrecognizedClientException', check.message);
          return;
        }
        if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
          sendError(res, 400, 'InvalidAction', 'Only GetSecretValue is implemented here.');
          return;
        }
        const { SecretId: id = '' } = JSON.parse(body) as { SecretId?: string };
        calls.set(id, (calls.get(id) ?? 0) + 1);
        regions.push(check.region);
        const value = options.values[id];
        if (value === undefined) {
          sendError(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
          return;
        }
        send(res, secretValueAnswer(id, value));
      },
      () => sendError(res, 500, 'InternalServiceError', 'read failed'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    callsFor: (id) => calls.get(id) ?? 0,
    regions: () => [...regions],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An answer in Secrets Manager's JSON 1.1 protocol (also used by the in-process double, aws-double.ts). */
export interface SecretsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** GetSecretValue's answer for `secretId` holding `value`. */
export function secretValueAnswer(secretId: string, value: string): SecretsAnswer {
  const body = { ARN: secretId, Name: secretId.split(':').pop(), SecretString: value, VersionId: randomUUID(), CreatedDate: 1.7e9 };
  return { status: 200, headers: jsonHeaders(), body: JSON.stringify(body) };
}

/** Secrets Manager's error answer: the code in `__type` and in `x-amzn-errortype`, as AWS sends it. */
export function secretsErrorAnswer(code: string, message: string, status = 400): SecretsAnswer {
  return {
    status,
    headers: { ...jsonHeaders(), 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/` },
    body: JSON.stringify({ __type: code, Message: message }),
  };
}

function jsonHeaders(): Record<string, string> {
  return { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, secretsErrorAnswer(code, message, status));
}

function send(res: ServerResponse, answer: SecretsAnswer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
