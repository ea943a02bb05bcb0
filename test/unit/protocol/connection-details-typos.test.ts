import { describe, expect, it } from 'vitest';
import { editDistance, nearestName } from '../../../lambda/nearest-name.js';
import { invokeMirror } from '../../support/invoke.js';

async function testConnection(details: Record<string, unknown>) {
  const answer = await invokeMirror('/api/connection', { _type: 'TestConnectionRequest', connectionDetails: details });
  expect(answer.statusCode).toBe(200);
  return answer.json as { status: string; error?: { details: string } };
}

describe('unknown Connection Details keys are typos, refused with the nearest known key', () => {
  it('names nan_interpretation for nan_interpetation, before any network call', async () => {
    // the url would not resolve: the refusal must come first
    const result = await testConnection({ url: 'http://mirror-test.invalid:9090', nan_interpetation: 'ZERO' });
    expect(result.status).toBe('FAILURE');
    expect(result.error?.details).toContain('unknown key "nan_interpetation" (did you mean nan_interpretation?)');
    expect(result.error?.details).not.toContain('resolve');
  });

  it('names aws for aws_', async () => {
    const result = await testConnection({ url: 'http://mirror-test.invalid:9090', aws_: {} });
    expect(result.error?.details).toContain('unknown key "aws_" (did you mean aws?)');
  });

  it('looks inside the aws object too', async () => {
    const result = await testConnection({ url: 'http://mirror-test.invalid:9090', aws: { role_arm: 'arn:aws:iam::1:role/r' } });
    expect(result.error?.details).toMatch(/^Invalid Connection Details: aws: unknown key "role_arm" \(did you mean role_arn\?\)/);
  });

  it('says where a key of the other level belongs', async () => {
    const top = await testConnection({ url: 'http://x.invalid', external_id: 'e' });
    expect(top.error?.details).toContain('"external_id" belongs inside the "aws" object');
    const inside = await testConnection({ url: 'http://x.invalid', aws: { url: 'http://x.invalid' } });
    expect(inside.error?.details).toContain('"url" belongs at the top level, not inside "aws"');
  });

  it('refuses a metric request with a typo with a 400, never echoing values', async () => {
    const answer = await invokeMirror('/api/metric', {
      _type: 'MetricsRequest',
      connectionDetails: JSON.stringify({ url: 'http://x.invalid', aws: { aws_secret_acess_key: 'SECRET-VALUE-1' } }),
      query: { _type: 'MetricsQuery', conditions: [], startTime: 0, endTime: 1 },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json.details).toContain('unknown key "aws_secret_acess_key" (did you mean aws_secret_access_key?)');
    expect(answer.body).not.toContain('SECRET-VALUE-1');
  });

  it('names an unknown key with no near neighbour without a guess, and at most three keys', async () => {
    const result = await testConnection({ url: 'http://x.invalid', colour: 1, b: 2, c: 3, d: 4 });
    expect(result.error?.details).toContain('unknown key "colour";');
    expect(result.error?.details).toContain('(and 1 more)');
    expect(result.error?.details).not.toContain('did you mean');
  });
});

describe('nearestName', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('nan_interpetation', 'nan_interpretation')).toBe(1);
    expect(editDistance('rloe_arn', 'role_arn')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests nothing for a far name or an oversized one', () => {
    expect(nearestName('zzz', ['url', 'aws'])).toBeUndefined();
    expect(nearestName('u'.repeat(10_000), ['url'])).toBeUndefined();
    expect(nearestName('URL', ['url', 'aws'])).toBe('url');
  });
});
