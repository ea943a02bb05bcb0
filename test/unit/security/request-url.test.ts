import { describe, expect, it } from 'vitest';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { PrometheusClient } from '../../../lambda/upstream/prometheus-client.js';
import type { Transport, UpstreamRequest } from '../../../lambda/upstream/transport.js';

/** Request URLs are the exact base plus `/api/v1/<endpoint>`: appended, never resolved. */
function recordingClient(baseUrl: string): { client: PrometheusClient; sent: UpstreamRequest[] } {
  const sent: UpstreamRequest[] = [];
  const transport: Transport = async (request) => {
    sent.push(request);
    return { status: 200, headers: {}, body: JSON.stringify({ status: 'success', data: ['a'] }) };
  };
  return { client: new PrometheusClient({ baseUrl, transport, signal: AbortSignal.timeout(5_000) }), sent };
}

describe('request URLs', () => {
  it.each([
    [
      'a workspace URL',
      'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1',
      'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/labels',
    ],
    [
      'a workspace URL with /api/v1/',
      'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/',
      'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/labels',
    ],
    ['a root with a port', 'http://127.0.0.1:9090/', 'http://127.0.0.1:9090/api/v1/labels'],
    ['an IPv6 host', 'http://[::1]:9090/prom', 'http://[::1]:9090/prom/api/v1/labels'],
  ])('appends the API path to %s', async (_case, base, expected) => {
    // Prepare
    const { client, sent } = recordingClient(base);

    // Act
    await client.labelNames([]);

    // Assess
    expect(sent.map((request) => request.url.toString())).toEqual([expected]);
  });

  it.each(['..', '.'])('refuses a label name %j that would change the path, before sending', async (name) => {
    // Prepare
    const { client, sent } = recordingClient('http://127.0.0.1:9090/prom');

    // Act
    const outcome = await client.labelValues(name, []).catch((error: unknown) => error);

    // Assess
    expect(sent).toEqual([]);
    expect(outcome).toBeInstanceOf(MetricStoreConnectionError);
  });

  it('sends a label name with "%" as that literal name, encoded once', async () => {
    // Prepare
    const { client, sent } = recordingClient('http://127.0.0.1:9090/prom');

    // Act
    await client.labelValues('%2e%2e', []);

    // Assess
    expect(sent[0]?.url.pathname).toBe('/prom/api/v1/label/%252e%252e/values');
  });
});
