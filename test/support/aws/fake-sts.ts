import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KnownKey, readBody, verifySigV4 } from './verify-sigv4.js';

/** A (role, external id) pair the fake's trust policies allow; `externalId` undefined = the policy demands none. */
export interface TrustEntry {
  roleArn: string;
  externalId?: string;
}

export interface FakeStsOptions {
  /** The mirror's own long-term keys: access key id → secret. Only they may call AssumeRole. */
  callers: Record<string, string>;
  trust: TrustEntry[];
  /** Lifetime of issued credentials in seconds. @default the DurationSeconds asked for */
  lifetimeSeconds?: number;
  /** The role's maximum session duration. @default 3600 */
  maxSessionSeconds?: number;
}

/** What the fake issued, for the AMP front and for assertions. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
}

export interface FakeSts {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL_STS. */
  url: string;
  /** AssumeRole calls with a valid caller signature, for this role and external id (any outcome). */
  callsFor(roleArn: string, externalId?: string): number;
  totalCalls(): number;
  /** Every set of credentials issued, oldest first. */
  issued(): IssuedCredentials[];
  /** The issued key, as an AWS front end would look it up. */
  lookup(accessKeyId: string): KnownKey | undefined;
  /** The next `count` AssumeRole calls fail with this AWS error. */
  failNext(code: StsErrorCode, count?: number): void;
  /** Makes an issued key expire now. */
  expire(accessKeyId: string): void;
  close(): Promise<void>;
}

export type StsErrorCode =
  | 'AccessDenied'
  | 'RegionDisabledException'
  | 'Throttling'
  | 'InvalidClientTokenId'
  | 'ExpiredToken'
  | 'SignatureDoesNotMatch'
  | 'ValidationError'
  | 'InternalFailure';

const ERRORS: Record<StsErrorCode, { status: number; type: 'Sender' | 'Receiver'; message: string }> = {
  AccessDenied: { status: 403, type: 'Sender', message: 'not authorized' },
  RegionDisabledException: {
    status: 403,
    type: 'Sender',
    message:
      'STS is not activated in this region for account:111122223333. Your account administrator can activate STS in this region using the IAM Console.',
  },
  Throttling: { status: 400, type: 'Sender', message: 'Rate exceeded' },
  InvalidClientTokenId: { status: 403, type: 'Sender', message: 'The security token included in the request is invalid.' },
  ExpiredToken: { status: 400, type: 'Sender', message: 'The security token included in the request is expired' },
  SignatureDoesNotMatch: {
    status: 403,
    type: 'Sender',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  },
  ValidationError: { status: 400, type: 'Sender', message: 'invalid parameters' },
  InternalFailure: { status: 500, type: 'Receiver', message: 'An internal error occurred.' },
};

const CALLER_ARN = 'arn:aws:sts::111122223333:assumed-role/stackstate-mirror-execution/mirror';

/**
 * A local STS speaking the Query protocol for AssumeRole (form POST in, XML out, AWS error
 * XML on failure). It verifies the caller's SigV4 signature with `aws4`, checks RoleArn and
 * ExternalId against its trust map, counts calls per (role, external id), and issues
 * temporary credentials it remembers. Listens on 127.0.0.1 with an OS-chosen port.
 */
export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const calls = new Map<string, number>();
  const issued: IssuedCredentials[] = [];
  const failures: StsErrorCode[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 'InternalFailure');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const check = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      { service: 'sts' },
      (id) => {
        const secret = options.callers[id];
        return secret === undefined ? undefined : { secretAccessKey: secret };
      },
    );
    if (!check.ok) {
      sendError(res, check.problem === 'unknown-key' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch');
      return;
    }
    const form = new URLSearchParams(body);
    if (req.method !== 'POST' || form.get('Action') !== 'AssumeRole' || form.get('Version') !== '2011-06-15') {
      sendError(res, 'ValidationError', 'Only AssumeRole (Version 2011-06-15) is implemented here.');
      return;
    }
    const roleArn = form.get('RoleArn') ?? '';
    const externalId = form.get('ExternalId') ?? undefined;
    const sessionName = form.get('RoleSessionName') ?? '';
    const duration = Number(form.get('DurationSeconds') ?? '3600');
    const key = callKey(roleArn, externalId);
    calls.set(key, (calls.get(key) ?? 0) + 1);

    const failure = failures.shift();
    if (failure !== undefined) {
      sendError(res, failure, failure === 'AccessDenied' ? denied(roleArn) : undefined);
      return;
    }
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      sendError(
        res,
        'ValidationError',
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`,
      );
      return;
    }
    const maxSession = options.maxSessionSeconds ?? 3600;
    if (!Number.isInteger(duration) || duration < 900 || duration > maxSession) {
      sendError(res, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
      return;
    }
    if (!options.trust.some((t) => t.roleArn === roleArn && t.externalId === externalId)) {
      sendError(res, 'AccessDenied', denied(roleArn));
      return;
    }
    const lifetime = options.lifetimeSeconds ?? duration;
    const credentials: IssuedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + lifetime * 1000),
      roleArn,
      roleSessionName: sessionName,
      durationSeconds: duration,
    };
    issued.push(credentials);
    sendXml(res, 200, assumeRoleXml(credentials));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    callsFor: (roleArn, externalId) => calls.get(callKey(roleArn, externalId)) ?? 0,
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    issued: () => [...issued],
    lookup: (accessKeyId) => {
      const found = issued.find((c) => c.accessKeyId === accessKeyId);
      return found && { secretAccessKey: found.secretAccessKey, sessionToken: found.sessionToken, expiration: found.expiration };
    },
    failNext: (code, count = 1) => {
      for (let i = 0; i < count; i++) failures.push(code);
    },
    expire: (accessKeyId) => {
      const found = issued.find((c) => c.accessKeyId === accessKeyId);
      if (found) found.expiration = new Date(Date.now() - 1000);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function callKey(roleArn: string, externalId: string | undefined): string {
  return `${roleArn}\u0000${externalId ?? ''}`;
}

function denied(roleArn: string): string {
  return `User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
}

/** STS's AssumeRole answer for `c` (also used by the in-process double, aws-double.ts). */
export function assumeRoleXml(
  c: Pick<IssuedCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration' | 'roleArn' | 'roleSessionName'>,
): string {
  const roleName = c.roleArn.split('/').pop() ?? 'role';
  const account = /^arn:aws:iam::(\d{12}):/.exec(c.roleArn)?.[1] ?? '111122223333';
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:${xml(c.roleSessionName)}</AssumedRoleId>
      <Arn>arn:aws:sts::${account}:assumed-role/${xml(roleName)}/${xml(c.roleSessionName)}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${xml(c.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${xml(c.sessionToken)}</SessionToken>
      <Expiration>${c.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z')}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`;
}

function sendError(res: ServerResponse, code: StsErrorCode, message?: string): void {
  const { status, body } = stsErrorAnswer(code, message);
  sendXml(res, status, body);
}

/** STS's error answer (status and XML) for `code`, with its usual message unless one is given. */
export function stsErrorAnswer(code: StsErrorCode, message?: string): { status: number; body: string } {
  const e = ERRORS[code];
  return {
    status: e.status,
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>${e.type}</Type>
    <Code>${code}</Code>
    <Message>${xml(message ?? e.message)}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`,
  };
}

function sendXml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
