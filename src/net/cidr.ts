// IPv4 CIDR helpers on top of ipaddr.js. Pure: no I/O.
//
// ipaddr.js does the address parsing, the network address and the prefix matching (`IPv4.match`).
// What it lacks, and is therefore done here with a regular expression, is strictness: ipaddr.js
// accepts short and non-decimal forms ("10.1/16", "0x0a.0.0.0/8") and prefixes with leading zeros
// ("10.0.0.0/016"). The shape check is also much cheaper than ipaddr's own validators.
import ipaddr from 'ipaddr.js';

export interface Cidr {
  /** the network address as written (dotted quad) */
  address: string;
  prefix: number;
  /** canonical text `a.b.c.d/n` */
  text: string;
}

export type CidrParseResult = { ok: true; cidr: Cidr } | { ok: false; reason: string };

export interface CidrRules {
  /** smallest allowed prefix length (largest block), default 0 */
  minPrefix?: number;
  /** largest allowed prefix length (smallest block), default 32 */
  maxPrefix?: number;
  /** reject host bits (10.1.2.3/16), default true */
  requireNetworkAddress?: boolean;
}

/** four decimal octets without leading zeros, a decimal prefix without leading zeros (ranges checked by ipaddr.js) */
const CIDR_SHAPE = /^(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}\/(?:0|[1-9][0-9]?)$/;

/** [network address, prefix] of a strictly shaped IPv4 CIDR, or undefined. */
function parseRange(text: string): { address: ipaddr.IPv4; network: ipaddr.IPv4; prefix: number } | undefined {
  if (!CIDR_SHAPE.test(text) || !ipaddr.IPv4.isValidCIDR(text)) return undefined;
  const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
  return { address, network: ipaddr.IPv4.networkAddressFromCIDR(text), prefix };
}

/** The three RFC 1918 private blocks. */
export const RFC1918_BLOCKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;

function show(text: string): string {
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}

/**
 * Parses an IPv4 CIDR strictly: four decimal octets without leading zeros, a prefix without leading
 * zeros, and (by default) no host bits. `reason` is a human sentence fragment such as
 * "must be a CIDR like 10.0.0.0/16, got '10.0.0.300/16'".
 */
export function parseCidr(text: string, rules: CidrRules = {}): CidrParseResult {
  const { minPrefix = 0, maxPrefix = 32, requireNetworkAddress = true } = rules;
  const range = typeof text === 'string' ? parseRange(text) : undefined;
  if (!range) return { ok: false, reason: `must be a CIDR like 10.0.0.0/16, got ${show(String(text))}` };
  const { address, prefix } = range;
  if (prefix < minPrefix || prefix > maxPrefix) {
    return {
      ok: false,
      reason: `prefix /${prefix} is out of range: use /${minPrefix} to /${maxPrefix}, got ${show(text)}`,
    };
  }
  const network = range.network.toString();
  if (requireNetworkAddress && network !== address.toString()) {
    return {
      ok: false,
      reason: `has host bits set: ${show(text)} is not a network address (did you mean '${network}/${prefix}'?)`,
    };
  }
  return { ok: true, cidr: { address: address.toString(), prefix, text: `${address.toString()}/${prefix}` } };
}

/** True when `text` is a valid IPv4 CIDR (host bits allowed unless the rules say otherwise). */
export function isCidr(text: string, rules: CidrRules = { requireNetworkAddress: false }): boolean {
  return parseCidr(text, rules).ok;
}

/** True when `text` is a strict dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

function range(cidr: string): [ipaddr.IPv4, number] {
  const parsed = parseRange(cidr);
  if (!parsed) throw new Error(`not an IPv4 CIDR: ${show(cidr)}`);
  return [parsed.network, parsed.prefix];
}

/** True when `inner` (a CIDR or a single IPv4 address) lies entirely inside the CIDR `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [outerNet, outerPrefix] = range(outer);
  if (isIpv4(inner)) return ipaddr.IPv4.parse(inner).match(outerNet, outerPrefix);
  const [innerNet, innerPrefix] = range(inner);
  return innerPrefix >= outerPrefix && innerNet.match(outerNet, outerPrefix);
}

/** True when the two CIDRs share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** True when the whole CIDR lies inside one RFC 1918 private block. */
export function isRfc1918(cidr: string): boolean {
  return RFC1918_BLOCKS.some((block) => cidrContains(block, cidr));
}
