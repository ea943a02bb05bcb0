import { describe, expect, inject, it } from 'vitest';
import { PATH, testConnectionRequest } from '../fixtures/mirror-requests.js';
import { TEST_API_KEY, invokeMirror } from '../support/invoke.js';
import { freeLoopbackPort } from '../support/prometheus/process.js';

const url = inject('prometheusUrl');

describe('test connection', () => {
  it('answers OK for the test Prometheus, with the API key header', async () => {
    // Act
    const answer = await invokeMirror(PATH.connection, testConnectionRequest(url));

    // Assess
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    expect(answer.json).toEqual({ _type: 'TestConnectionResponse', status: 'OK' });
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it('answers OK for the same URL with a trailing slash or /api/v1', async () => {
    // Act
    const slash = await invokeMirror(PATH.connection, testConnectionRequest(`${url}/`));
    const api = await invokeMirror(PATH.connection, testConnectionRequest(`${url}/api/v1`));

    // Assess
    expect(slash.json?.status, slash.body).toBe('OK');
    expect(api.json?.status, api.body).toBe('OK');
  });

  it('answers FAILURE with a MetricStoreConnectionError when nothing listens at the URL', async () => {
    // Prepare
    const closed = `http://127.0.0.1:${await freeLoopbackPort()}`;

    // Act
    const answer = await invokeMirror(PATH.connection, testConnectionRequest(closed));

    // Assess
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    expect(answer.json?._type).toBe('TestConnectionResponse');
    expect(answer.json?.status).toBe('FAILURE');
    expect(answer.json?.error?._type).toBe('MetricStoreConnectionError');
    expect(String(answer.json?.error?.details).length).toBeGreaterThan(10);
  });

  it('answers FAILURE when the URL is not a Prometheus API', async () => {
    // Act
    const answer = await invokeMirror(PATH.connection, testConnectionRequest(`${url}/no/such/path`));

    // Assess
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    expect(answer.json?.status).toBe('FAILURE');
    expect(answer.json?.error?._type).toBe('MetricStoreConnectionError');
  });
});
