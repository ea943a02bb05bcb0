import { regionForWorkspace } from '../aws/region.js';
import { resolveCredentials } from '../aws/credentials.js';
import { connectionDetailsSchema } from '../protocol/connection-details.js';
import { mirrorConfig } from './config.js';
import { allowedStore } from './store.js';

/**
 * Starts resolving a request's role credentials (AssumeRole, on a cold container) while the
 * mirror's own secrets load, so that the two round trips overlap instead of following each
 * other. Only where the deployment lists the workspaces and roles it allows, and only for
 * those: a caller not yet proven can make the mirror assume no role it would not assume
 * anyway. Nothing is reported here: the request proper resolves the same credentials (the
 * credential cache hands it this in-flight load) and reports any error itself. The body is
 * read (`readBody`) only where the deployment allows a prefetch at all.
 */
export function prefetchCredentials(readBody: () => unknown): void {
  try {
    const config = mirrorConfig();
    if (config.allowedRoles === undefined || config.allowedUrls === undefined) return;
    const body = readBody();
    const parsed = connectionDetailsSchema.safeParse((body as { connectionDetails?: unknown } | null)?.connectionDetails);
    if (!parsed.success) return;
    const aws = parsed.data.aws;
    if (aws?.role_arn === undefined) return;
    const target = allowedStore(parsed.data, config);
    resolveCredentials(aws, regionForWorkspace(new URL(target.base), aws)).catch(() => undefined);
  } catch {
    // not allowed or not readable: the request itself answers with the error
  }
}
