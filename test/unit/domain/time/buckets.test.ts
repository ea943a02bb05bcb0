import { describe, expect, it } from 'vitest';
import {
  PROBE_EXPR,
  PROBE_TIME_MS,
  bucketGrid,
  bucketStartOf,
  bucketWindow,
  gridEnd,
  semanticsFromProbe,
  windowRangeMs,
} from '../../../../lambda/domain/time/buckets.js';
import { promDuration } from '../../../../lambda/domain/time/duration.js';
import { UnsupportedEngineError, InvalidRequestError } from '../../../../lambda/domain/errors.js';

const MIN = 60_000;

describe('bucketGrid', () => {
  it('aligns an unaligned start and end to the buckets that overlap them', () => {
    // Prepare: [1m30s, 3m20s) with 1 m buckets
    // first bucket holds 90,000 → floor(90,000 / 60,000)·60,000 = 60,000
    // last bucket holds 199,999 → floor(199,999 / 60,000)·60,000 = 180,000
    // count = (180,000 − 60,000) / 60,000 + 1 = 3
    // Act
    const grid = bucketGrid(90_000, 200_000, MIN);
    // Assess
    expect(grid).toEqual({ firstStart: 60_000, count: 3 });
    expect(gridEnd(grid, MIN)).toBe(240_000);
  });

  it('does not add a bucket for an end that lies exactly on a bucket boundary', () => {
    // Prepare: [0, 120,000) — 120,000 itself is outside the half-open range, so the last bucket
    // holds 119,999 → start 60,000; count = (60,000 − 0) / 60,000 + 1 = 2
    // Act
    const grid = bucketGrid(0, 120_000, MIN);
    // Assess
    expect(grid).toEqual({ firstStart: 0, count: 2 });
  });

  it('returns one bucket for a range that lies inside one bucket', () => {
    // Prepare: [61,000, 62,000) lies in [60,000, 120,000)
    // Act
    const grid = bucketGrid(61_000, 62_000, MIN);
    // Assess
    expect(grid).toEqual({ firstStart: 60_000, count: 1 });
  });

  it('returns no bucket when start equals end', () => {
    // Prepare: [90,000, 90,000) is empty
    // Act
    const grid = bucketGrid(90_000, 90_000, MIN);
    // Assess
    expect(grid).toEqual({ firstStart: 60_000, count: 0 });
  });

  it('counts the buckets of a year of 1 s buckets without listing them', () => {
    // Prepare: 2025 is 365 days = 365 · 86,400 = 31,536,000 s; 2025-01-01T00:00:00Z = 1,735,689,600,000
    const start = 1_735_689_600_000;
    const end = start + 31_536_000_000;
    // Act
    const grid = bucketGrid(start, end, 1000);
    // Assess
    expect(grid).toEqual({ firstStart: start, count: 31_536_000 });
  });

  it('aligns buckets to epoch multiples, not to the start time', () => {
    // Prepare: 7 s buckets starting at 10 s: floor(10,000 / 7,000)·7,000 = 7,000;
    // the last holds 29,999: floor(29,999 / 7,000)·7,000 = 28,000; count = (28,000 − 7,000) / 7,000 + 1 = 4
    // Act
    const grid = bucketGrid(10_000, 30_000, 7_000);
    // Assess
    expect(grid).toEqual({ firstStart: 7_000, count: 4 });
  });

  it('refuses a zero bucket, a backwards range and fractional milliseconds with a typed error', () => {
    // Prepare / Act / Assess
    expect(() => bucketGrid(0, 1000, 0)).toThrow(InvalidRequestError);
    expect(() => bucketGrid(2000, 1000, 1000)).toThrow(InvalidRequestError);
    expect(() => bucketGrid(0.5, 1000, 1000)).toThrow(InvalidRequestError);
    expect(() => bucketGrid(0, Number.NaN, 1000)).toThrow(InvalidRequestError);
  });
});

