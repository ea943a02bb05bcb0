import { Deadline } from '../../../lambda/deadline.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import { retryAfterMs, withRetries } from '../../../lambda/upstream/retry.js';
import type { UpstreamRequest, UpstreamResponse } from '../../../lambda/upstream/transport.js';

function request(signal: AbortSignal = new AbortController().signal): UpstreamRequest {
  return {
    method: 'GET',
    url: new URL('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/labels'),
    headers: {},
    signal,
  };
}

function answer(status: number, headers: Record<string, string> = {}): UpstreamResponse {
  return { status, headers, body: status === 200 ? '{"status":"success","data":[]}' : '{"message":"Rate exceeded"}' };
}

/** A transport answering from a script, counting calls. */
function scripted(...steps: (UpstreamResponse | Error)[]) {
  const calls: number[] = [];
  const transport = async (): Promise<UpstreamResponse> => {
    calls.push(Date.now());
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step instanceof Error) throw step;
    return step as UpstreamResponse;
  };
  return { transport, calls };
}

function connectionReset(): MetricStoreConnectionError {
  const socket = Object.assign(new Error('other side closed'), { code: 'ECONNRESET' });
  return new MetricStoreConnectionError('network', 'The request failed (ECONNRESET).', undefined, {
    cause: new TypeError('fetch failed', { cause: socket }),
  });
}

/** Records sleeps instead of waiting. */
function fakeSleep() {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
}

const farDeadline = () => Deadline.after(60_000);

afterEach(() => {
  vi.useRealTimers();
});

describe('withRetries', () => {
  it('retries a 429 Rate exceeded and returns the success', async () => {
    // Prepare
    const { transport, calls } = scripted(answer(429), answer(200));
    const { sleep } = fakeSleep();

    // Act
    const response = await withRetries(transport, { deadline: farDeadline(), sleep })(request());

    // Assess
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it.each([500, 502, 503, 504])('retries HTTP %i', async (status) => {
    // Prepare
    const { transport, calls } = scripted(answer(status), answer(200));

    // Act
    const response = await withRetries(transport, { deadline: farDeadline(), sleep: fakeSleep().sleep })(request());

    // Assess
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 422])('does not retry HTTP %i', async (status) => {
    // Prepare
    const { transport, calls } = scripted(answer(status), answer(200));

    // Act
    const response = await withRetries(transport, { deadline: farDeadline(), sleep: fakeSleep().sleep })(request());

    // Assess
    expect(response.status).toBe(status);
    expect(calls).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    // Prepare
    const { transport, calls } = scripted(connectionReset(), answer(200));

    // Act
    const response = await withRetries(transport, { deadline: farDeadline(), sleep: fakeSleep().sleep })(request());

    // Assess
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it('does not retry other errors, and throws them unchanged', async () => {
    // Prepare
    const refused = new MetricStoreConnectionError('dns', 'The host name does not resolve.');
    const { transport, calls } = scripted(refused, answer(200));

    // Act
    const outcome = await withRetries(transport, { deadline: farDeadline(), sleep: fakeSleep().sleep })(request()).catch((e: unknown) => e);

    // Assess
    expect(outcome).toBe(refused);
    expect(calls).toHaveLength(1);
  });

  it('gives up after maxAttempts and returns the last answer', async () => {
    // Prepare
    const { transport, calls } = scripted(answer(503));

    // Act
    const response = await withRetries(transport, { deadline: farDeadline(), maxAttempts: 3, sleep: fakeSleep().sleep })(request());

    // Assess
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(3);
  });

  it('backs off with full jitter: random × min(cap, base × 2^n)', async () => {
    // Prepare
    const { transport } = scripted(answer(503));
    const { slept, sleep } = fakeSleep();

    // Act
    await withRetries(transport, { deadline: farDeadline(), maxAttempts: 6, baseMs: 100, capMs: 1000, random: () => 0.5, sleep })(
      request(),
    );

    // Assess
    expect(slept).toEqual([50, 100, 200, 400, 500]);
  });

  it('waits what Retry-After asks', async () => {
    // Prepare
    const { transport } = scripted(answer(429, { 'retry-after': '2' }), answer(200));
    const { slept, sleep } = fakeSleep();

    // Act
    await withRetries(transport, { deadline: farDeadline(), random: () => 0, sleep })(request());

    // Assess
    expect(slept).toEqual([2000]);
  });

  it('does not start an attempt that cannot finish before the deadline', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    let calls = 0;
    const slow = async (): Promise<UpstreamResponse> => {
      calls++;
      vi.setSystemTime(Date.now() + 3000);
      return answer(503);
    };
    const { sleep } = fakeSleep();

    // Act: the first attempt takes 3 s and leaves 2 s of a 5 s budget
    const response = await withRetries(slow, { deadline: Deadline.at(5000), random: () => 0, sleep })(request());

    // Assess
    expect(response.status).toBe(503);
    expect(calls).toBe(1);
  });

  it('does not wait for a Retry-After that ends past the deadline', async () => {
    // Prepare
    const { transport, calls } = scripted(answer(429, { 'retry-after': '10' }), answer(200));

    // Act
    const response = await withRetries(transport, { deadline: Deadline.after(5000), sleep: fakeSleep().sleep })(request());

    // Assess
    expect(response.status).toBe(429);
    expect(calls).toHaveLength(1);
  });

  it('stops when the request is aborted', async () => {
    // Prepare
    const controller = new AbortController();
    const { transport, calls } = scripted(answer(503), answer(200));
    const sleep = async () => {
      controller.abort();
      throw new Error('aborted');
    };

    // Act
    const response = await withRetries(transport, { deadline: farDeadline(), sleep })(request(controller.signal));

    // Assess
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it('tells onRetry what it retries and how long it waits', async () => {
    // Prepare
    const { transport } = scripted(answer(429), answer(200));
    const events: unknown[] = [];

    // Act
    await withRetries(transport, {
      deadline: farDeadline(),
      random: () => 1,
      baseMs: 100,
      sleep: fakeSleep().sleep,
      onRetry: (e) => events.push(e),
    })(request());

    // Assess
    expect(events).toEqual([{ attempt: 2, reason: 'HTTP 429', delayMs: 100 }]);
  });

  it('really sleeps by default, abortably', async () => {
    // Prepare
    const controller = new AbortController();
    const { transport, calls } = scripted(answer(503), answer(200));
    setTimeout(() => controller.abort(), 20);

    // Act
    const response = await withRetries(transport, { deadline: farDeadline(), random: () => 1, baseMs: 10_000, capMs: 10_000 })(
      request(controller.signal),
    );

    // Assess
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(1);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    // Act
    const seconds = retryAfterMs('3');
    const date = retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', Date.UTC(2026, 0, 1));
    const nonsense = retryAfterMs('soon');

    // Assess
    expect(seconds).toBe(3000);
    expect(date).toBe(5000);
    expect(nonsense).toBeUndefined();
  });
});
