import { ALIBABA_DH, ALIBABA_ENCRYPTION, ALIBABA_INTEGRITY, dhKeyword, UnknownAlgorithm } from './algorithms';
import type { AlibabaTunnelState, IkeEnd } from './types';

// The Alibaba end of one tunnel as a strongSwan configuration, from the IPsec connection's IKE/IPsec settings as
// Alibaba documents them (docs/ike-mapping.md, "Alibaba end"). Pure.

/** Alibaba documents DPD as on/off only; the interval and timeout are this mapping's assumption (unconfirmed) */
export const ALIBABA_DPD_DELAY_SECONDS = 10;
export const ALIBABA_DPD_TIMEOUT_SECONDS = 30;

function pick(table: Readonly<Record<string, string>>, field: string, value: string): string {
  const k = table[value];
  if (!k) throw new UnknownAlgorithm('alibaba', field, value);
  return k;
}

function group(field: string, value: string): number {
  const g = ALIBABA_DH[value];
  if (g === undefined) throw new UnknownAlgorithm('alibaba', field, value);
  return g;
}

function subnets(text: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : ['0.0.0.0/0'];
}

/**
 * Alibaba documents one lifetime per phase and no rekey margin: the SA lives `lifetime` seconds and is
 * rekeyed with strongSwan's default proportions (rekey at 10/11 of the life, life_time = 110% of rekey_time).
 * 0 keeps strongSwan's "never".
 */
function timing(lifetime: number): { rekeyTime: number; lifeTime: number; randTime: number } {
  if (lifetime <= 0) return { rekeyTime: 0, lifeTime: 0, randTime: 0 };
  const rekeyTime = Math.max(1, Math.round((lifetime * 10) / 11));
  return { rekeyTime, lifeTime: lifetime, randTime: Math.max(0, Math.min(lifetime - rekeyTime, rekeyTime - 1)) };
}

export function alibabaEnd(t: AlibabaTunnelState, name = 'alibaba'): IkeEnd {
  if (t.ikeVersion !== 'ikev1' && t.ikeVersion !== 'ikev2')
    throw new UnknownAlgorithm('alibaba', 'IkeVersion', t.ikeVersion);
  if (t.ikeMode !== 'main' && t.ikeMode !== 'aggressive') throw new UnknownAlgorithm('alibaba', 'IkeMode', t.ikeMode);
  const v = t.ikeVersion === 'ikev1' ? 1 : 2;
  const notes: string[] = [];
  if (v === 2 && t.ikeMode === 'aggressive') notes.push('IkeMode=aggressive has no meaning in IKEv2: ignored');
  const p1 = [
    pick(ALIBABA_ENCRYPTION, 'IkeEncAlg', t.ikeEncAlg),
    pick(ALIBABA_INTEGRITY, 'IkeAuthAlg', t.ikeAuthAlg),
    dhKeyword('alibaba', 'IkePfs', group('IkePfs', t.ikePfs)),
  ];
  const p2 = [
    pick(ALIBABA_ENCRYPTION, 'IpsecEncAlg', t.ipsecEncAlg),
    pick(ALIBABA_INTEGRITY, 'IpsecAuthAlg', t.ipsecAuthAlg),
  ];
  if (t.ipsecPfs !== 'disabled') p2.push(dhKeyword('alibaba', 'IpsecPfs', group('IpsecPfs', t.ipsecPfs)));
  const ike = timing(t.ikeLifetime);
  if (!t.enableNatTraversal)
    notes.push('EnableNatTraversal=false: strongSwan user-space ESP always encapsulates in UDP');
  return {
    cloud: 'alibaba',
    name,
    version: v,
    aggressive: v === 1 && t.ikeMode === 'aggressive',
    localAddr: t.sourceIp,
    remoteAddr: t.customerGatewayIp,
    localId: t.localId || t.sourceIp,
    remoteId: t.remoteId || t.customerGatewayIp,
    psk: t.psk,
    proposals: [p1.join('-')],
    espProposals: [p2.join('-')],
    ike: { rekeyTime: ike.rekeyTime, overTime: ike.lifeTime - ike.rekeyTime, randTime: ike.randTime },
    child: timing(t.ipsecLifetime),
    dpd: {
      delay: t.enableDpd ? ALIBABA_DPD_DELAY_SECONDS : 0,
      timeout: ALIBABA_DPD_TIMEOUT_SECONDS,
      // negotiate again the way the connection negotiates at all: at once, or when traffic arrives
      action: t.effectImmediately ? 'restart' : 'trap',
    },
    retransmit: { tries: 2, timeout: ALIBABA_DPD_TIMEOUT_SECONDS / 3, base: 1 },
    startAction: t.effectImmediately ? 'start' : 'trap',
    localTs: subnets(t.localSubnet),
    remoteTs: subnets(t.remoteSubnet),
    notes,
  };
}
