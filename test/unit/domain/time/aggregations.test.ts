import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';
import { AGGREGATIONS, aggregationRule } from '../../../../lambda/domain/time/aggregations.js';
import { counterBuckets } from '../../../../lambda/domain/time/counter-rates.js';
import { fillBuckets } from '../../../../lambda/domain/time/over-time.js';
import { AGGREGATION_METHODS } from '../../../../lambda/contract/index.js';
import type { AggregationMethod } from '../../../../lambda/protocol/requests.js';

const MIN = 60_000;

describe('the aggregation table', () => {
  it('has one rule for every method the protocol accepts, and no other', () => {
    // Prepare / Act / Assess
    expect(Object.keys(AGGREGATIONS).sort()).toEqual([...AGGREGATION_METHODS].sort());
  });

  it.each([
    ['MEAN', 'mean', 'avg_over_time'],
    ['SUM_NO_ZEROS', 'sum', 'sum_over_time'],
    ['VALUE_COUNT', 'count', 'count_over_time'],
    ['PERCENTILE_90', 'quantile', 'quantile_over_time'],
  ] as const)('gives %s the reducer %s and the PromQL function %s', (method, reduction, promql) => {
    // Prepare / Act
    const rule = aggregationRule(method);

    // Assess
    expect(rule).toMatchObject({ reduction, promql });
  });

  it('refuses a method it does not know, inherited names included', () => {
    // Prepare / Act / Assess
    expect(() => aggregationRule('MEDIAN' as AggregationMethod)).toThrow(InvalidRequestError);
    expect(() => aggregationRule('toString' as AggregationMethod)).toThrow(InvalidRequestError);
  });

  it.each(AGGREGATION_METHODS)('counters and gauges treat an empty bucket alike for %s', (method) => {
    // Prepare: three buckets, data only in the first
    const grid = { firstStart: 0, count: 3 };
    const counter = counterBuckets(
      [
        [1_000, 0],
        [31_000, 30],
      ],
      grid,
      MIN,
      method,
    );
    const gauge = fillBuckets([[MIN, 5]], grid, MIN, method);

    // Act
    const counterCount = counter.length;
    const gaugeCount = gauge.length;

    // Assess
    const expected = AGGREGATIONS[method].emptyBucket === 'zero' ? 3 : 1;
    expect(counterCount).toBe(expected);
    expect(gaugeCount).toBe(expected);
  });
});
