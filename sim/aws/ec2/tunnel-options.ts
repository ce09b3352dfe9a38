import { type Cidr, ipInCidr, parseCidr } from '../../core/ipv4';
import type { AwsTunnelOptions } from '../../types';
import { bad } from './errors';
import type { Params } from './params';

// `Options.TunnelOptions.N` of CreateVpnConnection (docs/sources.md#aws-aws "VpnTunnelOptionsSpecification"): parsed,
// validated field by field, defaults filled. Request spellings (DPDTimeoutSeconds, IKEVersion.N.Value,
// Phase1EncryptionAlgorithm.N.Value …) map onto the stored response spelling (AwsTunnelOptions). Lists not
// given are stored EMPTY: AWS materialises undeclared lists as empty, meaning "all defaults allowed".

/** a tunnel's options before the connection allocates its outside IP, inside CIDR and PSK */
export type TunnelRequest = Omit<AwsTunnelOptions, 'OutsideIpAddress' | 'TunnelInsideCidr' | 'PreSharedKey'> & {
  TunnelInsideCidr?: string;
  PreSharedKey?: string;
};

export const ENCRYPTION_ALGORITHMS = ['AES128', 'AES256', 'AES128-GCM-16', 'AES256-GCM-16'];
export const INTEGRITY_ALGORITHMS = ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'];
export const PHASE1_DH_GROUPS = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
export const PHASE2_DH_GROUPS = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
export const IKE_VERSIONS = ['ikev1', 'ikev2'];

export const PSK_RULE = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;

const LINK_LOCAL = parseCidr('169.254.0.0/16') as Cidr;
export const RESERVED_INSIDE_CIDRS = [
  '169.254.0.0/30',
  '169.254.1.0/30',
  '169.254.2.0/30',
  '169.254.3.0/30',
  '169.254.4.0/30',
  '169.254.5.0/30',
  '169.254.169.252/30',
];

/** why `cidr` is not a usable tunnel inside CIDR, or undefined when it is */
export function insideCidrProblem(cidr: string): string | undefined {
  const c = parseCidr(cidr);
  if (c?.prefix !== 30 || !ipInCidr(c.base, LINK_LOCAL)) return 'must be a /30 CIDR block in 169.254.0.0/16';
  if (RESERVED_INSIDE_CIDRS.includes(cidr)) return `${cidr} is reserved and cannot be used`;
  return undefined;
}

function tunnelParser(t: number, p: Params) {
  const fail = (field: string, why: string) => bad(`Invalid value for tunnel ${t} ${field}: ${why}`);
  const int = (key: string, why: string): number | undefined => {
    const v = p.str(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw fail(key, why);
    return Number(v);
  };
  const ranged = (key: string, def: number, min: number, max: number, why: string): number => {
    const v = int(key, why) ?? def;
    if (v < min || v > max) throw fail(key, why);
    return v;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], def: T): T => {
    const v = p.str(key);
    if (v === undefined) return def;
    if (!(allowed as readonly string[]).includes(v)) throw fail(key, `must be one of ${allowed.join(', ')}`);
    return v as T;
  };
  const strings = (member: string, field: string, allowed: readonly string[]): string[] => {
    const values = p.members(member).map(({ params }) => params.str('Value') ?? '');
    for (const v of values) if (!allowed.includes(v)) throw fail(field, `'${v}' is not one of ${allowed.join(', ')}`);
    return [...new Set(values)];
  };
  const numbers = (member: string, field: string, allowed: readonly number[]): number[] => {
    const values = p.members(member).map(({ params }) => params.str('Value') ?? '');
    const out = values.map((v) => {
      const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
      if (!allowed.includes(n)) throw fail(field, `'${v}' is not one of ${allowed.join(', ')}`);
      return n;
    });
    return [...new Set(out)];
  };
  return { fail, ranged, oneOf, strings, numbers };
}

