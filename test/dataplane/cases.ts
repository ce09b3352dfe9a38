import type { VpnTunnelOptionsSpecification } from '@aws-sdk/client-ec2';
import type { AlibabaSide, CaseWorld, Verdict } from './world';

// The conformance matrix: each case is one tunnel configured on both clouds, run through the simulator's
// negotiation model and through real IKE (strongSwan). `explained` names a documented reason why the two may
// legitimately differ (docs/conformance.md); a disagreement without one fails the suite.

export interface ConformanceCase {
  name: string;
  group: string;
  world: CaseWorld;
  /** when set: the simulator follows the provider's documented behaviour here, and strongSwan differs */
  explained?: { simulator: Verdict; strongSwan: Verdict; why: string };
}

const RECOMMENDED_AWS: VpnTunnelOptionsSpecification = {
  IKEVersions: [{ Value: 'ikev2' }],
  Phase1EncryptionAlgorithms: [{ Value: 'AES256' }],
  Phase2EncryptionAlgorithms: [{ Value: 'AES256' }],
  Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
  Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
  Phase1DHGroupNumbers: [{ Value: 14 }],
  Phase2DHGroupNumbers: [{ Value: 14 }],
  Phase1LifetimeSeconds: 28800,
  Phase2LifetimeSeconds: 3600,
  DPDTimeoutSeconds: 30,
  DPDTimeoutAction: 'restart',
  StartupAction: 'start',
};
const RECOMMENDED_ALI: AlibabaSide = {
  IkeVersion: 'ikev2',
  IkeMode: 'main',
  IkeEncAlg: 'aes256',
  IkeAuthAlg: 'sha256',
  IkePfs: 'group14',
  IkeLifetime: 28800,
  IpsecEncAlg: 'aes256',
  IpsecAuthAlg: 'sha256',
  IpsecPfs: 'group14',
  IpsecLifetime: 3600,
};
const ARTICLE_AWS: VpnTunnelOptionsSpecification = {
  ...RECOMMENDED_AWS,
  IKEVersions: [{ Value: 'ikev1' }],
  Phase1EncryptionAlgorithms: [{ Value: 'AES128' }],
  Phase2EncryptionAlgorithms: [{ Value: 'AES128' }],
  Phase1IntegrityAlgorithms: [{ Value: 'SHA1' }],
  Phase2IntegrityAlgorithms: [{ Value: 'SHA1' }],
  Phase1DHGroupNumbers: [{ Value: 2 }],
  Phase2DHGroupNumbers: [{ Value: 2 }],
};
const ARTICLE_ALI: AlibabaSide = {
  ...RECOMMENDED_ALI,
  IkeVersion: 'ikev1',
  IkeEncAlg: 'aes',
  IkeAuthAlg: 'sha1',
  IkePfs: 'group2',
  IpsecEncAlg: 'aes',
  IpsecAuthAlg: 'sha1',
  IpsecPfs: 'group2',
};

type Base = 'recommended' | 'article-2018';
interface Tweak {
  aws?: VpnTunnelOptionsSpecification;
  alibaba?: Partial<AlibabaSide>;
  world?: Partial<Omit<CaseWorld, 'aws' | 'alibaba'>>;
}

function world(base: Base, t: Tweak = {}): CaseWorld {
  return {
    aws: { ...(base === 'recommended' ? RECOMMENDED_AWS : ARTICLE_AWS), ...t.aws },
    alibaba: { ...(base === 'recommended' ? RECOMMENDED_ALI : ARTICLE_ALI), ...t.alibaba },
    explicitIds: true,
    pskMismatch: false,
    localSubnet: '0.0.0.0/0',
    remoteSubnet: '0.0.0.0/0',
    effectImmediately: true,
    enableDpd: true,
    ...t.world,
  };
}

const c = (group: string, name: string, base: Base, t?: Tweak): ConformanceCase => ({
  group,
  name,
  world: world(base, t),
});

