import { describe, expect, it } from 'vitest';
import { CallerUnauthorizedError, RemoteMirrorError } from '../../../lambda/errors.js';
import { checkSourceIp, parseSourceCidrs } from '../../../lambda/security/source-ip.js';

describe('parseSourceCidrs', () => {
  it('returns undefined for an unset or blank list, meaning every source is allowed', () => {
    // Prepare / Act / Assess
    expect(parseSourceCidrs(undefined)).toBeUndefined();
    expect(parseSourceCidrs(' , ')).toBeUndefined();
  });

  it.each([['10.0.0.0/33'], ['10.0.0/8'], ['not-an-ip'], ['10.0.0.0/8/1'], ['2001:db8::/129'], ['10.0.0.0/-1'], ['10.0.0.0/']])(
    'refuses %s as a misconfiguration that names the variable',
    (entry) => {
      // Prepare / Act
      const act = () => parseSourceCidrs(`203.0.113.0/24,${entry}`);

      // Assess
      expect(act).toThrow(RemoteMirrorError);
      expect(act).toThrow(/MIRROR_ALLOWED_SOURCE_CIDRS entry 2/);
    },
  );
});

describe('checkSourceIp', () => {
  const allowed = parseSourceCidrs('203.0.113.0/24, 198.51.100.7, 2001:db8::/32');

  it.each([['203.0.113.1'], ['203.0.113.255'], ['198.51.100.7'], ['2001:db8:1::5'], ['::ffff:203.0.113.9']])('allows %s', (ip) => {
    // Prepare / Act / Assess
    expect(() => checkSourceIp(ip, allowed)).not.toThrow();
  });

  it.each([['203.0.114.1'], ['198.51.100.8'], ['2001:db9::1'], ['not-an-ip'], [''], [undefined]])('refuses %s with a 401', (ip) => {
    // Prepare / Act / Assess
    expect(() => checkSourceIp(ip, allowed)).toThrow(CallerUnauthorizedError);
  });

  it('allows every source when no networks are configured', () => {
    // Prepare / Act / Assess
    expect(() => checkSourceIp('192.0.2.1', undefined)).not.toThrow();
  });
});
