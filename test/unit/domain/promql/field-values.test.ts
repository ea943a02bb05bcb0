import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';
import type { FieldValue } from '../../../../lambda/protocol/responses.js';
import { pageFieldNames, pageFieldValues } from '../../../../lambda/domain/promql/field-values.js';

const all = { offset: 0, limit: 1000 };

function texts(values: FieldValue[]): string[] {
  return values.map((v) => (v._type === 'CompleteValue' ? v.value : `pattern:${v.value}`));
}

describe('pageFieldValues', () => {
  it('lists deduplicated values sorted by code point as complete values under the threshold', () => {
    // Prepare
    const values = ['b', 'a', '😀', '\uffff', 'B', 'a'];
    // Act
    const page = pageFieldValues(values, { ...all, patternThreshold: 10 });
    // Assess
    expect(page).toEqual({
      values: ['B', 'a', 'b', '\uffff', '😀'].map((value) => ({ _type: 'CompleteValue', value })),
      isPartial: false,
    });
  });

  it('keeps only values starting with the prefix', () => {
    // Act
    const page = pageFieldValues(['cpu_user', 'cpu_sys', 'mem_free'], { ...all, prefix: 'cpu_', patternThreshold: 10 });
    // Assess
    expect(texts(page.values)).toEqual(['cpu_sys', 'cpu_user']);
  });

  it('strips a trailing .* from the prefix, as StackState sends our patterns back', () => {
    // Act
    const page = pageFieldValues(['cpu_user', 'cpu_sys', 'mem_free'], { ...all, prefix: 'cpu_.*', patternThreshold: 10 });
    // Assess
    expect(texts(page.values)).toEqual(['cpu_sys', 'cpu_user']);
  });

  it('takes a prefix literally, regex characters included', () => {
    // Act
    const page = pageFieldValues(['a.b', 'axb', 'a.c'], { ...all, prefix: 'a.', patternThreshold: 10 });
    // Assess
    expect(texts(page.values)).toEqual(['a.b', 'a.c']);
  });

  it('summarises values above the threshold by the shortest prefix that gives 16 groups', () => {
    // Prepare: 4 families of 10 values; one character never gives 16 groups, two characters give 40.
    const values = ['a', 'b', 'c', 'd'].flatMap((f) => Array.from({ length: 10 }, (_, i) => `${f}${i}`));
    // Act
    const page = pageFieldValues(values, { ...all, patternThreshold: 5 });
    // Assess
    expect(page.values).toHaveLength(40);
    expect(page.values.every((v) => v._type === 'CompleteValue')).toBe(true);
  });

  it('makes patterns for groups and complete values for single values', () => {
    // Prepare: 20 values, 15 with distinct first characters and 5 starting with "z".
    const values = [...'abcdefghijklmno'.split('').map((c) => `${c}-only`), 'zeta', 'zulu', 'zero', 'zinc', 'zoo'];
    // Act
    const page = pageFieldValues(values, { ...all, patternThreshold: 10 });
    // Assess
    expect(texts(page.values)).toEqual([...'abcdefghijklmno'.split('').map((c) => `${c}-only`), 'pattern:z.*']);
  });

  it('lists a value equal to its group prefix as a complete value too', () => {
    // Prepare: k = 1 gives 16 groups; "z" is a value and the prefix of the "z" group.
    const values = [...'abcdefghijklmno'.split(''), 'z', 'zz', 'zzz'];
    // Act
    const page = pageFieldValues(values, { ...all, patternThreshold: 3 });
    // Assess
    expect(texts(page.values)).toEqual([...'abcdefghijklmno'.split(''), 'z', 'pattern:z.*']);
  });

  it('groups after the incoming prefix', () => {
    // Prepare
    const values = Array.from({ length: 80 }, (_, i) => `host-${(i % 16).toString(16)}${i}`);
    // Act
    const page = pageFieldValues([...values, 'other'], { ...all, prefix: 'host-.*', patternThreshold: 20 });
    // Assess
    expect(texts(page.values)).toEqual(Array.from({ length: 16 }, (_, i) => `pattern:host-${i.toString(16)}.*`));
  });

  it('takes the next longer prefix when one more character gives too few groups', () => {
    // Prepare: after "host-", one digit gives 10 groups (< 16), two digits give 100.
    const values = Array.from({ length: 100 }, (_, i) => `host-${String(i).padStart(2, '0')}`);
    // Act
    const page = pageFieldValues(values, { ...all, prefix: 'host-', patternThreshold: 20 });
    // Assess
    expect(page.values).toHaveLength(100);
    expect(page.values.every((v) => v._type === 'CompleteValue')).toBe(true);
  });

  it('lengthens the group prefix until there are enough groups', () => {
    // Prepare: every value shares "metric_"; the groups appear at the 8th character.
    const values = Array.from({ length: 32 }, (_, i) => `metric_${String.fromCharCode(97 + (i % 16))}${i}`);
    // Act
    const page = pageFieldValues(values, { ...all, patternThreshold: 10 });
    // Assess
    expect(texts(page.values)).toEqual(Array.from({ length: 16 }, (_, i) => `pattern:metric_${String.fromCharCode(97 + i)}.*`));
  });

  it('never splits a character beyond the BMP when grouping', () => {
    // Prepare
    const values = ['😀a', '😀b', '😁a', '😁b'];
    // Act
    const page = pageFieldValues(values, { ...all, patternThreshold: 0 });
    // Assess
    expect(page.values.every((v) => v.value.isWellFormed())).toBe(true);
    expect(texts(page.values)).toEqual(['😀a', '😀b', '😁a', '😁b']);
  });

  it('pages the entries and says when more follow', () => {
    // Prepare
    const values = ['a', 'b', 'c', 'd', 'e'];
    // Act
    const first = pageFieldValues(values, { offset: 0, limit: 2, patternThreshold: 10 });
    const last = pageFieldValues(values, { offset: 3, limit: 2, patternThreshold: 10 });
    // Assess
    expect(first).toEqual({
      values: [
        { _type: 'CompleteValue', value: 'a' },
        { _type: 'CompleteValue', value: 'b' },
      ],
      isPartial: true,
    });
    expect(last).toEqual({
      values: [
        { _type: 'CompleteValue', value: 'd' },
        { _type: 'CompleteValue', value: 'e' },
      ],
      isPartial: false,
    });
  });

  it('gives an empty, complete page for an offset past the end', () => {
    // Act
    const page = pageFieldValues(['a', 'b'], { offset: 5, limit: 10, patternThreshold: 10 });
    // Assess
    expect(page).toEqual({ values: [], isPartial: false });
  });

  it('accepts the largest limit StackState sends', () => {
    // Act
    const page = pageFieldValues(['a', 'b'], { offset: 1, limit: 2147483647, patternThreshold: 10 });
    // Assess
    expect(page).toEqual({ values: [{ _type: 'CompleteValue', value: 'b' }], isPartial: false });
  });

  it.each([
    [3, 0],
    [7, 20],
    [50, 1000],
    [1, 0],
  ])('yields every entry exactly once when paging hundreds of values %d at a time (threshold %d)', (limit, patternThreshold) => {
    // Prepare
    const values = Array.from({ length: 700 }, (_, i) => `svc-${(i * 7919) % 1000}-${i % 3 === 0 ? 'x' : 'y'}${i}`);
    const whole = pageFieldValues(values, { offset: 0, limit: 100_000, patternThreshold });
    // Act
    const seen: FieldValue[] = [];
    let isPartial = true;
    for (let offset = 0; isPartial; offset += limit) {
      const page = pageFieldValues(values, { offset, limit, patternThreshold });
      expect(page.values.length).toBeLessThanOrEqual(limit);
      seen.push(...page.values);
      isPartial = page.isPartial;
    }
    // Assess
    expect(seen).toEqual(whole.values);
    expect(new Set(seen.map((v) => `${v._type}:${v.value}`)).size).toBe(seen.length);
    expect(whole.isPartial).toBe(false);
  });

  it('covers every value with exactly one entry when summarising', () => {
    // Prepare
    const values = Array.from({ length: 500 }, (_, i) => `${String.fromCharCode(97 + (i % 26))}${(i * 31) % 97}`);
    // Act
    const { values: entries } = pageFieldValues(values, { offset: 0, limit: 10_000, patternThreshold: 10 });
    // Assess
    const covering = new Set(values).size;
    const patterns = entries.filter((e) => e._type === 'FieldValuePattern').map((e) => e.value.slice(0, -2));
    const completes = new Set(entries.filter((e) => e._type === 'CompleteValue').map((e) => e.value));
    expect(entries.length).toBeGreaterThanOrEqual(16);
    for (const value of new Set(values)) {
      const byPattern = patterns.filter((p) => value.startsWith(p)).length;
      expect(byPattern + (completes.has(value) && byPattern === 0 ? 1 : 0)).toBe(1);
    }
    expect(covering).toBeGreaterThan(entries.length);
  });

  it('returns the same entries for the same values in any order', () => {
    // Prepare
    const values = Array.from({ length: 300 }, (_, i) => `v${(i * 13) % 300}`);
    // Act
    const forward = pageFieldValues(values, { offset: 0, limit: 1000, patternThreshold: 10 });
    const backward = pageFieldValues([...values].reverse(), { offset: 0, limit: 1000, patternThreshold: 10 });
    // Assess
    expect(backward).toEqual(forward);
  });

  it.each([
    ['a negative offset', { offset: -1, limit: 1 }],
    ['a negative limit', { offset: 0, limit: -1 }],
    ['a fractional limit', { offset: 0, limit: 1.5 }],
  ])('refuses %s', (_name, paging) => {
    // Act
    const act = () => pageFieldValues(['a'], { ...paging, patternThreshold: 10 });
    // Assess
    expect(act).toThrow(InvalidRequestError);
  });
});

