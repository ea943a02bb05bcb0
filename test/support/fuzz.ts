import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { createPrng, type Prng } from '../fixtures/prng.js';

/**
 * Mutated requests against the local server (`npm start`), each judged by what came back:
 * typed JSON (a `_type`, no stack trace), or a reset, a hang, an untyped or traced answer.
 */
export interface FuzzCounts {
  sent: number;
  typed: number;
  resets: number;
  hangs: number;
  untyped: number;
  traces: number;
  /** `GET /` answered with `npm start`'s playground page (200, text/html): a page, not an API answer. */
  pages: number;
  /** Requests with a body of 1 MB or more. */
  bigBodies: number;
  byStatus: Record<string, number>;
  /** The first few failures, for the report. */
  examples: string[];
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

type Outcome = Answer | 'reset' | 'hang';

const MB = 1024 * 1024;
const HANG_MS = 30_000;
const PATHS = [
  '/api/metric',
  '/api/connection',
  '/api/field/name',
  '/api/field/value',
  '/',
  '/api',
  '/api/metric/../connection',
  '/%00',
  `/${'a'.repeat(4000)}`,
  '/api/metric?x=1&x=2',
];
const METHODS = ['POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/json; charset=latin1',
];

/** Sends `count` mutated requests (seeded: the same every run) with `concurrency` in flight. */
export async function fuzzLocalServer(
  baseUrl: string,
  count: number,
  options: { seed?: number; concurrency?: number } = {},
): Promise<FuzzCounts> {
  const random = createPrng(options.seed ?? 7);
  const cases = Array.from({ length: count }, (_, index) => makeCase(random, index));
  const counts: FuzzCounts = {
    sent: 0,
    typed: 0,
    resets: 0,
    hangs: 0,
    untyped: 0,
    traces: 0,
    pages: 0,
    bigBodies: 0,
    byStatus: {},
    examples: [],
  };
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const { port } = new URL(baseUrl);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const fuzzCase = cases[next++] as FuzzCase;
      const outcome = fuzzCase.raw !== undefined ? await sendRaw(Number(port), fuzzCase.raw) : await sendHttp(agent, baseUrl, fuzzCase);
      tally(counts, fuzzCase, outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  agent.destroy();
  return counts;
}

interface FuzzCase {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes written on a socket as they are, for what an HTTP client would not send. */
  raw?: Buffer;
}

function makeCase(random: Prng, index: number): FuzzCase {
  const pick = <T>(list: readonly T[]): T => list[random.int(0, list.length - 1)] as T;
  const base: FuzzCase = {
    name: 'valid',
    method: 'POST',
    path: pick(PATHS.slice(0, 4)),
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(validBody(random))),
  };
  const roll = random.next();
  if (index % 20 === 0) {
    // 1-12 MB bodies: a huge string in valid JSON, random bytes, or deep nesting
    const size = random.int(1, 12) * MB + random.int(0, MB);
    const kind = index % 3;
    const body =
      kind === 0
        ? Buffer.from(`{"_type":"TestConnectionRequest","connectionDetails":{"url":"${'a'.repeat(size)}"}}`)
        : kind === 1
          ? randomBytes(random, size)
          : Buffer.from(`${'['.repeat(size / 2)}${']'.repeat(size / 2)}`);
    return { ...base, name: `big body ${kind} ${Math.round(size / MB)} MB`, body };
  }
  if (roll < 0.4) return { ...base, name: 'byte mutation', body: mutateBytes(random, base.body) };
  if (roll < 0.6) return { ...base, name: 'value mutation', body: Buffer.from(JSON.stringify(mutateValue(random, validBody(random)))) };
  if (roll < 0.72) {
    return {
      ...base,
      name: 'method/path/header',
      method: pick(METHODS),
      path: pick(PATHS),
      headers: { 'content-type': pick(CONTENT_TYPES), 'x-mirror-api-key': pick(['', 'x', 'local-key']) },
    };
  }
  if (roll < 0.82)
    return {
      ...base,
      name: 'odd bodies',
      body: pick([
        Buffer.alloc(0),
        Buffer.from([0xff, 0xfe, 0x80, 0x7b]),
        Buffer.from('null'),
        Buffer.from('"x"'),
        Buffer.from('{"__proto__":{"a":1}}'),
        Buffer.from(`${'['.repeat(400_000)}${']'.repeat(400_000)}`),
      ]),
    };
  return { ...base, name: 'raw', raw: rawRequest(random, base) };
}

function validBody(random: Prng): object {
  const now = 1_767_225_600_000;
  const url = 'http://127.0.0.1:9';
  const kinds = [
    { _type: 'TestConnectionRequest', connectionDetails: { url } },
    { _type: 'FieldNamesRequest', connectionDetails: { url }, query: { _type: 'FieldNamesQuery', conditions: [] } },
    {
      _type: 'MetricsRequest',
      connectionDetails: { url },
      query: {
        _type: 'MetricsQuery',
        conditions: [{ _type: 'EqualityCondition', key: '__gauge__', value: { _type: 'StringValue', value: 'up' } }],
        startTime: now - 3_600_000,
        endTime: now,
        aggregation: { _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: 60_000 },
      },
    },
  ];
  return kinds[random.int(0, kinds.length - 1)] as object;
}

function mutateBytes(random: Prng, body: Buffer): Buffer {
  const bytes = Buffer.from(body);
  const edits = random.int(1, 8);
  for (let i = 0; i < edits; i++) bytes[random.int(0, bytes.length - 1)] = random.int(0, 255);
  return random.next() < 0.3 ? bytes.subarray(0, random.int(0, bytes.length)) : bytes;
}

function mutateValue(random: Prng, value: unknown): unknown {
  const replacements = [null, 0, -1, 1e308, '', 'x'.repeat(random.int(0, 5000)), [], {}, true, '../..', '\u0000', { _type: 'X' }];
  if (Array.isArray(value))
    return value.map((item) => (random.next() < 0.3 ? replacements[random.int(0, replacements.length - 1)] : mutateValue(random, item)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        random.next() < 0.25 ? replacements[random.int(0, replacements.length - 1)] : mutateValue(random, item),
      ]),
    );
  }
  return value;
}

