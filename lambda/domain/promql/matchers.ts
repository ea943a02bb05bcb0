import { SELECTOR_KEYS } from '../../contract/index.js';
import { InvalidRequestError } from '../errors.js';
import type { Condition, ConditionValue } from '../../protocol/requests.js';
import { compareCodePoints } from './code-point-order.js';
import { isValidLabelName, isValidMetricName, quoteForMessage } from './names.js';
import { assertPromql } from './promql-check.js';
import { promqlString, readPromqlString } from './promql-text.js';
import { booleanText, inSetPattern, numberPattern } from './value-patterns.js';

/** What a query measures: a gauge or counter by metric name, or a PromQL expression as written. */
export type Target = { kind: 'gauge' | 'counter'; metric: string } | { kind: 'expression'; expr: string };

/** One label matcher of a selector. */
export interface LabelMatcher {
  /** A label name, checked against `[a-zA-Z_][a-zA-Z0-9_]*`. */
  label: string;
  op: '=' | '=~';
  /** The PromQL string literal, quoted (e.g. `"x"`), as {@link promqlString} writes it. */
  value: string;
}

/** The conditions' keys that choose the target instead of matching a label. */
export const RESERVED_KEYS = SELECTOR_KEYS;
type ReservedKey = (typeof RESERVED_KEYS)[number];

function isReserved(key: string): key is ReservedKey {
  return (RESERVED_KEYS as readonly string[]).includes(key);
}

/**
 * Splits StackState conditions into the target (reserved keys `__gauge__`, `__counter__`, `~`)
 * and label matchers (every other key). Matchers are AND-ed.
 *
 * Values: `StringValue` → `=` exact; `BooleanValue` → `="true"` / `="false"`; `DoubleValue` →
 * `=~` the label texts a user sees for the number (see {@link numberPattern}); `InSetValue` →
 * `=~` the alternation of its members. An empty string keeps Prometheus' meaning: it matches a
 * series whose label is absent or empty.
 *
 * The `~` expression is checked with {@link assertPromql} and returned unchanged.
 *
 * @throws InvalidRequestError (400) for two reserved conditions, a reserved key whose value is not a
 *   StringValue, an invalid metric name, an invalid PromQL expression, or a label key that is not a
 *   Prometheus label name.
 */
export function interpretConditions(conditions: Condition[]): { target?: Target; matchers: LabelMatcher[] } {
  const reserved = conditions.filter((c) => isReserved(c.key));
  if (reserved.length > 1) {
    throw new InvalidRequestError(
      'Conflicting conditions',
      `Only one of __gauge__, __counter__ or ~ may choose what is measured, but the query has ${reserved
        .map((c) => c.key)
        .join(', ')}. Keep one of them.`,
    );
  }
  const chosen = reserved[0];
  const target = chosen === undefined ? undefined : interpretTarget(chosen.key as ReservedKey, chosen.value);
  const matchers = conditions.filter((c) => !isReserved(c.key)).map((c) => labelMatcher(c.key, c.value));
  return target === undefined ? { matchers: sortMatchers(matchers) } : { target, matchers: sortMatchers(matchers) };
}

function interpretTarget(key: ReservedKey, value: ConditionValue): Target {
  if (value._type !== 'StringValue') {
    const wanted = key === '~' ? 'a PromQL expression' : 'a metric name';
    throw new InvalidRequestError('Invalid condition', `The condition ${key} needs a StringValue holding ${wanted}, not a ${value._type}.`);
  }
  if (key === '~') {
    assertPromql(value.value);
    return { kind: 'expression', expr: value.value };
  }
  if (!isValidMetricName(value.value)) {
    throw new InvalidRequestError(
      'Invalid metric name',
      `${quoteForMessage(value.value)} (condition ${key}) is not a Prometheus metric name: use letters, digits, _ and :, not starting with a digit.`,
    );
  }
  return { kind: key === '__gauge__' ? 'gauge' : 'counter', metric: value.value };
}

function labelMatcher(label: string, value: ConditionValue): LabelMatcher {
  if (!isValidLabelName(label)) {
    throw new InvalidRequestError(
      'Invalid condition key',
      `${quoteForMessage(label)} is not a Prometheus label name (letters, digits and _, not starting with a digit), nor one of __gauge__, __counter__, ~.`,
    );
  }
  switch (value._type) {
    case 'StringValue':
      return { label, op: '=', value: promqlString(value.value) };
    case 'BooleanValue':
      return { label, op: '=', value: promqlString(booleanText(value.value)) };
    case 'DoubleValue':
      return { label, op: '=~', value: promqlString(numberPattern(value.value)) };
    case 'InSetValue':
      return { label, op: '=~', value: promqlString(inSetPattern(value.value)) };
  }
}

/** Sorted by label, then op, then value (code point order), duplicates dropped. */
function sortMatchers(matchers: LabelMatcher[]): LabelMatcher[] {
  const sorted = [...matchers].sort(
    (a, b) => compareCodePoints(a.label, b.label) || compareCodePoints(a.op, b.op) || compareCodePoints(a.value, b.value),
  );
  return sorted.filter((m, i) => {
    const previous = sorted[i - 1];
    return previous === undefined || previous.label !== m.label || previous.op !== m.op || previous.value !== m.value;
  });
}

/**
 * The PromQL selector `metric{a="x",b=~"y"}` (or `{…}` without a metric, or `metric` without
 * matchers). Matchers are sorted by label, op and value, so the same conditions always give
 * the same text.
 *
 * @returns `undefined` when there is no metric and every matcher matches the empty string
 *   (e.g. `{a=""}`, or an InSet with `""`): Prometheus refuses such a selector.
 * @throws InvalidRequestError (400) when the metric or a label is not a valid name, or a matcher's
 *   value is not a PromQL string literal.
 */
export function renderSelector(metric: string | undefined, matchers: LabelMatcher[]): string | undefined {
  if (metric !== undefined && !isValidMetricName(metric)) {
    throw new InvalidRequestError('Invalid metric name', `${quoteForMessage(metric)} is not a Prometheus metric name.`);
  }
  for (const m of matchers) checkMatcher(m);
  if (metric === undefined && matchers.every(matchesEmpty)) return undefined;
  const sorted = sortMatchers(matchers);
  if (sorted.length === 0) return metric;
  return `${metric ?? ''}{${sorted.map((m) => `${m.label}${m.op}${m.value}`).join(',')}}`;
}

function checkMatcher(m: LabelMatcher): void {
  if (!isValidLabelName(m.label)) {
    throw new InvalidRequestError('Invalid label name', `${quoteForMessage(m.label)} is not a Prometheus label name.`);
  }
  if ((m.op as string) !== '=' && (m.op as string) !== '=~') {
    throw new InvalidRequestError('Invalid label matcher', `${quoteForMessage(String(m.op))} is not a supported match operator.`);
  }
  if (!/^"/.test(m.value) || !readPromqlString(m.value).ok) {
    throw new InvalidRequestError('Invalid label matcher', `The value of ${m.label} is not a double-quoted PromQL string.`);
  }
}

/**
 * Whether a matcher matches the empty string (an absent label). Regexes are tested with
 * JavaScript's engine, which agrees with RE2 on everything this module writes; a regex it cannot
 * compile counts as not matching the empty string (Prometheus then decides).
 */
function matchesEmpty(m: LabelMatcher): boolean {
  const reading = readPromqlString(m.value);
  if (!reading.ok) return false;
  if (m.op === '=') return reading.value === '';
  try {
    return new RegExp(`^(?:${reading.value})$`, 'su').test('');
  } catch {
    return false;
  }
}
