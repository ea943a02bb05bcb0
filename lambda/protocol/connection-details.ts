import { z } from 'zod';

/**
 * The "Connection Details JSON" a StackState user types into the mirror data source.
 * snake_case, compatible with the community AMP mirror, plus `mirror_token` (the
 * caller token of this deployment).
 */
export const awsConnectionSchema = z
  .object({
    role_arn: z.string().min(1).optional(),
    external_id: z.string().min(1).optional(),
    region_name: z.string().min(1).optional(),
    role_session_name: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/, 'role_session_name: 2-64 characters of letters, digits and +=,.@_-')
      .optional(),
    token_expiry_seconds: z.number().int().min(900).max(3600).optional(),
    aws_access_key_id: z.string().min(1).optional(),
    aws_secret_access_key: z.string().min(1).optional(),
    aws_session_token: z.string().min(1).optional(),
  })
  .loose()
  .refine((a) => (a.aws_access_key_id === undefined) === (a.aws_secret_access_key === undefined), {
    message: 'aws_access_key_id and aws_secret_access_key go together',
  })
  .refine((a) => a.external_id === undefined || a.role_arn !== undefined, {
    message: 'external_id needs role_arn',
  });

export const connectionDetailsSchema = z
  .object({
    url: z.string().min(1),
    request_timeout_seconds: z.number().positive().max(900).optional(),
    nan_interpretation: z.enum(['ZERO', 'NONE']).optional(),
    /** AMP: lowers the deployment's max_samples_processed_error_threshold for this data source (never raises it). */
    max_samples_processed_error_threshold: z.number().int().positive().optional(),
    mirror_token: z.string().optional(),
    aws: awsConnectionSchema.optional(),
  })
  .loose();

export type AwsConnectionConfig = z.infer<typeof awsConnectionSchema>;
export type ConnectionDetails = z.infer<typeof connectionDetailsSchema>;
