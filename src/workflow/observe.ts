import type { AliVpnConnection, AwsCustomerGateway, AwsVpnConnection, AwsVpnGateway } from '../clouds/types';
import type { Observed } from '../health/tunnels';
import { type ConnectionKey, resourceName, TAG_ROLE } from '../plan/naming';
import { resolveVgw } from './attach';
import type { AlibabaLoaded, Loaded } from './load';

// Find what a connection's steps made, through the same naming/tagging functions the steps create with.
// Teardown, rollback, status, waits and the drift check all use this; none relies on ids in the record.

export interface Found extends Observed {
  awsVpnGateway?: AwsVpnGateway;
  /** extra copies (e.g. an earlier crashed create) that carry our tags too */
  awsDuplicates: Array<{ kind: string; id: string }>;
}

export function byRole<T extends { tags: Record<string, string> }>(
  items: T[],
): { map: Partial<Record<string, T>>; dupes: T[] } {
  const map: Partial<Record<string, T>> = {};
  const dupes: T[] = [];
  for (const x of items) {
    const role = x.tags[TAG_ROLE];
    if (!role) continue;
    if (map[role]) dupes.push(x);
    else map[role] = x;
  }
  return { map, dupes };
}

export function alibabaConnectionsByRole(
  key: ConnectionKey,
  conns: AliVpnConnection[],
): Partial<Record<string, AliVpnConnection>> {
  const out: Partial<Record<string, AliVpnConnection>> = {};
  for (const role of ['ipsec-1', 'ipsec-2'] as const) {
    const c = conns.find((x) => x.name === resourceName(key, role));
    if (c) out[role] = c;
  }
  return out;
}

/** the connection's Alibaba VPN gateway, by the name the creating step gave it */
export function findAlibabaGateway(
  l: Pick<AlibabaLoaded, 'alibaba' | 'record'>,
  opts: { includeDeleting?: boolean } = {},
) {
  return l.alibaba.findVpnGateway(l.record.spec.alibaba.vpcId, resourceName(l.record, 'alibaba-gateway'), opts);
}

export async function findAll(l: Loaded): Promise<Found> {
  const [vgw, vgws, cgws, vpns, gateway, aliCgws] = await Promise.all([
    resolveVgw(l),
    l.aws.findVpnGateways(l.record),
    l.aws.findCustomerGateways(l.record),
    l.aws.findVpnConnections(l.record),
    findAlibabaGateway(l),
    l.alibaba.listCustomerGateways(),
  ]);
  const aliConns = gateway ? await l.alibaba.listVpnConnections(gateway.id) : [];
  const c = byRole<AwsCustomerGateway>(cgws);
  const v = byRole<AwsVpnConnection>(vpns);
  return {
    awsVpnGateway: vgw,
    awsConnections: v.map,
    awsCustomerGateways: c.map,
    alibabaGateway: gateway,
    alibabaConnections: alibabaConnectionsByRole(l.record, aliConns),
    alibabaCustomerGateways: aliCgws,
    storedPsks: Object.fromEntries(Object.entries(l.record.handoffs.awsTunnels).map(([k, t]) => [k, t.psk])),
    awsDuplicates: [
      // copies of the VGW this connection made that it does not use (the VPC's shared VGW is not one)
      ...vgws.filter((x) => x.id !== vgw?.id).map((x) => ({ kind: 'vpn-gateway', id: x.id })),
      ...c.dupes.map((x) => ({ kind: 'customer-gateway', id: x.id })),
      ...v.dupes.map((x) => ({ kind: 'vpn-connection', id: x.id })),
    ],
  };
}
