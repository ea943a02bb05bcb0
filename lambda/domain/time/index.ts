/** Time, buckets and counters: pure domain code (no network, no AWS). */
export * from './buckets.js';
export * from './counter-rates.js';
export * from './duration.js';
export * from './non-finite.js';
export * from './over-time.js';
export * from './quantile.js';
export * from './range-chunks.js';