describe('pageFieldNames', () => {
  it('lists the pseudo-fields first, then sorted label names without __name__ or duplicates', () => {
    // Act
    const page = pageFieldNames(['job', '__name__', 'instance', 'job', '~', '__gauge__'], 100);
    // Assess
    expect(page).toEqual({
      fields: ['__gauge__', '__counter__', '~', 'instance', 'job'].map((fieldName) => ({
        _type: 'FieldDescriptor',
        fieldName,
        fieldType: 'STRING',
        classified: false,
      })),
      isPartial: false,
    });
  });

  it('counts the pseudo-fields against the limit', () => {
    // Act
    const page = pageFieldNames(['job', 'instance'], 4);
    // Assess
    expect(page.fields.map((f) => f.fieldName)).toEqual(['__gauge__', '__counter__', '~', 'instance']);
    expect(page.isPartial).toBe(true);
  });

  it('is not partial when everything fits exactly', () => {
    // Act
    const page = pageFieldNames(['job'], 4);
    // Assess
    expect(page.fields).toHaveLength(4);
    expect(page.isPartial).toBe(false);
  });

  it('cuts the pseudo-fields too when the limit is smaller', () => {
    // Act
    const small = pageFieldNames([], 2);
    const none = pageFieldNames(['job'], 0);
    // Assess
    expect(small).toEqual({
      fields: [expect.objectContaining({ fieldName: '__gauge__' }), expect.objectContaining({ fieldName: '__counter__' })],
      isPartial: true,
    });
    expect(none).toEqual({ fields: [], isPartial: true });
  });

  it('refuses a negative limit', () => {
    // Act
    const act = () => pageFieldNames([], -1);
    // Assess
    expect(act).toThrow(InvalidRequestError);
  });
});