describe('bucketStartOf', () => {
  it('floors to the epoch multiple below, also for times before the epoch', () => {
    // Prepare: −1 ms lies in [−60,000, 0)
    // Act / Assess
    expect(bucketStartOf(-1, MIN)).toBe(-60_000);
    expect(bucketStartOf(60_000, MIN)).toBe(60_000);
    expect(bucketStartOf(119_999, MIN)).toBe(60_000);
  });
});

describe('bucketWindow', () => {
  it('uses B − 1 ms on a closed engine and B on a left-open one', () => {
    // Prepare: B = 60,000 ms; closed: 60,000 − 1 = 59,999 ms (not a whole second → ms)
    // Act
    const closed = bucketWindow(MIN, 'closed');
    const leftOpen = bucketWindow(MIN, 'left-open');
    // Assess
    expect(closed).toBe('[59999ms] offset 1ms');
    expect(leftOpen).toBe('[1m] offset 1ms');
  });

  it('writes hour and day buckets in their largest exact unit', () => {
    // Prepare / Act / Assess: 3,600,000 ms = 1 h; 86,400,000 ms = 1 d; 5,400,000 ms = 90 m
    expect(bucketWindow(3_600_000, 'left-open')).toBe('[1h] offset 1ms');
    expect(bucketWindow(86_400_000, 'left-open')).toBe('[1d] offset 1ms');
    expect(bucketWindow(5_400_000, 'left-open')).toBe('[90m] offset 1ms');
    expect(bucketWindow(86_400_000, 'closed')).toBe('[86399999ms] offset 1ms');
  });

  it('selects exactly the bucket on both engines', () => {
    // Prepare: evaluated at e = s + B with offset 1 ms, the selection ends at e − 1
    const s = 120_000;
    const e = s + MIN;
    // Act
    const closedRange = windowRangeMs(MIN, 'closed');
    const openRange = windowRangeMs(MIN, 'left-open');
    // Assess: closed [e−1−RANGE, e−1] = [s, s+B−1]; left-open (e−1−RANGE, e−1] → first ms e−RANGE = s
    expect(e - 1 - closedRange).toBe(s);
    expect(e - 1 - openRange + 1).toBe(s);
  });

  it('refuses a 1 ms bucket on a closed engine, whose range would be 0', () => {
    // Prepare / Act / Assess
    expect(() => bucketWindow(1, 'closed')).toThrow(InvalidRequestError);
    expect(bucketWindow(1, 'left-open')).toBe('[1ms] offset 1ms');
  });
});

describe('promDuration', () => {
  it('writes each duration in its largest exact unit', () => {
    // Prepare / Act / Assess
    expect(promDuration(1)).toBe('1ms');
    expect(promDuration(1500)).toBe('1500ms');
    expect(promDuration(2000)).toBe('2s');
    expect(promDuration(90_000)).toBe('90s');
    expect(promDuration(7_200_000)).toBe('2h');
    expect(() => promDuration(0)).toThrow(InvalidRequestError);
  });
});

describe('range semantics probe', () => {
  it('is a data-free subquery evaluated at an integral second', () => {
    // Prepare / Act / Assess
    expect(PROBE_EXPR).toBe('count_over_time(vector(1)[2s:1s])');
    expect(PROBE_TIME_MS % 1000).toBe(0);
  });

  it('reads 3 as closed (Prometheus 2.x) and 2 as left-open (Prometheus 3.x)', () => {
    // Prepare: points T−2s, T−1s, T; closed keeps 3, left-open drops T−2s → 2
    // Act / Assess
    expect(semanticsFromProbe(3)).toBe('closed');
    expect(semanticsFromProbe(2)).toBe('left-open');
  });

  it('refuses any other answer with a typed store error', () => {
    // Prepare / Act / Assess
    for (const value of [0, 1, 4, 2.5, Number.NaN]) {
      expect(() => semanticsFromProbe(value)).toThrow(UnsupportedEngineError);
    }
  });
});
