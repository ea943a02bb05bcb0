import { SELECTOR_KEYS } from '../../contract/index.js';
import { InvalidRequestError } from '../errors.js';
import type { FieldDescriptor, FieldValue } from '../../protocol/responses.js';
import { compareCodePoints, sortedUnique } from './code-point-order.js';

/**
 * Field names and field values as StackState pages through them. Values beyond a threshold are
 * summarised by prefix patterns (`cpu_.*`) that StackState can send back as `fieldValuePrefix`.
 */

/** Options of {@link pageFieldValues}. */
export interface FieldValuePaging {
  /** Only values starting with this text; a trailing `.*` (one of our patterns sent back) is ignored. */
  prefix?: string | undefined;
  /** Entries to skip. */
  offset: number;
  /** Entries to return at most. */
  limit: number;
  /** Up to this many matching values are listed one by one; above it they are summarised. */
  patternThreshold: number;
}

const TARGET_GROUPS = 16;

/**
 * One page of field values.
 *
 * Values are deduplicated, sorted by code point and filtered by `prefix`. When at most
 * `patternThreshold` remain, each is a CompleteValue. Otherwise they are grouped by the prefix
 * plus their next k characters (code points), k the smallest ≥ 1 giving at least
 * min(16, number of values) groups; a group of one value is a CompleteValue, a larger group a
 * FieldValuePattern `<group prefix>.*`, and a value equal to its group prefix is also listed as a
 * CompleteValue. The entries are sorted (by text, CompleteValue before FieldValuePattern) and
 * paged: entries [offset, offset + limit).
 *
 * @returns the page, and `isPartial` true exactly when entries exist after it (an offset past the
 *   end gives an empty page, not partial).
 * @throws InvalidRequestError (400) for a negative or fractional offset or limit.
 */
export function pageFieldValues(values: string[], opts: FieldValuePaging): { values: FieldValue[]; isPartial: boolean } {
  checkCount('offset', opts.offset);
  checkCount('limit', opts.limit);
  const prefix = stripPattern(opts.prefix ?? '');
  const matching = sortedUnique(values).filter((v) => v.startsWith(prefix));
  const entries = matching.length <= opts.patternThreshold ? matching.map(complete) : summarise(matching, prefix);
  return page(entries, opts.offset, opts.limit);
}

function stripPattern(prefix: string): string {
  return prefix.endsWith('.*') ? prefix.slice(0, -2) : prefix;
}

function complete(value: string): FieldValue {
  return { _type: 'CompleteValue', value };
}

/** Groups sorted, distinct `values` (all starting with `prefix`) into sorted entries. */
function summarise(values: string[], prefix: string): FieldValue[] {
  const tails = values.map((v) => Array.from(v.slice(prefix.length)));
  const k = groupLength(tails, Math.min(TARGET_GROUPS, values.length));
  const entries: FieldValue[] = [];
  let i = 0;
  const keys = tails.map((tail) => prefix + tail.slice(0, k).join(''));
  while (i < values.length) {
    const key = keys[i] as string;
    let j = i + 1;
    while (j < values.length && keys[j] === key) j++;
    if (j - i === 1) entries.push(complete(values[i] as string));
    else {
      if (values[i] === key) entries.push(complete(key));
      entries.push({ _type: 'FieldValuePattern', value: `${key}.*` });
    }
    i = j;
  }
  return entries.sort((a, b) => compareCodePoints(a.value, b.value) || (a._type === 'CompleteValue' ? -1 : 1));
}

/**
 * The smallest k ≥ 1 with at least `target` distinct k-character prefixes among `tails`
 * (sorted by code point). The count grows with k and reaches the number of values at the
 * longest tail, so a binary search finds it.
 */
function groupLength(tails: string[][], target: number): number {
  let low = 1;
  let high = tails.reduce((longest, t) => Math.max(longest, t.length), 1);
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (groupCount(tails, mid) >= target) high = mid;
    else low = mid + 1;
  }
  return low;
}

function groupCount(tails: string[][], k: number): number {
  let groups = 0;
  let previous: string | undefined;
  for (const tail of tails) {
    const key = tail.slice(0, k).join('');
    if (key !== previous) groups++;
    previous = key;
  }
  return groups;
}

function page<T>(entries: T[], offset: number, limit: number): { values: T[]; isPartial: boolean } {
  return { values: entries.slice(offset, offset + limit), isPartial: offset + limit < entries.length };
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidRequestError('Invalid paging', `${name} must be a whole number of at least 0.`);
  }
}

/** The pseudo-fields that choose what is measured; listed before the real label names. */
export const PSEUDO_FIELDS = SELECTOR_KEYS;

function stringField(fieldName: string): FieldDescriptor {
  return { _type: 'FieldDescriptor', fieldName, fieldType: 'STRING', classified: false };
}

/**
 * The field names: `__gauge__`, `__counter__`, `~` first, then the label names sorted by code
 * point, without `__name__`, the pseudo-field names and duplicates; all STRING, not classified.
 * The pseudo-fields count against `limit`.
 *
 * @returns the first `limit` fields, and `isPartial` true exactly when some were left out.
 * @throws InvalidRequestError (400) for a negative or fractional limit.
 */
export function pageFieldNames(labelNames: string[], limit: number): { fields: FieldDescriptor[]; isPartial: boolean } {
  checkCount('limit', limit);
  const excluded = new Set<string>(['__name__', ...PSEUDO_FIELDS]);
  const names = [...PSEUDO_FIELDS, ...sortedUnique(labelNames).filter((n) => !excluded.has(n))];
  const { values, isPartial } = page(names, 0, limit);
  return { fields: values.map(stringField), isPartial };
}
