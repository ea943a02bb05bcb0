import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';
import type { Condition } from '../../../../lambda/protocol/requests.js';
import { conditionSchema } from '../../../../lambda/protocol/requests.js';
import { interpretConditions, renderSelector, type LabelMatcher } from '../../../../lambda/domain/promql/matchers.js';
import { promqlString, readPromqlString } from '../../../../lambda/domain/promql/promql-text.js';

function str(key: string, value: string): Condition {
  return { _type: 'EqualityCondition', key, value: { _type: 'StringValue', value } };
}
function num(key: string, value: number): Condition {
  return { _type: 'EqualityCondition', key, value: { _type: 'DoubleValue', value } };
}
function bool(key: string, value: boolean): Condition {
  return { _type: 'EqualityCondition', key, value: { _type: 'BooleanValue', value } };
}
function inSet(key: string, value: (string | number | boolean)[]): Condition {
  return { _type: 'EqualityCondition', key, value: { _type: 'InSetValue', value } };
}

/** The regex of a `=~` matcher, as Prometheus applies it (fully anchored, dot matches newline). */
function regexOf(matcher: LabelMatcher | undefined): RegExp {
  const reading = readPromqlString(matcher?.value ?? '');
  if (!reading.ok || matcher?.op !== '=~') throw new Error('not a regex matcher');
  return new RegExp(`^(?:${reading.value})$`, 'su');
}

/** Error nodes and string literal count of a rendered selector, parsed with Prometheus' grammar. */
function parseSelector(selector: string): { errors: number; matchers: number; tree: string } {
  let errors = 0;
  let matchers = 0;
  const tree = parser.parse(selector);
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors++;
      if (node.name === 'UnquotedLabelMatcher') matchers++;
    },
  });
  return { errors, matchers, tree: tree.toString() };
}

