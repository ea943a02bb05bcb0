import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMirror, joinMirrorUrl } from '../../../scripts/check/mirror-check.js';

/** What sits in front of a deployed mirror can answer too: API Gateway's own refusals, a proxy, a misbehaving mirror. */
let server: Server;
let base = '';
let answer: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
const paths: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  answer = (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

const details = { url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1' };

describe('checkMirror diagnoses what answers at the Mirror URL', () => {
  it("names API Gateway's resource-policy refusal as this machine's address", async () => {
    respond(403, { Message: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:…' });
    const [first] = await checkMirror({ mirrorUrl: base, details });
    expect(first?.ok).toBe(false);
    expect(first?.line).toContain("API Gateway refused this machine's address");
    expect(first?.line).toContain('allowedSourceCidrs');
  });

  it('names a path API Gateway does not have as a wrong Mirror URL', async () => {
    respond(403, { message: 'Missing Authentication Token' });
    const [first] = await checkMirror({ mirrorUrl: `${base}/wrong-stage`, details });
    expect(first?.line).toContain('API Gateway has no such path: check the Mirror URL');
  });

  it('says an answer without _type is not the mirror', async () => {
    respond(200, '<html>hello</html>', { 'content-type': 'text/html' });
    const [first] = await checkMirror({ mirrorUrl: base, details });
    expect(first?.line).toContain('is not a Mirror API answer (not JSON)');
  });

  it('fails a good answer that lacks the key header: StackState would drop it', async () => {
    respond(200, { _type: 'TestConnectionResponse', status: 'OK' });
    const [first] = await checkMirror({ mirrorUrl: base, details });
    expect(first).toMatchObject({ ok: false, line: 'the answer has no X-MIRROR-API-KEY header: StackState would not accept it.' });
  });

  it('joins the Mirror URL with api/… as StackState does, with or without a trailing slash', async () => {
    paths.length = 0;
    respond(200, { _type: 'TestConnectionResponse', status: 'OK' }, { 'x-mirror-api-key': 'k' });
    await checkMirror({ mirrorUrl: `${base}/prod/`, details, apiKey: 'k' });
    expect(paths).toEqual(['/prod/api/connection', '/prod/api/field/name']);
    expect(joinMirrorUrl('https://x.example/prod', 'api/metric')).toBe('https://x.example/prod/api/metric');
  });

  it('passes a step only with the expected answer type, and fills the metric query time range', async () => {
    const bodies: unknown[] = [];
    answer = (req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => {
        text += c.toString();
      });
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.writeHead(200, { 'content-type': 'application/json', 'x-mirror-api-key': 'k' });
        const path = req.url ?? '';
        const json = path.endsWith('connection')
          ? { _type: 'TestConnectionResponse', status: 'OK' }
          : path.endsWith('name')
            ? { _type: 'FieldNamesResponse', isPartial: false, fields: [{ fieldName: '__gauge__' }, { fieldName: 'job' }] }
            : { _type: 'MetricsResponse', telemetry: { _type: 'RawMetricTelemetry', points: [[1, 2]] } };
        res.end(JSON.stringify(json));
      });
    };
    const results = await checkMirror({ mirrorUrl: base, details, apiKey: 'k', query: { conditions: [] }, now: 7_200_000 });
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(results[1]?.line).toMatch(/^1 label name: job \(/);
    expect(results[2]?.line).toMatch(/^1 point \(RawMetricTelemetry\)/);
    expect(bodies[2]).toMatchObject({
      _type: 'MetricsRequest',
      query: { _type: 'MetricsQuery', startTime: 3_600_000, endTime: 7_200_000 },
    });
  });
});
