import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzLocalServer } from '../../support/fuzz.js';
import { type LocalServer, startLocalServer } from '../../support/local-server.js';

/** The local server (`npm start`) as a client sees it: every request gets typed JSON. */
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({ MIRROR_LOCAL_BODY_TIMEOUT_MS: '1500' });
});

afterAll(async () => {
  await server?.stop();
});

interface Sent {
  status: number;
  json: { _type?: string; summary?: string };
  localPort: number | undefined;
}

function post(agent: Agent, path: string, body: Buffer | string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString()), localPort: req.socket?.localPort }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local server', () => {
  it('answers a 3 MB body with a typed 413 and serves the next request on the same connection', async () => {
    // Prepare
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });

    // Act
    const big = await post(agent, '/api/connection', Buffer.alloc(3 * 1024 * 1024, 0x61));
    const next = await post(
      agent,
      '/api/connection',
      JSON.stringify({ _type: 'TestConnectionRequest', connectionDetails: { url: 'http://127.0.0.1:9' } }),
    );
    agent.destroy();

    // Assess
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Request too large' });
    expect(next.json._type).toBe('TestConnectionResponse');
    expect(next.localPort).toBe(big.localPort);
  });

  it('answers a body that stops arriving with a typed 408', async () => {
    // Prepare
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });

    // Act
    socket.write('POST /api/metric HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"_type":');
    await new Promise((resolve) => socket.on('close', resolve));

    // Assess
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({
      _type: 'RemoteMirrorError',
      summary: 'Request timeout',
    });
  });

  it('answers what is not HTTP with typed JSON', async () => {
    // Prepare
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });

    // Act
    socket.write('GARBAGE\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));

    // Assess
    expect(received).toMatch(/^HTTP\/1\.1 400 /);
    expect(received).toContain('"_type":"RemoteMirrorError"');
  });

  it('gets typed JSON for each of 150 mutated requests, 1-12 MB bodies included: no reset, hang or trace', async () => {
    // Prepare / Act
    const counts = await fuzzLocalServer(server.url, 150, { seed: 11 });

    // Assess
    expect(counts.examples).toEqual([]);
    expect(counts).toMatchObject({ sent: 150, typed: 150, resets: 0, hangs: 0, untyped: 0, traces: 0 });
    expect(counts.bigBodies).toBeGreaterThanOrEqual(7);
    expect(counts.byStatus['413']).toBeGreaterThanOrEqual(7);
  }, 120_000);
});
