import * as z from 'zod/mini';
import { MAX_CACHE_FRESHNESS_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from '../contract/index.js';
import { nearestName } from '../nearest-name.js';
import './zod-english.js';

/**
 * The "Connection Details JSON" a StackState user types into the mirror data source.
 * snake_case, compatible with the community AMP mirror, plus `mirror_token` (the
 * caller token of this deployment).
 */
export const awsConnectionSchema = z
  .strictObject(
    {
      role_arn: z.optional(z.string().check(z.minLength(1))),
      external_id: z.optional(z.string().check(z.minLength(1))),
      region_name: z.optional(z.string().check(z.minLength(1))),
      role_session_name: z.optional(
        z.string().check(z.regex(/^[\w+=,.@-]{2,64}$/, 'role_session_name: 2-64 characters of letters, digits and +=,.@_-')),
      ),
      token_expiry_seconds: z.optional(z.number().check(z.int(), z.gte(MIN_SESSION_SECONDS), z.lte(MAX_SESSION_SECONDS))),
      aws_access_key_id: z.optional(z.string().check(z.minLength(1))),
      aws_secret_access_key: z.optional(z.string().check(z.minLength(1))),
      aws_session_token: z.optional(z.string().check(z.minLength(1))),
    },
    { error: (issue) => unknownKeysMessage(issue, 'aws') },
  )
  .check(
    z.refine((a) => (a.aws_access_key_id === undefined) === (a.aws_secret_access_key === undefined), {
      message: 'aws_access_key_id and aws_secret_access_key go together',
    }),
    z.refine((a) => a.external_id === undefined || a.role_arn !== undefined, {
      message: 'external_id needs role_arn',
    }),
  );

export const connectionDetailsSchema = z.strictObject(
  {
    url: z.string().check(z.minLength(1)),
    request_timeout_seconds: z.optional(z.number().check(z.gt(0), z.lte(900))),
    nan_interpretation: z.optional(z.enum(['ZERO', 'NONE'])),
    /** AMP: lowers the deployment's max_samples_processed_error_threshold for this data source (never raises it). */
    max_samples_processed_error_threshold: z.optional(z.number().check(z.int(), z.gt(0))),
    /** Buckets ending less than this long ago are asked again every time; 0 = no cache for this source. */
    cache_freshness_seconds: z.optional(z.number().check(z.int(), z.gte(0), z.lte(MAX_CACHE_FRESHNESS_SECONDS))),
    mirror_token: z.optional(z.string()),
    aws: z.optional(awsConnectionSchema),
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
