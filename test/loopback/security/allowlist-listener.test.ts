import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeMirror } from '../../support/invoke.js';

/**
 * The allowlist against real sockets: an allowed store and another listener on another
 * loopback port, each counting the connections it accepts. No URL variant sent through the
 * real handler may make the other listener accept a single connection.
 */
interface CountingListener {
  server: Server;
  port: number;
  connections: number;
}

async function listen(): Promise<CountingListener> {
  // just enough of the Prometheus API for a test connection
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    const data = path.includes('/labels')
      ? ['__name__']
      : path.includes('/query')
        ? { resultType: 'scalar', result: [0, '1'] }
        : path.includes('/metadata')
          ? {}
          : path.includes('/buildinfo')
            ? { version: '2.42.0' }
            : [];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data }));
  });
  const listener: CountingListener = { server, port: 0, connections: 0 };
  server.on('connection', () => {
    listener.connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = (server.address() as AddressInfo).port;
  return listener;
}

let allowed: CountingListener;
let other: CountingListener;

beforeAll(async () => {
  allowed = await listen();
  other = await listen();
});

afterAll(async () => {
  for (const { server } of [allowed, other]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function variants(): [string, string][] {
  const a = `http://127.0.0.1:${allowed.port}`;
  const o = `127.0.0.1:${other.port}`;
  const p = other.port;
  return [
    ['a double slash naming the other host', `${a}//${o}/x`],
    ['a double slash naming the other host, no path', `${a}//${o}`],
    ['a triple slash', `${a}///${o}`],
    ['an upper-case scheme and a double slash', `HTTP://127.0.0.1:${allowed.port}//${o}`],
    ['dot segments then a double slash', `${a}/./..//${o}`],
    ['/api/v1 then dot segments', `${a}/api/v1/../../..//${o}`],
    ['a matrix parameter dot segment', `${a}/..;/x`],
    ['a matrix parameter then the other host', `${a}/..;//${o}`],
    ['encoded dots', `${a}/%2e%2e/x`],
    ['mixed-case encoded dots', `${a}/%2E%2e//${o}`],
    ['double-encoded dots', `${a}/%252e%252e/x`],
    ['encoded slashes', `${a}/%2f%2f${o}`],
    ['an encoded slash in the authority', `${a}%2f%2f${o}`],
    ['encoded backslashes', `${a}/%5c%5c${o}`],
    ['backslashes', `${a}\\\\${o}`],
    ['a slash and a backslash', `${a}/\\${o}`],
    ['user info before the other host', `${a}@${o}`],
    ['the allowed host as user info', `http://127.0.0.1:${allowed.port}@${o}/`],
    ['a fragment hiding user info', `${a}#@${o}`],
    ['a query hiding user info', `${a}?@${o}`],
    ['a query holding the other host', `${a}/?x=//${o}`],
    ['the other host with the allowed one as fragment', `http://${o}#${a}`],
    ['the other host with the allowed one as query', `http://${o}?${a}`],
    ['the other host with the allowed one as path', `http://${o}/${a.replace('http://', '')}`],
    ['full-width dots', `${a}/\uff0e\uff0e//${o}`],
    ['ideographic full stops in the host', `http://127\u30020\u30020\u30021:${p}`],
    ['a tab the parser drops', `${a}/\t/${o}`],
    ['a newline the parser drops', `${a}\n//${o}`],
    ['a decimal host', `http://2130706433:${p}`],
    ['a hexadecimal host', `http://0x7f000001:${p}`],
    ['a short IPv4 host', `http://127.1:${p}`],
    ['an IPv4-mapped IPv6 host', `http://[::ffff:127.0.0.1]:${p}`],
    ['the other port directly', `http://${o}`],
    ['the other port with /api/v1', `http://${o}/api/v1`],
    ['localhost on the other port', `http://localhost:${p}`],
    ['two ports', `${a}:${p}`],
    ['a sub-path below the allowed URL', `${a}/x`],
  ];
}

describe('the allowlist against real listeners', () => {
  it('reaches the allowed store (the listeners count what they accept)', async () => {
    // Prepare
    const before = allowed.connections;

    // Act
    const answer = await invokeMirror(
      '/api/connection',
      { _type: 'TestConnectionRequest', connectionDetails: { url: `http://127.0.0.1:${allowed.port}/api/v1` } },
      { MIRROR_ALLOWED_URLS: `http://127.0.0.1:${allowed.port}` },
    );

    // Assess
    expect(answer.json).toEqual({ _type: 'TestConnectionResponse', status: 'OK' });
    expect(allowed.connections).toBeGreaterThan(before);
  });

  it('makes not one connection to another port for any URL variant, and answers each with a typed 403', async () => {
    // Prepare
    const env = { MIRROR_ALLOWED_URLS: `http://127.0.0.1:${allowed.port}` };
    const answers: { name: string; status: number; type: unknown; failure: unknown }[] = [];

    // Act
    for (const [name, url] of variants()) {
      const metric = await invokeMirror('/api/metric', metricRequest(url), env);
      const connection = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: { url } }, env);
      answers.push({ name, status: metric.statusCode, type: metric.json?._type, failure: connection.json?.status });
    }

    // Assess
    expect(other.connections).toBe(0);
    for (const answer of answers) {
      expect(answer, answer.name).toEqual({ name: answer.name, status: 403, type: 'MetricStoreConnectionError', failure: 'FAILURE' });
    }
  });

  it('counts a direct connection to the other listener (so zero above means none was made)', async () => {
    // Prepare / Act
    const response = await fetch(`http://127.0.0.1:${other.port}/`);
    await response.text();

    // Assess
    expect(other.connections).toBe(1);
  });
});

function metricRequest(url: string): object {
  const now = Date.now();
  return {
    _type: 'MetricsRequest',
    connectionDetails: { url },
    query: {
      _type: 'MetricsQuery',
      conditions: [{ _type: 'EqualityCondition', key: '__gauge__', value: { _type: 'StringValue', value: 'up' } }],
      startTime: now - 3_600_000,
      endTime: now,
    },
  };
}
