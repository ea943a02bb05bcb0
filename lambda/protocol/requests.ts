import * as z from 'zod/mini';
import { AGGREGATION_METHODS } from '../contract/index.js';
import { connectionDetailsSchema } from './connection-details.js';
import './zod-english.js';

/**
 * Schemas of the four Mirror API requests. Unknown extra fields are ignored (StackState
 * adds some); anything we would otherwise have to guess — an unknown `_type`, a negative
 * limit, a bucket of 0 ms, start after end, a missing query — is refused.
 */

const epochMillis = z.number().check(z.int(), z.gte(0));
const count = z.number().check(z.int(), z.gte(0));

const primitive = z.union([z.string(), z.number(), z.boolean()]);

export const conditionValueSchema = z.discriminatedUnion('_type', [
  z.object({ _type: z.literal('StringValue'), value: z.string() }),
  z.object({ _type: z.literal('DoubleValue'), value: z.number() }),
  z.object({ _type: z.literal('BooleanValue'), value: z.boolean() }),
  z.object({
    _type: z.literal('InSetValue'),
    // members arrive as plain JSON values or as typed values ({"_type":"StringValue","value":…})
    value: z
      .array(
        z.union([
          primitive,
          z.pipe(
            z.object({ _type: z.string(), value: primitive }),
            z.transform((v) => v.value),
          ),
        ]),
      )
      .check(z.minLength(1, 'an InSetValue needs at least one member')),
  }),
]);

export const conditionSchema = z.object({
  _type: z.optional(z.literal('EqualityCondition')),
  key: z.string().check(z.minLength(1)),
  value: conditionValueSchema,
});

export const fieldTypeSchema = z.pipe(
  z.enum(['STRING', 'NUMBER', 'BOOLEAN', 'DOUBLE']),
  z.transform((t) => (t === 'DOUBLE' ? ('NUMBER' as const) : t)),
);

export const fieldDescriptorSchema = z.object({
  _type: z.optional(z.literal('FieldDescriptor')),
  fieldName: z.string().check(z.minLength(1)),
  fieldType: z.optional(fieldTypeSchema),
  classified: z.optional(z.boolean()),
});

export const aggregationSchema = z.object({
  _type: z.optional(z.literal('Aggregation')),
  method: z.enum(AGGREGATION_METHODS),
  bucketSizeMillis: z.number().check(z.int(), z.gt(0, 'bucketSizeMillis must be greater than 0')),
});

const conditions = z._default(z.array(conditionSchema), []);

function startBeforeEnd(q: { startTime?: number | undefined; endTime?: number | undefined }): boolean {
  return q.startTime === undefined || q.endTime === undefined || q.endTime === 0 || q.startTime <= q.endTime;
}
const startBeforeEndMessage = { message: 'startTime must not be after endTime', path: ['startTime'] };

export const fieldNamesQuerySchema = z
  .object({
    _type: z.literal('FieldNamesQuery'),
    conditions,
    startTime: z.optional(epochMillis),
    endTime: z.optional(epochMillis),
    limit: z.optional(count),
  })
  .check(z.refine(startBeforeEnd, startBeforeEndMessage));

export const fieldValuesQuerySchema = z
  .object({
    _type: z.literal('FieldValuesQuery'),
    field: fieldDescriptorSchema,
    conditions,
    startTime: z.optional(epochMillis),
    endTime: z.optional(epochMillis),
    limit: z.optional(count),
    offset: z.optional(count),
    fieldValuePrefix: z.optional(z.string()),
  })
  .check(z.refine(startBeforeEnd, startBeforeEndMessage));

export const metricsQuerySchema = z
  .object({
    _type: z.literal('MetricsQuery'),
    conditions,
    startTime: epochMillis,
    endTime: epochMillis,
    limit: z.optional(count),
    metricField: z.optional(z.string()),
    latestFirst: z.optional(z.boolean()),
    aggregation: z.optional(aggregationSchema),
  })
  .check(z.refine((q) => q.startTime <= q.endTime, startBeforeEndMessage));

/** StackState may send the Connection Details as an object or as the JSON text the user typed. */
const connectionDetails = z.pipe(
  z.transform((value: unknown) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }),
  connectionDetailsSchema,
);

export const fieldNamesRequestSchema = z.object({
  _type: z.literal('FieldNamesRequest'),
  connectionDetails,
  query: fieldNamesQuerySchema,
});
export const fieldValuesRequestSchema = z.object({
  _type: z.literal('FieldValuesRequest'),
  connectionDetails,
  query: fieldValuesQuerySchema,
});
export const metricsRequestSchema = z.object({
  _type: z.literal('MetricsRequest'),
  connectionDetails,
  query: metricsQuerySchema,
});

export type ConditionValue = z.infer<typeof conditionValueSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type FieldType = z.output<typeof fieldTypeSchema>;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;
export type FieldNamesRequest = z.infer<typeof fieldNamesRequestSchema>;
export type FieldValuesRequest = z.infer<typeof fieldValuesRequestSchema>;
export type MetricsRequest = z.infer<typeof metricsRequestSchema>;
