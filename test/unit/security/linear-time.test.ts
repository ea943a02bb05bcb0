import { describe, expect, it } from 'vitest';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { upstreamHttpError } from '../../../lambda/upstream/upstream-errors.js';
import { PrometheusClient } from '../../../lambda/upstream/prometheus-client.js';
import type { Transport } from '../../../lambda/upstream/transport.js';
import { invokeMirror } from '../../support/invoke.js';

/**
 * 1 MB worst cases for code that reads text the caller makes large. The quadratic versions
 * these replace needed ~2.4 s for the error text and ~30 s for the URL at 100 KB, so minutes
 * at 1 MB: past the test timeout. The linear ones take milliseconds. No timing is asserted.
 */
const MB = 1024 * 1024;

describe('the upstream error classifier on a 1 MB error text', () => {
  it.each([
    ['"time range" without "exceeds" (old `time range.*exceeds`)', 'time range '],
    ['whitespace runs', ' \t\n'],
    ['a PromQL-like text quoted by the store', 'rate(x[5m]) ~ '],
  ])('classifies %s', (_case, unit) => {
    // Prepare
    const error = unit.repeat(Math.ceil(MB / unit.length));
    const body = JSON.stringify({ status: 'error', errorType: 'execution', error });

    // Act
    const result = upstreamHttpError({ status: 422, headers: {}, body }, 'http://store');

    // Assess
    expect(result).toBeInstanceOf(MetricStoreConnectionError);
    expect(result.details.length).toBeLessThan(1000);
  });

  it('reads 403 signature texts and a 1 MB error type header', () => {
    // Prepare
    const body = JSON.stringify({ message: `${'signature '.repeat(MB / 10)}` });

    // Act
    const result = upstreamHttpError({ status: 403, headers: { 'x-amzn-errortype': 'x'.repeat(MB) }, body }, 'http://store');

    // Assess
    expect(result.failure).toBe('signature');
  });

  it('still finds a limit named at the start of a long text', () => {
    // Prepare
    const error = `the query time range exceeds the limit (query length: 800h) ${'~'.repeat(MB)}`;

    // Act
    const result = upstreamHttpError({ status: 422, headers: {}, body: JSON.stringify({ status: 'error', error }) }, 'http://store');

    // Assess
    expect(result.failure).toBe('limit');
    expect(result.details).toMatch(/time range is longer/);
  });

  it('answers an error field that is not a string', () => {
    // Prepare / Act
    const result = upstreamHttpError({ status: 422, headers: {}, body: '{"status":"error","error":{"a":1}}' }, 'http://store');

    // Assess
    expect(result).toBeInstanceOf(MetricStoreConnectionError);
  });
});

describe('the store URL clean-up on a 1 MB url', () => {
  it('refuses 1 MB of slashes before cleaning anything (old `/\\/+$/` on the path)', () => {
    // Prepare
    const transport: Transport = async () => ({ status: 200, headers: {}, body: '{}' });

    // Act
    const act = () => new PrometheusClient({ baseUrl: `http://h/${'/'.repeat(MB)}x`, transport, signal: AbortSignal.timeout(1000) });

    // Assess
    expect(act).toThrow(/longer than 2048/);
  });

  it.each([
    ['slashes', `http://127.0.0.1:9/${'/'.repeat(MB)}x`],
    ['dot segments', `http://127.0.0.1:9/${'./'.repeat(MB / 2)}x`],
    ['percent signs', `http://127.0.0.1:9/${'%'.repeat(MB)}`],
  ])('answers a 1 MB url of %s through the handler with a typed 403', async (_case, url) => {
    // Prepare
    const body = { _type: 'TestConnectionRequest', connectionDetails: { url } };

    // Act
    const answer = await invokeMirror('/api/connection', body);

    // Assess
    expect(answer.json.status).toBe('FAILURE');
    expect(answer.json.error._type).toBe('MetricStoreConnectionError');
    expect(answer.json.error.details).toMatch(/longer than 2048/);
  });
});
