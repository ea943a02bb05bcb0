import { describe, expect, it } from 'vitest';
import { MetricStoreConnectionError, RemoteMirrorError } from '../../../lambda/errors.js';
import { checkRoleAllowed, checkUrlAllowed, parseAllowedRoles, parseAllowedUrls } from '../../../lambda/security/allowlist.js';

const AMP = 'https://aps-workspaces.eu-west-1.amazonaws.com';
const WS1 = `${AMP}/workspaces/ws-1`;

function refusal(act: () => void): MetricStoreConnectionError {
  try {
    act();
  } catch (error) {
    if (error instanceof MetricStoreConnectionError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the call passed');
}

describe('parseAllowedUrls', () => {
  it('returns undefined for an unset or blank list, meaning no restriction', () => {
    // Prepare / Act / Assess
    expect(parseAllowedUrls(undefined)).toBeUndefined();
    expect(parseAllowedUrls('')).toBeUndefined();
    expect(parseAllowedUrls(' , ,')).toBeUndefined();
  });

  it('normalises scheme and host case, the default port, a trailing slash and a trailing /api/v1', () => {
    // Prepare
    const csv = ` HTTPS://APS-Workspaces.eu-west-1.amazonaws.com:443/workspaces/ws-1/ , http://localhost:9090/ ,https://h.example:8443/b/api/v1`;

    // Act
    const parsed = parseAllowedUrls(csv)?.map(({ scheme, host, port, path }) => ({ scheme, host, port, path }));

    // Assess
    expect(parsed).toEqual([
      { scheme: 'https:', host: 'aps-workspaces.eu-west-1.amazonaws.com', port: 443, path: '/workspaces/ws-1' },
      { scheme: 'http:', host: 'localhost', port: 9090, path: '' },
      { scheme: 'https:', host: 'h.example', port: 8443, path: '/b' },
    ]);
  });

  it.each([
    ['not a URL', 'aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1'],
    ['another scheme', 'ftp://example.com/x'],
    ['user info', 'https://user:pw@example.com/x'],
    ['a query', 'https://example.com/x?a=1'],
    ['an empty query', 'https://example.com/x?'],
    ['a fragment', 'https://example.com/x#f'],
    ['a backslash', 'https://example.com\\x'],
    ['a duplicate slash', 'https://example.com//x'],
    ['a dot segment', 'https://example.com/a/../x'],
    ['encoded dots', 'https://h.example:8443/a/%2e%2e/b'],
  ])('refuses an entry with %s as a misconfiguration that names its position', (_case, entry) => {
    // Prepare / Act
    const act = () => parseAllowedUrls(`${WS1},${entry}`);

    // Assess
    expect(act).toThrow(RemoteMirrorError);
    expect(act).toThrow(/MIRROR_ALLOWED_URLS entry 2/);
  });

  it('does not repeat a password of a bad entry in its message', () => {
    // Prepare / Act
    const act = () => parseAllowedUrls('https://user:hunter2@example.com/x');

    // Assess
    expect(act).toThrow(/user info/);
    expect(act).not.toThrow(/hunter2/);
  });
});

describe('checkUrlAllowed', () => {
  const allowed = parseAllowedUrls(`${WS1},http://localhost:9090/prom`);

  it.each([
    ['the entry itself', WS1],
    ['the entry with a trailing slash', `${WS1}/`],
    ['the entry followed by /api/v1', `${WS1}/api/v1`],
    ['the entry followed by /api/v1/', `${WS1}/api/v1/`],
    ['an explicit default port', 'https://aps-workspaces.eu-west-1.amazonaws.com:443/workspaces/ws-1'],
    ['an upper-case host and scheme', 'HTTPS://APS-WORKSPACES.EU-WEST-1.AMAZONAWS.COM/workspaces/ws-1'],
    ['a plain Prometheus entry', 'http://localhost:9090/prom/api/v1'],
  ])('allows %s', (_case, url) => {
    // Prepare / Act / Assess
    expect(() => checkUrlAllowed(url, allowed)).not.toThrow();
  });

  it.each([
    ['a prefix match inside a segment', `${AMP}/workspaces/ws-12`],
    ['another workspace', `${AMP}/workspaces/ws-2`],
    ['a parent path', `${AMP}/workspaces`],
    ['a sub-path below the entry', `${WS1}/x`],
    ['a sub-path below /api/v1', `${WS1}/api/v1/query`],
    ['an unlisted host', 'http://host.evil/workspaces/ws-1'],
    ['a host suffix trick', 'https://aps-workspaces.eu-west-1.amazonaws.com.evil.example/workspaces/ws-1'],
    ['another scheme', 'http://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1'],
    ['a different port', 'https://aps-workspaces.eu-west-1.amazonaws.com:8443/workspaces/ws-1'],
  ])('refuses %s as not allowed, before any network call', (_case, url) => {
    // Prepare / Act
    const error = refusal(() => checkUrlAllowed(url, allowed));

    // Assess
    expect(error.failure).toBe('refused');
    expect(error.status).toBe(403);
    expect(error.details).toMatch(/not among this mirror's allowed workspaces/);
    expect(error.details).toMatch(/allowedWorkspaceUrls/);
  });

  it.each([
    ['a double slash that names another host', 'http://localhost:9090//127.0.0.1:19191/x', /empty segment/],
    ['duplicate slashes', `${AMP}//workspaces//ws-1`, /empty segment/],
    ['dot segments that stay inside', `${WS1}/x/../api`, /dot segment/],
    ['dot segments that leave the entry', `${WS1}/../ws-2`, /dot segment/],
    ['a single dot segment', `${WS1}/./api/v1`, /dot segment/],
    ['a matrix parameter', `${WS1}/..;/x`, /";" parameter/],
    ['encoded dots', `${WS1}/%2e%2e/ws-2`, /percent-encoded/],
    ['mixed-case encoded dots that stay inside', `${WS1}/%2E%2e/ws-1`, /percent-encoded/],
    ['double-encoded dots', `${WS1}/%252e%252e/x`, /percent-encoded/],
    ['an encoded slash', `${WS1}/..%2fws-2`, /percent-encoded/],
    ['an encoded backslash', `${WS1}/..%5cws-2`, /percent-encoded/],
    ['a backslash', `${AMP}\\workspaces\\ws-1`, /backslash/],
    ['user info pointing elsewhere', `${AMP}/workspaces/ws-1@evil.example/`, /user info/],
    ['a host prefix trick', 'https://aps-workspaces.eu-west-1.amazonaws.com@evil.example/workspaces/ws-1', /user info/],
    ['a query', `${WS1}?x=1`, /query/],
    ['a fragment', `${WS1}#x`, /fragment/],
    ['a tab the parser would drop', `${AMP}/work\tspaces/ws-1`, /whitespace/],
    ['a full-width dot', `${WS1}/\uff0e\uff0e/x`, /non-ASCII/],
    ['a decimal IPv4 host', 'http://2130706433:9090/prom', /normal form/],
    ['a short IPv4 host', 'http://127.1:9090/prom', /normal form/],
    ['a hexadecimal IPv4 host', 'http://0x7f.0.0.1:9090/prom', /normal form/],
    ['an IPv4-mapped IPv6 host', 'http://[::ffff:127.0.0.1]:9090/prom', /normal form/],
    ['a trailing dot on the host', 'http://localhost.:9090/prom', /host/],
    ['a port with a leading zero', 'http://localhost:09090/prom', /port/],
    ['a relative URL', '/workspaces/ws-1', /absolute/],
    ['a scheme-relative URL', '//localhost:9090/prom', /absolute/],
    ['a file URL', 'file:///etc/passwd', /absolute/],
    ['an empty string', '', /absolute/],
    ['a colon in the path', `${WS1}/a:b`, /character/],
    ['an over-long URL', `${WS1}/${'a'.repeat(3000)}`, /longer than 2048/],
  ])('refuses %s as not in normal form, naming connectionDetails.url', (_case, url, why) => {
    // Prepare / Act
    const error = refusal(() => checkUrlAllowed(url, allowed));

    // Assess
    expect(error.failure).toBe('refused');
    expect(error.status).toBe(403);
    expect(error.details).toMatch(/connectionDetails\.url is refused/);
    expect(error.details).toMatch(why);
  });

  it('refuses URLs not in normal form even when no list is configured', () => {
    // Prepare / Act / Assess
    expect(() => checkUrlAllowed('http://localhost:9090//127.0.0.1:19191/x', undefined)).toThrow(MetricStoreConnectionError);
  });

  it('says which URL was refused but never its user info', () => {
    // Prepare
    const url = `https://admin:s3cret-pass@aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1`;

    // Act
    const error = refusal(() => checkUrlAllowed(url, allowed));

    // Assess
    expect(error.details).toMatch(/user info/);
    expect(error.details).not.toMatch(/s3cret-pass|admin/);
  });

  it('quotes the normalised URL of a refused workspace so the user can compare it with the list', () => {
    // Prepare / Act
    const error = refusal(() => checkUrlAllowed(`${AMP}/workspaces/ws-12/`, allowed));

    // Assess
    expect(error.details).toContain('https://aps-workspaces.eu-west-1.amazonaws.com:443/workspaces/ws-12');
  });

  it('allows every URL in normal form when no list is configured', () => {
    // Prepare / Act / Assess
    expect(() => checkUrlAllowed('http://anything.example/x', undefined)).not.toThrow();
  });

  it('allows only the root and /api/v1 when the entry is the root', () => {
    // Prepare
    const rootOnly = parseAllowedUrls('https://prom.example/');

    // Act / Assess
    expect(() => checkUrlAllowed('https://prom.example/api/v1', rootOnly)).not.toThrow();
    expect(() => checkUrlAllowed('https://prom.example', rootOnly)).not.toThrow();
    expect(() => checkUrlAllowed('https://prom.example/api', rootOnly)).toThrow(MetricStoreConnectionError);
    expect(() => checkUrlAllowed('https://prom.example.evil/api/v1', rootOnly)).toThrow(MetricStoreConnectionError);
  });
});

describe('role allowlist', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/StackStateMirrorReader';

  it('parses a comma-separated list and treats an empty one as no restriction', () => {
    // Prepare / Act / Assess
    expect(parseAllowedRoles(` ${ROLE} , arn:aws-cn:iam::111122223333:role/path/r2`)).toEqual([
      ROLE,
      'arn:aws-cn:iam::111122223333:role/path/r2',
    ]);
    expect(parseAllowedRoles(undefined)).toBeUndefined();
    expect(parseAllowedRoles('')).toBeUndefined();
  });

  it.each([
    ['a user ARN', 'arn:aws:iam::111122223333:user/bob'],
    ['a short account id', 'arn:aws:iam::1111:role/r'],
    ['a wildcard', 'arn:aws:iam::111122223333:role/*'],
  ])('refuses %s in the configured list', (_case, entry) => {
    // Prepare / Act / Assess
    expect(() => parseAllowedRoles(`${ROLE},${entry}`)).toThrow(/MIRROR_ALLOWED_ROLE_ARNS entry 2/);
  });

  it('allows an exact match and the mirror’s own role (no role_arn)', () => {
    // Prepare
    const allowed = parseAllowedRoles(ROLE);

    // Act / Assess
    expect(() => checkRoleAllowed(ROLE, allowed)).not.toThrow();
    expect(() => checkRoleAllowed(undefined, allowed)).not.toThrow();
  });

  it.each([
    ['another role', 'arn:aws:iam::111122223333:role/Admin'],
    ['another account', 'arn:aws:iam::999999999999:role/StackStateMirrorReader'],
    ['a longer name', `${ROLE}2`],
    ['a different case', ROLE.toLowerCase()],
    ['surrounding spaces', ` ${ROLE} `],
    ['an empty string', ''],
  ])('refuses %s before calling STS', (_case, roleArn) => {
    // Prepare
    const allowed = parseAllowedRoles(ROLE);

    // Act
    const error = refusal(() => checkRoleAllowed(roleArn, allowed));

    // Assess
    expect(error.failure).toBe('refused');
    expect(error.details).toMatch(/not among this mirror's allowed roles/);
    expect(error.details).toMatch(/allowedRoleArns/);
  });

  it('reads "none" as an empty list: every role_arn refused, the mirror’s own role allowed', () => {
    // Prepare
    const allowed = parseAllowedRoles(' none ');

    // Act / Assess
    expect(allowed).toEqual([]);
    expect(() => checkRoleAllowed(ROLE, allowed)).toThrow(MetricStoreConnectionError);
    expect(() => checkRoleAllowed(undefined, allowed)).not.toThrow();
  });

  it('allows every role when no list is configured', () => {
    // Prepare / Act / Assess
    expect(() => checkRoleAllowed('arn:aws:iam::111122223333:role/Any', undefined)).not.toThrow();
  });
});
