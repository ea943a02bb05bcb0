import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  ipFamily,
  parseAllowedUrlList,
  parseAmpWorkspace,
  parseCidrList,
  parseRoleList,
  regionFromAmpHost,
} from '../../../lambda/contract/index.js';
import { parseAmpWorkspaceUrl } from '../../../lib/amp-workspace.js';

describe('AMP host rules, one pattern for the stack and the signer', () => {
  it.each([
    ['aps-workspaces.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['aps-workspaces-fips.us-east-1.amazonaws.com', 'us-east-1'],
    ['aps-workspaces.us-east-1.api.aws', 'us-east-1'],
    ['aps-workspaces-fips.us-gov-west-1.api.aws', 'us-gov-west-1'],
    ['vpce-0a1b-c2d3.aps-workspaces.eu-central-1.vpce.amazonaws.com', 'eu-central-1'],
  ])('lib and the runtime both read the region of %s', (host, region) => {
    // Prepare
    const url = `https://${host}/workspaces/ws-1`;

    // Act / Assess
    expect(regionFromAmpHost(host)).toBe(region);
    expect(parseAmpWorkspaceUrl(url)).toEqual({ region, workspaceId: 'ws-1' });
  });

  it.each([
    ['https://aps-workspaces.eu-west-1.amazonaws.com.evil.example/workspaces/ws-1', /AMP host/],
    ['http://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', /https/],
    ['https://aps-workspaces.eu-west-1.amazonaws.com/other/ws-1', /workspaces/],
    ['not a url', /absolute/],
  ])('refuses %s with a problem, not an exception', (url, problem) => {
    // Prepare / Act
    const parsed = parseAmpWorkspace(url);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toMatch(problem);
  });
});

describe('list parsers answer { ok, problem } and never repeat the bad entry', () => {
  it('names the position of a bad URL entry, not its password', () => {
    // Prepare / Act
    const parsed = parseAllowedUrlList('https://a.example/x, https://user:hunter2@b.example/');

    // Assess
    expect(parsed).toEqual({ ok: false, problem: 'MIRROR_ALLOWED_URLS entry 2 is refused: it contains user info (user@host).' });
    expect(JSON.stringify(parsed)).not.toContain('hunter2');
  });

  it('reads none as no role and an unset list as no restriction', () => {
    // Prepare / Act / Assess
    expect(parseRoleList(' none ')).toEqual({ ok: true, value: [] });
    expect(parseRoleList(undefined)).toEqual({ ok: true, value: undefined });
    expect(parseRoleList('arn:aws:iam::123456789012:role/*').ok).toBe(false);
  });

  it('reads a bare address as a host network', () => {
    // Prepare / Act / Assess
    expect(parseCidrList('198.51.100.7, 2001:db8::/32')).toEqual({
      ok: true,
      value: [
        { address: '198.51.100.7', prefix: 32, family: 4 },
        { address: '2001:db8::', prefix: 32, family: 6 },
      ],
    });
  });

  it.each([
    '1.2.3.4',
    '01.2.3.4',
    '256.1.1.1',
    '1.2.3',
    '::',
    '1::',
    '::1',
    '2001:db8::5',
    '::ffff:203.0.113.9',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6:7:8:9',
    '1:::2',
    ':1',
    'g::1',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7:1.2.3.4',
    'not-an-ip',
    '',
  ])('tells the family of %j as node:net does (the handler matches with it)', (address) => {
    // Prepare / Act / Assess
    expect(ipFamily(address) ?? 0).toBe(isIP(address));
  });
});
