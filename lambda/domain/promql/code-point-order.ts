/**
 * Compares two strings by Unicode code point, the order Prometheus (Go) uses for label
 * values. JavaScript's `<` compares UTF-16 code units, which puts characters above U+FFFF
 * (surrogate pairs) before U+E000–U+FFFF; this comparator corrects that. Locale-independent.
 *
 * @returns a negative number when `a` sorts first, 0 when equal, a positive number otherwise.
 * @example ['b', 'a', '😀', '\uFFFD'].sort(compareCodePoints) // ['a', 'b', '\uFFFD', '😀']
 */
export function compareCodePoints(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Maps a UTF-16 code unit so that surrogates (U+10000 and up) rank above U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Sorts a copy of `values` by code point and drops duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  const sorted = [...new Set(values)].sort(compareCodePoints);
  return sorted;
}