/** an override of the profile, applied on both clouds as the product applies it */
function both(
  name: string,
  base: Base,
  aws: VpnTunnelOptionsSpecification,
  alibaba: Partial<AlibabaSide>,
): ConformanceCase {
  return c('override', name, base, { aws, alibaba });
}

const LIFETIME_V1_ABOVE =
  'AWS documents that it rekeys with its own lifetimes and that a differing negotiated value may interrupt the tunnel; strongSwan adopts the lifetime the IKEv1 initiator proposes (quick_mode.c) and accepts an early rekey';

export const CASES: ConformanceCase[] = [
  c('profile', 'recommended (IKEv2 AES256 SHA2-256 DH14)', 'recommended'),
  c('profile', 'article-2018 (IKEv1 main AES128 SHA1 DH2)', 'article-2018'),

  both(
    'ikeVersion ikev1 on recommended',
    'recommended',
    { IKEVersions: [{ Value: 'ikev1' }] },
    { IkeVersion: 'ikev1' },
  ),
  both(
    'ikeVersion ikev2 on article-2018',
    'article-2018',
    { IKEVersions: [{ Value: 'ikev2' }] },
    { IkeVersion: 'ikev2' },
  ),
  both(
    'phase1.encryption AES128',
    'recommended',
    { Phase1EncryptionAlgorithms: [{ Value: 'AES128' }] },
    { IkeEncAlg: 'aes' },
  ),
  both(
    'phase1.integrity SHA2-384',
    'recommended',
    { Phase1IntegrityAlgorithms: [{ Value: 'SHA2-384' }] },
    { IkeAuthAlg: 'sha384' },
  ),
  both(
    'phase1.integrity SHA2-512',
    'recommended',
    { Phase1IntegrityAlgorithms: [{ Value: 'SHA2-512' }] },
    { IkeAuthAlg: 'sha512' },
  ),
  both('phase1.dhGroup 2', 'recommended', { Phase1DHGroupNumbers: [{ Value: 2 }] }, { IkePfs: 'group2' }),
  both(
    'phase2.encryption AES128',
    'recommended',
    { Phase2EncryptionAlgorithms: [{ Value: 'AES128' }] },
    { IpsecEncAlg: 'aes' },
  ),
  both(
    'phase2.integrity SHA1',
    'recommended',
    { Phase2IntegrityAlgorithms: [{ Value: 'SHA1' }] },
    { IpsecAuthAlg: 'sha1' },
  ),
  both('phase2.dhGroup 5', 'recommended', { Phase2DHGroupNumbers: [{ Value: 5 }] }, { IpsecPfs: 'group5' }),
  both('phase2.dhGroup 2 (IKEv1)', 'article-2018', { Phase2DHGroupNumbers: [{ Value: 2 }] }, { IpsecPfs: 'group2' }),
  both('phase1.lifetimeSeconds 14400', 'recommended', { Phase1LifetimeSeconds: 14400 }, { IkeLifetime: 14400 }),
  both('phase2.lifetimeSeconds 1800', 'recommended', { Phase2LifetimeSeconds: 1800 }, { IpsecLifetime: 1800 }),
  both('dpdTimeoutSeconds 60', 'recommended', { DPDTimeoutSeconds: 60 }, {}),
  both('dpdTimeoutAction clear', 'recommended', { DPDTimeoutAction: 'clear' }, {}),
  both('dpdTimeoutAction none', 'recommended', { DPDTimeoutAction: 'none' }, {}),

  c('psk', 'PSK mismatch, IKEv2', 'recommended', { world: { pskMismatch: true } }),
  c('psk', 'PSK mismatch, IKEv1', 'article-2018', { world: { pskMismatch: true } }),

  c('phase 1', 'IKEv2 phase-1 encryption aes vs AES256', 'recommended', { alibaba: { IkeEncAlg: 'aes' } }),
  c('phase 1', 'IKEv2 phase-1 integrity sha1 vs SHA2-256', 'recommended', { alibaba: { IkeAuthAlg: 'sha1' } }),
  c('phase 1', 'IKEv2 phase-1 DH group2 vs 14', 'recommended', { alibaba: { IkePfs: 'group2' } }),
  c('phase 1', 'IKEv1 phase-1 encryption aes256 vs AES128', 'article-2018', { alibaba: { IkeEncAlg: 'aes256' } }),
  c('phase 1', 'IKEv1 phase-1 integrity sha256 vs SHA1', 'article-2018', { alibaba: { IkeAuthAlg: 'sha256' } }),
  c('phase 1', 'IKEv1 phase-1 DH group14 vs 2', 'article-2018', { alibaba: { IkePfs: 'group14' } }),

  c('phase 2', 'IKEv2 phase-2 encryption aes vs AES256', 'recommended', { alibaba: { IpsecEncAlg: 'aes' } }),
  c('phase 2', 'IKEv2 phase-2 integrity sha1 vs SHA2-256', 'recommended', { alibaba: { IpsecAuthAlg: 'sha1' } }),
  c('phase 2', 'IKEv2 phase-2 DH group2 vs 14', 'recommended', { alibaba: { IpsecPfs: 'group2' } }),
  c('phase 2', 'IKEv2 phase-2 PFS disabled on Alibaba', 'recommended', { alibaba: { IpsecPfs: 'disabled' } }),
  c('phase 2', 'IKEv1 phase-2 encryption aes256 vs AES128', 'article-2018', { alibaba: { IpsecEncAlg: 'aes256' } }),
  c('phase 2', 'IKEv1 phase-2 integrity sha256 vs SHA1', 'article-2018', { alibaba: { IpsecAuthAlg: 'sha256' } }),
  c('phase 2', 'IKEv1 phase-2 DH group14 vs 2', 'article-2018', { alibaba: { IpsecPfs: 'group14' } }),

  c('version', 'AWS ikev2 only, Alibaba ikev1', 'recommended', { alibaba: { IkeVersion: 'ikev1' } }),
  c('version', 'AWS ikev1 only, Alibaba ikev2', 'article-2018', { alibaba: { IkeVersion: 'ikev2' } }),

  c('mode', 'IKEv1 aggressive on Alibaba (Alibaba initiates)', 'article-2018', {
    aws: { StartupAction: 'add' },
    alibaba: { IkeMode: 'aggressive' },
  }),

  c('identity', 'default identities, IKEv2', 'recommended', { world: { explicitIds: false } }),
  c('identity', 'default identities, IKEv1', 'article-2018', { world: { explicitIds: false } }),
  c('identity', 'FQDN LocalId, IKEv2', 'recommended', { alibaba: { LocalId: 'vpn.example.com' } }),
  c('identity', 'FQDN LocalId, IKEv1', 'article-2018', { alibaba: { LocalId: 'vpn.example.com' } }),
  c('identity', 'RemoteId another IP, IKEv2', 'recommended', { alibaba: { RemoteId: '203.0.113.9' } }),

  c('lifetime', 'IKEv1 equal 14400/1800', 'article-2018', {
    aws: { Phase1LifetimeSeconds: 14400, Phase2LifetimeSeconds: 1800 },
    alibaba: { IkeLifetime: 14400, IpsecLifetime: 1800 },
  }),
  {
    ...c('lifetime', 'IKEv1 Alibaba 86400/86400 above AWS', 'article-2018', {
      alibaba: { IkeLifetime: 86400, IpsecLifetime: 86400 },
    }),
    explained: { simulator: 'FLAPPING', strongSwan: 'UP', why: LIFETIME_V1_ABOVE },
  },
  c('lifetime', 'IKEv1 Alibaba phase-2 600 s below AWS minimum', 'article-2018', { alibaba: { IpsecLifetime: 600 } }),
  c('lifetime', 'IKEv2 equal 14400/1800', 'recommended', {
    aws: { Phase1LifetimeSeconds: 14400, Phase2LifetimeSeconds: 1800 },
    alibaba: { IkeLifetime: 14400, IpsecLifetime: 1800 },
  }),
  c('lifetime', 'IKEv2 Alibaba 86400/86400 above AWS', 'recommended', {
    alibaba: { IkeLifetime: 86400, IpsecLifetime: 86400 },
  }),
  c('lifetime', 'IKEv2 Alibaba phase-2 600 s below AWS minimum', 'recommended', { alibaba: { IpsecLifetime: 600 } }),

  c('selectors', 'Alibaba VPC subnets vs AWS 0.0.0.0/0', 'recommended', {
    world: { localSubnet: '192.168.0.0/16', remoteSubnet: '172.80.64.0/19' },
  }),
  c('selectors', 'AWS CIDRs narrowed vs Alibaba 0.0.0.0/0', 'recommended', {
    world: { awsLocalCidr: '192.168.0.0/16', awsRemoteCidr: '172.80.64.0/19' },
  }),
  c('selectors', 'AWS CIDRs narrowed vs Alibaba 0.0.0.0/0, IKEv1', 'article-2018', {
    world: { awsLocalCidr: '192.168.0.0/16', awsRemoteCidr: '172.80.64.0/19' },
  }),
  c('selectors', 'Alibaba VPC subnets vs AWS 0.0.0.0/0, IKEv1', 'article-2018', {
    world: { localSubnet: '192.168.0.0/16', remoteSubnet: '172.80.64.0/19' },
  }),
  c('selectors', 'mismatched: Alibaba 10.0.0.0/16 vs AWS 192.168.0.0/16', 'recommended', {
    world: { localSubnet: '10.0.0.0/16', remoteSubnet: '172.80.64.0/19', awsLocalCidr: '192.168.0.0/16' },
  }),

  c('initiator', 'nobody initiates (AWS add, Alibaba on traffic)', 'recommended', {
    aws: { StartupAction: 'add' },
    world: { effectImmediately: false },
  }),
  c('initiator', 'only Alibaba initiates', 'recommended', { aws: { StartupAction: 'add' } }),
  c('initiator', 'only AWS initiates', 'recommended', { world: { effectImmediately: false } }),

  c('dpd outage', '50 s outage: AWS restart, Alibaba at once', 'recommended', { world: { outageSeconds: 50 } }),
  c('dpd outage', '50 s outage: AWS restart, IKEv1', 'article-2018', { world: { outageSeconds: 50 } }),
  c('dpd outage', '50 s outage: AWS clear, Alibaba on traffic', 'recommended', {
    aws: { DPDTimeoutAction: 'clear' },
    world: { outageSeconds: 50, effectImmediately: false },
  }),
  c('dpd outage', '50 s outage: AWS clear, Alibaba at once', 'recommended', {
    aws: { DPDTimeoutAction: 'clear' },
    world: { outageSeconds: 50 },
  }),
  c('dpd outage', '50 s outage: AWS clear, Alibaba DPD off', 'recommended', {
    aws: { DPDTimeoutAction: 'clear' },
    world: { outageSeconds: 50, enableDpd: false },
  }),
  c('dpd outage', '50 s outage: AWS none, Alibaba DPD off', 'recommended', {
    aws: { DPDTimeoutAction: 'none' },
    world: { outageSeconds: 50, enableDpd: false },
  }),
  c('dpd outage', '50 s outage: AWS none, Alibaba on traffic', 'recommended', {
    aws: { DPDTimeoutAction: 'none' },
    world: { outageSeconds: 50, effectImmediately: false },
  }),
  c('dpd outage', '15 s outage (no DPD timeout): AWS clear, Alibaba on traffic', 'recommended', {
    aws: { DPDTimeoutAction: 'clear' },
    world: { outageSeconds: 15, effectImmediately: false },
  }),
  c('dpd', 'Alibaba DPD off, AWS restart, IKEv2', 'recommended', { world: { enableDpd: false } }),
  c('dpd', 'Alibaba DPD off, IKEv1', 'article-2018', { world: { enableDpd: false } }),
  c('dpd', 'AWS DPD 120 s clear, IKEv1', 'article-2018', {
    aws: { DPDTimeoutSeconds: 120, DPDTimeoutAction: 'clear' },
  }),
];
