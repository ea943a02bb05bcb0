import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';
import { assertPromql, checkPromql, parenthesizePromql, promqlFunctionNames } from '../../../../lambda/domain/promql/promql-check.js';

function messageOf(expr: string): string {
  const result = checkPromql(expr);
  return result.ok ? '' : result.message;
}

describe('checkPromql', () => {
  it.each([
    'up',
    'rate(x[5m])',
    'sum by (a) (b)',
    'sum(b) by (a)',
    'avg_over_time(rate(x[5m])[1h:1m])',
    'max_over_time(x[30m:])',
    'x offset 5m',
    'x @ start()',
    'x @ 1609746000',
    'http_requests_total{job="api", code=~"5.."} / ignoring(code) group_left sum(y)',
    'histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))',
    '-x + 1',
    'x{a="\\"}\\n"}',
    '{__name__=~"a|b", job!="x"}',
    'label_replace(up, "dst", "$1", "src", "(.*)")',
    'x # a comment',
    'sum(\n  rate(x[5m])\n)',
    "x{a='single'}",
    'x{a=`raw\\`}',
  ])('accepts %j', (expr) => {
    // Act
    const result = checkPromql(expr);
    // Assess
    expect(result).toEqual({ ok: true });
  });

  it.each([
    ['an unbalanced parenthesis', 'sum(rate(x[5m])'],
    ['an unclosed range function', 'rate(x[5m]'],
    ['an extra parenthesis', 'x)'],
    ['an unbalanced brace', 'x{a="b"'],
    ['a lone brace', '{'],
    ['a grouping without labels', 'sum by'],
    ['a stray binary operator', 'x +'],
    ['two binary operators', '1 +* 2'],
    ['two selectors side by side', 'a b'],
    ['an offset without duration', 'x offset'],
    ['an @ without time', 'x @'],
    ['an unterminated string', 'x == "abc'],
    ['an unterminated string at the very end', '"abc'],
    ['an unknown escape', 'x{a="b\\q"}'],
    ['a backslash before a newline', 'x{a="b\\\nc"}'],
    ['a single-quote escape in a double-quoted string', 'x{a="it\\\'s"}'],
    ['a surrogate escape', 'x{a="\\ud800"}'],
    ['an unterminated raw string', 'x{a=`raw}'],
    ['only a comment', '# nothing here'],
  ])('refuses %s', (_name, expr) => {
    // Act
    const result = checkPromql(expr);
    // Assess
    expect(result.ok).toBe(false);
    expect(messageOf(expr)).toMatch(/^PromQL syntax error at line \d+, column \d+/);
  });

  it('accepts a long expression of 150 terms', () => {
    // Prepare
    const expr = Array.from({ length: 150 }, (_, i) => `m${i}{job="a"}`).join(' + ');
    // Act
    const result = checkPromql(expr);
    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('says when an expression may be too long for the check rather than wrong', () => {
    // Prepare
    const expr = Array.from({ length: 400 }, (_, i) => `m${i}{job="a"}`).join(' + ');
    // Act
    const message = messageOf(expr);
    // Assess
    expect(message).toMatch(/too long or too deeply nested for the syntax check/);
  });

  it('gives no length hint for a short expression', () => {
    // Act
    const message = messageOf('rate(x[5m]');
    // Assess
    expect(message).not.toMatch(/too long/);
  });

  it.each(['', '   ', '\n\t'])('refuses the blank expression %j', (expr) => {
    // Act
    const result = checkPromql(expr);
    // Assess
    expect(result).toEqual({ ok: false, message: 'The PromQL expression is empty.' });
  });

  it('refuses a lone surrogate', () => {
    // Act
    const result = checkPromql('x{a="\ud800"}');
    // Assess
    expect(result.ok).toBe(false);
  });

  it('says where an unfinished grouping ends and shows the text before it', () => {
    // Act
    const message = messageOf('sum(x) by (job');
    // Assess
    expect(message).toBe('PromQL syntax error at line 1, column 15 near "sum(x) by (job": the expression ends too early');
  });

  it('shows the unexpected text', () => {
    // Act
    const message = messageOf('x)');
    // Assess
    expect(message).toBe('PromQL syntax error at line 1, column 2 near "x)": unexpected ")"');
  });

  it('counts lines and columns on later lines', () => {
    // Act
    const message = messageOf('sum(\n  rate(x[5m]) +\n)');
    // Assess
    expect(message).toMatch(/^PromQL syntax error at line 3, column 1/);
  });

  it('counts columns in characters, not UTF-16 units', () => {
    // Act
    const message = messageOf('x{a="😀😀"} )');
    // Assess
    expect(message).toMatch(/^PromQL syntax error at line 1, column 11 /);
  });

  it('points at a bad escape inside a string', () => {
    // Act
    const message = messageOf('x{a="ok\\q"}');
    // Assess
    expect(message).toBe('PromQL syntax error at line 1, column 8 near "x{a=\\"ok\\\\q\\"}": unknown escape sequence "\\\\q"');
  });

  it('keeps the message short for a very long expression', () => {
    // Prepare
    const expr = `x{a="${'v'.repeat(20000)}"} +`;
    // Act
    const message = messageOf(expr);
    // Assess
    expect(message).toMatch(
      new RegExp(`^PromQL syntax error at line 1, column 20010 near "${'v'.repeat(16)}\\\\"} \\+": the expression ends too early`),
    );
    expect(message.length).toBeLessThan(300);
  });
});

describe('unknown functions are named as such', () => {
  it.each([
    ['rates(x[5m])', 'column 1', 'unknown function "rates" (did you mean rate?)'],
    ['sum(rates(x[5m]))', 'column 5', 'unknown function "rates" (did you mean rate?)'],
    ['1 + histogram_quantil (0.9, h)', 'column 5', 'unknown function "histogram_quantil" (did you mean histogram_quantile?)'],
    ['sums(x)', 'column 1', 'unknown function "sums" (did you mean sum?)'],
    ['my_own_function(x)', 'column 1', 'unknown function "my_own_function"'],
    ['sums by (job) (x)', 'column 1', 'unknown aggregation "sums" (did you mean sum?)'],
    ['avgg without (pod) (x)', 'column 1', 'unknown aggregation "avgg" (did you mean avg?)'],
  ])('%j → %s: %s', (expr, column, reason) => {
    const message = messageOf(expr);
    expect(message).toContain(`line 1, ${column}`);
    expect(message).toMatch(new RegExp(`: ${reason.replace(/[()?]/g, '\\$&')}$`));
  });

  it('guesses nothing for a far-off name', () => {
    expect(messageOf('zzzzzzzz(x)')).toMatch(/unknown function "zzzzzzzz"$/);
  });

  it('knows the functions and aggregations from the grammar, not from a hand-kept list', () => {
    const names = promqlFunctionNames();
    for (const name of ['rate', 'histogram_quantile', 'label_replace', 'sum', 'topk', 'quantile_over_time', 'absent']) {
      expect(names).toContain(name);
    }
    for (const name of names) expect(checkPromql(`${name}(x)`).ok || !messageOf(`${name}(x)`).includes('unknown function')).toBe(true);
  });

  it('still calls a misplaced parenthesis after a number what it is', () => {
    expect(messageOf('1 (x)')).not.toContain('unknown function');
  });
});

describe('assertPromql', () => {
  it('returns for valid PromQL', () => {
    // Act
    const act = () => assertPromql('rate(x[5m])');
    // Assess
    expect(act).not.toThrow();
  });

  it('throws an InvalidRequestError (no HTTP status: the edge maps it) that says Invalid PromQL and where', () => {
    // Act
    let error: unknown;
    try {
      assertPromql('rate(x[5m]');
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).not.toHaveProperty('status');
    expect({ ...(error as InvalidRequestError) }).toEqual({
      name: 'InvalidRequestError',
      summary: 'Invalid PromQL',
      details: 'PromQL syntax error at line 1, column 11 near "rate(x[5m]": the expression ends too early',
    });
  });
});

describe('parenthesizePromql', () => {
  it('keeps a trailing comment from swallowing what follows', () => {
    // Prepare
    const expr = 'x # note';
    // Act
    const embedded = `avg_over_time(${parenthesizePromql(expr)}[1h:1m])`;
    // Assess
    expect(embedded).toBe('avg_over_time((x # note\n)[1h:1m])');
    expect(checkPromql(embedded)).toEqual({ ok: true });
  });
});
