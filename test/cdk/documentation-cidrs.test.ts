import { describe, expect, it } from 'vitest';
import { isDocumentationCidr } from '../../lib/documentation-cidrs.js';

describe('documentation-only CIDRs', () => {
  it('recognises the three IPv4 test networks and the IPv6 documentation prefix', () => {
    // Prepare / Act / Assess
    for (const cidr of ['192.0.2.0/24', '198.51.100.7/32', '203.0.113.0/24', '2001:DB8::/32']) {
      expect(isDocumentationCidr(cidr)).toBe(true);
    }
  });

  it('leaves real networks alone, including near misses', () => {
    // Prepare / Act / Assess
    for (const cidr of ['10.20.0.0/16', '192.0.20.0/24', '203.0.11.0/24', '2001:db80::/32', '52.1.2.3/32']) {
      expect(isDocumentationCidr(cidr)).toBe(false);
    }
  });
});
