/**
 * The bucket grid of the reference: `[s, s+B)` with `s` an epoch multiple of `B`.
 */

/** The start of the bucket that holds time `t`. */
export function bucketOf(t: number, bucketMs: number): number {
  return Math.floor(t / bucketMs) * bucketMs;
}

/** The starts of every bucket that overlaps `[startMs, endMs)`, ascending. */
export function bucketStarts(startMs: number, endMs: number, bucketMs: number): number[] {
  if (!(bucketMs > 0)) throw new Error(`reference: bucket size ${bucketMs}`);
  const starts: number[] = [];
  for (let s = bucketOf(startMs, bucketMs); s < endMs; s += bucketMs) starts.push(s);
  return starts;
}
