import { describe, expect, it } from 'vitest';
import { DENSE_SERIES, METRIC } from '../fixtures/dataset.js';
import { demoStreams } from '../../scripts/demo/links.js';
import { DATA_INTERVAL_MS, endingNow } from '../../scripts/demo/shift.js';

const NOW = Date.UTC(2026, 10, 29, 16, 7, 3, 417);

describe('the demo links', () => {
  it('ask for the ~ histogram quantile over the backfilled histogram, which fills the whole range once shifted', () => {
    // Prepare: the dense era as the demo backfills it
    const buckets = endingNow(DENSE_SERIES, NOW).filter((s) => s.name === `${METRIC.latency}_bucket`);

    // Act
    const stream = demoStreams(NOW, NOW).find((s) => s.query.conditions[0]?.key === '~');

    // Assess
    const { startTime, endTime } = stream?.query ?? { startTime: 0, endTime: 0 };
    expect(stream?.live).toBe(false);
    expect(stream?.query.conditions[0]?.value.value).toContain(`rate(${METRIC.latency}_bucket[5m])`);
    expect(buckets.length).toBeGreaterThan(2);
    for (const s of buckets) {
      const times = s.samples.map(([t]) => t);
      expect(times[0]).toBeGreaterThanOrEqual(startTime);
      expect(times[0]).toBeLessThan(startTime + DATA_INTERVAL_MS);
      expect(times.at(-1)).toBeGreaterThan(endTime - DATA_INTERVAL_MS);
      expect(times.at(-1)).toBeLessThanOrEqual(endTime);
    }
  });

  it('keep the live streams on the mirror’s own metrics', () => {
    // Act
    const live = demoStreams(NOW, NOW).filter((s) => s.live);

    // Assess
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((s) => s.query.conditions.some((c) => c.value.value.startsWith('mirror_')))).toBe(true);
  });
});
