import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeMirror } from '../../support/invoke.js';

/** Tiny loopback servers that look like what users paste by mistake: Grafana, an HTML page, an HTTPS-only port. */
let server: Server;
let tls: TlsServer;
let base = '';
let tlsPort = 0;
let answer: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
let certDir = '';

beforeAll(async () => {
  server = createServer((req, res) => answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  certDir = await mkdtemp(join(tmpdir(), 'mirror-tls-'));
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    join(certDir, 'key.pem'),
    '-out',
    join(certDir, 'cert.pem'),
  ]);
  tls = createTlsServer({ key: await readFile(join(certDir, 'key.pem')), cert: await readFile(join(certDir, 'cert.pem')) }, (_req, res) =>
    res.end('{}'),
  );
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsPort = (tls.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => tls.close(() => resolve()));
  await rm(certDir, { recursive: true, force: true });
});

async function failure(url: string): Promise<string> {
  const result = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: { url } });
  expect(result.statusCode).toBe(200);
  expect(result.json.status, result.body).toBe('FAILURE');
  return String(result.json.error.details);
}

/** Grafana without a login: the API answers 401 JSON, /api/health answers, pages are its SPA. */
function grafana(health: boolean) {
  answer = (req, res) => {
    if (req.url === '/api/health' && health) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ commit: 'abc', database: 'ok', version: '11.3.0' }));
    } else if (req.url?.startsWith('/api/')) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Unauthorized' }));
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
      res.end('<!DOCTYPE html><html><head><title>Grafana</title></head><body>secret-page-text</body></html>');
    }
  };
}

describe('test connection recognises what the url really is', () => {
  it('a Grafana server, by its health API, instead of "add an aws object"', async () => {
    grafana(true);
    const details = await failure(base);
    expect(details).toContain(`"${base}" is a Grafana server (it answers like Grafana), not a Prometheus`);
    expect(details).toContain('"Prometheus server URL"');
    expect(details).not.toContain('aws" object to the Connection Details');
  });

  it('a Grafana server, by its page title, where the health API is hidden', async () => {
    grafana(false);
    const details = await failure(`${base}/d/abc/my-dashboard`);
    expect(details).toContain('is a Grafana server');
    expect(details).not.toContain('secret-page-text');
  });

  it('a Grafana data source proxy path, before looking at anything', async () => {
    grafana(true);
    const details = await failure(`${base}/api/datasources/proxy/uid/P1809F7CD0C75ACF3`);
    expect(details).toContain('is a Grafana server (its path is a Grafana data source API)');
  });

  it('an HTML page, quoting the path typed', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>Company portal</title></head><body>Welcome</body></html>');
    };
    const details = await failure(`${base}/portal`);
    expect(details).toContain(`"${base}/portal" answers with an HTML page`);
    expect(details).not.toContain('Company portal');
  });

  it('an HTTPS-only port that says so (as Go servers do), suggesting https://', async () => {
    answer = (_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('Client sent an HTTP request to an HTTPS server.\n');
    };
    const details = await failure(base);
    expect(details).toContain(`use "${base.replace('http:', 'https:')}"`);
  });

  it('an HTTPS port that closes a plain-HTTP connection, suggesting https://', async () => {
    const details = await failure(`http://127.0.0.1:${tlsPort}`);
    expect(details).toContain(`if it serves HTTPS on this port, use "https://127.0.0.1:${tlsPort}"`);
  });

  it('a certificate the mirror does not trust, without claiming the store is plain HTTP', async () => {
    const details = await failure(`https://127.0.0.1:${tlsPort}`);
    expect(details).toMatch(/The TLS handshake with "https:\/\/127\.0\.0\.1:\d+" failed \(\w+/);
    expect(details).toContain("does not trust the store's certificate");
    expect(details).not.toContain('http://');
  });
});
