import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acquirePrometheus } from './shared.js';

/** A start that counts its starts and stops instead of running Prometheus. */
function fakeStart(url = 'http://127.0.0.1:1') {
  const counts = { starts: 0, stops: 0 };
  const start = async () => {
    counts.starts++;
    return { url, stop: async () => void counts.stops++ };
  };
  return { counts, start };
}

/** The registry is process-wide: each test keys its own entries. */
const key = () => `test-${randomUUID()}`;

describe('the Prometheus the projects of one engine share', () => {
  it('is started for the first user and stopped by the last release', async () => {
    // Prepare
    const { counts, start } = fakeStart('http://127.0.0.1:40123');
    const k = key();

    // Act
    const first = await acquirePrometheus(k, start);
    const second = await acquirePrometheus(k, start);
    await first.release();
    const afterFirst = { ...counts };
    await second.release();

    // Assess
    expect([first.url, second.url]).toEqual(['http://127.0.0.1:40123', 'http://127.0.0.1:40123']);
    expect(afterFirst).toEqual({ starts: 1, stops: 0 });
    expect(counts).toEqual({ starts: 1, stops: 1 });
  });

  it('counts a release once, however often it is called', async () => {
    // Prepare
    const { counts, start } = fakeStart();
    const k = key();
    const first = await acquirePrometheus(k, start);
    const second = await acquirePrometheus(k, start);

    // Act
    await first.release();
    await first.release();

    // Assess
    expect(counts.stops).toBe(0);
    await second.release();
    expect(counts.stops).toBe(1);
  });

  it('starts afresh once the last user has released it', async () => {
    // Prepare
    const { counts, start } = fakeStart();
    const k = key();
    await (await acquirePrometheus(k, start)).release();

    // Act
    await (await acquirePrometheus(k, start)).release();

    // Assess
    expect(counts).toEqual({ starts: 2, stops: 2 });
  });

  it('forgets a start that failed, so that the next user tries again', async () => {
    // Prepare
    const k = key();
    const failing = async () => {
      throw new Error('port taken');
    };
    const { counts, start } = fakeStart();

    // Act
    const outcome = await acquirePrometheus(k, failing).catch((error: unknown) => error);
    const retried = await acquirePrometheus(k, start);

    // Assess
    expect(outcome).toMatchObject({ message: 'port taken' });
    expect(retried.url).toBe('http://127.0.0.1:1');
    expect(counts.starts).toBe(1);
  });

  it('keeps different engines apart', async () => {
    // Prepare
    const two = fakeStart('http://127.0.0.1:2');
    const three = fakeStart('http://127.0.0.1:3');

    // Act
    const k = key();
    const held = [await acquirePrometheus(`${k}-2`, two.start), await acquirePrometheus(`${k}-3`, three.start)];
    await Promise.all(held.map((h) => h.release()));

    // Assess
    expect(held.map((h) => h.url)).toEqual(['http://127.0.0.1:2', 'http://127.0.0.1:3']);
    expect([two.counts, three.counts]).toEqual([
      { starts: 1, stops: 1 },
      { starts: 1, stops: 1 },
    ]);
  });
});
