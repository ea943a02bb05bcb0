import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAmpWorkspaceUrl } from '../../lib/amp-workspace.js';
import { EXAMPLE_TENANTS_FILE, loadTenantsConfig, readerRoleFromContext } from '../../lib/mirror-app.js';
import { PROJECT_ROOT } from '../../lib/mirror-function.js';
import { boundsEnvironment, parseTenantsConfig, parseTenantsConfigText, TenantsConfigError } from '../../lib/tenants-config.js';
import { mirrorConfig } from '../../lambda/app/config.js';
import { MIRROR_BOUNDS } from '../../lambda/contract/index.js';
import { parseAllowedRoles, parseAllowedUrls } from '../../lambda/security/allowlist.js';

const WS = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1';
const ROLE = 'arn:aws:iam::111122223333:role/Reader';

function problems(json: unknown): string {
  try {
    parseTenantsConfig(json, 'test.json');
  } catch (error) {
    if (error instanceof TenantsConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseTenantsConfig', () => {
  it('applies the defaults to a minimal tenant', () => {
    // Prepare / Act
    const config = parseTenantsConfig({ tenants: [{ name: 'acme', allowedWorkspaceUrls: [WS] }] }, 'test.json');

    // Assess
    expect(config.tenants[0]).toEqual({
      name: 'acme',
      allowedWorkspaceUrls: [WS],
      cacheFreshnessSeconds: 600,
      allowedRoleArns: [],
      logRetentionDays: 30,
      throttling: { rateLimit: 50, burstLimit: 100 },
      reservedConcurrency: 100,
      memorySize: 512,
      secretTtlSeconds: 300,
      errorRateAlarmPercent: 10,
      dashboard: true,
    });
    expect(config.readerRoles).toEqual([]);
  });

  it.each([
    [
      'a URL that is not a URL',
      { allowedWorkspaceUrls: ['aps-workspaces/ws-1'] },
      'tenants[0].allowedWorkspaceUrls[0]: must be an https URL',
    ],
    [
      'a URL with user info',
      { allowedWorkspaceUrls: ['https://u:p@example.com/x'] },
      'tenants[0].allowedWorkspaceUrls[0]: must be an absolute https URL without user info',
    ],
    ['a URL with a comma', { allowedWorkspaceUrls: [`${WS},https://evil.example`] }, 'must not contain a comma'],
    ['a user ARN', { allowedRoleArns: ['arn:aws:iam::111122223333:user/bob'] }, 'tenants[0].allowedRoleArns[0]: must be an IAM role ARN'],
    ['a role ARN with a short account', { allowedRoleArns: ['arn:aws:iam::1234:role/r'] }, 'allowedRoleArns[0]'],
    ['a retention CloudWatch does not offer', { logRetentionDays: 31 }, 'tenants[0].logRetentionDays: must be a CloudWatch Logs retention'],
    ['an unknown key (a typo)', { allowedWorkspaceUrl: [WS] }, 'allowedWorkspaceUrl'],
    ['a bad region', { region: 'Europe' }, 'tenants[0].region: must be an AWS region'],
    ['a bad SNS topic', { alarmTopicArn: 'topic' }, 'tenants[0].alarmTopicArn: must be an SNS topic ARN'],
  ])('refuses %s, naming where', (_case, override, message) => {
    // Prepare / Act
    const text = problems({ tenants: [{ name: 'acme', allowedWorkspaceUrls: [WS], ...override }] });

    // Assess
    expect(text).toContain('Invalid tenants config test.json');
    expect(text).toContain(message);
  });

  it.each([
    [{ rateLimit: 50, burstLimit: 100 }, 100],
    [{ rateLimit: 4, burstLimit: 10 }, 100],
    [{ rateLimit: 2, burstLimit: 5 }, 50],
    [{ rateLimit: 0.5, burstLimit: 1 }, 13],
  ])('derives the reserved concurrency from throttle %o and the 25 s timeout: %i', (throttling, expected) => {
    // Prepare / Act
    const config = parseTenantsConfig({ tenants: [{ name: 'acme', allowedWorkspaceUrls: [WS], throttling }] }, 'test.json');

    // Assess
    expect(config.tenants[0]!.reservedConcurrency).toBe(expected);
  });

  it.each([
    ['0 (the function would never run)', 0, 'tenants[0].reservedConcurrency: must be at least 1'],
    ['a fraction', 2.5, 'tenants[0].reservedConcurrency'],
    ['more than an account has by default', 1000, 'tenants[0].reservedConcurrency: must be at most 900'],
  ])('refuses a reserved concurrency of %s', (_case, reservedConcurrency, message) => {
    // Prepare / Act / Assess
    expect(problems({ tenants: [{ name: 'acme', allowedWorkspaceUrls: [WS], reservedConcurrency }] })).toContain(message);
  });

  it('refuses tenants of one account and region that reserve more than 900 together, and allows them apart', () => {
    // Prepare
    const tenant = (name: string, region: string) => ({ name, region, allowedWorkspaceUrls: [WS], reservedConcurrency: 500 });

    // Act
    const together = problems({ tenants: [tenant('a', 'eu-west-1'), tenant('b', 'eu-west-1')] });
    const apart = parseTenantsConfig({ tenants: [tenant('a', 'eu-west-1'), tenant('b', 'eu-central-1')] }, 'test.json');

    // Assess
    expect(together).toContain('tenants[1].reservedConcurrency: the tenants in (CLI account) eu-west-1 would reserve 1000 together');
    expect(apart.tenants).toHaveLength(2);
  });

  it('reads the private endpoint option and refuses an empty or malformed one', () => {
    // Prepare
    const privateEndpoint = { vpcEndpointIds: ['vpce-0123456789abcdef0'] };

    // Act
    const config = parseTenantsConfig({ tenants: [{ name: 'acme', allowedWorkspaceUrls: [WS], privateEndpoint }] }, 'test.json');

    // Assess
    expect(config.tenants[0]!.privateEndpoint).toEqual(privateEndpoint);
    expect(
      problems({ tenants: [{ name: 'acme', allowedWorkspaceUrls: [WS], privateEndpoint: { vpcEndpointIds: ['vpce-XYZ'] } }] }),
    ).toContain('tenants[0].privateEndpoint.vpcEndpointIds[0]: must be a VPC endpoint id');
    expect(problems({ tenants: [{ name: 'acme', allowedWorkspaceUrls: [WS], privateEndpoint: {} }] })).toContain(
      'tenants[0].privateEndpoint.vpcEndpointIds',
    );
  });

  it('refuses duplicate tenant and reader role names', () => {
    // Prepare
    const tenant = { name: 'acme', allowedWorkspaceUrls: [WS] };
    const reader = { name: 'r', mirrorRoleArn: ROLE, workspaceUrl: WS };

    // Act
    const text = problems({ tenants: [tenant, tenant], readerRoles: [reader, reader] });

    // Assess
    expect(text).toContain('tenants[1].name: duplicate tenant name "acme"');
    expect(text).toContain('readerRoles[1].name: duplicate reader role name "r"');
  });

  it('refuses a reader role whose workspace is not an AMP workspace', () => {
    // Prepare / Act
    const text = problems({ readerRoles: [{ name: 'r', mirrorRoleArn: ROLE, workspaceUrl: 'https://prom.example.com' }] });

    // Assess
    expect(text).toContain('readerRoles[0].workspaceUrl: must be an AMP workspace URL');
  });

  it('refuses a file with nothing to deploy, and text that is not JSON', () => {
    // Prepare / Act / Assess
    expect(problems({})).toContain('defines no tenant and no reader role');
    expect(() => parseTenantsConfigText('{ tenants: ', 'x.json')).toThrow(/x\.json: not valid JSON/);
  });
});

describe('the example config', () => {
  it('is valid, and every URL and role in it is accepted by the function’s own parsers', () => {
    // Prepare
    const text = readFileSync(join(PROJECT_ROOT, EXAMPLE_TENANTS_FILE), 'utf8');

    // Act
    const config = parseTenantsConfigText(text, EXAMPLE_TENANTS_FILE);

    // Assess
    expect(config.tenants.map((t) => t.name)).toEqual(['acme', 'inhouse']);
    expect(config.readerRoles.map((r) => r.name)).toEqual(['acme']);
    for (const tenant of config.tenants) {
      expect(parseAllowedUrls(tenant.allowedWorkspaceUrls.join(','))).toHaveLength(tenant.allowedWorkspaceUrls.length);
      expect(parseAllowedRoles(tenant.allowedRoleArns.join(',')) ?? []).toEqual(tenant.allowedRoleArns);
    }
  });
});

describe('loadTenantsConfig', () => {
  it('prefers config/tenants.json, and falls back to the example file with a warning when it is missing', () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'tenants-root-'));
    mkdirSync(join(root, 'config'));
    copyFileSync(join(PROJECT_ROOT, EXAMPLE_TENANTS_FILE), join(root, EXAMPLE_TENANTS_FILE));
    const warnings: string[] = [];

    // Act
    const fallback = loadTenantsConfig(undefined, (m) => warnings.push(m), root);
    writeFileSync(join(root, 'config/tenants.json'), JSON.stringify({ tenants: [{ name: 'own', allowedWorkspaceUrls: [WS] }] }));
    const own = loadTenantsConfig(undefined, (m) => warnings.push(m), root);

    // Assess
    expect(fallback.source).toBe(EXAMPLE_TENANTS_FILE);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/config\/tenants\.json not found: using config\/tenants\.example\.json/);
    expect(own.source).toBe('config/tenants.json');
    expect(own.config.tenants.map((t) => t.name)).toEqual(['own']);
  });

  it('reads the file given as context tenantsFile, and fails if it does not exist', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'tenants-'));
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ tenants: [{ name: 'mine', allowedWorkspaceUrls: [WS] }] }));

    // Act
    const loaded = loadTenantsConfig(file, () => {});

    // Assess
    expect(loaded.config.tenants.map((t) => t.name)).toEqual(['mine']);
    expect(() => loadTenantsConfig(join(dir, 'missing.json'), () => {})).toThrow(/Tenants file not found/);
  });
});

