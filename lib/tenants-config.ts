import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import {
  AWS_REGION,
  DEFAULT_CACHE_FRESHNESS_SECONDS,
  DEFAULT_SECRET_TTL_SECONDS,
  MAX_CACHE_FRESHNESS_SECONDS,
  MAX_SECRET_TTL_SECONDS,
  MIRROR_BOUNDS,
  type MirrorBoundName,
  parseAllowedUrlList,
  parseAmpWorkspace,
  parseCidrList,
  parseRoleList,
  type Parsed,
} from '../lambda/contract/index.js';
import { defaultReservedConcurrency, MAX_RESERVED_CONCURRENCY } from './concurrency.js';

// The URL, role and CIDR checks are the contract's parsers, the same the Lambda runs on its
// environment, so a config that synthesizes is a config the deployed function accepts.

/** Lower-case letters, digits and hyphens; it becomes part of stack, role and log group names. */
const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;
const ACCOUNT = /^\d{12}$/;
const REGION = AWS_REGION;
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;
const SNS_TOPIC_ARN = /^arn:aws(?:-[a-z]+)*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[\w-]{1,256}$/;
const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE),
);

function accepts(parse: (value: string) => Parsed<unknown>): (value: string) => boolean {
  return (value) => {
    const parsed = parse(value);
    return parsed.ok && parsed.value !== undefined;
  };
}

const name = z.string().regex(NAME, 'must be 1-32 lower-case letters, digits and hyphens, starting with a letter');

const workspaceUrl = z
  .string()
  .refine((u) => !u.includes(','), 'must not contain a comma')
  .refine((u) => u.trim().toLowerCase().startsWith('https://'), 'must be an https URL')
  .refine(accepts(parseAllowedUrlList), 'must be an absolute https URL without user info, query, fragment, whitespace or backslash');

const ampWorkspaceUrl = workspaceUrl.refine(
  (u) => parseAmpWorkspace(u).ok,
  'must be an AMP workspace URL: https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace id>',
);

const roleArn = z
  .string()
  .refine(
    (a) => !a.includes(',') && accepts(parseRoleList)(a),
    'must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name> (no wildcards)',
  );

const sourceCidr = z
  .string()
  .refine((c) => !c.includes(',') && accepts(parseCidrList)(c), 'must be an IPv4 or IPv6 CIDR, e.g. 203.0.113.0/24');

