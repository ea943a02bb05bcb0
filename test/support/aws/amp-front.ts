import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KnownKey, readBody, verifySigV4 } from './verify-sigv4.js';

export interface AmpFrontOptions {
  /** The real Prometheus requests are proxied to (no trailing slash needed). */
  prometheusUrl: string;
  /** The region signatures must be scoped to. */
  region: string;
  /** Workspace ids that exist; any other answers 404. */
  workspaces: string[];
  /** Finds the secret (and token) of an access key: the fake STS's `lookup`. */
  lookup: (accessKeyId: string) => KnownKey | undefined;
  /** Keys whose identity has no aps permissions: answered 403 AccessDenied. */
  denied?: (accessKeyId: string) => boolean;
}

export interface AmpFront {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/workspaces/<id>`: a Connection Details url. */
  workspaceUrl(id: string): string;
  /** Access key ids of every signed request, in order (repeats included). */
  seenAccessKeyIds(): string[];
  /** Requests answered, by outcome: `ok`, `throttled`, `signature`, `denied`, `not-found`. */
  outcomes(): Record<string, number>;
  /** The next `count` requests with a valid signature answer 429 Rate exceeded. */
  throttleNext(count: number): void;
  close(): Promise<void>;
}

/** The aps action AMP checks for an API path. */
function actionFor(apiPath: string): string {
  if (/^\/api\/v1\/query(_range)?$/.test(apiPath)) return 'aps:QueryMetrics';
  if (/^\/api\/v1\/(labels|label\/[^/]+\/values)$/.test(apiPath)) return 'aps:GetLabels';
  if (apiPath === '/api/v1/series') return 'aps:GetSeries';
  if (apiPath === '/api/v1/metadata') return 'aps:GetMetricMetadata';
  return 'aps:QueryMetrics';
}

/**
 * A local stand-in for AMP's query front on its URL layout (`/workspaces/<id>/api/v1/...`).
 * Like AMP it requires a SigV4 signature (service `aps`, its region, checked with `aws4`) made
 * with temporary credentials the fake STS issued, including their `X-Amz-Security-Token`;
 * answers AWS-style JSON errors with `x-amzn-ErrorType` (403 signature / unknown key / expired
 * token, 403 AccessDenied, 404 unknown workspace, 429 on demand); and otherwise proxies to a
 * real Prometheus without the `/workspaces/<id>` prefix. Listens on 127.0.0.1, OS-chosen port.
 */
export async function startAmpFront(options: AmpFrontOptions): Promise<AmpFront> {
  const seen: string[] = [];
  const outcomes: Record<string, number> = {};
  let throttle = 0;
  const target = options.prometheusUrl.replace(/\/+$/, '');

  const count = (outcome: string): void => {
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const rawUrl = req.url ?? '/';
    const check = verifySigV4(
      { method: req.method ?? 'GET', url: rawUrl, headers: req.headers, body },
      { service: 'aps', region: options.region },
      options.lookup,
    );
    if (check.accessKeyId !== undefined) seen.push(check.accessKeyId);
    if (!check.ok) {
      count('signature');
      const type =
        check.problem === 'missing'
          ? 'MissingAuthenticationTokenException'
          : check.problem === 'unknown-key' || check.problem === 'token'
            ? 'UnrecognizedClientException'
            : check.problem === 'expired'
              ? 'ExpiredTokenException'
              : 'InvalidSignatureException';
      sendJson(res, 403, type, { message: check.message });
      return;
    }

    const path = rawUrl.split('?')[0] ?? '/';
    const match = /^\/workspaces\/([^/]+)(\/.*)?$/.exec(path);
    const workspace = match?.[1];
    const apiPath = match?.[2] ?? '';
    if (workspace === undefined || !options.workspaces.includes(workspace) || !apiPath.startsWith('/api/v1/')) {
      count('not-found');
      sendJson(res, 404, 'ResourceNotFoundException', { message: `Workspace not found: ${workspace ?? '(none)'}` });
      return;
    }
    if (options.denied?.(check.accessKeyId)) {
      count('denied');
      sendJson(res, 403, 'AccessDeniedException', {
        Message: `User: arn:aws:sts::111122223333:assumed-role/no-aps-access/StackState-Prometheus-Mirror is not authorized to perform: ${actionFor(apiPath)} on resource: arn:aws:aps:${options.region}:111122223333:workspace/${workspace}`,
      });
      return;
    }
    if (throttle > 0) {
      throttle--;
      count('throttled');
      sendJson(res, 429, 'ThrottlingException', { message: 'Rate exceeded' });
      return;
    }

    const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?')) : '';
    const headers: Record<string, string> = { accept: 'application/json' };
    const contentType = req.headers['content-type'];
    if (typeof contentType === 'string') headers['content-type'] = contentType;
    const upstream = await fetch(`${target}${apiPath}${query}`, {
      method: req.method ?? 'GET',
      headers,
      ...(req.method === 'POST' ? { body } : {}),
    });
    count('ok');
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      'x-amzn-requestid': randomUUID(),
    });
    res.end(await upstream.text());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, 'InternalServerException', { message: 'Internal server error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    workspaceUrl: (id) => `${url}/workspaces/${id}`,
    seenAccessKeyIds: () => [...seen],
    outcomes: () => ({ ...outcomes }),
    throttleNext: (n) => {
      throttle += n;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function sendJson(res: ServerResponse, status: number, errorType: string, body: object): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': errorType,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify(body));
}