describe('readerRoleFromContext', () => {
  it('builds one reader role from -c values, and none without mirrorRoleArn', () => {
    // Prepare
    const context: Record<string, string> = { mirrorRoleArn: ROLE, workspaceUrl: WS, readerName: 'acme' };

    // Act
    const reader = readerRoleFromContext((k) => context[k]);

    // Assess
    expect(reader).toEqual({ name: 'acme', mirrorRoleArn: ROLE, workspaceUrl: WS });
    expect(readerRoleFromContext(() => undefined)).toBeUndefined();
    expect(() => readerRoleFromContext((k) => ({ mirrorRoleArn: ROLE })[k])).toThrow(TenantsConfigError);
  });
});

describe('parseAmpWorkspaceUrl', () => {
  it.each([
    [WS, { region: 'eu-west-1', workspaceId: 'ws-1' }],
    [`${WS}/`, { region: 'eu-west-1', workspaceId: 'ws-1' }],
    [`${WS}/api/v1`, { region: 'eu-west-1', workspaceId: 'ws-1' }],
    ['https://aps-workspaces.cn-north-1.amazonaws.com.cn/workspaces/ws-9', { region: 'cn-north-1', workspaceId: 'ws-9' }],
    ['https://aps-workspaces.eu-west-1.amazonaws.com.evil.example/workspaces/ws-1', undefined],
    ['http://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', undefined],
    ['https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1x*', undefined],
    ['https://prometheus.example.com/workspaces/ws-1', undefined],
  ])('reads %s', (url, expected) => {
    // Prepare / Act / Assess
    expect(parseAmpWorkspaceUrl(url)).toEqual(expected);
  });
});

