import type * as z from 'zod/mini';
import { fieldNamesRequestSchema, fieldValuesRequestSchema, metricsRequestSchema } from '../protocol/requests.js';
import { parseRequest } from '../protocol/validation.js';
import { fieldNames } from './field-names.js';
import { fieldValues } from './field-values.js';
import type { Invocation } from './invocation.js';
import { metrics } from './metric-values.js';
import { testConnection, testConnectionEnvelopeSchema } from './test-connection.js';

/**
 * The four Mirror API calls. StackState joins its configured Mirror URL with `api/...`, so
 * the call is found at the end of the path whatever comes before it (an API Gateway stage,
 * a base path, doubled slashes).
 */
export type MirrorCall = 'connection' | 'fieldNames' | 'fieldValues' | 'metrics';

const CALLS: Record<string, MirrorCall> = {
  'api/connection': 'connection',
  'api/field/name': 'fieldNames',
  'api/field/value': 'fieldValues',
  'api/metric': 'metrics',
};

export function routeFor(path: string): MirrorCall | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const length of [3, 2]) {
    if (segments.length < length) continue;
    const tail = segments.slice(-length).join('/');
    const call = CALLS[tail];
    if (call) return call;
  }
  return undefined;
}

/** One call: the schema its body must meet, named in errors as `what`, and the service that answers it. */
export interface Route {
  /** Validates the parsed body once and hands the typed request to the service. */
  answer(body: unknown, invocation: Invocation): Promise<unknown>;
}

function route<S extends z.ZodMiniType>(
  schema: S,
  what: string,
  service: (request: z.output<S>, invocation: Invocation) => Promise<unknown>,
): Route {
  return { answer: (body, invocation) => service(parseRequest(schema, body, what), invocation) };
}

/**
 * Call → schema → service. A test connection validates only its envelope here: what is wrong
 * inside its Connection Details is the test's FAILURE answer, not a 400.
 */
export const ROUTES: Readonly<Record<MirrorCall, Route>> = {
  connection: route(testConnectionEnvelopeSchema, 'TestConnectionRequest', testConnection),
  fieldNames: route(fieldNamesRequestSchema, 'FieldNamesRequest', fieldNames),
  fieldValues: route(fieldValuesRequestSchema, 'FieldValuesRequest', fieldValues),
  metrics: route(metricsRequestSchema, 'MetricsRequest', metrics),
};
