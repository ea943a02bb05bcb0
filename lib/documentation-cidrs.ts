import { Annotations, type Stack } from 'aws-cdk-lib';

/** The address blocks reserved for documentation (RFC 5737, RFC 3849): no real caller is there. */
const IPV4_DOCUMENTATION = ['192.0.2.', '198.51.100.', '203.0.113.'];
const IPV6_DOCUMENTATION = '2001:db8:';

/** Whether a CIDR lies in a documentation block, so copying it as is refuses every caller. */
export function isDocumentationCidr(cidr: string): boolean {
  const address = cidr.split('/')[0]?.toLowerCase() ?? '';
  return IPV4_DOCUMENTATION.some((prefix) => address.startsWith(prefix)) || address.startsWith(IPV6_DOCUMENTATION);
}

/**
 * A synth warning for each documentation-only CIDR in `allowedSourceCidrs` (the example file
 * has one): deployed as is, the edge refuses every real caller. `cdk deploy --strict` fails on it.
 */
export function warnDocumentationCidrs(stack: Stack, cidrs: readonly string[] | undefined): void {
  for (const cidr of cidrs ?? []) {
    if (!isDocumentationCidr(cidr)) continue;
    Annotations.of(stack).addWarningV2(
      'stackstate-mirror:documentation-cidr',
      `allowedSourceCidrs holds ${cidr}, an address block reserved for documentation: every real caller would be ` +
        "refused at the edge. Replace it with StackState's egress addresses (docs/deploy.md).",
    );
  }
}
