import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HOUR, METRIC, MINUTE, T0 } from '../fixtures/dataset.js';
import { gauge } from '../fixtures/mirror-requests.js';
import { freeLoopbackPort } from '../support/prometheus/process.js';

/**
 * `npm run check` against `npm start` (lambda/local/server.ts as a child, on a free port) in
 * front of the test Prometheus: it passes, and fails with a clear line for a wrong key, a wrong
 * caller token, an unreachable store and an unreachable mirror.
 */
const prometheusUrl = inject('prometheusUrl');
const TOKEN = 'the-right-caller-token';
let work = '';
let keyFile = '';
const servers: ChildProcess[] = [];
let open = '';
let guarded = '';
let key = '';

interface Started {
  url: string;
  log: () => string;
}

async function startMirror(env: Record<string, string>): Promise<Started> {
  const port = await freeLoopbackPort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'lambda/local/server.ts'], {
    env: { PATH: process.env.PATH, PORT: String(port), MIRROR_REQUEST_LOG: 'off', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  servers.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen in time:\n${stderr}`)), 20_000);
    child.stderr?.on('data', () => {
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${stderr}`)));
  });
  return { url: `http://127.0.0.1:${port}`, log: () => stderr };
}

function check(...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const details = JSON.stringify({ url: prometheusUrl });
const query = JSON.stringify({
  conditions: gauge(METRIC.room, { building: 'north', room: '101' }),
  startTime: T0,
  endTime: T0 + HOUR,
  aggregation: { _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: MINUTE },
});

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mirror-check-'));
  keyFile = join(work, 'local-api-key');
  const first = await startMirror({ MIRROR_LOCAL_KEY_FILE: keyFile });
  open = first.url;
  key = (await readFile(keyFile, 'utf8')).trim();
  expect(first.log()).toContain(`made up ${key}`);
  const second = await startMirror({ MIRROR_LOCAL_KEY_FILE: keyFile, MIRROR_CALLER_TOKEN: TOKEN });
  guarded = second.url;
  expect(second.log()).toContain(`using ${key} from ${keyFile}`);
}, 60_000);

afterAll(async () => {
  for (const child of servers) child.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
});

describe('npm run check', () => {
  it('passes every step against npm start, with the kept local key, and exits 0', async () => {
    const result = await check(open, '--details', details, '--api-key', key, '--query', query);
    expect(result.out).toMatch(/^PASS {2}test connection {2}OK \(\d+ ms, key header matches\)$/m);
    expect(result.out).toMatch(/^PASS {2}field names {6}\d+ label names: /m);
    expect(result.out).toMatch(/^PASS {2}metric {11}60 points \(AggregatedMetricTelemetry\)/m);
    expect(result.out).toContain('all 3 steps passed');
    expect(result.code).toBe(0);
  });

  it('keeps the same key across restarts (a second npm start read it from the file)', async () => {
    const result = await check(guarded, '--details', JSON.stringify({ url: prometheusUrl, mirror_token: TOKEN }), '--api-key', key);
    expect(result.code, result.out).toBe(0);
  });

  it('fails with a clear line for a wrong key', async () => {
    const result = await check(open, '--details', details, '--api-key', 'not-the-key');
    expect(result.out).toMatch(/^FAIL {2}test connection {2}the X-MIRROR-API-KEY header differs from --api-key/m);
    expect(result.code).toBe(1);
  });

  it('fails with a clear line for a wrong caller token', async () => {
    const result = await check(guarded, '--details', JSON.stringify({ url: prometheusUrl, mirror_token: 'wrong' }), '--api-key', key);
    expect(result.out).toMatch(
      /^FAIL {2}test connection {2}HTTP 401 RemoteMirrorError: Unauthorized: The "mirror_token" in the Connection Details JSON is not this mirror's caller token/m,
    );
    expect(result.code).toBe(1);
  });

  it('fails with a clear line for an unreachable store', async () => {
    const closed = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const result = await check(open, '--details', JSON.stringify({ url: closed }), '--api-key', key);
    expect(result.out).toMatch(new RegExp(`^FAIL {2}test connection {2}FAILURE: Cannot connect to ${closed} \\(ECONNREFUSED\\)`, 'm'));
    expect(result.out).toMatch(/^FAIL {2}field names {6}HTTP 502 MetricStoreConnectionError/m);
    expect(result.code).toBe(1);
  });

  it('fails with a clear line for an unreachable mirror, skipping the rest', async () => {
    const nowhere = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const result = await check(nowhere, '--details', details);
    expect(result.out).toContain(`FAIL  test connection  nothing listens at ${nowhere}/api/connection (ECONNREFUSED)`);
    expect(result.out).toContain('FAIL  field names      skipped: the mirror is not reachable');
    expect(result.code).toBe(1);
  });

  it('refuses bad arguments with the usage and exit code 2', async () => {
    const result = await check(open);
    expect(result.out).toContain('Give the Connection Details with --details');
    expect(result.out).toContain('usage: npm run check --');
    expect(result.code).toBe(2);
  });
});
