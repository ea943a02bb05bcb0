/**
 * How long the next piece of a raw-sample fetch should be: long enough that a long range
 * takes few round trips, short enough that one answer stays small (about `targetSamples`),
 * a whole multiple of `alignMs` (so that no bucket is split between two pieces), and never
 * longer than `maxSpanMs` (the store's longest query range) unless one alignment unit is.
 *
 * @param samplesSeen samples fetched so far
 * @param spanSeenMs the time those samples were fetched over
 * @param previousSpanMs the span of the previous pieces; grows ×4 while no sample was seen
 * @example 1,440 samples seen over 6 h (15 s scrape), target 20,000 → about 83 h, rounded up to whole `alignMs`
 */
export function nextPieceSpan(
  samplesSeen: number,
  spanSeenMs: number,
  previousSpanMs: number,
  alignMs: number,
  targetSamples: number,
  maxSpanMs: number,
): number {
  let wanted: number;
  if (samplesSeen > 0 && spanSeenMs > 0) wanted = (targetSamples * spanSeenMs) / samplesSeen;
  else wanted = previousSpanMs * 4;
  const bounded = Math.min(Math.max(wanted, alignMs), maxSpanMs);
  const units = Math.max(1, Math.floor(bounded / alignMs));
  return units * alignMs;
}

/** The first pieces' span before anything is known: `initialMs` rounded up to whole `alignMs`. */
export function firstPieceSpan(initialMs: number, alignMs: number): number {
  return Math.max(1, Math.ceil(initialMs / alignMs)) * alignMs;
}
