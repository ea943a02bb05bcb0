/**
 * Prometheus's own cap on points per series of one query_range (AMP answers the same 400);
 * the mirror also caps a raw answer at this many points.
 */
export const MAX_POINTS_PER_SERIES = 11_000;
