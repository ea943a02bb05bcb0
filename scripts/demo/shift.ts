import type { DatasetSeries, Sample } from '../../test/fixtures/dataset.js';

/** The dense era's scrape interval: the shifted data end at most this long before "now". */
export const DATA_INTERVAL_MS = 15_000;

/** The newest sample time of `series`. @throws Error when there is no sample at all. */
export function lastSampleTime(series: readonly DatasetSeries[]): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    const t = s.samples.at(-1)?.[0];
    if (t !== undefined && t > last) last = t;
  }
  if (!Number.isFinite(last)) throw new Error('shift: the series hold no sample');
  return last;
}

/**
 * How far to move `series` so that its newest sample lands in (now − step, now]: a whole
 * number of steps, so that samples keep their spacing and their place on the step grid.
 */
export function shiftToNow(series: readonly DatasetSeries[], nowMs: number, stepMs = DATA_INTERVAL_MS): number {
  if (!Number.isSafeInteger(stepMs) || stepMs <= 0) throw new Error(`shift: bad step ${stepMs}`);
  return Math.floor((nowMs - lastSampleTime(series)) / stepMs) * stepMs;
}

/** The same series, every sample `deltaMs` later (values, labels and order unchanged). */
export function shiftSeries(series: readonly DatasetSeries[], deltaMs: number): DatasetSeries[] {
  if (!Number.isSafeInteger(deltaMs)) throw new Error(`shift: bad delta ${deltaMs}`);
  return series.map((s) => ({
    ...s,
    samples: s.samples.map(([t, v]): Sample => {
      const shifted = t + deltaMs;
      if (shifted < 0) throw new Error(`shift: ${s.name} would start before 1970`);
      return [shifted, v];
    }),
  }));
}

/** `series` moved so that it ends now (within one step). */
export function endingNow(series: readonly DatasetSeries[], nowMs: number, stepMs = DATA_INTERVAL_MS): DatasetSeries[] {
  return shiftSeries(series, shiftToNow(series, nowMs, stepMs));
}
