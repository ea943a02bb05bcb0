import { describe, expect, inject, it } from 'vitest';
import { ARCHIVE_END, ARCHIVE_START, DATASET, DENSE_END, FACTS, HOUR, METRIC, T0 } from '../fixtures/dataset.js';
import { PATH, cond, counter, fieldNamesRequest, gauge, inSet, type FieldQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import { type FieldScope, expectedLabelNames } from '../support/reference/fields.js';

const url = inject('prometheusUrl');
const PSEUDO = ['__gauge__', '__counter__', '~'];

interface Field {
  _type: string;
  fieldName: string;
  fieldType: string;
  classified: boolean;
}

async function ask(query: FieldQueryInput) {
  const answer = await invokeMirror(PATH.fieldNames, fieldNamesRequest(url, query));
  expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
  expect(answer.json?._type).toBe('FieldNamesResponse');
  return answer.json as { isPartial: boolean; fields: Field[] };
}

/** The label names of an answer after the pseudo-fields (`__name__` is not a field StackState can use). */
function labelNames(fields: Field[]): string[] {
  return fields
    .slice(PSEUDO.length)
    .map((f) => f.fieldName)
    .filter((n) => n !== '__name__');
}

describe('field names', () => {
  it('lists __gauge__, __counter__ and ~ first, then the label names of the series in the range', async () => {
    // Prepare
    const scope: FieldScope = { startTime: T0, endTime: DENSE_END };

    // Act
    const answer = await ask(scope);

    // Assess
    expect(answer.fields.slice(0, 3).map((f) => f.fieldName)).toEqual(PSEUDO);
    expect(labelNames(answer.fields).sort()).toEqual(expectedLabelNames(DATASET, scope));
    expect(answer.isPartial).toBe(false);
    for (const field of answer.fields) {
      expect(field._type).toBe('FieldDescriptor');
      expect(['STRING', 'NUMBER', 'BOOLEAN']).toContain(field.fieldType);
      expect(typeof field.classified).toBe('boolean');
    }
  });

  it.each([
    ['__gauge__ = room_temperature_celsius', gauge(METRIC.room)],
    ['__counter__ = http_requests_total', counter(METRIC.requests)],
    ['kind = bool (no metric chosen)', [cond('kind', 'bool')]],
    ['tag in {".*", "2.5"}', [cond('tag', inSet('.*', '2.5'))]],
    ['__gauge__ = inventory_items, warehouse = east', gauge(METRIC.inventory, { warehouse: 'east' })],
  ] as const)('are narrowed by the conditions: %s', async (_, conditions) => {
    // Prepare
    const scope: FieldScope = { conditions, startTime: T0, endTime: DENSE_END };

    // Act
    const answer = await ask(scope);

    // Assess
    expect(answer.fields.slice(0, 3).map((f) => f.fieldName)).toEqual(PSEUDO);
    expect(labelNames(answer.fields).sort()).toEqual(expectedLabelNames(DATASET, scope));
  });

  it.each([
    ['the early shift', FACTS.shift.early, ['worker']],
    ['the late shift', { from: T0 + 4 * HOUR, to: DENSE_END }, ['late_only', 'worker']],
  ] as const)('are narrowed by the time range: %s', async (_, range, names) => {
    // Prepare
    const scope: FieldScope = { conditions: gauge(METRIC.shift), startTime: range.from, endTime: range.to };

    // Act
    const answer = await ask(scope);

    // Assess
    expect(expectedLabelNames(DATASET, scope)).toEqual(names);
    expect(labelNames(answer.fields).sort()).toEqual(names);
  });

  it('in the archive era list only the labels of the series stored then', async () => {
    // Prepare
    const scope: FieldScope = { startTime: ARCHIVE_START, endTime: ARCHIVE_END };

    // Act
    const answer = await ask(scope);

    // Assess
    expect(labelNames(answer.fields)).toEqual(['volume']);
  });

  it('count the pseudo-fields against limit and say isPartial exactly when names were left out', async () => {
    // Prepare
    const scope = { startTime: T0, endTime: DENSE_END };
    const total = PSEUDO.length + expectedLabelNames(DATASET, scope).length;

    // Act
    const two = await ask({ ...scope, limit: 2 });
    const all = await ask({ ...scope, limit: total });
    const oneLess = await ask({ ...scope, limit: total - 1 });
    const huge = await ask({ ...scope, limit: 2147483647 });

    // Assess
    expect(two.fields.map((f) => f.fieldName)).toEqual(['__gauge__', '__counter__']);
    expect(two.isPartial).toBe(true);
    expect(all.fields).toHaveLength(total);
    expect(all.isPartial).toBe(false);
    expect(oneLess.fields).toHaveLength(total - 1);
    expect(oneLess.isPartial).toBe(true);
    expect(huge.fields).toHaveLength(total);
    expect(huge.isPartial).toBe(false);
  });
});
