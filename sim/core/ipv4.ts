// IPv4 address and CIDR helpers shared by the simulated services. Hand-written on purpose: the simulated
// APIs must reject what the real ones reject (strict dotted quads, no leading zeros, no host bits), which
// general-purpose parsers accept (ipaddr.js takes '10.1/16' and hex forms); the VPN is IPv4 only.

export interface Cidr {
  /** network address as an unsigned 32-bit number */
  base: number;
  prefix: number;
  text: string;
}

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i] as string;
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `a.b.c.d/n` whose host bits are zero (the APIs reject unaligned blocks; unconfirmed but the safe reading) */
export function parseCidr(s: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const ip = parseIpv4(m[1] as string);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  if ((ip & mask(prefix)) >>> 0 !== ip) return undefined;
  return { base: ip, prefix, text: s };
}

/** true when `inner` lies inside (or equals) `outer` */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && (inner.base & mask(outer.prefix)) >>> 0 === outer.base;
}

export function ipInCidr(ip: number, c: Cidr): boolean {
  return (ip & mask(c.prefix)) >>> 0 === c.base;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const NON_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map((c) => parseCidr(c) as Cidr);

/** a routable public IPv4 address (not private, shared, loopback, link-local, documentation, multicast, reserved) */
export function isPublicIpv4(s: string): boolean {
  const ip = parseIpv4(s);
  return ip !== undefined && !NON_PUBLIC.some((c) => ipInCidr(ip, c));
}