/** One tenant: one `StackStateMirror-<name>` stack with its own function, API, secrets and alarms. */
export const tenantSchema = z
  .strictObject({
    /** Stack name `StackStateMirror-<name>`; also the `Tenant` metric dimension. */
    name,
    /** Target account; default: the CLI's (`CDK_DEFAULT_ACCOUNT`). */
    account: z.string().regex(ACCOUNT, 'must be a 12-digit AWS account id').optional(),
    /** Target region; default: the CLI's (`CDK_DEFAULT_REGION`). */
    region: z.string().regex(REGION, 'must be an AWS region such as eu-west-1').optional(),
    /** The metric stores (AMP workspace URLs) this tenant may query. */
    allowedWorkspaceUrls: z.array(workspaceUrl).min(1, 'needs at least one workspace URL'),
    /** The roles the mirror may assume for this tenant (customer reader roles). */
    allowedRoleArns: z.array(roleArn).default([]),
    /**
     * Caller networks (StackState's egress addresses): the API's resource policy refuses every
     * other source before the function runs, and the function checks again. Default: any source
     * with the caller token.
     */
    allowedSourceCidrs: z.array(sourceCidr).min(1, 'leave it out to allow every source').optional(),
    /**
     * Make the API private: reachable only through these interface VPC endpoints (service
     * `execute-api`), e.g. for a StackState running in the same AWS network.
     */
    privateEndpoint: z
      .strictObject({
        vpcEndpointIds: z
          .array(z.string().regex(VPC_ENDPOINT_ID, 'must be a VPC endpoint id such as vpce-0123456789abcdef0'))
          .min(1, 'needs at least one VPC endpoint id'),
      })
      .optional(),
    /** Retention of the function's and the access logs, in days (a CloudWatch Logs value). */
    logRetentionDays: z
      .number()
      .refine((d) => RETENTION_DAYS.has(d), 'must be a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90, 180, 365, …')
      .default(30),
    /** API Gateway stage throttling. */
    throttling: z
      .strictObject({
        rateLimit: z.number().positive().max(10_000),
        burstLimit: z.number().int().positive().max(5_000),
      })
      .default({ rateLimit: 50, burstLimit: 100 }),
    /**
     * Lambda reserved concurrency: the most this tenant's function runs at once, and what no other
     * function of the account can take from it. Default: min(⌈rateLimit × 25 s⌉, 100).
     */
    reservedConcurrency: z
      .number()
      .int()
      .min(1, 'must be at least 1 (0 would stop the function from ever running)')
      .max(
        MAX_RESERVED_CONCURRENCY,
        `must be at most ${MAX_RESERVED_CONCURRENCY}: an account has 1,000 by default and Lambda keeps 100 unreserved`,
      )
      .optional(),
    /** Lambda memory in MB. */
    memorySize: z.number().int().min(128).max(10_240).default(512),
    /** How long the function caches the two secrets, in seconds. */
    secretTtlSeconds: z.number().int().min(0).max(MAX_SECRET_TTL_SECONDS).default(DEFAULT_SECRET_TTL_SECONDS),
    /** Buckets ending less than this many seconds ago are asked again on every poll; 0 turns the cache off. */
    cacheFreshnessSeconds: z.number().int().min(0).max(MAX_CACHE_FRESHNESS_SECONDS).default(DEFAULT_CACHE_FRESHNESS_SECONDS),
    /** The error-rate alarm fires when failed requests exceed this share (percent) for 3 × 5 minutes. */
    errorRateAlarmPercent: z.number().positive().max(100).default(10),
    /** An existing SNS topic the alarms notify; default: alarms without actions. */
    alarmTopicArn: z.string().regex(SNS_TOPIC_ARN, 'must be an SNS topic ARN').optional(),
    /** A CloudWatch dashboard per tenant (the first three dashboards of an account are free). */
    dashboard: z.boolean().default(true),
    /** Bytes of one store answer the mirror reads at most (MIRROR_BOUNDS.maxAnswerBytes). */
    maxAnswerBytes: z
      .number()
      .int()
      .min(65_536)
      .max(1024 ** 3)
      .optional(),
    /** Store calls per request; past it the answer is a partial prefix (MIRROR_BOUNDS.maxUpstreamCalls). */
    maxUpstreamCalls: z.number().int().min(4).max(10_000).optional(),
    /** Oldest data the workspaces can hold, in days: requests are clipped to it (MIRROR_BOUNDS.retentionDays). */
    retentionDays: z.number().int().min(1).max(36_500).optional(),
    /** AMP's max_samples_processed_error_threshold on every query (MIRROR_BOUNDS.maxSamplesProcessed). */
    maxSamplesProcessed: z.number().int().positive().optional(),
    /** Static PromQL cost estimate (samples per series) past which a query is refused (MIRROR_BOUNDS.maxQuerySamples). */
    maxQuerySamples: z.number().int().positive().optional(),
  })
  .transform(({ reservedConcurrency, ...tenant }) => ({
    ...tenant,
    reservedConcurrency: reservedConcurrency ?? defaultReservedConcurrency(tenant.throttling.rateLimit),
  }));

/** The per-request bounds of a tenant, each optional (names and defaults: the contract's MIRROR_BOUNDS). */
export type MirrorBounds = { readonly [K in MirrorBoundName]?: number | undefined };

/** The bounds a tenant sets (unset ones keep the function's defaults). */
export function boundsOf(tenant: MirrorBounds): MirrorBounds {
  return Object.fromEntries(BOUND_NAMES.flatMap((k) => (tenant[k] === undefined ? [] : [[k, tenant[k]]])));
}

/** The function's environment for the bounds a tenant sets. */
export function boundsEnvironment(tenant: MirrorBounds): Record<string, string> {
  return Object.fromEntries(BOUND_NAMES.flatMap((k) => (tenant[k] === undefined ? [] : [[MIRROR_BOUNDS[k].env, String(tenant[k])]])));
}

const BOUND_NAMES = Object.keys(MIRROR_BOUNDS) as MirrorBoundName[];

