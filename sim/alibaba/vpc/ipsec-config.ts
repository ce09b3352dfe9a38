import { generatePsk } from '../../core/ids';
import { type Cidr, cidrContains, ipInCidr, parseCidr, parseIpv4 } from '../../core/ipv4';
import type { AliHealthCheckConfig, AliIkeConfig, AliIpsecConfig, AliTunnelBgpConfig } from '../../types';
import { illegal, missing } from './errors';
import type { Params } from './params';

// IKE / IPsec settings of an IPsec connection: enums, ranges and defaults (docs/sources.md#alibaba-cloud-alibaba).
// The same code reads single-tunnel JSON strings (IkeConfig, IpsecConfig) and dual-tunnel
// TunnelIkeConfig/TunnelIpsecConfig, merging over a base (defaults on create, current values on modify).

export const ENC_ALGS = ['aes', 'aes192', 'aes256', 'des', '3des'] as const;
export const AUTH_ALGS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
export const IKE_PFS = ['group1', 'group2', 'group5', 'group14', 'group24'] as const;
export const IPSEC_PFS = ['disabled', ...IKE_PFS] as const;
export const IKE_VERSIONS = ['ikev1', 'ikev2'] as const;
export const IKE_MODES = ['main', 'aggressive'] as const;
const MAX_LIFETIME = 86400;
/** 5 local and 5 remote CIDRs per connection (2021 limit) */
const MAX_SUBNETS = 5;

/** defaults: ikev1, main, aes, md5, group2, 86400 s; a missing PSK is a random 16-character key */
export function defaultIke(localId: string, remoteId: string): AliIkeConfig {
  return {
    Psk: generatePsk(16),
    IkeVersion: 'ikev1',
    IkeMode: 'main',
    IkeEncAlg: 'aes',
    IkeAuthAlg: 'md5',
    IkePfs: 'group2',
    IkeLifetime: MAX_LIFETIME,
    LocalId: localId,
    RemoteId: remoteId,
  };
}

export function defaultIpsec(): AliIpsecConfig {
  return { IpsecEncAlg: 'aes', IpsecAuthAlg: 'md5', IpsecPfs: 'group2', IpsecLifetime: MAX_LIFETIME };
}

function psk(p: Params): string | undefined {
  const v = p.raw.Psk;
  if (v === undefined) return undefined;
  // never echo the key in an error
  if (!/^[\x21-\x7e]{1,100}$/.test(v)) throw illegal(p.name('Psk'), '***', '1-100 printable characters, no spaces');
  return v;
}

function identity(p: Params, key: string): string | undefined {
  const v = p.str(key);
  if (v !== undefined && (v.length > 100 || /\s/.test(v)))
    throw illegal(p.name(key), v, 'at most 100 characters, no spaces');
  return v;
}

export function mergeIke(p: Params, base: AliIkeConfig): AliIkeConfig {
  return {
    Psk: psk(p) ?? base.Psk,
    IkeVersion: p.oneOf('IkeVersion', IKE_VERSIONS) ?? base.IkeVersion,
    IkeMode: p.oneOf('IkeMode', IKE_MODES) ?? base.IkeMode,
    IkeEncAlg: p.oneOf('IkeEncAlg', ENC_ALGS) ?? base.IkeEncAlg,
    IkeAuthAlg: p.oneOf('IkeAuthAlg', AUTH_ALGS) ?? base.IkeAuthAlg,
    IkePfs: p.oneOf('IkePfs', IKE_PFS) ?? base.IkePfs,
    IkeLifetime: p.int('IkeLifetime', 0, MAX_LIFETIME) ?? base.IkeLifetime,
    LocalId: identity(p, 'LocalId') ?? base.LocalId,
    RemoteId: identity(p, 'RemoteId') ?? base.RemoteId,
  };
}