function rawRequest(random: Prng, base: FuzzCase): Buffer {
  const body = base.body.toString();
  const choices = [
    `GARBAGE\r\n\r\n`,
    `POST /api/metric HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
    `POST /api/metric HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length + 100}\r\n\r\n${body}`,
    `POST /api/metric HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
    `POST /api/metric HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 7\r\n\r\n{}`,
    `POST /api/metric HTTP/9.9\r\nhost: x\r\n\r\n`,
    `POST /api/metric HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    `POST /api/metric HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n`,
  ];
  return Buffer.from(choices[random.int(0, choices.length - 1)] as string, 'latin1');
}

function randomBytes(random: Prng, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) bytes.writeUInt32LE((random.next() * 2 ** 32) >>> 0, Math.min(i, size - 4));
  return bytes;
}

function sendHttp(agent: Agent, baseUrl: string, fuzzCase: FuzzCase): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      `${baseUrl}${fuzzCase.path}`,
      { method: fuzzCase.method, agent, headers: { ...fuzzCase.headers, 'content-length': fuzzCase.body.length } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(parts).toString(),
          }),
        );
        res.on('error', () => done('reset'));
      },
    );
    const timer = setTimeout(() => {
      done('hang');
      req.destroy();
    }, HANG_MS);
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    req.on('error', () => done('reset'));
    req.end(fuzzCase.body);
  });
}

function sendRaw(port: number, bytes: Buffer): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const done = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('hang'), HANG_MS);
    const tryParse = (final: boolean) => {
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return final ? done('reset') : undefined;
      const head = text.slice(0, end).split('\r\n');
      const header = (name: string) =>
        head
          .find((line) => line.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim() ?? '';
      const length = Number(header('content-length') || Number.NaN);
      const chunked = header('transfer-encoding').toLowerCase() === 'chunked';
      const rest = text.slice(end + 4);
      const complete = chunked ? rest.endsWith('0\r\n\r\n') : Number.isFinite(length) ? rest.length >= length : final;
      if (complete) {
        const body = chunked ? dechunk(rest) : rest;
        done({ status: Number(head[0]?.split(' ')[1]), contentType: header('content-type'), body: Buffer.from(body, 'latin1').toString() });
      } else if (final) done('reset');
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('error', () => tryParse(true));
    socket.write(bytes);
  });
}

/** The body of a chunked answer (latin1 text in, latin1 text out). */
function dechunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (lineEnd === -1 || !(size > 0)) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

function tally(counts: FuzzCounts, fuzzCase: FuzzCase, outcome: Outcome): void {
  counts.sent++;
  if (fuzzCase.body.length >= MB) counts.bigBodies++;
  const fail = (what: keyof FuzzCounts, detail: string) => {
    (counts[what] as number)++;
    if (counts.examples.length < 10) counts.examples.push(`${fuzzCase.name}: ${detail}`);
  };
  if (outcome === 'reset' || outcome === 'hang') {
    fail(outcome === 'reset' ? 'resets' : 'hangs', outcome);
    return;
  }
  counts.byStatus[outcome.status] = (counts.byStatus[outcome.status] ?? 0) + 1;
  if (/\n\s+at |\.ts:\d+:\d+/.test(outcome.body.slice(0, 100_000))) {
    fail('traces', outcome.body.slice(0, 200));
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(outcome.body);
  } catch {
    json = undefined;
  }
  const typed = outcome.contentType.includes('application/json') && typeof (json as { _type?: unknown } | undefined)?._type === 'string';
  const playgroundPage =
    fuzzCase.raw === undefined &&
    fuzzCase.method === 'GET' &&
    fuzzCase.path === '/' &&
    outcome.status === 200 &&
    outcome.contentType.startsWith('text/html');
  if (typed) counts.typed++;
  else if (playgroundPage) counts.pages++;
  else fail('untyped', `${outcome.status} ${outcome.body.slice(0, 200)}`);
}