describe('interpretConditions', () => {
  it('reads __gauge__ as the gauge target and the other keys as matchers', () => {
    // Prepare
    const conditions = [str('job', 'api'), str('__gauge__', 'node_load1')];
    // Act
    const result = interpretConditions(conditions);
    // Assess
    expect(result).toEqual({ target: { kind: 'gauge', metric: 'node_load1' }, matchers: [{ label: 'job', op: '=', value: '"api"' }] });
  });

  it('reads __counter__ as the counter target', () => {
    // Act
    const result = interpretConditions([str('__counter__', 'http_requests_total')]);
    // Assess
    expect(result).toEqual({ target: { kind: 'counter', metric: 'http_requests_total' }, matchers: [] });
  });

  it('returns a ~ expression unchanged', () => {
    // Prepare
    const expr = 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))';
    // Act
    const result = interpretConditions([str('~', expr)]);
    // Assess
    expect(result.target).toEqual({ kind: 'expression', expr });
  });

  it('has no target when no reserved key is present', () => {
    // Act
    const result = interpretConditions([str('job', 'api')]);
    // Assess
    expect(result).toEqual({ matchers: [{ label: 'job', op: '=', value: '"api"' }] });
    expect('target' in result).toBe(false);
  });

  it('refuses two reserved conditions and names them', () => {
    // Prepare
    const conditions = [str('__gauge__', 'a'), str('job', 'x'), str('~', 'b')];
    // Act
    const act = () => interpretConditions(conditions);
    // Assess
    expect(act).toThrow(InvalidRequestError);
    expect(act).toThrow(/__gauge__, ~/);
  });

  it('refuses the same reserved key twice', () => {
    // Act
    const act = () => interpretConditions([str('__counter__', 'a_total'), str('__counter__', 'b_total')]);
    // Assess
    expect(act).toThrow(/__counter__, __counter__/);
  });

  it.each([
    ['a DoubleValue', num('__gauge__', 1)],
    ['a BooleanValue', bool('__counter__', true)],
    ['an InSetValue', inSet('~', ['up'])],
  ])('refuses a reserved key holding %s', (_name, condition) => {
    // Act
    const act = () => interpretConditions([condition]);
    // Assess
    expect(act).toThrow(InvalidRequestError);
    expect(act).toThrow(/needs a StringValue/);
  });

  it.each(['', '1abc', 'up{job="x"}', 'up or vector(1)', 'a-b', 'a.b', 'up\n', 'métrique'])(
    'refuses the metric name %j with a 400',
    (name) => {
      // Act
      let error: unknown;
      try {
        interpretConditions([str('__gauge__', name)]);
      } catch (e) {
        error = e;
      }
      // Assess
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).summary).toBe('Invalid metric name');
    },
  );

  it('accepts recording-rule names with colons', () => {
    // Act
    const result = interpretConditions([str('__gauge__', 'job:http_requests:rate5m')]);
    // Assess
    expect(result.target).toEqual({ kind: 'gauge', metric: 'job:http_requests:rate5m' });
  });

  it('refuses an invalid ~ expression with the syntax message', () => {
    // Act
    const act = () => interpretConditions([str('~', 'rate(x[5m]')]);
    // Assess: a domain error; the edge answers it with a 400 (test/unit/handler/domain-errors.test.ts)
    expect(act).toThrow(InvalidRequestError);
    expect(act).toThrow(/PromQL syntax error at line 1, column 11/);
  });

  it.each(['1job', 'a-b', 'a b', 'job"} or vector(1) #', 'a=~".*"', 'é', 'a.b', ''])('refuses the label key %j', (key) => {
    // Act
    const act = () => interpretConditions([str(key, 'x')]);
    // Assess
    expect(act).toThrow(InvalidRequestError);
    expect(act).toThrow(/not a Prometheus label name/);
  });

  it('matches a StringValue exactly, escaping whatever it holds', () => {
    // Prepare
    const value = 'a"} or vector(1) or x{b="\\\n';
    // Act
    const { matchers } = interpretConditions([str('job', value)]);
    // Assess
    expect(matchers).toEqual([{ label: 'job', op: '=', value: promqlString(value) }]);
    expect(readPromqlString(matchers[0]?.value ?? '')).toEqual({ ok: true, value });
  });

  it('matches a BooleanValue as the text true or false', () => {
    // Act
    const { matchers } = interpretConditions([bool('enabled', true), bool('paused', false)]);
    // Assess
    expect(matchers).toEqual([
      { label: 'enabled', op: '=', value: '"true"' },
      { label: 'paused', op: '=', value: '"false"' },
    ]);
  });

  it('matches an integral DoubleValue as the integer with or without a zero fraction', () => {
    // Act
    const { matchers } = interpretConditions([num('shard', 2)]);
    const re = regexOf(matchers[0]);
    // Assess
    expect(matchers[0]).toEqual({ label: 'shard', op: '=~', value: '"2(?:\\\\.0+)?"' });
    expect(['2', '2.0', '2.00'].every((t) => re.test(t))).toBe(true);
    expect(['20', '12', '2.', '2.5', '-2', '+2', '2e0', ''].some((t) => re.test(t))).toBe(false);
  });

  it('keeps the sign of a negative integral DoubleValue', () => {
    // Act
    const re = regexOf(interpretConditions([num('offset', -3)]).matchers[0]);
    // Assess
    expect(['-3', '-3.0'].every((t) => re.test(t))).toBe(true);
    expect(['3', '3.0', '-30'].some((t) => re.test(t))).toBe(false);
  });

  it('matches a fractional DoubleValue as its JavaScript text with optional trailing zeros', () => {
    // Act
    const { matchers } = interpretConditions([num('le', 2.5)]);
    const re = regexOf(matchers[0]);
    // Assess
    expect(matchers[0]?.value).toBe('"2\\\\.50*"');
    expect(['2.5', '2.50', '2.500'].every((t) => re.test(t))).toBe(true);
    expect(['2x5', '25', '2.51', '2.05', '2'].some((t) => re.test(t))).toBe(false);
  });

  it('matches a DoubleValue in exponent form as written', () => {
    // Act
    const re = regexOf(interpretConditions([num('tiny', 1e-7)]).matchers[0]);
    // Assess
    expect(re.test('1e-7')).toBe(true);
    expect(re.test('1e-70')).toBe(false);
  });

  it('matches an InSetValue exactly by each member, whatever its type', () => {
    // Prepare
    const members = ['a.b', 'x|y', '', 3, 0.25, true];
    // Act
    const { matchers } = interpretConditions([inSet('v', members)]);
    const re = regexOf(matchers[0]);
    // Assess
    expect(['a.b', 'x|y', '', '3', '3.0', '0.25', '0.250', 'true'].every((t) => re.test(t))).toBe(true);
    expect(['aXb', 'x', 'y', '4', 'false', '0.2', 'a.bx|y'].some((t) => re.test(t))).toBe(false);
  });

  it('accepts InSet members sent as typed values, as StackState may', () => {
    // Prepare
    const condition = conditionSchema.parse({
      key: 'job',
      value: {
        _type: 'InSetValue',
        value: [
          { _type: 'StringValue', value: 'a' },
          { _type: 'DoubleValue', value: 1 },
        ],
      },
    });
    // Act
    const re = regexOf(interpretConditions([condition]).matchers[0]);
    // Assess
    expect(['a', '1', '1.0'].every((t) => re.test(t))).toBe(true);
  });

  it('gives the same matchers for the same conditions in any order', () => {
    // Prepare
    const conditions = [str('b', '2'), inSet('a', ['y', 'x']), str('a', '1'), num('c', 1)];
    // Act
    const forward = interpretConditions(conditions).matchers;
    const backward = interpretConditions([...conditions].reverse()).matchers;
    const shuffledSet = interpretConditions([str('b', '2'), inSet('a', ['x', 'y']), str('a', '1'), num('c', 1)]).matchers;
    // Assess
    expect(forward).toEqual(backward);
    expect(forward).toEqual(shuffledSet);
    expect(forward.map((m) => `${m.label}${m.op}`)).toEqual(['a=', 'a=~', 'b=', 'c=~']);
  });

  it('drops a condition repeated word for word', () => {
    // Act
    const { matchers } = interpretConditions([str('job', 'x'), str('job', 'x')]);
    // Assess
    expect(matchers).toHaveLength(1);
  });
});

