import { interpretConditions, renderSelector } from '../domain/promql/matchers.js';
import { pageFieldNames } from '../domain/promql/field-values.js';
import { isValidLabelName } from '../domain/promql/names.js';
import type { FieldNamesRequest } from '../protocol/requests.js';
import type { FieldNamesResponse } from '../protocol/responses.js';
import type { Invocation } from './invocation.js';
import { openStore } from './store.js';
import { fieldTimeBounds } from './time-bounds.js';

/**
 * Field names: the three pseudo-fields, then the label names of the series the conditions
 * already chosen select in the time range (all label names when nothing narrows).
 */
export async function fieldNames(request: FieldNamesRequest, invocation: Invocation): Promise<FieldNamesResponse> {
  const { connectionDetails, query } = request;
  const { target, matchers } = interpretConditions(query.conditions);
  const { client } = openStore(connectionDetails, invocation);
  const metric = target && target.kind !== 'expression' ? target.metric : undefined;
  const selector = renderSelector(metric, matchers);
  const names = await client.labelNames(selector ? [selector] : [], fieldTimeBounds(query.startTime, query.endTime));
  // names a condition could not use (Prometheus 3's quoted UTF-8 names) are not offered
  const page = pageFieldNames(names.filter(isValidLabelName), query.limit ?? Number.MAX_SAFE_INTEGER);
  return { _type: 'FieldNamesResponse', isPartial: page.isPartial, fields: page.fields };
}
