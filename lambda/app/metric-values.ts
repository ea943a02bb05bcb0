import { RemoteMirrorError } from '../errors.js';
import { interpretConditions, renderSelector } from '../domain/promql/matchers.js';
import type { MetricsRequest } from '../protocol/requests.js';
import type { MetricsResponse } from '../protocol/responses.js';
import type { Invocation } from './invocation.js';
import { clipToData } from './metrics/clip.js';
import { counterMetrics } from './metrics/counter.js';
import { refuseDeclaredGauge } from './metrics/counter-kind.js';
import { expressionMetrics } from './metrics/expression.js';
import { gaugeMetrics } from './metrics/gauge.js';
import { openStore } from './store.js';

/** Metric values: the one series the conditions choose, raw or aggregated over time in buckets. */
export async function metrics(request: MetricsRequest, invocation: Invocation): Promise<MetricsResponse> {
  const { connectionDetails } = request;
  const { target, matchers } = interpretConditions(request.query.conditions);
  if (!target) {
    throw new RemoteMirrorError(
      'No metric chosen',
      'Add a condition on __gauge__ (a gauge by name), __counter__ (a counter, as a per-second rate) or ~ (a PromQL expression).',
    );
  }
  const { client, nanInterpretation, bounds, cache } = openStore(connectionDetails, invocation);
  const query = clipToData(request.query, bounds.retentionMs);
  if (target.kind === 'expression') {
    if (matchers.length > 0) {
      throw new RemoteMirrorError('Conditions beside ~', 'With a ~ expression, put the label filters inside the expression.');
    }
    return expressionMetrics(client, target.expr, query, nanInterpretation, bounds.maxQuerySamples, cache);
  }
  const selector = renderSelector(target.metric, matchers) as string;
  if (target.kind === 'gauge') return gaugeMetrics(client, selector, query, nanInterpretation, cache);
  // the metadata check and the data in parallel (one round trip); the check's refusal comes first
  const check = refuseDeclaredGauge(client, target.metric);
  check.catch(() => undefined); // handled below
  await Promise.race([check, Promise.resolve()]); // a remembered refusal is already settled: no data read
  const [kind, answer] = await Promise.allSettled([check, counterMetrics(client, selector, query, nanInterpretation, cache)]);
  if (kind.status === 'rejected') throw kind.reason;
  if (answer.status === 'rejected') throw answer.reason;
  return answer.value;
}