describe('renderSelector', () => {
  it('writes the metric with its matchers sorted', () => {
    // Prepare
    const matchers: LabelMatcher[] = [
      { label: 'job', op: '=~', value: '"a|b"' },
      { label: 'instance', op: '=', value: '"h:80"' },
    ];
    // Act
    const selector = renderSelector('up', matchers);
    // Assess
    expect(selector).toBe('up{instance="h:80",job=~"a|b"}');
  });

  it('writes the bare metric when there are no matchers', () => {
    // Act
    const selector = renderSelector('up', []);
    // Assess
    expect(selector).toBe('up');
  });

  it('writes braces alone when there is no metric', () => {
    // Act
    const selector = renderSelector(undefined, [{ label: 'job', op: '=', value: '"api"' }]);
    // Assess
    expect(selector).toBe('{job="api"}');
  });

  it.each([
    ['no matchers', []],
    ['an empty exact match', [{ label: 'a', op: '=', value: '""' }]],
    ['an InSet holding the empty string', interpretConditions([inSet('a', ['x', ''])]).matchers],
    ['a match-all regex', [{ label: 'a', op: '=~', value: '".*"' }]],
  ] as [string, LabelMatcher[]][])('returns undefined without a metric for %s', (_name, matchers) => {
    // Act
    const selector = renderSelector(undefined, matchers);
    // Assess
    expect(selector).toBeUndefined();
  });

  it('keeps a selector without metric when one matcher needs a non-empty value', () => {
    // Act
    const selector = renderSelector(undefined, [
      { label: 'a', op: '=', value: '""' },
      { label: 'b', op: '=~', value: '"x|y"' },
    ]);
    // Assess
    expect(selector).toBe('{a="",b=~"x|y"}');
  });

  it('keeps a metric with matchers that all match the empty string', () => {
    // Act
    const selector = renderSelector('up', [{ label: 'a', op: '=', value: '""' }]);
    // Assess
    expect(selector).toBe('up{a=""}');
  });

  it('renders hostile condition values as one selector with exactly their matchers', () => {
    // Prepare
    const hostile = ['"}', '"} or vector(1)', '} or vector(1)', '\\', '\\"', 'a\nb', '.*', '(|)', '😀 é', "'`"];
    const conditions = hostile.map((v, i) => str(`l${i}`, v));
    const { matchers } = interpretConditions([...conditions, inSet('set', hostile), num('n', 1.5), bool('b', true)]);
    // Act
    const selector = renderSelector('up', matchers) ?? '';
    const parsed = parseSelector(selector);
    // Assess
    expect(parsed.errors).toBe(0);
    expect(parsed.matchers).toBe(hostile.length + 3);
    expect(parsed.tree.startsWith('PromQL(VectorSelector(Identifier,LabelMatchers(')).toBe(true);
    expect(selector.includes('\n')).toBe(false);
  });

  it('makes InSet regexes that match exactly the hostile members', () => {
    // Prepare
    const hostile = ['"}', '} or vector(1)', '\\', 'a\nb', '.*', '(|)', '[x]', '^$', '😀'];
    // Act
    const re = regexOf(interpretConditions([inSet('a', hostile)]).matchers[0]);
    // Assess
    expect(hostile.every((v) => re.test(v))).toBe(true);
    expect(['anything', '', 'x', '(', '"', '\\\\', 'ab'].some((v) => re.test(v))).toBe(false);
  });

  it('gives the same text for the same matchers in any order', () => {
    // Prepare
    const matchers: LabelMatcher[] = [
      { label: 'b', op: '=', value: '"1"' },
      { label: 'a', op: '=~', value: '"2"' },
      { label: 'a', op: '=', value: '"3"' },
    ];
    // Act
    const one = renderSelector('m', matchers);
    const two = renderSelector('m', [...matchers].reverse());
    // Assess
    expect(one).toBe('m{a="3",a=~"2",b="1"}');
    expect(two).toBe(one);
  });

  it.each([
    ['an invalid metric', 'up or vector(1)', [] as LabelMatcher[]],
    ['an invalid label', 'up', [{ label: 'a"', op: '=', value: '"x"' }] as LabelMatcher[]],
    ['an unquoted value', 'up', [{ label: 'a', op: '=', value: 'x' }] as LabelMatcher[]],
    ['a value that closes early', 'up', [{ label: 'a', op: '=', value: '"x"} or vector(1) or {a="y"' }] as LabelMatcher[]],
    ['an unknown operator', 'up', [{ label: 'a', op: '!=', value: '"x"' } as unknown as LabelMatcher]],
  ])('refuses %s', (_name, metric, matchers) => {
    // Act
    const act = () => renderSelector(metric, matchers);
    // Assess
    expect(act).toThrow(InvalidRequestError);
  });
});
