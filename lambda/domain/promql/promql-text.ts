import { InvalidRequestError } from '../errors.js';

/**
 * Writing and reading PromQL string literals and RE2 text. PromQL strings use Go's escapes
 * (Prometheus' lexer and `strutil.Unquote`), so this is where injection safety lives: a
 * literal from {@link promqlString} always ends exactly at its closing quote.
 */

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/**
 * A double-quoted PromQL string literal that means exactly `value`.
 *
 * Escapes `\` and `"`, writes control characters as `\n`, `\r`, `\t`, `\a`, `\b`, `\f`, `\v`
 * or `\xHH` (C0 and DEL) and `\u00HH` (C1, U+0080–U+009F, where Go's `\xHH` would mean a raw
 * byte, not the character); every other character stays literal.
 *
 * @throws InvalidRequestError (400) when `value` holds a lone UTF-16 surrogate: no PromQL string
 *   (and no Prometheus label value, which is UTF-8) can hold one.
 * @example promqlString('a"b\n') // '"a\\"b\\n"'
 */
export function promqlString(value: string): string {
  if (!value.isWellFormed()) {
    throw new InvalidRequestError(
      'Invalid text',
      'A value contains a lone UTF-16 surrogate (invalid Unicode); it cannot match any Prometheus label value.',
    );
  }
  let out = '"';
  for (const ch of value) {
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code >= 0x80 && code <= 0x9f) out += `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return `${out}"`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

const RE2_META = /[\\.+*?()|[\]{}^$]/g;

/**
 * RE2 text that matches exactly `value`: every RE2 meta character (`\.+*?()|[]{}^$`) is
 * backslash-quoted, as Go's `regexp.QuoteMeta` does. Prometheus anchors regex matchers at both
 * ends, so the result matches `value` and nothing else. Put it in PromQL with {@link promqlString}.
 *
 * @example regexLiteral('a.b(c)') // 'a\\.b\\(c\\)'
 */
export function regexLiteral(value: string): string {
  return value.replace(RE2_META, '\\$&');
}

/** The result of reading a PromQL string literal. */
export type StringLiteralReading = { ok: true; value: string } | { ok: false; problem: string; offset: number };

const SIMPLE_UNESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/**
 * Reads a whole PromQL string literal (`"…"`, `'…'` or a raw `` `…` `` string) as Prometheus
 * does: Go escapes, exactly 3 octal / 2 hex / 4 or 8 hex digits, no surrogate code points, no
 * raw newline in a quoted string, the matching close quote at the very end. Byte escapes
 * (`\xHH`, octal) are joined as UTF-8; invalid UTF-8 reads as U+FFFD.
 *
 * @returns the value, or the problem and its offset (in UTF-16 units) within `literal`.
 * @example readPromqlString('"a\\tb"') // { ok: true, value: 'a\tb' }
 */
export function readPromqlString(literal: string): StringLiteralReading {
  const quote = literal[0];
  if (quote === undefined || !`"'\``.includes(quote)) {
    return { ok: false, problem: 'a string must start with a quote', offset: 0 };
  }
  if (quote === '`') {
    const end = literal.indexOf('`', 1);
    if (end === -1) return { ok: false, problem: 'unterminated raw string', offset: literal.length };
    if (end !== literal.length - 1) return { ok: false, problem: 'text after the closing quote', offset: end + 1 };
    return { ok: true, value: literal.slice(1, end) };
  }
  const bytes: number[] = [];
  let i = 1;
  while (i < literal.length) {
    const ch = literal[i] as string;
    if (ch === quote) {
      if (i !== literal.length - 1) return { ok: false, problem: 'text after the closing quote', offset: i + 1 };
      return { ok: true, value: decoder.decode(Uint8Array.from(bytes)) };
    }
    if (ch === '\n') return { ok: false, problem: 'unterminated quoted string', offset: i };
    if (ch !== '\\') {
      const point = String.fromCodePoint(literal.codePointAt(i) ?? 0xfffd);
      for (const byte of encoder.encode(point)) bytes.push(byte);
      i += point.length;
      continue;
    }
    const read = readEscape(literal, i, quote);
    if (!read.ok) return read;
    for (const byte of read.bytes) bytes.push(byte);
    i = read.next;
  }
  return { ok: false, problem: 'unterminated quoted string', offset: literal.length };
}

type EscapeReading = { ok: true; bytes: Iterable<number>; next: number } | { ok: false; problem: string; offset: number };

/** Reads the escape sequence whose backslash is at `at`. */
function readEscape(literal: string, at: number, quote: string): EscapeReading {
  const kind = literal[at + 1];
  if (kind === undefined) return { ok: false, problem: 'escape sequence not terminated', offset: at };
  const simple = SIMPLE_UNESCAPES[kind];
  if (simple !== undefined) return { ok: true, bytes: [simple], next: at + 2 };
  if (kind === quote) return { ok: true, bytes: [quote.charCodeAt(0)], next: at + 2 };
  const numeric = NUMERIC_ESCAPES[kind];
  if (numeric === undefined) {
    return { ok: false, problem: `unknown escape sequence ${JSON.stringify(`\\${kind}`)}`, offset: at };
  }
  const start = kind >= '0' && kind <= '7' ? at + 1 : at + 2;
  const digits = literal.slice(start, start + numeric.digits);
  if (digits.length !== numeric.digits || !numeric.pattern.test(digits)) {
    return { ok: false, problem: `malformed escape sequence ${JSON.stringify(literal.slice(at, start + numeric.digits))}`, offset: at };
  }
  const code = Number.parseInt(digits, numeric.base);
  if (numeric.bytes) {
    if (code > 0xff) return { ok: false, problem: 'octal escape sequence above \\377', offset: at };
    return { ok: true, bytes: [code], next: start + numeric.digits };
  }
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return { ok: false, problem: 'escape sequence is an invalid Unicode code point', offset: at };
  }
  return { ok: true, bytes: encoder.encode(String.fromCodePoint(code)), next: start + numeric.digits };
}

interface NumericEscape {
  digits: number;
  base: number;
  pattern: RegExp;
  /** true: the number is one raw byte; false: a Unicode code point. */
  bytes: boolean;
}

const OCTAL: NumericEscape = { digits: 3, base: 8, pattern: /^[0-7]{3}$/, bytes: true };
const NUMERIC_ESCAPES: Readonly<Record<string, NumericEscape>> = {
  '0': OCTAL,
  '1': OCTAL,
  '2': OCTAL,
  '3': OCTAL,
  '4': OCTAL,
  '5': OCTAL,
  '6': OCTAL,
  '7': OCTAL,
  x: { digits: 2, base: 16, pattern: /^[0-9a-fA-F]{2}$/, bytes: true },
  u: { digits: 4, base: 16, pattern: /^[0-9a-fA-F]{4}$/, bytes: false },
  U: { digits: 8, base: 16, pattern: /^[0-9a-fA-F]{8}$/, bytes: false },
};