/** one tunnel's requested options (`TunnelOptions.N` of a create, `TunnelOptions` of ModifyVpnTunnelOptions) */
export function parseTunnel(t: number, p: Params): TunnelRequest {
  const { fail, ranged, oneOf, strings, numbers } = tunnelParser(t, p);

  const phase1 = ranged('Phase1LifetimeSeconds', 28800, 900, 28800, 'must be between 900 and 28800');
  const phase2Why = 'must be between 900 and 3600 and less than Phase1LifetimeSeconds';
  const phase2 = ranged('Phase2LifetimeSeconds', 3600, 900, 3600, phase2Why);
  if (phase2 >= phase1) throw fail('Phase2LifetimeSeconds', phase2Why);
  const halfPhase2 = Math.floor(phase2 / 2);
  const rekeyMargin = ranged(
    'RekeyMarginTimeSeconds',
    270,
    60,
    halfPhase2,
    `must be between 60 and half of Phase2LifetimeSeconds (${halfPhase2})`,
  );
  const fuzz = ranged('RekeyFuzzPercentage', 100, 0, 100, 'must be between 0 and 100');
  const replay = ranged('ReplayWindowSize', 1024, 64, 2048, 'must be between 64 and 2048');
  const dpd = ranged('DPDTimeoutSeconds', 30, 30, Number.MAX_SAFE_INTEGER, 'must be 30 or higher');
  const dpdAction = oneOf('DPDTimeoutAction', ['clear', 'none', 'restart'] as const, 'clear');
  const startup = oneOf('StartupAction', ['add', 'start'] as const, 'add');

  const lifecycle = p.str('EnableTunnelLifecycleControl');
  if (lifecycle !== undefined && lifecycle !== 'true' && lifecycle !== 'false')
    throw fail('EnableTunnelLifecycleControl', 'must be true or false');

  if (p.str('TunnelInsideIpv6Cidr') !== undefined)
    throw fail('TunnelInsideIpv6Cidr', 'IPv6 inside addresses need TunnelInsideIpVersion=ipv6, which is not supported');
  const inside = p.str('TunnelInsideCidr');
  if (inside !== undefined) {
    const problem = insideCidrProblem(inside);
    if (problem) throw fail('TunnelInsideCidr', problem);
  }
  const psk = p.str('PreSharedKey');
  if (psk !== undefined && !PSK_RULE.test(psk))
    throw fail(
      'PreSharedKey',
      'must be 8 to 64 characters of letters, digits, periods (.) and underscores (_), and must not start with 0',
    );

  return {
    TunnelInsideCidr: inside,
    PreSharedKey: psk,
    Phase1LifetimeSeconds: phase1,
    Phase2LifetimeSeconds: phase2,
    RekeyMarginTimeSeconds: rekeyMargin,
    RekeyFuzzPercentage: fuzz,
    ReplayWindowSize: replay,
    DpdTimeoutSeconds: dpd,
    DpdTimeoutAction: dpdAction,
    Phase1EncryptionAlgorithms: strings(
      'Phase1EncryptionAlgorithm',
      'Phase1EncryptionAlgorithms',
      ENCRYPTION_ALGORITHMS,
    ),
    Phase2EncryptionAlgorithms: strings(
      'Phase2EncryptionAlgorithm',
      'Phase2EncryptionAlgorithms',
      ENCRYPTION_ALGORITHMS,
    ),
    Phase1IntegrityAlgorithms: strings('Phase1IntegrityAlgorithm', 'Phase1IntegrityAlgorithms', INTEGRITY_ALGORITHMS),
    Phase2IntegrityAlgorithms: strings('Phase2IntegrityAlgorithm', 'Phase2IntegrityAlgorithms', INTEGRITY_ALGORITHMS),
    Phase1DHGroupNumbers: numbers('Phase1DHGroupNumber', 'Phase1DHGroupNumbers', PHASE1_DH_GROUPS),
    Phase2DHGroupNumbers: numbers('Phase2DHGroupNumber', 'Phase2DHGroupNumbers', PHASE2_DH_GROUPS),
    IkeVersions: strings('IKEVersion', 'IKEVersions', IKE_VERSIONS),
    StartupAction: startup,
    EnableTunnelLifecycleControl: lifecycle === 'true',
  };
}

/** both tunnels' requested options (`options` = the `Options` node of the request) */
export function parseTunnelOptions(options: Params): [TunnelRequest, TunnelRequest] {
  const extra = options.indices('TunnelOptions').find((i) => i > 2);
  if (extra !== undefined)
    throw bad(`Invalid value for Options.TunnelOptions.${extra}: a VPN connection has exactly two tunnels`);
  const t1 = parseTunnel(1, options.sub('TunnelOptions.1'));
  const t2 = parseTunnel(2, options.sub('TunnelOptions.2'));
  if (t1.TunnelInsideCidr !== undefined && t1.TunnelInsideCidr === t2.TunnelInsideCidr)
    throw bad(`Invalid value for tunnel 2 TunnelInsideCidr: ${t2.TunnelInsideCidr} is already used by tunnel 1`);
  return [t1, t2];
}
