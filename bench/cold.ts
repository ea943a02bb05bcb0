/**
 * Part `cold`: the Lambda asset as `cdk synth` writes it (the real MirrorFunction bundling),
 * its size, its import time under Node 24 (best of several fresh processes), and the first
 * request of a fresh process through local Secrets Manager / STS / AMP stand-ins that each add
 * the same round trip (20 ms): the request's sequential round trips and its time (best and median of
 * five fresh processes). COLD_COMPARE=<another index.mjs> (say, main's) times that bundle's import
 * and first requests in the same run.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { MirrorFunction, PROJECT_ROOT } from '../lib/mirror-function.js';
import { toApiGatewayEvent } from '../lambda/local/api-gateway-event.js';
import { METRIC, MINUTE, T0, DENSE_END } from '../test/fixtures/dataset.js';
import { startAmpFront } from '../test/support/aws/amp-front.js';
import { startFakeSecretsManager } from '../test/support/aws/fake-secrets-manager.js';
import { startFakeSts } from '../test/support/aws/fake-sts.js';
import { backfill } from '../test/support/prometheus/backfill.js';
import { findBinaries } from '../test/support/prometheus/binaries.js';
import { startPrometheus } from '../test/support/prometheus/process.js';
import { sequentialRoundTrips, startDelayFront, type DelayFront } from './delay-front.js';

const NODE24 = join(PROJECT_ROOT, 'node_modules', '.bin', 'node');
const DELAY_MS = 20;
const RUNS = 9;
/** Fresh processes per first request and asset (each pays its own cold start). */
const FIRST_RUNS = 5;
const KEY_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ColdBench-ApiKey-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ColdBench-CallerToken-GhIjKl';

const CHILD = `
const started = performance.now();
const { handler } = await import(process.argv[2]);
const imported = performance.now();
let answer;
if (process.argv[3]) {
  const deadline = Date.now() + 25000;
  answer = await handler(JSON.parse(process.argv[3]), { awsRequestId: 'cold', getRemainingTimeInMillis: () => deadline - Date.now() });
}
const done = performance.now();
console.log(JSON.stringify({ importMs: imported - started, firstMs: done - imported, status: answer?.statusCode, body: answer?.body?.slice(0, 300) }));
`;

async function synthAsset(outdir: string): Promise<string> {
  const app = new App({ outdir });
  new MirrorFunction(new Stack(app, 'ColdBench'), 'Mirror');
  app.synth();
  for (const entry of await readdir(outdir)) {
    if (!entry.startsWith('asset.')) continue;
    const files = await readdir(join(outdir, entry));
    if (files.includes('index.mjs')) return join(outdir, entry, 'index.mjs');
  }
  throw new Error('no asset with index.mjs in the cloud assembly');
}

function runChild(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ importMs: number; firstMs: number; status?: number; body?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`child exited ${code}: ${out}`)),
    );
  });
}

