import type { AwsVpnGateway } from '../clouds/types';
import { TAG_MANAGED, TAG_ROLE, TAG_STAGE, taggedFor } from '../plan/naming';
import type { ConnectionRecord } from '../registry/record';
import { attachOf } from '../spec/schema';
import type { AwsLoaded } from './load';

// The AWS attach point of a connection (spec `aws.attach`, docs/attach-points.md). Several connections from one VPC
// share its VPN gateway (a VPC takes one): every step finds the gateway through resolveVgw, never through the record
// alone, so a re-run, a crash resume and a teardown all find the same one.

/** VGW attachment states that tie a gateway to a VPC */
const TIED = new Set(['attaching', 'attached']);

/**
 * The VGW this connection uses:
 * - `vpnGateway: vgw-...`: that gateway (absent when it does not exist or was deleted);
 * - `transitGateway`: none (the VPN connections are on the transit gateway);
 * - `vpnGateway: auto`: the VGW attached (or attaching) to the VPC, whoever made it; else the one this connection
 *   created (found by its tags; not attached yet, or its attach was lost).
 */
export async function resolveVgw(
  l: Pick<AwsLoaded, 'aws' | 'record'>,
  states?: string[],
): Promise<AwsVpnGateway | undefined> {
  const attach = attachOf(l.record.spec);
  const vpcId = l.record.spec.aws.vpcId;
  // a connection on a transit gateway has no VGW
  if (attach.vpnGateway === undefined) return undefined;
  if (attach.vpnGateway !== 'auto') {
    const [g] = (await l.aws.describeVpnGateways([attach.vpnGateway])).filter((x) => x.state !== 'deleted');
    return g;
  }
  const onVpc = (await l.aws.vpnGatewaysOfVpc(vpcId)).find((g) =>
    g.attachments.some((a) => a.vpcId === vpcId && TIED.has(a.state)),
  );
  if (onVpc) return onVpc;
  const [own] = await l.aws.findVpnGateways(l.record, states);
  return own;
}

/** a VGW vpn-bridge made (in this stage): only those are ever detached or deleted, never one a user made */
export function madeByVpnBridge(g: AwsVpnGateway, stage: string): boolean {
  return g.tags[TAG_MANAGED] === 'true' && g.tags[TAG_STAGE] === stage && g.tags[TAG_ROLE] === 'vgw';
}

/** 'created' when vpn-bridge made the VGW, 'adopted' when it was the user's */
export function vgwOrigin(g: AwsVpnGateway, stage: string): 'created' | 'adopted' {
  return madeByVpnBridge(g, stage) ? 'created' : 'adopted';
}

/**
 * The other users of a VGW, which keep it in place: every VPN connection on it that is not this connection's, every connection record of the stage (not DELETED) that records it, and every
 * one being provisioned that would resolve to it (same AWS region and VPC, a VGW attach point: it may not have
 * recorded it yet). A rolled-back record holds no resources and uses nothing.
 */
export async function otherVgwUsers(
  l: Pick<AwsLoaded, 'aws' | 'record'>,
  g: AwsVpnGateway,
  records: () => Promise<ConnectionRecord[]>,
): Promise<string[]> {
  const users: string[] = [];
  const me = l.record;
  // this connection's own VPN connections are not other users (its teardown deletes them before its VGW steps run;
  // a VGW step run early waits for them on its own re-read)
  for (const c of await l.aws.vpnConnectionsOfGateway(g.id))
    if (!taggedFor(c.tags, me)) users.push(`VPN connection ${c.id} (${c.state})`);
  for (const r of await records()) {
    if (r.name === me.name || r.status === 'DELETED' || !r.spec) continue;
    const recorded = r.resources.aws.vpnGatewayId === g.id;
    const attach = attachOf(r.spec);
    const sameVpc = r.spec.aws.region === me.spec.aws.region && r.spec.aws.vpcId === me.spec.aws.vpcId;
    const wouldUse =
      r.status === 'PROVISIONING' && sameVpc && (attach.vpnGateway === 'auto' || attach.vpnGateway === g.id);
    if (recorded || wouldUse) users.push(`connection ${r.name} (${r.status})`);
  }
  return users;
}
