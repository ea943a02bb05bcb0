import { describe, expect, it } from 'vitest';
import { invokeMirror, TEST_API_KEY } from '../../support/invoke.js';

/** The domain throws errors without HTTP statuses; the edge gives them the Mirror API's shape. */
describe('domain errors at the HTTP edge', () => {
  it('answers a domain refusal (an invalid metric name) with a 400 RemoteMirrorError and the API key', async () => {
    // Prepare
    const body = {
      _type: 'MetricsRequest',
      connectionDetails: { url: 'http://127.0.0.1:9' },
      query: {
        _type: 'MetricsQuery',
        conditions: [{ _type: 'EqualityCondition', key: '__gauge__', value: { _type: 'StringValue', value: '1up' } }],
        startTime: 1_000,
        endTime: 2_000,
      },
    };

    // Act
    const answer = await invokeMirror('/api/metric', body);

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Invalid metric name' });
    expect(answer.json.details).toMatch(/is not a Prometheus metric name/);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it('answers a condition key the domain refuses with a 400 that names the key', async () => {
    // Prepare
    const body = {
      _type: 'FieldNamesRequest',
      connectionDetails: { url: 'http://127.0.0.1:9' },
      query: {
        _type: 'FieldNamesQuery',
        conditions: [{ _type: 'EqualityCondition', key: 'a-b', value: { _type: 'StringValue', value: 'x' } }],
        startTime: 1_000,
        endTime: 2_000,
      },
    };

    // Act
    const answer = await invokeMirror('/api/field/name', body);

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Invalid condition key' });
  });

  it('answers a PromQL syntax error in a ~ condition with a 400 "Invalid PromQL" that says where', async () => {
    // Prepare
    const body = {
      _type: 'MetricsRequest',
      connectionDetails: { url: 'http://127.0.0.1:9' },
      query: {
        _type: 'MetricsQuery',
        conditions: [{ _type: 'EqualityCondition', key: '~', value: { _type: 'StringValue', value: 'rate(x[5m]' } }],
        startTime: 1_000,
        endTime: 2_000,
      },
    };

    // Act
    const answer = await invokeMirror('/api/metric', body);

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(answer.json).toMatchObject({ _type: 'RemoteMirrorError', summary: 'Invalid PromQL' });
    expect(answer.json.details).toMatch(/line 1, column 11/);
  });
});