export async function cold(): Promise<void> {
  console.log('\n== cold: the synthesized Lambda asset, its import and its first request ==');
  const work = await mkdtemp(join(tmpdir(), 'mirror-bench-cold-'));
  const closers: (() => Promise<void>)[] = [];
  try {
    const asset = await synthAsset(join(work, 'cdk.out'));
    const size = (await stat(asset)).size;
    const script = join(work, 'child.mjs');
    await writeFile(script, CHILD);
    const imports: number[] = [];
    for (let i = 0; i < RUNS; i++) imports.push((await runChild(script, [asset], {})).importMs);
    imports.sort((a, b) => a - b);
    const other = process.env.COLD_COMPARE; // another bundle (e.g. main's) timed in the same run
    if (other) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        times.push((await runChild(script, [other], {})).importMs);
        const ours = (await runChild(script, [asset], {})).importMs;
        imports.push(ours);
      }
      times.sort((a, b) => a - b);
      imports.sort((a, b) => a - b);
      console.log(
        `compared in the same run: ${other} ${((await stat(other)).size / 1024).toFixed(0)} KiB, import best ${times[0]?.toFixed(1)} ms (median ${times[Math.floor(RUNS / 2)]?.toFixed(1)} ms)`,
      );
    }
    const grammar = await stat(join(asset, '..', 'promql-grammar.cjs')).then(
      (s) => s.size,
      () => 0,
    );
    console.log(`PromQL grammar beside it, loaded on the first ~: ${(grammar / 1024).toFixed(0)} KiB`);
    console.log(
      `asset ${(size / 1024).toFixed(0)} KiB (${size} bytes); import best of ${imports.length}: ${imports[0]?.toFixed(1)} ms (median ${imports[Math.floor(imports.length / 2)]?.toFixed(1)} ms)`,
    );

    const binaries = await findBinaries();
    const dataDir = join(work, 'data');
    await mkdir(dataDir);
    await backfill(binaries.promtool, work, dataDir);
    const prometheus = await startPrometheus({ binary: binaries.prometheus, dataDir, workDir: work });
    closers.push(() => prometheus.stop());
    const mirrorKey = 'AKIAMIRRORCOLDBENCH1';
    const mirrorSecret = 'cold-bench-secret';
    const role = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';
    const sts = await startFakeSts({ callers: { [mirrorKey]: mirrorSecret }, trust: [{ roleArn: role, externalId: 'ext' }] });
    closers.push(() => sts.close());
    const amp = await startAmpFront({
      prometheusUrl: prometheus.url,
      region: 'us-east-1',
      workspaces: ['ws-cold'],
      lookup: (id) => sts.lookup(id),
    });
    closers.push(() => amp.close());
    const secrets = await startFakeSecretsManager({
      callers: { [mirrorKey]: mirrorSecret },
      values: { [KEY_ARN]: 'cold-api-key', [TOKEN_ARN]: 'cold-caller-token' },
    });
    closers.push(() => secrets.close());
    const fronts: DelayFront[] = [];
    for (const target of [sts.url, amp.url, secrets.url]) {
      const front = await startDelayFront(target, DELAY_MS);
      fronts.push(front);
      closers.push(() => front.close());
    }
    const [stsFront, ampFront, secretsFront] = fronts as [DelayFront, DelayFront, DelayFront];
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'cold-bench',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: mirrorKey,
      AWS_SECRET_ACCESS_KEY: mirrorSecret,
      AWS_ENDPOINT_URL_STS: stsFront.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsFront.url,
      MIRROR_API_KEY_SECRET_ARN: KEY_ARN,
      MIRROR_CALLER_TOKEN_SECRET_ARN: TOKEN_ARN,
      MIRROR_REQUEST_LOG: 'off',
      MIRROR_ALLOWED_URLS: `${ampFront.url}/workspaces/ws-cold`,
      MIRROR_ALLOWED_ROLE_ARNS: role,
    };
    const eq = (key: string, value: string) => ({ _type: 'EqualityCondition', key, value: { _type: 'StringValue', value } });
    const requests: [string, object][] = [
      [
        'raw gauge, 1 h',
        { conditions: [eq('__gauge__', METRIC.room), eq('building', 'north'), eq('room', '101')], startTime: T0, endTime: T0 + 3_600_000 },
      ],
      [
        'gauge MEAN, 6 h @ 1 min',
        {
          conditions: [eq('__gauge__', METRIC.room), eq('building', 'north'), eq('room', '101')],
          startTime: T0,
          endTime: DENSE_END,
          aggregation: { _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: MINUTE },
        },
      ],
    ];
    const bundles: [string, string][] = [['this asset', asset], ...(other ? [['COLD_COMPARE', other] as [string, string]] : [])];
    for (const [label, query] of requests) {
      const event = toApiGatewayEvent({
        method: 'POST',
        url: '/api/metric',
        headers: { 'content-type': 'application/json' },
        sourceIp: '127.0.0.1',
        body: JSON.stringify({
          _type: 'MetricsRequest',
          connectionDetails: {
            url: `${ampFront.url}/workspaces/ws-cold`,
            mirror_token: 'cold-caller-token',
            aws: { role_arn: role, external_id: 'ext', region_name: 'us-east-1' },
          },
          query: { _type: 'MetricsQuery', ...query },
        }),
      });
      for (const [name, bundle] of bundles) {
        for (const front of fronts) front.delayMs = 0;
        const noDelay: number[] = [];
        for (let i = 0; i < FIRST_RUNS; i++) noDelay.push((await runChild(script, [bundle, JSON.stringify(event)], env)).firstMs);
        noDelay.sort((a, b) => a - b);
        for (const front of fronts) front.delayMs = DELAY_MS;
        const firsts: number[] = [];
        let trips = 0;
        let kinds = '';
        for (let i = 0; i < FIRST_RUNS; i++) {
          for (const front of fronts) front.visits.length = 0;
          const run = await runChild(script, [bundle, JSON.stringify(event)], env);
          if (run.status !== 200) throw new Error(`${label} (${name}): HTTP ${run.status} ${run.body}`);
          firsts.push(run.firstMs);
          trips = sequentialRoundTrips(fronts.flatMap((f) => f.visits));
          kinds = [`${secretsFront.visits.length} secrets`, `${stsFront.visits.length} STS`, `${ampFront.visits.length} AMP`].join(', ');
        }
        firsts.sort((a, b) => a - b);
        console.log(
          `first request (${label}) after import, ${name}: ${trips} sequential round trips (${kinds}); best ${firsts[0]?.toFixed(0)} ms, median ${firsts[Math.floor(FIRST_RUNS / 2)]?.toFixed(0)} ms of ${FIRST_RUNS} at ${DELAY_MS} ms per round trip; with no delay: best ${noDelay[0]?.toFixed(0)} ms, median ${noDelay[Math.floor(FIRST_RUNS / 2)]?.toFixed(0)} ms`,
        );
      }
    }
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
