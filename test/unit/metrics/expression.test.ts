import { describe, expect, it } from 'vitest';
import { expressionMetrics } from '../../../lambda/app/metrics/expression.js';
import { EXPRESSION_RAW_MIN_STEP_MS } from '../../../lambda/app/metrics/steps.js';
import { QueryTooCostlyError } from '../../../lambda/domain/errors.js';
import { MetricNotFoundError, RemoteMirrorError } from '../../../lambda/errors.js';
import type { MetricsQuery } from '../../../lambda/protocol/requests.js';
import { queriesTo, storeDouble, type StoredSeries } from './store-double.js';

const MIN = 60_000;
const T0 = 28_333_333 * MIN;
const EXPR = 'sum(rate(http_requests_total[5m]))';

function query(fields: Partial<MetricsQuery>): MetricsQuery {
  return { _type: 'MetricsQuery', conditions: [], startTime: T0, endTime: T0 + 3 * MIN, ...fields };
}

/** query_range answered with one series: value = minutes since T0 at each evaluation. */
function oneSeries(_expr: string, start: number, end: number, step: number): StoredSeries[] {
  const samples: [number, number][] = [];
  for (let t = start; t <= end; t += step) samples.push([t, (t - T0) / MIN]);
  return [{ labels: {}, samples }];
}

describe('expressionMetrics (offline, against a store double)', () => {
  it('aggregates the expression inside each bucket with a subquery, evaluated at the bucket ends', async () => {
    // Prepare
    const { client, sent } = storeDouble({ queryRange: oneSeries });

    // Act
    const answer = await expressionMetrics(client, EXPR, query({ aggregation: { method: 'MAX', bucketSizeMillis: MIN } }), 'ZERO');

    // Assess
    const [sentExpr] = queriesTo(sent, 'query_range');
    expect(sentExpr).toMatch(/^max_over_time\(/);
    expect(sentExpr).toContain(EXPR);
    expect(sentExpr).toMatch(/:1s\]/); // a subquery at 1 s resolution: 60 points per 1 m bucket
    expect(sent.filter((call) => call.endpoint === 'series')).toEqual([]);
    expect(answer.telemetry).toMatchObject({
      _type: 'AggregatedMetricTelemetry',
      points: [
        [1, T0, T0 + MIN],
        [2, T0 + MIN, T0 + 2 * MIN],
        [3, T0 + 2 * MIN, T0 + 3 * MIN],
      ],
    });
  });

  it('evaluates a raw expression at its regular step', async () => {
    // Prepare
    const { client, sent } = storeDouble({ queryRange: oneSeries });

    // Act
    const answer = await expressionMetrics(client, EXPR, query({}), 'ZERO');

    // Assess
    const range = sent.find((call) => call.endpoint === 'query_range')?.params;
    expect(range?.get('query')).toBe(EXPR);
    expect(range?.get('step')).toBe(String(EXPRESSION_RAW_MIN_STEP_MS / 1000));
    expect(answer.telemetry._type).toBe('RawMetricTelemetry');
    expect(answer.telemetry.points[0]).toEqual([0, T0]);
  });

  it('refuses a query over the cost limit before sending it', async () => {
    // Prepare
    const { client, sent } = storeDouble({ queryRange: oneSeries });

    // Act
    const outcome = await expressionMetrics(client, 'max_over_time(x[30d])', query({}), 'ZERO', 1_000).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(QueryTooCostlyError);
    expect(queriesTo(sent, 'query_range')).toEqual([]);
  });

  it('refuses an expression that answers several series, naming how they differ', async () => {
    // Prepare
    const { client } = storeDouble({
      queryRange: (_expr, start) => [
        { labels: { job: 'a' }, samples: [[start, 1]] },
        { labels: { job: 'b' }, samples: [[start, 2]] },
      ],
    });

    // Act
    const outcome = await expressionMetrics(client, EXPR, query({}), 'ZERO').catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(RemoteMirrorError);
    expect((outcome as RemoteMirrorError).summary).toBe('Several series match');
    expect((outcome as RemoteMirrorError).details).toMatch(/job/);
  });

  it('answers not found when the expression has no data', async () => {
    // Prepare
    const { client } = storeDouble({ queryRange: () => [] });

    // Act
    const outcome = await expressionMetrics(client, EXPR, query({}), 'ZERO').catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(MetricNotFoundError);
  });
});
