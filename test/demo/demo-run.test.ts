import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '../fixtures/dataset.js';
import { promQuery } from '../support/prometheus/http.js';
import { freeLoopbackPort } from '../support/prometheus/process.js';
import { DATA_INTERVAL_MS } from '../../scripts/demo/shift.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Demo {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs scripts/demo.ts as `npm run demo` would, its lock and data in `tmp`. */
function runDemo(tmp: string, port: number): Demo {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(demo: Demo, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(demo.output())) {
    if (Date.now() > deadline || demo.child.exitCode !== null) throw new Error(`demo output lacks ${pattern}:\n${demo.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Processes whose command line names `text` (the demo's Prometheus and its watchdog name the work folder). */
function processesNaming(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('npm run demo', { timeout: 120_000 }, () => {
  let tmp: string;
  let port: number;
  let demo: Demo;
  let spawnedMs: number;
  let printedMs: number;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'demo-test-'));
    port = await freeLoopbackPort();
    spawnedMs = Date.now();
    demo = runDemo(tmp, port);
    await waitFor(demo, /Ctrl-C stops the demo/, 90_000);
    printedMs = Date.now();
  }, 120_000);

  afterAll(async () => {
    if (demo?.child.exitCode === null) {
      demo.child.kill('SIGKILL');
      await demo.exited;
    }
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints playground links for a raw gauge, a gauge MEAN, a counter rate, a backfilled ~ quantile and its own requests', () => {
    const links = demo
      .output()
      .split('\n')
      .filter((l) => l.startsWith(`Playground: http://127.0.0.1:${port}/?url=`));
    const queries = links.map((l) => JSON.parse(new URL(l.slice('Playground: '.length)).searchParams.get('query') ?? '{}'));
    const keys = queries.map((q) =>
      q.conditions.map((c: { key: string; value: { value: string } }) => `${c.key}=${c.value.value}`).join(' '),
    );
    expect(keys.some((k) => k.startsWith('__gauge__='))).toBe(true);
    expect(queries.some((q) => q.conditions[0].key === '__gauge__' && q.aggregation?.method === 'MEAN')).toBe(true);
    expect(queries.some((q) => q.conditions[0].key === '__counter__' && q.aggregation !== undefined)).toBe(true);
    expect(keys.some((k) => k.startsWith('~=histogram_quantile(') && k.includes(`rate(${METRIC.latency}_bucket[`))).toBe(true);
    expect(keys.some((k) => k.startsWith('__counter__=mirror_requests_total'))).toBe(true);
  });

  it('backfilled a data set that ends within one data interval of its start', async () => {
    const store = /Demo store \(Prometheus\): (http:\/\/127\.0\.0\.1:\d+)/.exec(demo.output())?.[1] as string;
    const newest = async (metric: string) =>
      (await promQuery(store, `max(timestamp(${metric}))`, Date.now()))[0]?.samples[0]?.[1] ?? Number.NaN;
    for (const metric of [METRIC.stepped, METRIC.archive]) {
      const lastMs = (await newest(metric)) * 1000;
      expect(lastMs).toBeGreaterThan(spawnedMs - DATA_INTERVAL_MS);
      expect(lastMs).toBeLessThanOrEqual(printedMs);
    }
  });

  it('answers a second demo that one is already running', async () => {
    const second = runDemo(tmp, port);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/A demo is already running \(pid \d+/);
    expect(demo.child.exitCode).toBeNull();
  });

  it('stops everything and removes its data on SIGTERM', async () => {
    const workDir = /into (\S+mirror-demo-\w+)/.exec(demo.output())?.[1] as string;
    expect(existsSync(workDir)).toBe(true);
    expect(processesNaming(workDir).length).toBeGreaterThan(0);

    demo.child.kill('SIGTERM');

    expect(await demo.exited).toBe(0);
    expect(processesNaming(workDir)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/_local/metrics`)).rejects.toThrow();
    // the demo's folder and lock are gone; tsx's compile cache (tsx-<uid>) is tsx's own and stays
    expect(readdirSync(tmp).filter((name) => !/^tsx-\d+$/.test(name))).toEqual([]);
  });
});
