import { describe, expect, it } from 'vitest';
import { assertQueryCost, estimateQueryCost } from '../../../../lambda/domain/promql/query-cost.js';

describe('static cost estimate of PromQL', () => {
  it.each([
    ['up', 100, 100],
    ['rate(x[5m])', 100, 100 * 20],
    ['sum(rate(x[1h])) / sum(y)', 10, 10 * 240 + 10],
    ['avg_over_time(rate(x[5m])[1h:1m])', 10, 10 * 60 * 20],
    ['max_over_time(x[1h:])', 1, 60],
    ['max_over_time(max_over_time(x[1d:1m])[1d:1m])', 1, 1440 * 1440],
    ['rate(x[300])', 1, 20],
    ['rate(x[1h30m])', 1, 360],
  ])('%s evaluated %d times reads about %d samples per series', (expr, evaluations, samples) => {
    expect(estimateQueryCost(expr, evaluations).samples).toBe(samples);
  });

  it('names the costly part and its subquery in the refusal', () => {
    expect(() => assertQueryCost('sum(up) + max_over_time(max_over_time(node_load1[1y:1s])[1y:1s])', 10_800, 1e9)).toThrow(
      /Query too costly.*`node_load1` inside the subquery `max_over_time\(node_load1\[1y:1s\]\)\[1y:1s\]`/,
    );
  });

  it('lets an everyday query through', () => {
    expect(() => assertQueryCost('histogram_quantile(0.99, sum by (le) (rate(http_bucket[5m])))', 11_000, 1e9)).not.toThrow();
  });
});
