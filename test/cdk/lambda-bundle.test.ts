import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { localContext, toApiGatewayEvent } from '../../lambda/local/api-gateway-event.js';
import { MirrorFunction, PROJECT_ROOT } from '../../lib/mirror-function.js';
import { testApp } from './helpers.js';

/** The bundle `cdk synth` writes for the function: what a cold start has to load. */
function synthesizedBundle(): { path: string; text: string } {
  const app = testApp();
  new MirrorFunction(new Stack(app, 'Bundle'), 'Mirror');
  const outdir = app.synth().directory;
  const asset = readdirSync(outdir).find((entry) => entry.startsWith('asset.') && readdirSync(join(outdir, entry)).includes('index.mjs'));
  if (asset === undefined) throw new Error('no bundled asset in the cloud assembly');
  const path = join(outdir, asset, 'index.mjs');
  return { path, text: readFileSync(path, 'utf8') };
}

describe('the Lambda bundle', () => {
  const { path, text: bundle } = synthesizedBundle();

  it('carries the environment credential provider, not the chain a Lambda never reaches (SSO, INI profiles, IMDS)', () => {
    // booleans, not toContain: a failure would print the whole bundle
    expect(bundle.includes('AWS_SECRET_ACCESS_KEY')).toBe(true);
    expect(bundle.includes('sso_start_url')).toBe(false);
    expect(bundle.includes('credential_process')).toBe(false);
    expect(bundle.includes('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(false);
  });

  it('reaches node:http through require, not an ESM import (whose facade would load undici)', () => {
    expect(bundle.includes('from"node:http"')).toBe(false);
  });

  it('loads and answers a request (the aliased modules resolve)', async () => {
    vi.stubEnv('MIRROR_API_KEY', 'bundle-test-key');
    vi.stubEnv('MIRROR_REQUEST_LOG', 'off');
    const { handler } = (await import(pathToFileURL(path).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string> }>;
    };
    const answer = await handler(
      toApiGatewayEvent({ method: 'POST', url: '/api/nowhere', headers: {}, body: '{}', sourceIp: '127.0.0.1' }),
      localContext(),
    );
    vi.unstubAllEnvs();
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['x-mirror-api-key']).toBe('bundle-test-key');
  });

  it('loads the PromQL grammar from beside the bundle on the first ~ only', async () => {
    expect(bundle.includes('PromQL syntax error')).toBe(true); // the check is in the bundle…
    expect(bundle.includes('HistogramQuantile')).toBe(false); // …the grammar is not
    expect(existsSync(join(dirname(path), 'promql-grammar.cjs'))).toBe(true);
    vi.stubEnv('MIRROR_API_KEY', 'bundle-test-key');
    vi.stubEnv('MIRROR_REQUEST_LOG', 'off');
    const { handler } = (await import(pathToFileURL(path).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const body = JSON.stringify({
      _type: 'MetricsRequest',
      connectionDetails: { url: 'http://127.0.0.1:9' },
      query: {
        _type: 'MetricsQuery',
        conditions: [{ key: '~', value: { _type: 'StringValue', value: 'sum(rate(x[5m])' } }],
        startTime: 0,
        endTime: 60_000,
      },
    });
    const answer = await handler(
      toApiGatewayEvent({ method: 'POST', url: '/api/metric', headers: {}, body, sourceIp: '127.0.0.1' }),
      localContext(),
    );
    vi.unstubAllEnvs();
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('PromQL syntax error');
  });

  it("carries zod's English messages only, not every locale", () => {
    expect(bundle.includes('Invalid input')).toBe(true);
    expect(bundle.includes('Nieprawid')).toBe(false); // Polish, one of the locales
  });

  it('names what is wrong in English in a process of its own (zod/mini has no messages unless the locale is loaded)', () => {
    // A fresh Node: zod keeps its configuration on globalThis, and full zod (lib/) sets English
    // as the default in this process, which would hide a bundle that never loads it.
    const body = JSON.stringify({
      _type: 'MetricsRequest',
      connectionDetails: { url: 'http://127.0.0.1:9', request_timeout_seconds: 'ten' },
      query: { _type: 'MetricsQuery', startTime: -1, endTime: 60_000, aggregation: { method: 'AVG', bucketSizeMillis: 1.5 } },
    });
    const event = toApiGatewayEvent({ method: 'POST', url: '/api/metric', headers: {}, body, sourceIp: '127.0.0.1' });
    const child = [
      'const { handler } = await import(process.argv[1]);',
      "const answer = await handler(JSON.parse(process.argv[2]), { awsRequestId: 'bundle', getRemainingTimeInMillis: () => 20000 });",
      'console.log(JSON.stringify(answer));',
    ].join('\n');
    const out = execFileSync(
      join(PROJECT_ROOT, 'node_modules', '.bin', 'node'),
      ['--input-type=module', '-e', child, pathToFileURL(path).href, JSON.stringify(event)],
      {
        env: { PATH: process.env.PATH ?? '', MIRROR_API_KEY: 'bundle-test-key', MIRROR_REQUEST_LOG: 'off' },
        encoding: 'utf8',
      },
    );
    const answer = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('connectionDetails.request_timeout_seconds: Invalid input: expected number, received string');
    expect(answer.body).toContain('query.startTime: Too small: expected number to be >=0');
    expect(answer.body).toContain('query.aggregation.method: Invalid option: expected one of');
    expect(answer.body).toContain('query.aggregation.bucketSizeMillis: Invalid input: expected int, received number');
  });
});
