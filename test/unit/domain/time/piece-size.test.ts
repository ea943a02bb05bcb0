import { describe, expect, it } from 'vitest';
import { firstPieceSpan, nextPieceSpan } from '../../../../lambda/domain/time/piece-size.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX = 32 * DAY;

describe('nextPieceSpan', () => {
  it('sizes pieces from the density seen so far', () => {
    // 15 s scrape: 1,440 samples in 6 h; 20,000 samples take 20,000 × 15 s = 300,000 s = 83.33 h
    const span = nextPieceSpan(1440, 6 * HOUR, 6 * HOUR, 1, 20_000, MAX);
    expect(span).toBe(300_000_000);
  });

  it('rounds down to whole alignment units, but never below one', () => {
    // 83.33 h with 1 h buckets → 83 h; with 1 week buckets → one week (more than wanted, never a split bucket)
    expect(nextPieceSpan(1440, 6 * HOUR, 6 * HOUR, HOUR, 20_000, MAX)).toBe(83 * HOUR);
    expect(nextPieceSpan(1440, 6 * HOUR, 6 * HOUR, 7 * DAY, 20_000, MAX)).toBe(7 * DAY);
  });

  it('never exceeds the store longest query range', () => {
    // one sample a day: 20,000 samples would be 55 years
    expect(nextPieceSpan(1, DAY, DAY, 1, 20_000, MAX)).toBe(MAX);
    expect(nextPieceSpan(1, DAY, DAY, DAY, 20_000, MAX)).toBe(32 * DAY);
  });

  it('grows fourfold while no sample has been seen', () => {
    expect(nextPieceSpan(0, 24 * HOUR, 6 * HOUR, 1, 20_000, MAX)).toBe(24 * HOUR);
    expect(nextPieceSpan(0, 0, 20 * DAY, 1, 20_000, MAX)).toBe(MAX);
  });

  it('shrinks for dense series', () => {
    // 1 s scrape: 21,600 samples in 6 h → 20,000 s
    expect(nextPieceSpan(21_600, 6 * HOUR, 6 * HOUR, 1, 20_000, MAX)).toBe(20_000_000);
  });
});

describe('firstPieceSpan', () => {
  it('rounds the initial span up to whole alignment units', () => {
    expect(firstPieceSpan(6 * HOUR, 1)).toBe(6 * HOUR);
    expect(firstPieceSpan(6 * HOUR, 5 * HOUR)).toBe(10 * HOUR);
    expect(firstPieceSpan(6 * HOUR, DAY)).toBe(DAY);
  });
});
