/**
 * The aggregation methods of the Mirror API (docs/mirror-api.md): the handler accepts exactly
 * these, and the playground offers them. `VALUE_COUNT` only comes from old StackState versions.
 */
export const AGGREGATION_METHODS = [
  'MEAN',
  'MIN',
  'MAX',
  'SUM',
  'EVENT_COUNT',
  'VALUE_COUNT',
  'SUM_NO_ZEROS',
  'EVENT_COUNT_NO_ZEROS',
  'PERCENTILE_25',
  'PERCENTILE_50',
  'PERCENTILE_75',
  'PERCENTILE_90',
  'PERCENTILE_95',
  'PERCENTILE_98',
  'PERCENTILE_99',
] as const;
