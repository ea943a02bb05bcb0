import { describe, expect, it } from 'vitest';
import { applyNanInterpretation } from '../../../../lambda/domain/time/non-finite.js';
import { quantile } from '../../../../lambda/domain/time/quantile.js';

describe('quantile', () => {
  it('interpolates linearly at rank φ·(n − 1)', () => {
    // Prepare: sorted [1, 2, 3, 4], n − 1 = 3
    const values = [4, 1, 3, 2];
    // Act / Assess
    expect(quantile(0.5, values)).toBe(2.5); // rank 1.5 → 2·0.5 + 3·0.5
    expect(quantile(0.25, values)).toBe(1.75); // rank 0.75 → 1·0.25 + 2·0.75
    expect(quantile(0.99, values)).toBeCloseTo(3.97, 12); // rank 2.97 → 3·0.03 + 4·0.97
    expect(quantile(0, values)).toBe(1);
    expect(quantile(1, values)).toBe(4);
    expect(values).toEqual([4, 1, 3, 2]); // input untouched
  });

  it('matches Prometheus on odd counts and single values', () => {
    // Prepare: [10, 20, 30, 40, 50]: P90 rank 0.9·4 = 3.6 → 40·0.4 + 50·0.6 = 46
    // Act / Assess
    expect(quantile(0.9, [10, 20, 30, 40, 50])).toBeCloseTo(46, 12);
    expect(quantile(0.95, [7])).toBe(7);
  });

  it('answers like Prometheus at the edges', () => {
    // Prepare / Act / Assess
    expect(quantile(0.5, [])).toBeNaN();
    expect(quantile(-0.1, [1, 2])).toBe(Number.NEGATIVE_INFINITY);
    expect(quantile(1.1, [1, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(quantile(Number.NaN, [1, 2])).toBeNaN();
  });
});

describe('applyNanInterpretation', () => {
  const raw: [number, number][] = [
    [Number.NaN, 1],
    [2, 2],
    [Number.POSITIVE_INFINITY, 3],
    [Number.NEGATIVE_INFINITY, 4],
    [0, 5],
  ];

  it('turns NaN into 0 and drops ±Inf with ZERO', () => {
    // Prepare (above) / Act
    const result = applyNanInterpretation(raw, 'ZERO');
    // Assess
    expect(result).toEqual([
      [0, 1],
      [2, 2],
      [0, 5],
    ]);
    expect(raw[0]?.[0]).toBeNaN(); // the input is not changed
  });

  it('drops NaN and ±Inf with NONE', () => {
    // Prepare (above) / Act
    const result = applyNanInterpretation(raw, 'NONE');
    // Assess
    expect(result).toEqual([
      [2, 2],
      [0, 5],
    ]);
  });

  it('works on aggregated points and keeps their bucket bounds', () => {
    // Prepare
    const aggregated: [number, number, number][] = [
      [Number.NaN, 0, 60_000],
      [Number.POSITIVE_INFINITY, 60_000, 120_000],
    ];
    // Act
    const result = applyNanInterpretation(aggregated, 'ZERO');
    // Assess
    expect(result).toEqual([[0, 0, 60_000]]);
  });
});
