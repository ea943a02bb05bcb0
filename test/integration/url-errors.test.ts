import { describe, expect, inject, it } from 'vitest';
import { PATH, testConnectionRequest } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';

const url = inject('prometheusUrl');

async function failure(storeUrl: string): Promise<string> {
  const answer = await invokeMirror(PATH.connection, testConnectionRequest(storeUrl));
  expect(answer.statusCode).toBe(200);
  expect(answer.json.status, answer.body).toBe('FAILURE');
  return String(answer.json.error.details);
}

describe('URL errors against the real Prometheus quote what the user typed', () => {
  it('recognises an API path pasted by mistake and says which url to use', async () => {
    const details = await failure(`${url}/api/v1/query`);
    expect(details).toContain(`The url "${url}/api/v1/query" ends in a Prometheus API path (/api/v1/query)`);
    expect(details).toContain(`Use "${url}" as the url.`);
  });

  it('recognises it with a base path before it, too', async () => {
    const details = await failure(`${url}/prom/api/v1/query_range`);
    expect(details).toContain(`Use "${url}/prom" as the url.`);
  });

  it('quotes a path the store does not know, not only its origin', async () => {
    const details = await failure(`${url}/not-prometheus`);
    expect(details).toContain(`"${url}/not-prometheus" answered 404 Not Found`);
  });

  it('suggests http:// when https:// meets the plain-HTTP Prometheus', async () => {
    const details = await failure(url.replace('http://', 'https://'));
    expect(details).toMatch(/^The TLS handshake with "https:\/\/127\.0\.0\.1:\d+" failed/);
    expect(details).toContain(`use "${url}"`);
  });
});
