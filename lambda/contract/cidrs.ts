import { ENV } from './env.js';
import { ok, problem, splitList, type Parsed } from './parsed.js';

/** One caller network. */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 4 | 6;
}

/**
 * Parses the caller networks (`MIRROR_ALLOWED_SOURCE_CIDRS`, comma-separated IPv4/IPv6 CIDRs;
 * a bare address counts as /32 or /128). Pure text rules, so the stack checks exactly what
 * the handler will accept; the handler builds its address matcher from the result.
 *
 * @returns The networks, or `undefined` when `csv` is unset or empty: every source allowed.
 * @example parseCidrList('203.0.113.0/24, 2001:db8::/32')
 */
export function parseCidrList(csv: string | undefined): Parsed<Cidr[] | undefined> {
  const entries = splitList(csv);
  if (entries.length === 0) return ok(undefined);
  const cidrs: Cidr[] = [];
  for (const [index, entry] of entries.entries()) {
    const cidr = parseCidr(entry);
    if (cidr === undefined) {
      return problem(`${ENV.allowedSourceCidrs} entry ${index + 1} is not an IPv4 or IPv6 CIDR (e.g. 203.0.113.0/24).`);
    }
    cidrs.push(cidr);
  }
  return ok(cidrs);
}

function parseCidr(entry: string): Cidr | undefined {
  const [address = '', prefixText, extra] = entry.split('/');
  if (extra !== undefined) return undefined;
  const family = ipFamily(address);
  if (family === undefined) return undefined;
  const maxPrefix = family === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: maxPrefix, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return undefined;
  return { address, prefix: Number(prefixText), family };
}

/** 4 or 6 for an IP address in its usual text forms, else `undefined` (zone ids refused). */
export function ipFamily(address: string): 4 | 6 | undefined {
  if (isIpv4(address)) return 4;
  return isIpv6(address) ? 6 : undefined;
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  const last = all.at(-1) ?? '';
  const endsWithIpv4 = last.includes('.');
  if (endsWithIpv4 && !isIpv4(last)) return false;
  const hex = endsWithIpv4 ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + (endsWithIpv4 ? 2 : 0);
  return halves.length === 2 ? count <= 7 : count === 8;
}
