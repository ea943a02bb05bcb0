import { describe, expect, it } from 'vitest';
import { ClosedCache, type CachedPoint } from '../../../lambda/app/cache/closed-cache.js';
import { cacheScopeFor, credentialIdentity, streamKey } from '../../../lambda/app/cache/cache-scope.js';

const job = { job: 'api' };
const points = (from: number, to: number, step: number): CachedPoint[] => {
  const out: CachedPoint[] = [];
  for (let t = from; t < to; t += step) out.push([t, t / 1000]);
  return out;
};

describe('ClosedCache', () => {
  it('answers the covered parts of a range with their points, and joins adjacent stores', () => {
    const cache = new ClosedCache(1 << 20);
    cache.store('k', [{ fromMs: 0, toMs: 60_000 }], points(0, 60_000, 15_000), job);
    cache.store('k', [{ fromMs: 60_000, toMs: 120_000 }], points(60_000, 120_000, 15_000), job);
    const read = cache.read('k', { fromMs: 30_000, toMs: 200_000 });
    expect(read.covered).toEqual([{ fromMs: 30_000, toMs: 120_000 }]);
    expect(read.points.map(([t]) => t)).toEqual([30_000, 45_000, 60_000, 75_000, 90_000, 105_000]);
    expect(read.labels).toEqual(job);
    expect(cache.read('other', { fromMs: 0, toMs: 1 }).covered).toEqual([]);
  });

  it('keeps points only inside the ranges it was told are complete', () => {
    const cache = new ClosedCache(1 << 20);
    cache.store('k', [{ fromMs: 0, toMs: 30_000 }], points(0, 60_000, 15_000), job);
    expect(cache.read('k', { fromMs: 0, toMs: 60_000 }).points).toEqual([
      [0, 0],
      [15_000, 15],
    ]);
  });

  it('a different series replaces the entry: one entry never mixes two series', () => {
    const cache = new ClosedCache(1 << 20);
    cache.store('k', [{ fromMs: 0, toMs: 60_000 }], points(0, 60_000, 15_000), job);
    cache.store('k', [{ fromMs: 60_000, toMs: 120_000 }], points(60_000, 120_000, 15_000), { job: 'web' });
    const read = cache.read('k', { fromMs: 0, toMs: 120_000 });
    expect(read.covered).toEqual([{ fromMs: 60_000, toMs: 120_000 }]);
    expect(read.labels).toEqual({ job: 'web' });
  });

  it('holds to its byte bound however much is stored, dropping the least recently used', () => {
    const bound = 200_000;
    const cache = new ClosedCache(bound);
    for (let i = 0; i < 200; i++) {
      cache.store(`k${i}`, [{ fromMs: 0, toMs: 6 * 3_600_000 }], points(0, 6 * 3_600_000, 60_000), job);
      cache.read('k0', { fromMs: 0, toMs: 1 }); // keeps k0 recent
      expect(cache.bytes).toBeLessThanOrEqual(bound);
    }
    expect(cache.size).toBeGreaterThan(1);
    expect(cache.size).toBeLessThan(200);
    expect(cache.read('k0', { fromMs: 0, toMs: 60_000 }).points).toEqual([[0, 0]]);
    expect(cache.read('k1', { fromMs: 0, toMs: 60_000 }).covered).toEqual([]);
    // one entry larger than the whole bound is not kept
    cache.store('huge', [{ fromMs: 0, toMs: 1e9 }], points(0, 1e9, 60_000), job);
    expect(cache.read('huge', { fromMs: 0, toMs: 1e9 }).covered).toEqual([]);
    expect(cache.bytes).toBeLessThanOrEqual(bound);
  });
});

describe('cache scope', () => {
  const base = { url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1' };
  const settings = { freshnessSeconds: 600, maxBytes: 1 << 20 };
  const stats = () => ({ cacheHits: 0, cacheMisses: 0 });

  it('two credential identities never share a key', () => {
    const identities = [
      { ...base },
      { ...base, aws: {} },
      { ...base, aws: { role_arn: 'arn:aws:iam::1:role/a' } },
      { ...base, aws: { role_arn: 'arn:aws:iam::1:role/a', external_id: 'x' } },
      { ...base, aws: { role_arn: 'arn:aws:iam::1:role/a', external_id: 'y' } },
      { ...base, aws: { role_arn: 'arn:aws:iam::1:role/b', external_id: 'x' } },
      { ...base, aws: { aws_access_key_id: 'AKIA1', aws_secret_access_key: 's1' } },
      { ...base, aws: { aws_access_key_id: 'AKIA1', aws_secret_access_key: 's2' } },
      { ...base, aws: { aws_access_key_id: 'AKIA2', aws_secret_access_key: 's1' } },
    ];
    const keys = identities.map((d) => {
      const scope = cacheScopeFor(base.url, d, settings, stats());
      if (!scope) throw new Error('caching is on');
      return streamKey(scope, { kind: 'buckets', query: 'up', bucketMs: 60_000 });
    });
    expect(new Set(keys).size).toBe(identities.length);
    expect(keys.join()).not.toContain('s1'); // no secret in a key
    expect(credentialIdentity(identities[3] as never)).toBe(credentialIdentity(identities[3] as never));
  });

  it('0 seconds of freshness, from the Connection Details or the deployment, is off', () => {
    expect(cacheScopeFor(base.url, { ...base, cache_freshness_seconds: 0 }, settings, stats())).toBeUndefined();
    expect(cacheScopeFor(base.url, base, { ...settings, freshnessSeconds: 0 }, stats())).toBeUndefined();
    expect(
      cacheScopeFor(base.url, { ...base, cache_freshness_seconds: 60 }, { ...settings, freshnessSeconds: 0 }, stats())?.freshnessMs,
    ).toBe(60_000);
  });
});

describe('cache settings', () => {
  it('defaults to 10 minutes and 64 MiB; 0 is allowed; anything else not a whole number is refused by name', async () => {
    const { mirrorConfig } = await import('../../../lambda/app/config.js');
    const cacheSettings = (env: NodeJS.ProcessEnv) => mirrorConfig(env).cache;
    expect(cacheSettings({})).toEqual({ freshnessSeconds: 600, maxBytes: 64 * 1024 * 1024 });
    expect(cacheSettings({ MIRROR_CACHE_FRESHNESS_SECONDS: '0', MIRROR_CACHE_MAX_BYTES: '1000' })).toEqual({
      freshnessSeconds: 0,
      maxBytes: 1000,
    });
    expect(() => cacheSettings({ MIRROR_CACHE_FRESHNESS_SECONDS: '-1' })).toThrow('MIRROR_CACHE_FRESHNESS_SECONDS must be a whole number');
    expect(() => cacheSettings({ MIRROR_CACHE_MAX_BYTES: '1e9' })).toThrow('MIRROR_CACHE_MAX_BYTES');
  });
});
