import * as z from 'zod';
import { MAX_CACHE_FRESHNESS_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from '../contract/index.js';
import { nearestName } from '../nearest-name.js';

/**
 * The "Connection Details JSON" a StackState user types into the mirror data source.
 * snake_case, compatible with the community AMP mirror, plus `mirror_token` (the
 * caller token of this deployment).
 */
export const awsConnectionSchema = z
  .strictObject(
    {
      role_arn: z.string().min(1).optional(),
      external_id: z.string().min(1).optional(),
      region_name: z.string().min(1).optional(),
      role_session_name: z
        .string()
        .regex(/^[\w+=,.@-]{2,64}$/, 'role_session_name: 2-64 characters of letters, digits and +=,.@_-')
        .optional(),
      token_expiry_seconds: z.number().int().min(MIN_SESSION_SECONDS).max(MAX_SESSION_SECONDS).optional(),
      aws_access_key_id: z.string().min(1).optional(),
      aws_secret_access_key: z.string().min(1).optional(),
      aws_session_token: z.string().min(1).optional(),
    },
    { error: (issue) => unknownKeysMessage(issue, 'aws') },
  )
  .refine((a) => (a.aws_access_key_id === undefined) === (a.aws_secret_access_key === undefined), {
    message: 'aws_access_key_id and aws_secret_access_key go together',
  })
  .refine((a) => a.external_id === undefined || a.role_arn !== undefined, {
    message: 'external_id needs role_arn',
  });

export const connectionDetailsSchema = z.strictObject(
  {
    url: z.string().min(1),
    request_timeout_seconds: z.number().positive().max(900).optional(),
    nan_interpretation: z.enum(['ZERO', 'NONE']).optional(),
    /** AMP: lowers the deployment's max_samples_processed_error_threshold for this data source (never raises it). */
    max_samples_processed_error_threshold: z.number().int().positive().optional(),
    /** Buckets ending less than this long ago are asked again every time; 0 = no cache for this source. */
    cache_freshness_seconds: z.number().int().min(0).max(MAX_CACHE_FRESHNESS_SECONDS).optional(),
    mirror_token: z.string().optional(),
    aws: awsConnectionSchema.optional(),
  },
  { error: (issue) => unknownKeysMessage(issue, 'top') },
);

export type AwsConnectionConfig = z.infer<typeof awsConnectionSchema>;
export type ConnectionDetails = z.infer<typeof connectionDetailsSchema>;

const MAX_NAMED_KEYS = 3;

/**
 * The Connection Details' shape is ours, so an unknown key is a typo, not something to ignore:
 * the message names it (cut to 40 characters; never a value, values may be secrets) with the
 * nearest known key, or says where a key of the other level belongs.
 */
function unknownKeysMessage(issue: { code?: string; keys?: string[] }, level: 'top' | 'aws'): string | undefined {
  if (issue.code !== 'unrecognized_keys' || !Array.isArray(issue.keys)) return undefined;
  const here = Object.keys(level === 'top' ? connectionDetailsSchema.shape : awsConnectionSchema.def.shape);
  const other = Object.keys(level === 'top' ? awsConnectionSchema.def.shape : connectionDetailsSchema.shape);
  const parts = issue.keys.slice(0, MAX_NAMED_KEYS).map((key) => {
    const quoted = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
    if (other.includes(key)) {
      return level === 'top' ? `${quoted} belongs inside the "aws" object` : `${quoted} belongs at the top level, not inside "aws"`;
    }
    const near = nearestName(key, here);
    return near === undefined ? `unknown key ${quoted}` : `unknown key ${quoted} (did you mean ${near}?)`;
  });
  const more = issue.keys.length > MAX_NAMED_KEYS ? ` (and ${issue.keys.length - MAX_NAMED_KEYS} more)` : '';
  return `${parts.join('; ')}${more}. Known keys: ${here.join(', ')}`;
}
