import { parseAllowedRoles, parseAllowedUrls } from '../security/allowlist.js';
import type { AllowedUrl } from '../security/allowlist.js';
import { misconfigured } from '../security/misconfigured.js';
import { parseSourceCidrs, type SourceCidrs } from '../security/source-ip.js';

/** The deployment's settings, from the environment the stack (or `npm start`) sets. */
export interface MirrorConfig {
  tenant: string;
  allowedUrls: AllowedUrl[] | undefined;
  allowedRoles: string[] | undefined;
  allowedSourceCidrs: SourceCidrs | undefined;
  /** Default request_timeout_seconds when the Connection Details give none. */
  defaultTimeoutMs: number;
}

const KEYS = [
  'MIRROR_TENANT',
  'MIRROR_ALLOWED_URLS',
  'MIRROR_ALLOWED_ROLE_ARNS',
  'MIRROR_ALLOWED_SOURCE_CIDRS',
  'AWS_LAMBDA_FUNCTION_NAME',
] as const;

let cached: { key: string; config: MirrorConfig } | undefined;

/**
 * Read and validated once per distinct environment (so once per cold start in Lambda); a
 * malformed allow-list fails here with a message that names the variable. In Lambda the
 * allow-lists are required: a deployed mirror without them would be an open proxy.
 */
export function mirrorConfig(env: NodeJS.ProcessEnv = process.env): MirrorConfig {
  const key = KEYS.map((k) => env[k] ?? '').join('\u0000');
  if (cached?.key === key) return cached.config;
  const config: MirrorConfig = {
    tenant: nonEmpty(env.MIRROR_TENANT) ?? 'local',
    allowedUrls: parseAllowedUrls(nonEmpty(env.MIRROR_ALLOWED_URLS)),
    allowedRoles: parseAllowedRoles(nonEmpty(env.MIRROR_ALLOWED_ROLE_ARNS)),
    allowedSourceCidrs: parseSourceCidrs(nonEmpty(env.MIRROR_ALLOWED_SOURCE_CIDRS)),
    defaultTimeoutMs: 20_000,
  };
  if (nonEmpty(env.AWS_LAMBDA_FUNCTION_NAME) !== undefined) {
    if (config.allowedUrls === undefined) {
      throw misconfigured('MIRROR_ALLOWED_URLS is not set: a deployed mirror must list the workspaces it may reach.');
    }
    if (config.allowedRoles === undefined) {
      throw misconfigured('MIRROR_ALLOWED_ROLE_ARNS is not set: a deployed mirror must list the roles it may assume (or say none).');
    }
  }
  cached = { key, config };
  return config;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
