/**
 * "Did you mean …?" for names a user typed: the known name nearest to an unknown one, by
 * edit distance (insertions, deletions, substitutions and swaps of neighbours each count 1).
 * Bounded: names longer than MAX_LENGTH are never compared, so hostile input costs nothing.
 */

const MAX_LENGTH = 64;

/**
 * The known name nearest to `typed`, or undefined when none is close: at most 1 edit for
 * names of up to 4 characters, 2 up to 8, otherwise a third of the length (at most 4).
 *
 * @example nearestName('nan_interpetation', ['url', 'nan_interpretation']) // 'nan_interpretation'
 */
export function nearestName(typed: string, known: Iterable<string>): string | undefined {
  if (typed.length === 0 || typed.length > MAX_LENGTH) return undefined;
  const lower = typed.toLowerCase();
  const allowed = typed.length <= 4 ? 1 : typed.length <= 8 ? 2 : Math.min(4, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const name of known) {
    if (Math.abs(name.length - typed.length) >= bestDistance || name.length > MAX_LENGTH) continue;
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0] as number[];
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
