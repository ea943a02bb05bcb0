import { compareCodePoints } from './code-point-order.js';
import { regexLiteral } from './promql-text.js';

/**
 * How typed condition values become label-text matches. Prometheus label values are text;
 * these functions decide which texts a typed value stands for.
 */

/**
 * RE2 text matching the label texts a user sees for the number `d`.
 *
 * - integral `d` (below 1e21): the integer with an optional fraction of zeros, sign kept:
 *   `2` → `2(?:\.0+)?` (matches `2`, `2.0`, `2.00`), `-3` → `-3(?:\.0+)?`, `-0` → `0(?:\.0+)?`;
 * - other finite `d`: JavaScript's `String(d)` with optional trailing zeros: `2.5` → `2\.50*`
 *   (matches `2.5`, `2.50`), `1e-7` → `1e-7` (exponent forms are matched as written);
 * - `NaN` → `NaN`, `Infinity` → `\+Inf`, `-Infinity` → `-Inf` (Prometheus' spelling, e.g. `le="+Inf"`).
 *
 * Texts such as `2.` , `+2`, `02` or `2e0` are not matched.
 */
export function numberPattern(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Number.POSITIVE_INFINITY) return '\\+Inf';
  if (d === Number.NEGATIVE_INFINITY) return '-Inf';
  const text = String(d);
  if (text.includes('e')) return regexLiteral(text);
  if (Number.isInteger(d)) return `${text}(?:\\.0+)?`;
  return `${regexLiteral(text)}0*`;
}

/** The label text of a boolean: `true` / `false`. */
export function booleanText(b: boolean): string {
  return b ? 'true' : 'false';
}

/** RE2 text for one InSet member: strings exact, numbers as {@link numberPattern}, booleans as text. */
export function memberPattern(member: string | number | boolean): string {
  if (typeof member === 'string') return regexLiteral(member);
  if (typeof member === 'number') return numberPattern(member);
  return booleanText(member);
}

/**
 * RE2 alternation of the members' patterns, duplicates dropped and sorted by code point so that
 * the same set gives the same text. A member `""` makes the alternation match the empty text.
 */
export function inSetPattern(members: readonly (string | number | boolean)[]): string {
  return [...new Set(members.map(memberPattern))].sort(compareCodePoints).join('|');
}
