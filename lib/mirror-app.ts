import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MirrorStack } from './mirror-stack.js';
import { PROJECT_ROOT } from './mirror-function.js';
import { ReaderRoleStack } from './reader-role-stack.js';
import {
  boundsOf,
  parseTenantsConfig,
  parseTenantsConfigText,
  type ReaderRoleConfig,
  type TenantsConfig,
  TenantsConfigError,
} from './tenants-config.js';

/** The tenants file read when no `tenantsFile` context is given. */
export const DEFAULT_TENANTS_FILE = 'config/tenants.json';
/** Read, with a warning, when {@link DEFAULT_TENANTS_FILE} does not exist. */
export const EXAMPLE_TENANTS_FILE = 'config/tenants.example.json';

export interface LoadedTenantsConfig {
  readonly config: TenantsConfig;
  /** The file the config came from, relative to the project root when inside it. */
  readonly source: string;
}

/**
 * Reads and validates the tenants file.
 *
 * @param requested - The `tenantsFile` context value; a requested file must exist.
 * @param warn - Where the fallback warning goes.
 * @param root - The directory relative paths start from.
 * @returns The config from `requested`, else `config/tenants.json`, else (with a warning)
 *   `config/tenants.example.json`. Relative paths are resolved against the project root.
 * @throws TenantsConfigError when the file is missing (if requested), not JSON, or invalid.
 */
export function loadTenantsConfig(
  requested: string | undefined,
  warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
  root: string = PROJECT_ROOT,
): LoadedTenantsConfig {
  const resolve = (file: string) => (isAbsolute(file) ? file : join(root, file));
  let file: string;
  if (requested !== undefined && requested !== '') {
    file = resolve(requested);
    if (!existsSync(file)) throw new TenantsConfigError(`Tenants file not found: ${requested} (context tenantsFile)`);
  } else if (existsSync(resolve(DEFAULT_TENANTS_FILE))) {
    file = resolve(DEFAULT_TENANTS_FILE);
  } else {
    warn(
      `[warning] ${DEFAULT_TENANTS_FILE} not found: using ${EXAMPLE_TENANTS_FILE} (sample tenants only). ` +
        `Copy it to ${DEFAULT_TENANTS_FILE} and edit it, or pass -c tenantsFile=<path>.`,
    );
    file = resolve(EXAMPLE_TENANTS_FILE);
  }
  const source = relative(root, file).startsWith('..') ? file : relative(root, file);
  return { config: parseTenantsConfigText(readFileSync(file, 'utf8'), source), source };
}

/**
 * A reader role given on the command line instead of the file, for a customer who only
 * deploys their side: `-c mirrorRoleArn=… -c workspaceUrl=… [-c readerName=…] [-c readerRoleName=…]`.
 *
 * @returns `undefined` when `mirrorRoleArn` is not in the context.
 * @throws TenantsConfigError when the values are invalid.
 */
export function readerRoleFromContext(context: (key: string) => unknown): ReaderRoleConfig | undefined {
  const mirrorRoleArn = context('mirrorRoleArn');
  if (mirrorRoleArn === undefined) return undefined;
  const roleName = context('readerRoleName');
  const config = parseTenantsConfig(
    {
      readerRoles: [
        {
          name: context('readerName') ?? 'customer',
          mirrorRoleArn,
          workspaceUrl: context('workspaceUrl'),
          ...(roleName === undefined ? {} : { roleName }),
        },
      ],
    },
    '(context mirrorRoleArn / workspaceUrl / readerName)',
  );
  return config.readerRoles[0];
}

/** What {@link addMirrorStacks} created. */
export interface MirrorStacks {
  readonly mirrors: MirrorStack[];
  readers: ReaderRoleStack[];
}

/**
 * Adds one `StackStateMirror-<tenant>` stack per tenant and one `StackStateMirrorReader-<name>`
 * per reader role. The stacks share nothing, so deploying one never touches another. The
 * cdk-nag AwsSolutions checks run on every synth: an unacknowledged finding fails it.
 */
export function addMirrorStacks(app: App, config: TenantsConfig): MirrorStacks {
  const env = (account: string | undefined, region: string | undefined): Environment => {
    const resolvedAccount = account ?? process.env.CDK_DEFAULT_ACCOUNT;
    const resolvedRegion = region ?? process.env.CDK_DEFAULT_REGION;
    return {
      ...(resolvedAccount === undefined ? {} : { account: resolvedAccount }),
      ...(resolvedRegion === undefined ? {} : { region: resolvedRegion }),
    };
  };
  const mirrors = config.tenants.map(
    (tenant) =>
      new MirrorStack(app, `StackStateMirror-${tenant.name}`, {
        env: env(tenant.account, tenant.region),
        description: `StackState mirror for Amazon Managed Service for Prometheus, tenant ${tenant.name}`,
        tenant: tenant.name,
        allowedWorkspaceUrls: tenant.allowedWorkspaceUrls,
        allowedRoleArns: tenant.allowedRoleArns,
        ...(tenant.allowedSourceCidrs === undefined ? {} : { allowedSourceCidrs: tenant.allowedSourceCidrs }),
        ...(tenant.privateEndpoint === undefined ? {} : { privateEndpoint: tenant.privateEndpoint }),
        reservedConcurrency: tenant.reservedConcurrency,
        logRetention: tenant.logRetentionDays,
        throttling: tenant.throttling,
        memorySize: tenant.memorySize,
        secretTtlSeconds: tenant.secretTtlSeconds,
        cacheFreshnessSeconds: tenant.cacheFreshnessSeconds,
        errorRateAlarmPercent: tenant.errorRateAlarmPercent,
        dashboard: tenant.dashboard,
        ...(tenant.alarmTopicArn === undefined ? {} : { alarmTopicArn: tenant.alarmTopicArn }),
        bounds: boundsOf(tenant),
      }),
  );
  const readers = config.readerRoles.map(
    (reader) =>
      new ReaderRoleStack(app, `StackStateMirrorReader-${reader.name}`, {
        env: env(reader.account, reader.region),
        description: `Read-only role for the StackState mirror on AMP workspace ${reader.workspaceUrl}`,
        mirrorRoleArn: reader.mirrorRoleArn,
        workspaceUrl: reader.workspaceUrl,
        ...(reader.roleName === undefined ? {} : { roleName: reader.roleName }),
      }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { mirrors, readers };
}
