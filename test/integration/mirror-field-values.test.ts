import { describe, expect, inject, it } from 'vitest';
import { DATASET, DENSE_END, FACTS, HOUR, METRIC, ODD_TEXT_VALUES, T0 } from '../fixtures/dataset.js';
import { PATH, cond, fieldValuesRequest, gauge, inSet, type FieldQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import { expectedFieldValues } from '../support/reference/fields.js';

const url = inject('prometheusUrl');
const dense = { startTime: T0, endTime: DENSE_END };

interface Value {
  _type: 'CompleteValue' | 'FieldValuePattern';
  value: string;
}

type ValuesQuery = FieldQueryInput & { offset?: number; fieldValuePrefix?: string };

async function ask(field: string, query: ValuesQuery) {
  const answer = await invokeMirror(PATH.fieldValues, fieldValuesRequest(url, field, query));
  expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
  expect(answer.json?._type).toBe('FieldValuesResponse');
  return answer.json as { isPartial: boolean; values: Value[] };
}

function completeValues(values: Value[]): string[] {
  return values.filter((v) => v._type === 'CompleteValue').map((v) => v.value);
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

describe('field values', () => {
  it.each([
    ['building where room = 101', 'building', [cond('room', '101')]],
    ['kind where tag is ".*" or "true"', 'kind', [cond('tag', inSet('.*', 'true'))]],
    ['kind where tag is the number 2', 'kind', [cond('tag', { _type: 'DoubleValue', value: 2 })]],
    ['tag where kind = bool', 'tag', [cond('kind', 'bool')]],
    ['method of http_requests_total', 'method', [cond('__counter__', METRIC.requests)]],
  ] as const)('are narrowed by the conditions: %s', async (_, field, conditions) => {
    // Prepare
    const expected = expectedFieldValues(DATASET, field, { conditions, ...dense });

    // Act
    const answer = await ask(field, { conditions, ...dense });

    // Assess
    expect(expected.length).toBeGreaterThan(0);
    expect(answer.values.every((v) => v._type === 'CompleteValue')).toBe(true);
    expect(sorted(completeValues(answer.values))).toEqual(expected);
    expect(answer.isPartial).toBe(false);
  });

  it('come back exactly as stored: quotes, backslashes, newlines, regex characters, unicode', async () => {
    // Act
    const answer = await ask('tag', { conditions: [cond('kind', 'text')], ...dense });

    // Assess
    expect(sorted(completeValues(answer.values))).toEqual(sorted(ODD_TEXT_VALUES));
  });

  it.each([
    ['the early shift', FACTS.shift.early.from, FACTS.shift.early.to, ['early-anna', 'early-bob']],
    ['the late shift', T0 + 4 * HOUR, DENSE_END, ['late-carla', 'late-dan']],
    ['no time range (0 to 0)', 0, 0, ['early-anna', 'early-bob', 'late-carla', 'late-dan']],
  ] as const)('are narrowed by the time range: %s', async (_, startTime, endTime, workers) => {
    // Prepare
    const conditions = gauge(METRIC.shift);

    // Act
    const answer = await ask('worker', { conditions, startTime, endTime });

    // Assess
    expect(expectedFieldValues(DATASET, 'worker', { conditions, startTime, endTime })).toEqual(workers);
    expect(sorted(completeValues(answer.values))).toEqual(workers);
  });

  it('are narrowed by fieldValuePrefix', async () => {
    // Prepare
    const expected = expectedFieldValues(DATASET, 'item', { ...dense, prefix: 'apple-' });

    // Act
    const answer = await ask('item', { ...dense, fieldValuePrefix: 'apple-' });

    // Assess
    expect(expected).toHaveLength(FACTS.inventory.perWord);
    expect(sorted(completeValues(answer.values))).toEqual(expected);
    expect(answer.isPartial).toBe(false);
  });

  it('page with offset and limit without gaps or duplicates, isPartial exactly while values remain', async () => {
    // Prepare: 600 values of one warehouse, pages of 100
    const conditions = [cond('warehouse', 'east')];
    const expected = expectedFieldValues(DATASET, 'item', { conditions, ...dense });
    const pages: { values: string[]; isPartial: boolean }[] = [];

    // Act
    for (let offset = 0; offset <= expected.length; offset += 100) {
      const answer = await ask('item', { conditions, ...dense, offset, limit: 100 });
      pages.push({ values: completeValues(answer.values), isPartial: answer.isPartial });
      expect(answer.values.length).toBe(pages.at(-1)?.values.length);
    }

    // Assess
    expect(expected).toHaveLength(600);
    expect(pages.map((p) => p.values.length)).toEqual([100, 100, 100, 100, 100, 100, 0]);
    expect(pages.map((p) => p.isPartial)).toEqual([true, true, true, true, true, false, false]);
    const all = pages.flatMap((p) => p.values);
    expect(new Set(all).size).toBe(all.length);
    expect(sorted(all)).toEqual(expected);
  });

  it('answer an offset past the end with an empty, complete list', async () => {
    // Act
    const answer = await ask('building', { ...dense, offset: 1000, limit: 10 });

    // Assess
    expect(answer.values).toEqual([]);
    expect(answer.isPartial).toBe(false);
  });
});

describe('field value patterns for a label with more than a thousand values', () => {
  const all = expectedFieldValues(DATASET, 'item', dense);

  /** The prefix a pattern stands for: its text without a trailing `.*`. */
  function prefixOf(pattern: string): string {
    return pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  }

  it('summarise the values with prefixes that each stand for at least one value', async () => {
    // Act
    const answer = await ask('item', dense);

    // Assess
    const patterns = answer.values.filter((v) => v._type === 'FieldValuePattern').map((v) => prefixOf(v.value));
    expect(all).toHaveLength(1200);
    expect(patterns.length).toBeGreaterThan(0);
    expect(answer.values.length).toBeLessThan(all.length);
    for (const prefix of patterns)
      expect(
        all.some((v) => v.startsWith(prefix)),
        prefix,
      ).toBe(true);
    for (const value of completeValues(answer.values)) expect(all).toContain(value);
  });

  it('lead, when sent back as fieldValuePrefix, to every value exactly once', async () => {
    // Prepare
    const top = await ask('item', dense);
    const found: string[] = completeValues(top.values);
    let pending = top.values.filter((v) => v._type === 'FieldValuePattern').map((v) => v.value);

    // Act: StackState sends a pattern back as it got it
    for (let round = 0; round < 5 && pending.length > 0; round++) {
      const next: string[] = [];
      for (const pattern of pending) {
        const answer = await ask('item', { ...dense, fieldValuePrefix: pattern });
        const prefix = prefixOf(pattern);
        expect(
          answer.values.every((v) => v.value.startsWith(prefix)),
          pattern,
        ).toBe(true);
        found.push(...completeValues(answer.values));
        next.push(...answer.values.filter((v) => v._type === 'FieldValuePattern' && v.value !== pattern).map((v) => v.value));
      }
      pending = next;
    }

    // Assess
    expect(pending).toEqual([]);
    expect(new Set(found).size).toBe(found.length);
    expect(sorted(found)).toEqual(all);
  });
});

describe('the metric-name fields', () => {
  it('__gauge__ lists the gauges and __counter__ the counters of a backfilled range (naming convention)', async () => {
    // Act
    const gauges = await ask('__gauge__', dense);
    const counters = await ask('__counter__', dense);

    // Assess
    expect(sorted(completeValues(gauges.values))).toEqual(expectedFieldValues(DATASET, '__gauge__', dense));
    const histogramParts = ['_bucket', '_count', '_sum'].map((part) => `${METRIC.latency}${part}`);
    expect(sorted(completeValues(counters.values))).toEqual([METRIC.requests, METRIC.jobs, ...histogramParts].sort());
    expect(expectedFieldValues(DATASET, '__counter__', dense)).toEqual([METRIC.requests, METRIC.jobs, ...histogramParts].sort());
  });

  it('__gauge__ and __counter__ are narrowed by label conditions', async () => {
    // Prepare
    const conditions = [cond('queue', 'default')];

    // Act
    const gauges = await ask('__gauge__', { conditions, ...dense });
    const counters = await ask('__counter__', { conditions, ...dense });

    // Assess
    expect(completeValues(gauges.values)).toEqual([]);
    expect(completeValues(counters.values)).toEqual([METRIC.jobs]);
  });

  it('use the metadata of the scraped families: gauges, counters and histogram parts apart', async () => {
    // Act
    const gauges = completeValues((await ask('__gauge__', {})).values);
    const counters = completeValues((await ask('__counter__', {})).values);

    // Assess
    expect(gauges).toContain('prometheus_tsdb_head_series');
    expect(gauges).toContain(METRIC.room);
    expect(gauges).not.toContain('prometheus_http_requests_total');
    expect(gauges).not.toContain('prometheus_http_request_duration_seconds_bucket');
    expect(gauges).not.toContain('prometheus_http_request_duration_seconds_count');
    expect(gauges).not.toContain(METRIC.requests);
    expect(counters).toContain('prometheus_http_requests_total');
    expect(counters).toContain('prometheus_http_request_duration_seconds_count');
    expect(counters).toContain(METRIC.requests);
    expect(counters).not.toContain('prometheus_tsdb_head_series');
    expect(counters).not.toContain(METRIC.room);
  });
});
