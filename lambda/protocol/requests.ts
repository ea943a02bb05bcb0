import * as z from 'zod';
import { connectionDetailsSchema } from './connection-details.js';

/**
 * Schemas of the four Mirror API requests. Unknown extra fields are ignored (StackState
 * adds some); anything we would otherwise have to guess — an unknown `_type`, a negative
 * limit, a bucket of 0 ms, start after end, a missing query — is refused.
 */

const epochMillis = z.number().int().min(0);
const count = z.number().int().min(0);

const primitive = z.union([z.string(), z.number(), z.boolean()]);

export const conditionValueSchema = z.discriminatedUnion('_type', [
  z.object({ _type: z.literal('StringValue'), value: z.string() }),
  z.object({ _type: z.literal('DoubleValue'), value: z.number() }),
  z.object({ _type: z.literal('BooleanValue'), value: z.boolean() }),
  z.object({
    _type: z.literal('InSetValue'),
    // members arrive as plain JSON values or as typed values ({"_type":"StringValue","value":…})
    value: z
      .array(z.union([primitive, z.object({ _type: z.string(), value: primitive }).transform((v) => v.value)]))
      .min(1, 'an InSetValue needs at least one member'),
  }),
]);

export const conditionSchema = z.object({
  _type: z.literal('EqualityCondition').optional(),
  key: z.string().min(1),
  value: conditionValueSchema,
});

export const fieldTypeSchema = z
  .enum(['STRING', 'NUMBER', 'BOOLEAN', 'DOUBLE'])
  .transform((t) => (t === 'DOUBLE' ? ('NUMBER' as const) : t));

export const fieldDescriptorSchema = z.object({
  _type: z.literal('FieldDescriptor').optional(),
  fieldName: z.string().min(1),
  fieldType: fieldTypeSchema.optional(),
  classified: z.boolean().optional(),
});

export const aggregationMethods = [
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

export const aggregationSchema = z.object({
  _type: z.literal('Aggregation').optional(),
  method: z.enum(aggregationMethods),
  bucketSizeMillis: z.number().int().positive('bucketSizeMillis must be greater than 0'),
});

const conditions = z.array(conditionSchema).default([]);

function startBeforeEnd(q: { startTime?: number | undefined; endTime?: number | undefined }): boolean {
  return q.startTime === undefined || q.endTime === undefined || q.endTime === 0 || q.startTime <= q.endTime;
}
const startBeforeEndMessage = { message: 'startTime must not be after endTime', path: ['startTime'] };

export const fieldNamesQuerySchema = z
  .object({
    _type: z.literal('FieldNamesQuery'),
    conditions,
    startTime: epochMillis.optional(),
    endTime: epochMillis.optional(),
    limit: count.optional(),
  })
  .refine(startBeforeEnd, startBeforeEndMessage);

export const fieldValuesQuerySchema = z
  .object({
    _type: z.literal('FieldValuesQuery'),
    field: fieldDescriptorSchema,
    conditions,
    startTime: epochMillis.optional(),
    endTime: epochMillis.optional(),
    limit: count.optional(),
    offset: count.optional(),
    fieldValuePrefix: z.string().optional(),
  })
  .refine(startBeforeEnd, startBeforeEndMessage);

export const metricsQuerySchema = z
  .object({
    _type: z.literal('MetricsQuery'),
    conditions,
    startTime: epochMillis,
    endTime: epochMillis,
    limit: count.optional(),
    metricField: z.string().optional(),
    latestFirst: z.boolean().optional(),
    aggregation: aggregationSchema.optional(),
  })
  .refine((q) => q.startTime <= q.endTime, startBeforeEndMessage);

/** StackState may send the Connection Details as an object or as the JSON text the user typed. */
const connectionDetails = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}, connectionDetailsSchema);

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
export type AggregationMethod = (typeof aggregationMethods)[number];
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;
export type FieldNamesRequest = z.infer<typeof fieldNamesRequestSchema>;
export type FieldValuesRequest = z.infer<typeof fieldValuesRequestSchema>;
export type MetricsRequest = z.infer<typeof metricsRequestSchema>;
