import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { MirrorFunction } from '../../lib/mirror-function.js';
import { testApp } from './helpers.js';

/** The bundle `cdk synth` writes for the function: what a cold start has to load. */
function synthesizedBundle(): string {
  const app = testApp();
  new MirrorFunction(new Stack(app, 'Bundle'), 'Mirror');
  const outdir = app.synth().directory;
  const asset = readdirSync(outdir).find((entry) => entry.startsWith('asset.') && readdirSync(join(outdir, entry)).includes('index.mjs'));
  if (asset === undefined) throw new Error('no bundled asset in the cloud assembly');
  return readFileSync(join(outdir, asset, 'index.mjs'), 'utf8');
}

describe('the Lambda bundle', () => {
  const bundle = synthesizedBundle();

  it('carries the environment credential provider, not the chain a Lambda never reaches (SSO, INI profiles, IMDS)', () => {
    // booleans, not toContain: a failure would print the whole bundle
    expect(bundle.includes('AWS_SECRET_ACCESS_KEY')).toBe(true);
    expect(bundle.includes('sso_start_url')).toBe(false);
    expect(bundle.includes('credential_process')).toBe(false);
    expect(bundle.includes('AWS_WEB_IDENTITY_TOKEN_FILE')).toBe(false);
  });

  it("carries zod's English messages only, not every locale", () => {
    expect(bundle.includes('Invalid input')).toBe(true);
    expect(bundle.includes('Nieprawid')).toBe(false); // Polish, one of the locales
  });
});
