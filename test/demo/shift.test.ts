import { describe, expect, it } from 'vitest';
import { ARCHIVE_SERIES, DENSE_SERIES, type DatasetSeries } from '../fixtures/dataset.js';
import { DATA_INTERVAL_MS, endingNow, lastSampleTime, shiftSeries, shiftToNow } from '../../scripts/demo/shift.js';

const NOW = Date.UTC(2026, 10, 29, 16, 7, 3, 417);

function gauge(samples: [number, number][]): DatasetSeries {
  return { name: 'g', kind: 'gauge', labels: { a: 'b' }, samples };
}

describe('the demo time shift', () => {
  it.each([
    ['dense era', DENSE_SERIES],
    ['archive era', ARCHIVE_SERIES],
  ])('moves the %s so that its newest sample is within one data interval before now', (_, series) => {
    // Act
    const shifted = endingNow(series, NOW);

    // Assess
    const last = lastSampleTime(shifted);
    expect(last).toBeLessThanOrEqual(NOW);
    expect(last).toBeGreaterThan(NOW - DATA_INTERVAL_MS);
  });

  it('moves every sample by the same whole number of intervals and keeps values, labels and order', () => {
    // Act
    const delta = shiftToNow(DENSE_SERIES, NOW);
    const shifted = shiftSeries(DENSE_SERIES, delta);

    // Assess
    expect(delta % DATA_INTERVAL_MS).toBe(0);
    expect(shifted).toHaveLength(DENSE_SERIES.length);
    shifted.forEach((s, i) => {
      const original = DENSE_SERIES[i] as DatasetSeries;
      expect(s.labels).toEqual(original.labels);
      expect(s.samples.map(([t]) => t - delta)).toEqual(original.samples.map(([t]) => t));
      expect(s.samples.map(([, v]) => v)).toEqual(original.samples.map(([, v]) => v));
    });
  });

  it('takes the newest sample of all series, whichever series holds it', () => {
    // Prepare
    const series = [
      gauge([
        [1_000, 1],
        [90_000, 2],
      ]),
      gauge([
        [5_000, 3],
        [120_000, 4],
      ]),
    ];

    // Act
    const shifted = endingNow(series, 1_000_000, 10_000);

    // Assess: 120 s moved by 880 s, a multiple of 10 s landing exactly on now
    expect(shifted.map((s) => s.samples.map(([t]) => t))).toEqual([
      [881_000, 970_000],
      [885_000, 1_000_000],
    ]);
  });

  it('leaves the original series untouched', () => {
    // Prepare
    const series = [gauge([[1_000, 1]])];

    // Act
    endingNow(series, 100_000);

    // Assess
    expect(series[0]?.samples).toEqual([[1_000, 1]]);
  });

  it('refuses series without samples, a bad step and a shift before 1970', () => {
    expect(() => shiftToNow([gauge([])], NOW)).toThrow(/no sample/);
    expect(() => shiftToNow([gauge([[1, 1]])], NOW, 0)).toThrow(/bad step/);
    expect(() => shiftSeries([gauge([[1_000, 1]])], -2_000)).toThrow(/before 1970/);
  });
});
