import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../lambda/domain/errors.js';
import { promqlString, readPromqlString, regexLiteral } from '../../../../lambda/domain/promql/promql-text.js';

/** Parses `x{a=<literal>}` and returns the tree and the one string literal's text. */
function parseInSelector(literal: string): { tree: string; literalText: string | undefined; errors: number } {
  const expr = `x{a=${literal}}`;
  const tree = parser.parse(expr);
  let literalText: string | undefined;
  let errors = 0;
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors++;
      if (node.name === 'StringLiteral') literalText = expr.slice(node.from, node.to);
    },
  });
  return { tree: tree.toString(), literalText, errors };
}

/** A small deterministic generator, so the random test is repeatable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('promqlString', () => {
  it('quotes plain text unchanged between double quotes', () => {
    // Prepare
    const value = 'node-exporter:9100';
    // Act
    const literal = promqlString(value);
    // Assess
    expect(literal).toBe('"node-exporter:9100"');
  });

  it('escapes backslashes and double quotes', () => {
    // Prepare
    const value = 'C:\\path "quoted"';
    // Act
    const literal = promqlString(value);
    // Assess
    expect(literal).toBe('"C:\\\\path \\"quoted\\""');
  });

  it('writes control characters with Go escapes', () => {
    // Prepare
    const value = '\n\r\t\u0007\b\f\v\u0000\u001b\u007f';
    // Act
    const literal = promqlString(value);
    // Assess
    expect(literal).toBe('"\\n\\r\\t\\a\\b\\f\\v\\x00\\x1b\\x7f"');
  });

  it('writes C1 control characters as \\u escapes, because \\x would mean a raw byte', () => {
    // Prepare
    const value = '\u0085\u009f';
    // Act
    const literal = promqlString(value);
    // Assess
    expect(literal).toBe('"\\u0085\\u009f"');
  });

  it('keeps other Unicode literal, including characters beyond the BMP', () => {
    // Prepare
    const value = 'é 中文 😀 \u2028 \ufeff';
    // Act
    const literal = promqlString(value);
    // Assess
    expect(literal).toBe('"é 中文 😀 \u2028 \ufeff"');
  });

  it('keeps single quotes and backticks literal', () => {
    // Prepare
    const value = "it's `raw`";
    // Act
    const literal = promqlString(value);
    // Assess
    expect(literal).toBe('"it\'s `raw`"');
  });

  it('turns the empty string into an empty literal', () => {
    // Act
    const literal = promqlString('');
    // Assess
    expect(literal).toBe('""');
  });

  it.each([
    ['a closing quote and brace', '"}'],
    ['an or clause', '"} or vector(1) or x{a="'],
    ['a trailing backslash', 'abc\\'],
    ['an escaped quote that is not one', '\\"} or up{a="'],
    ['a newline and a comment', 'x"\n# } or vector(1)'],
    ['a regex', '.*|(a)+[b]{2}^$'],
  ])('stays one string literal in a selector against %s', (_name, value) => {
    // Act
    const literal = promqlString(value);
    const parsed = parseInSelector(literal);
    // Assess
    expect(parsed.errors).toBe(0);
    expect(parsed.tree).toBe(
      'PromQL(VectorSelector(Identifier,LabelMatchers(UnquotedLabelMatcher(LabelName,MatchOp(EqlSingle),StringLiteral))))',
    );
    expect(parsed.literalText).toBe(literal);
    expect(readPromqlString(literal)).toEqual({ ok: true, value });
  });

  it('round-trips hundreds of random nasty strings as exactly one literal', () => {
    // Prepare
    const alphabet = [
      '"',
      '\\',
      "'",
      '`',
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u0085',
      '}',
      '{',
      ',',
      '=',
      '~',
      ' ',
      'a',
      '.',
      '*',
      'é',
      '😀',
      '#',
      '\u2028',
    ];
    const random = seededRandom(42);
    const values = Array.from({ length: 500 }, () =>
      Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
    );
    // Act
    const failures = values.filter((value) => {
      const literal = promqlString(value);
      const parsed = parseInSelector(literal);
      const reading = readPromqlString(literal);
      return parsed.errors > 0 || parsed.literalText !== literal || !reading.ok || reading.value !== value;
    });
    // Assess
    expect(failures).toEqual([]);
  });

  it('refuses a lone surrogate with a typed error', () => {
    // Prepare
    const value = 'a\ud800b';
    // Act
    const act = () => promqlString(value);
    // Assess
    expect(act).toThrow(InvalidRequestError);
    expect(act).toThrow(/lone UTF-16 surrogate/);
  });
});

describe('regexLiteral', () => {
  it('quotes every RE2 meta character', () => {
    // Prepare
    const value = '\\.+*?()|[]{}^$';
    // Act
    const re = regexLiteral(value);
    // Assess
    expect(re).toBe('\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$');
  });

  it('leaves other characters alone', () => {
    // Prepare
    const value = 'a-b_c:d/e é😀 "\n';
    // Act
    const re = regexLiteral(value);
    // Assess
    expect(re).toBe(value);
  });

  it.each(['10.0.0.1:80', 'a|b', '.*', '(x)', '[abc]', 'x{2}', '^start$', 'back\\slash', '', 'line\nbreak'])(
    'gives a regex that matches exactly %j',
    (value) => {
      // Prepare
      const re = new RegExp(`^(?:${regexLiteral(value)})$`, 'su');
      // Act
      const matchesItself = re.test(value);
      const matchesVariants = [`${value}x`, `x${value}`, value.slice(1), 'a', 'b', '10a0b0c1:80']
        .filter((v) => v !== value)
        .some((v) => re.test(v));
      // Assess
      expect(matchesItself).toBe(true);
      expect(matchesVariants).toBe(false);
    },
  );
});

describe('readPromqlString', () => {
  it('reads every Go escape', () => {
    // Prepare
    const literal = String.raw`"\a\b\f\n\r\t\v\\\"\x41\101\u00e9\U0001F600"`;
    // Act
    const reading = readPromqlString(literal);
    // Assess
    expect(reading).toEqual({ ok: true, value: '\u0007\b\f\n\r\t\v\\"AAé😀' });
  });

  it('joins byte escapes as UTF-8', () => {
    // Act
    const reading = readPromqlString(String.raw`"\xc3\xa9"`);
    // Assess
    expect(reading).toEqual({ ok: true, value: 'é' });
  });

  it('reads single-quoted and raw strings', () => {
    // Act
    const single = readPromqlString(String.raw`'it\'s'`);
    const raw = readPromqlString('`a\\b\nc`');
    // Assess
    expect(single).toEqual({ ok: true, value: "it's" });
    expect(raw).toEqual({ ok: true, value: 'a\\b\nc' });
  });

  it.each([
    ['"abc', 'unterminated quoted string'],
    ['"a\nb"', 'unterminated quoted string'],
    [String.raw`"\q"`, 'unknown escape sequence'],
    [String.raw`"\'"`, 'unknown escape sequence'],
    [String.raw`"\x4"`, 'malformed escape sequence'],
    [String.raw`"\u12"`, 'malformed escape sequence'],
    [String.raw`"\ud800"`, 'invalid Unicode code point'],
    [String.raw`"\U00110000"`, 'invalid Unicode code point'],
    [String.raw`"\400"`, 'octal escape sequence above'],
    ['"a"b"', 'text after the closing quote'],
    ['`abc', 'unterminated raw string'],
    ['abc', 'must start with a quote'],
    ['"\\', 'escape sequence not terminated'],
  ])('refuses %j', (literal, problem) => {
    // Act
    const reading = readPromqlString(literal);
    // Assess
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.problem).toContain(problem);
  });
});
