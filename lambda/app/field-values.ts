import { RemoteMirrorError } from '../errors.js';
import { interpretConditions, renderSelector } from '../domain/promql/matchers.js';
import { pageFieldValues } from '../domain/promql/field-values.js';
import { classifyMetric } from '../domain/promql/metric-kinds.js';
import { isValidLabelName } from '../domain/promql/names.js';
import type { FieldValuesRequest } from '../protocol/requests.js';
import type { FieldValuesResponse } from '../protocol/responses.js';
import type { MetricMetadata, PrometheusClient } from '../upstream/prometheus-client.js';
import type { Invocation } from './invocation.js';
import { openStore } from './store.js';
import { fieldTimeBounds } from './time-bounds.js';

/** Above this many values (after the prefix) the answer summarises the space with patterns. */
export const PATTERN_THRESHOLD = 1000;

/**
 * Field values: the values of a label (or, for `__gauge__` / `__counter__`, the names of
 * the gauges / counters) among the series the other conditions select in the time range;
 * narrowed by prefix, paged by offset/limit, summarised by patterns when too many.
 */
export async function fieldValues(request: FieldValuesRequest, invocation: Invocation): Promise<FieldValuesResponse> {
  const { connectionDetails, query } = request;
  const field = query.field.fieldName;
  // the field being listed does not narrow its own values
  const { target, matchers } = interpretConditions(query.conditions.filter((c) => c.key !== field));
  if (field !== '~' && field !== '__gauge__' && field !== '__counter__' && !isValidLabelName(field)) {
    throw new RemoteMirrorError(
      'Invalid field',
      'A field name is a Prometheus label name: letters, digits and _ , not starting with a digit.',
    );
  }
  const { client } = openStore(connectionDetails, invocation);
  const bounds = fieldTimeBounds(query.startTime, query.endTime);
  const metric = target && target.kind !== 'expression' ? target.metric : undefined;

  let values: string[];
  if (field === '~') {
    values = []; // PromQL expressions are written, not listed
  } else if (field === '__gauge__' || field === '__counter__') {
    const selector = renderSelector(undefined, matchers);
    const [names, metadata] = await Promise.all([
      client.labelValues('__name__', selector ? [selector] : [], bounds),
      metadataOrEmpty(client),
    ]);
    const kind = field === '__gauge__' ? 'gauge' : 'counter';
    values = names.filter((name) => classifyMetric(name, metadata) === kind);
  } else {
    const selector = renderSelector(metric, matchers);
    values = await client.labelValues(field, selector ? [selector] : [], bounds);
  }
  const page = pageFieldValues(values, {
    prefix: query.fieldValuePrefix,
    offset: query.offset ?? 0,
    limit: query.limit ?? Number.MAX_SAFE_INTEGER,
    patternThreshold: PATTERN_THRESHOLD,
  });
  return { _type: 'FieldValuesResponse', isPartial: page.isPartial, values: page.values };
}

/** Metadata only sharpens the gauge/counter split; without it the naming conventions decide. */
async function metadataOrEmpty(client: PrometheusClient): Promise<Record<string, MetricMetadata[]>> {
  try {
    return await client.metadata();
  } catch {
    return {};
  }
}