/** The customer side: a read-only role in the account that owns an AMP workspace. */
export const readerRoleSchema = z.strictObject({
  /** Stack name `StackStateMirrorReader-<name>`. */
  name,
  account: z.string().regex(ACCOUNT, 'must be a 12-digit AWS account id').optional(),
  region: z.string().regex(REGION, 'must be an AWS region such as eu-west-1').optional(),
  /** The mirror's execution role (output `ExecutionRoleArn` of the tenant's mirror stack). */
  mirrorRoleArn: roleArn,
  /** The workspace this role may read. */
  workspaceUrl: ampWorkspaceUrl,
  /** A fixed role name; default: generated by CloudFormation. */
  roleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, 'must be a valid IAM role name (1-64 of letters, digits and +=,.@_-)')
    .optional(),
});

export const tenantsConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    tenants: z.array(tenantSchema).default([]),
    readerRoles: z.array(readerRoleSchema).default([]),
  })
  .superRefine((config, ctx) => {
    if (config.tenants.length === 0 && config.readerRoles.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tenants'], message: 'the file defines no tenant and no reader role' });
    }
    reportDuplicates(
      config.tenants.map((t) => t.name),
      'tenants',
      'tenant',
      ctx,
    );
    reportDuplicates(
      config.readerRoles.map((r) => r.name),
      'readerRoles',
      'reader role',
      ctx,
    );
    reportOverReserved(config.tenants, ctx);
  });

/** One reader role, as configured. */
export type ReaderRoleConfig = z.output<typeof readerRoleSchema>;
/** The whole file, defaults applied. */
export type TenantsConfig = z.output<typeof tenantsConfigSchema>;

/** The config file is unreadable or invalid; the message lists every problem with its path. */
export class TenantsConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TenantsConfigError';
  }
}

/**
 * Validates a parsed tenants file and applies defaults.
 *
 * @param json - The parsed JSON.
 * @param source - Where it came from, for the error message.
 * @throws TenantsConfigError listing each problem as `path: message`, e.g.
 *   `tenants[0].allowedRoleArns[1]: must be an IAM role ARN …`.
 */
export function parseTenantsConfig(json: unknown, source: string): TenantsConfig {
  const result = tenantsConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`);
  return fail(`Invalid tenants config ${source}:\n${problems.join('\n')}`);
}

/**
 * Parses the JSON text of a tenants file, then validates it with {@link parseTenantsConfig}.
 *
 * @throws TenantsConfigError when the text is not JSON or the content is invalid.
 */
export function parseTenantsConfigText(text: string, source: string): TenantsConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`Invalid tenants config ${source}: not valid JSON (${(error as Error).message})`, error);
  }
  return parseTenantsConfig(json, source);
}

function fail(message: string, cause?: unknown): never {
  throw new TenantsConfigError(message, cause === undefined ? undefined : { cause });
}

function reportDuplicates(names: string[], path: string, what: string, ctx: z.RefinementCtx): void {
  names.forEach((n, index) => {
    if (names.indexOf(n) !== index) {
      ctx.addIssue({ code: 'custom', path: [path, index, 'name'], message: `duplicate ${what} name "${n}"` });
    }
  });
}

/** Tenants deployed to the same account and region share its concurrency: their reservations must fit together. */
function reportOverReserved(
  tenants: { account?: string | undefined; region?: string | undefined; reservedConcurrency: number }[],
  ctx: z.RefinementCtx,
): void {
  const reserved = new Map<string, number>();
  tenants.forEach((tenant, index) => {
    const where = `${tenant.account ?? '(CLI account)'} ${tenant.region ?? '(CLI region)'}`;
    const total = (reserved.get(where) ?? 0) + tenant.reservedConcurrency;
    reserved.set(where, total);
    if (total > MAX_RESERVED_CONCURRENCY) {
      ctx.addIssue({
        code: 'custom',
        path: ['tenants', index, 'reservedConcurrency'],
        message: `the tenants in ${where} would reserve ${total} together, more than ${MAX_RESERVED_CONCURRENCY} (1,000 by default, 100 kept unreserved): lower reservedConcurrency`,
      });
    }
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}
