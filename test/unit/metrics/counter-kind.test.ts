import { describe, expect, it } from 'vitest';
import {
  declaredKindsHeld,
  MAX_DECLARED_KIND_KEY_CHARS,
  MAX_DECLARED_KINDS,
  MAX_DECLARED_KINDS_CHARS,
  refuseDeclaredGauge,
} from '../../../lambda/app/metrics/counter-kind.js';
import { storeDouble, type SentCall } from './store-double.js';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 0, 1);

/** A store whose metadata declares every metric a counter, except `level`, a gauge. */
function store() {
  return storeDouble({ metadata: (metric) => ({ [metric]: [{ type: metric === 'level' ? 'gauge' : 'counter' }] }) });
}
const metadataCalls = (sent: SentCall[]) => sent.filter((call) => call.endpoint === 'metadata').length;

describe('the remembered declared kinds (refuseDeclaredGauge)', () => {
  it('asks the metadata once per metric and store, again after an hour, and refuses a declared gauge', async () => {
    const { client, sent } = store();
    await refuseDeclaredGauge(client, 'jobs_total', NOW);
    await refuseDeclaredGauge(client, 'jobs_total', NOW + HOUR - 1);
    expect(metadataCalls(sent)).toBe(1);
    await refuseDeclaredGauge(client, 'jobs_total', NOW + HOUR);
    expect(metadataCalls(sent)).toBe(2);
    await expect(refuseDeclaredGauge(client, 'level', NOW)).rejects.toThrow('is a gauge');
    await expect(refuseDeclaredGauge(client, 'level', NOW)).rejects.toThrow('is a gauge');
    expect(metadataCalls(sent)).toBe(3);
  });

  it('holds at most MAX_DECLARED_KINDS metrics however many are asked, dropping the least recently used', async () => {
    const { client, sent } = store();
    for (let i = 0; i < MAX_DECLARED_KINDS + 500; i++) {
      await refuseDeclaredGauge(client, `m${i}_total`, NOW);
      if (i % 1000 === 0) await refuseDeclaredGauge(client, 'm0_total', NOW); // keeps m0 recent
    }
    expect(declaredKindsHeld().entries).toBe(MAX_DECLARED_KINDS);
    const before = metadataCalls(sent);
    await refuseDeclaredGauge(client, 'm0_total', NOW);
    expect(metadataCalls(sent)).toBe(before);
    await refuseDeclaredGauge(client, 'm1_total', NOW);
    expect(metadataCalls(sent)).toBe(before + 1);
  });

  it('holds at most MAX_DECLARED_KINDS_CHARS of keys, and never one key longer than MAX_DECLARED_KIND_KEY_CHARS', async () => {
    const { client, sent } = store();
    const long = (i: number) => `m${i}_${'x'.repeat(MAX_DECLARED_KIND_KEY_CHARS - 100)}`;
    for (let i = 0; i < (2 * MAX_DECLARED_KINDS_CHARS) / MAX_DECLARED_KIND_KEY_CHARS; i++) await refuseDeclaredGauge(client, long(i), NOW);
    expect(declaredKindsHeld().chars).toBeLessThanOrEqual(MAX_DECLARED_KINDS_CHARS);
    expect(declaredKindsHeld().chars).toBeGreaterThan(MAX_DECLARED_KINDS_CHARS / 2);

    const huge = `h_${'x'.repeat(100 * MAX_DECLARED_KIND_KEY_CHARS)}`;
    const held = declaredKindsHeld();
    await refuseDeclaredGauge(client, huge, NOW);
    await refuseDeclaredGauge(client, huge, NOW);
    expect(declaredKindsHeld()).toEqual(held);
    expect(sent.filter((call) => call.params.get('metric') === huge)).toHaveLength(2);
  });
});
