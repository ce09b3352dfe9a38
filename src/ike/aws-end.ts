import {
  AWS_ENCRYPTION,
  AWS_INTEGRITY,
  AWS_PHASE1_DH,
  AWS_PHASE2_DH,
  awsGroups,
  awsOrdered,
  dhKeyword,
  UnknownAlgorithm,
} from './algorithms';
import type { AwsTunnelState, DpdAction, IkeEnd, IkeVersionNumber } from './types';

// The AWS end of one tunnel as a strongSwan configuration, from the VPN connection's tunnel options as AWS
// documents its endpoint behaviour (docs/ike-mapping.md, "AWS end"). Pure.

/** AWS sends R-U-THERE after 10 s without traffic (DPD interval 10 in the downloadable configuration) */
export const AWS_DPD_DELAY_SECONDS = 10;

function version(list: readonly string[]): IkeVersionNumber {
  for (const v of list) if (v !== 'ikev1' && v !== 'ikev2') throw new UnknownAlgorithm('aws', 'IkeVersions', v);
  const v1 = list.length === 0 || list.includes('ikev1');
  const v2 = list.length === 0 || list.includes('ikev2');
  return v1 && v2 ? 0 : v1 ? 1 : 2;
}

/** one proposal per kind: classic (encryption + integrity) and AEAD (GCM; integrity becomes the PRF in IKE) */
function proposals(
  phase: 'phase1' | 'phase2',
  enc: readonly string[],
  integ: readonly string[],
  groups: readonly number[],
  withGcm: boolean,
): string[] {
  const label = phase === 'phase1' ? 'Phase1' : 'Phase2';
  const encs = awsOrdered(`${label}EncryptionAlgorithms`, enc, AWS_ENCRYPTION);
  const integs = awsOrdered(`${label}IntegrityAlgorithms`, integ, AWS_INTEGRITY).map(([, k]) => k);
  const dh = awsGroups(groups, phase === 'phase1' ? AWS_PHASE1_DH : AWS_PHASE2_DH).map((g) =>
    dhKeyword('aws', `${label}DHGroupNumbers`, g),
  );
  const classic = encs.filter(([, k]) => !k.includes('gcm')).map(([, k]) => k);
  const aead = encs.filter(([, k]) => k.includes('gcm')).map(([, k]) => k);
  const out: string[] = [];
  if (classic.length > 0) out.push([...classic, ...integs, ...dh].join('-'));
  if (aead.length > 0 && withGcm) {
    const prf = phase === 'phase1' ? integs.map((k) => `prf${k}`) : [];
    out.push([...aead, ...prf, ...dh].join('-'));
  }
  return out;
}

function dpdAction(action: string): { action: DpdAction; probes: boolean } {
  if (action === 'restart') return { action: 'restart', probes: true };
  if (action === 'clear') return { action: 'clear', probes: true };
  if (action === 'none') return { action: 'clear', probes: false };
  throw new UnknownAlgorithm('aws', 'DpdTimeoutAction', action);
}

export function awsEnd(t: AwsTunnelState, name = 'aws'): IkeEnd {
  const v = version(t.ikeVersions);
  const notes: string[] = [];
  const gcmInPhase1 = t.phase1Encryption.length === 0 || t.phase1Encryption.some((e) => e.includes('GCM'));
  if (v === 1 && gcmInPhase1) notes.push('AES-GCM in phase 1 needs IKEv2 in strongSwan: not offered for IKEv1');
  const margin = t.rekeyMarginTimeSeconds;
  const fuzz = Math.round((margin * t.rekeyFuzzPercentage) / 100);
  const dpd = dpdAction(t.dpdTimeoutAction);
  if (!dpd.probes) notes.push('DPDTimeoutAction=none: mapped to no DPD probes (strongSwan always deletes a dead peer)');
  // IKEv2 has no DPD timeout setting: a liveness check gives up after the retransmissions, timeout * (tries + 1)
  const tries = 2;
  return {
    cloud: 'aws',
    name,
    version: v,
    aggressive: false,
    localAddr: t.outsideIp,
    remoteAddr: t.customerGatewayIp,
    localId: t.outsideIp,
    remoteId: t.customerGatewayIp,
    psk: t.psk,
    proposals: proposals('phase1', t.phase1Encryption, t.phase1Integrity, t.phase1DhGroups, v !== 1),
    espProposals: proposals('phase2', t.phase2Encryption, t.phase2Integrity, t.phase2DhGroups, true),
    ike: {
      rekeyTime: Math.max(1, t.phase1LifetimeSeconds - margin),
      overTime: margin,
      randTime: fuzz,
    },
    child: {
      rekeyTime: Math.max(1, t.phase2LifetimeSeconds - margin),
      lifeTime: t.phase2LifetimeSeconds,
      randTime: fuzz,
    },
    dpd: {
      delay: dpd.probes ? AWS_DPD_DELAY_SECONDS : 0,
      timeout: t.dpdTimeoutSeconds,
      action: dpd.action,
    },
    retransmit: { tries, timeout: Math.max(1, Math.round(t.dpdTimeoutSeconds / (tries + 1))), base: 1 },
    startAction: t.startupAction === 'start' ? 'start' : 'none',
    localTs: [t.remoteIpv4NetworkCidr || '0.0.0.0/0'],
    remoteTs: [t.localIpv4NetworkCidr || '0.0.0.0/0'],
    notes,
  };
}