export function mergeIpsec(p: Params, base: AliIpsecConfig): AliIpsecConfig {
  return {
    IpsecEncAlg: p.oneOf('IpsecEncAlg', ENC_ALGS) ?? base.IpsecEncAlg,
    IpsecAuthAlg: p.oneOf('IpsecAuthAlg', AUTH_ALGS) ?? base.IpsecAuthAlg,
    IpsecPfs: p.oneOf('IpsecPfs', IPSEC_PFS) ?? base.IpsecPfs,
    IpsecLifetime: p.int('IpsecLifetime', 0, MAX_LIFETIME) ?? base.IpsecLifetime,
  };
}

/** comma-separated CIDR list (LocalSubnet / RemoteSubnet); returns the normalised text and the count */
export function parseSubnets(name: string, text: string): { text: string; cidrs: Cidr[] } {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw illegal(name, text, 'expected comma-separated CIDR blocks');
  if (parts.length > MAX_SUBNETS) throw illegal(name, text, `at most ${MAX_SUBNETS} CIDR blocks`);
  const cidrs = parts.map((s) => {
    const c = parseCidr(s);
    if (!c) throw illegal(name, text, `"${s}" is not a CIDR block`);
    return c;
  });
  return { text: parts.join(','), cidrs };
}

/** several CIDRs on either side need IKEv2 (docs/sources.md#alibaba-cloud-alibaba); code unconfirmed */
export function checkMultiSubnetIkeVersion(local: string, remote: string, ikeVersions: string[], field: string): void {
  if (local.includes(',') || remote.includes(',')) {
    if (ikeVersions.some((v) => v !== 'ikev2'))
      throw illegal(field, ikeVersions.join(','), 'several CIDR blocks in LocalSubnet/RemoteSubnet require ikev2');
  }
}

export function mergeHealthCheck(p: Params, base: AliHealthCheckConfig | undefined): AliHealthCheckConfig {
  const enable = p.bool('enable') ?? base?.enable ?? false;
  const ip = (key: 'dip' | 'sip'): string => {
    const v = p.str(key) ?? base?.[key] ?? '';
    if (v !== '' && parseIpv4(v) === undefined) throw illegal(p.name(key), v, 'not an IPv4 address');
    if (enable && v === '') throw missing(p.name(key));
    return v;
  };
  return {
    enable,
    dip: ip('dip'),
    sip: ip('sip'),
    interval: p.int('interval', 1, 60) ?? base?.interval ?? 3,
    retry: p.int('retry', 1, 10) ?? base?.retry ?? 3,
  };
}

const RESERVED_TUNNEL_CIDRS = [0, 1, 2, 3, 4, 5, 6].map((n) => `169.254.${n}.0/30`).concat('169.254.169.252/30');
const LINK_LOCAL = parseCidr('169.254.0.0/16') as Cidr;

/** TunnelBgpConfig: LocalAsn (default 45104), TunnelCidr a /30 in 169.254/16, LocalBgpIp inside it */
export function mergeTunnelBgp(p: Params, base: AliTunnelBgpConfig | undefined): AliTunnelBgpConfig {
  const tunnelCidr = p.str('TunnelCidr') ?? base?.TunnelCidr ?? '';
  const c = parseCidr(tunnelCidr);
  if (c?.prefix !== 30 || !cidrContains(LINK_LOCAL, c) || RESERVED_TUNNEL_CIDRS.includes(tunnelCidr))
    throw illegal(p.name('TunnelCidr'), tunnelCidr, 'a /30 inside 169.254.0.0/16, not a reserved block');
  const localBgpIp = p.str('LocalBgpIp') ?? base?.LocalBgpIp ?? '';
  const ip = parseIpv4(localBgpIp);
  if (ip === undefined || !ipInCidr(ip, c))
    throw illegal(p.name('LocalBgpIp'), localBgpIp, 'an address inside TunnelCidr');
  return {
    LocalAsn: p.int('LocalAsn', 1, 4294967295) ?? base?.LocalAsn ?? 45104,
    LocalBgpIp: localBgpIp,
    TunnelCidr: tunnelCidr,
  };
}
