import { describe, expect, inject, it } from 'vitest';
import { ARCHIVE_START, DATASET, DAY, METRIC, MINUTE, ODD_TEXT_VALUES, T0 } from '../fixtures/dataset.js';
import { PATH, bool, cond, counter, gauge, inSet, metricsRequest, num, str, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { TEST_API_KEY, invokeMirror } from '../support/invoke.js';
import { expectError, expectRaw } from '../support/reference/compare.js';
import { expectedMetrics, expectedRaw } from '../support/reference/metrics.js';
import type { ConditionJson } from '../support/reference/select.js';

const url = inject('prometheusUrl');
const window = { startTime: T0, endTime: T0 + 10 * MINUTE };

async function ask(query: MetricsQueryInput) {
  return invokeMirror(PATH.metric, metricsRequest(url, query));
}

function odd(...conditions: ConditionJson[]): MetricsQueryInput {
  return { conditions: [cond('__gauge__', METRIC.odd), ...conditions], ...window };
}

/** The tag of the one series the reference selects (a test mistake if there is not exactly one). */
function selectedTag(query: MetricsQueryInput): string | undefined {
  return expectedRaw(DATASET, query).series.labels.tag;
}

describe('exact, injection-safe label matching', () => {
  it.each(ODD_TEXT_VALUES.map((v) => [JSON.stringify(v), v]))(
    'a StringValue %s selects exactly the series with that label value',
    async (_, value) => {
      // Prepare
      const query = odd(cond('tag', str(value)));

      // Act
      const answer = await ask(query);

      // Assess
      expect(selectedTag(query)).toBe(value);
      expectRaw(answer, expectedRaw(DATASET, query));
    },
  );

  it.each([
    ['DoubleValue 2 with kind=int', [cond('kind', 'int'), cond('tag', num(2))], '2'],
    ['DoubleValue 2 with kind=float', [cond('kind', 'float'), cond('tag', num(2))], '2.0'],
    ['DoubleValue 2.5', [cond('tag', num(2.5))], '2.5'],
    ['StringValue "2"', [cond('tag', str('2'))], '2'],
    ['StringValue "2.0"', [cond('tag', str('2.0'))], '2.0'],
    ['BooleanValue true', [cond('tag', bool(true))], 'true'],
    ['BooleanValue false', [cond('tag', bool(false))], 'false'],
    ['InSetValue [".*", "no-such"]', [cond('tag', inSet('.*', 'no-such'))], '.*'],
    ['InSetValue of a typed StringValue "a|b"', [cond('tag', inSet({ _type: 'StringValue', value: 'a|b' }))], 'a|b'],
    ['InSetValue [2.5, "no-such"]', [cond('tag', inSet(2.5, 'no-such'))], '2.5'],
    ['InSetValue [false]', [cond('tag', inSet(false))], 'false'],
  ] as const)('%s selects the series tagged %s', async (_, conditions, tag) => {
    // Prepare
    const query = odd(...conditions);

    // Act
    const answer = await ask(query);

    // Assess
    expect(selectedTag(query)).toBe(tag);
    expectRaw(answer, expectedRaw(DATASET, query));
  });
});

describe('one stream is one series', () => {
  it.each([
    ['no label condition', gauge(METRIC.room), ['building', 'room']],
    ['building=north', gauge(METRIC.room, { building: 'north' }), ['room']],
    ['DoubleValue 2 matching "2" and "2.0"', [cond('__gauge__', METRIC.odd), cond('tag', num(2))], ['kind', 'tag']],
    ['InSetValue ["a.b", "(paren"]', [cond('__gauge__', METRIC.odd), cond('tag', inSet('a.b', '(paren'))], ['tag']],
    ['a counter with two methods', counter(METRIC.requests), ['method']],
  ] as const)('several series for %s give a 4xx error naming the labels that differ', async (_, conditions, labels) => {
    // Prepare
    const query = {
      conditions,
      startTime: T0,
      endTime: T0 + 3 * 60 * MINUTE,
      aggregation: { method: 'MEAN' as const, bucketSizeMillis: 10 * MINUTE },
    };
    const expected = expectedMetrics(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect(expected.outcome === 'several-series' ? expected.differingLabels : []).toEqual(labels);
    expect(answer.statusCode, answer.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(answer.statusCode).toBeLessThan(500);
    expect(['RemoteMirrorError', 'MetricNotFoundError']).toContain(answer.json?._type);
    for (const label of labels) expect(answer.body).toContain(label);
    expect(answer.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });

  it('names a few of the values that tell the series apart', async () => {
    // Act
    const answer = await ask({ conditions: gauge(METRIC.room, { building: 'north' }), ...window });

    // Assess
    expect(answer.body).toContain('101');
    expect(answer.body).toContain('102');
  });
});

describe('no series', () => {
  it.each([
    ['a label value that does not exist', gauge(METRIC.room, { room: '999' }), window],
    ['a metric name that does not exist', gauge('no_such_metric_anywhere'), window],
    ['a counter name that does not exist', counter('no_such_metric_total'), window],
    [
      'a range where the metric has no samples',
      gauge(METRIC.room, { building: 'south' }),
      { startTime: ARCHIVE_START + DAY, endTime: ARCHIVE_START + 2 * DAY },
    ],
  ] as const)('%s gives MetricNotFoundError (404)', async (_, conditions, range) => {
    // Prepare
    const query = { conditions, ...range };

    // Act
    const raw = await ask(query);
    const aggregated = await ask({ ...query, aggregation: { method: 'SUM', bucketSizeMillis: MINUTE } });

    // Assess
    expect(expectedMetrics(DATASET, query).outcome).toBe('not-found');
    expectError(raw, 'MetricNotFoundError', 404);
    expectError(aggregated, 'MetricNotFoundError', 404);
    expect(raw.headers['x-mirror-api-key']).toBe(TEST_API_KEY);
  });
});
