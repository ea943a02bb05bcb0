import { BlockList, isIP } from 'node:net';
import { parseCidrList } from '../contract/index.js';
import { CallerUnauthorizedError } from '../errors.js';
import { misconfigured } from './misconfigured.js';

/** The caller networks a deployment accepts, ready for {@link checkSourceIp}. */
export interface SourceCidrs {
  readonly list: BlockList;
  /** The CIDRs as configured, for logs. */
  readonly cidrs: readonly string[];
}

/**
 * Parses the caller networks (`MIRROR_ALLOWED_SOURCE_CIDRS`, comma-separated IPv4/IPv6 CIDRs;
 * a bare address counts as /32 or /128).
 *
 * @returns The networks, or `undefined` when `csv` is unset or empty: every source allowed.
 * @throws RemoteMirrorError (500, "Mirror misconfigured") naming the bad entry's position.
 * @example
 * parseSourceCidrs('203.0.113.0/24, 2001:db8::/32')
 */
export function parseSourceCidrs(csv: string | undefined): SourceCidrs | undefined {
  const parsed = parseCidrList(csv);
  if (!parsed.ok) throw misconfigured(parsed.problem);
  if (parsed.value === undefined) return undefined;
  const list = new BlockList();
  for (const { address, prefix, family } of parsed.value) {
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { list, cidrs: parsed.value.map((c) => `${c.address}/${c.prefix}`) };
}

/**
 * Refuses a caller whose address is outside the allowed networks.
 *
 * Pass the address API Gateway saw on the connection (`event.requestContext.http.sourceIp`),
 * never a header such as `X-Forwarded-For`, which the caller writes itself.
 * IPv4-mapped IPv6 addresses (`::ffff:203.0.113.5`) match IPv4 networks.
 *
 * @param ip - The caller's address.
 * @param allowed - From {@link parseSourceCidrs}; `undefined` allows every source.
 * @throws CallerUnauthorizedError (401, no API key header) when the address is missing,
 *   malformed or outside every network.
 */
export function checkSourceIp(ip: string | undefined, allowed: SourceCidrs | undefined): void {
  if (allowed === undefined) return;
  const family = ip === undefined ? 0 : isIP(ip);
  if (ip !== undefined && family !== 0 && allowed.list.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return;
  throw new CallerUnauthorizedError(
    "This mirror only accepts calls from its configured networks; the caller's address is not among them. " +
      "To allow it, add the network to this tenant's allowedSourceCidrs in the mirror's config and redeploy.",
  );
}
