/**
 * The entry of `promql-grammar.cjs`, which the Lambda asset carries beside its bundle
 * (lib/mirror-function.ts builds it after bundling): the PromQL grammar alone, required on the
 * first `~` by `lazy-promql-grammar.ts`.
 */
export { parser } from '@prometheus-io/lezer-promql';