describe('per-request bounds: what the stack writes is what the function reads', () => {
  it("reads every bound a tenant sets from the function's environment", () => {
    // Prepare
    const set = { maxAnswerBytes: 70_000, maxUpstreamCalls: 7, retentionDays: 30, maxSamplesProcessed: 5_000, maxQuerySamples: 6_000 };

    // Act
    const config = mirrorConfig(boundsEnvironment(set));

    // Assess
    expect(config).toMatchObject({
      maxAnswerBytes: 70_000,
      maxUpstreamCalls: 7,
      retentionMs: 30 * 86_400_000,
      maxSamplesProcessed: 5_000,
      maxQuerySamples: 6_000,
    });
  });

  it("keeps the contract's defaults for the bounds a tenant leaves unset", () => {
    // Act
    const environment = boundsEnvironment({ maxUpstreamCalls: 9 });
    const config = mirrorConfig(environment);

    // Assess
    expect(Object.keys(environment)).toEqual([MIRROR_BOUNDS.maxUpstreamCalls.env]);
    expect(config.maxAnswerBytes).toBe(MIRROR_BOUNDS.maxAnswerBytes.default);
    expect(config.retentionMs).toBe(MIRROR_BOUNDS.retentionDays.default * 86_400_000);
    expect(config.maxQuerySamples).toBe(MIRROR_BOUNDS.maxQuerySamples.default);
  });
});
