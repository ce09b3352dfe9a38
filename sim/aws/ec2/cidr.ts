// IPv4 address and CIDR helpers (no IPv6: the simulated VPN is IPv4 only).

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i] as string;
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const o = Number(part);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr {
  network: number;
  prefix: number;
}

/** a canonical IPv4 CIDR (no host bits set), else undefined */
export function parseCidr(s: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const ip = parseIpv4(m[1] as string);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) return undefined;
  return { network: ip, prefix };
}

export function cidrContains(outer: Cidr, ip: number): boolean {
  const size = 2 ** (32 - outer.prefix);
  return ip >= outer.network && ip < outer.network + size;
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
  return ip !== undefined && !NON_PUBLIC.some((c) => cidrContains(c, ip));
}
