import type { AwsTgwAttachment } from '../clouds/types';
import { NotReady, NotYetVisible, ProviderRejected } from '../errors';
import { logger } from '../log';
import { describeHolder, lockHolder } from '../registry/lock';
import { tgwAttachOf } from '../spec/schema';
import type { AwsDeps, ConnRef } from './deps';
import { type AwsLoaded, loadAws } from './load';
import { byRole } from './observe';
import { refuseWhileTornDown } from './provision';
import { loadIfBuilt } from './teardown';
import { decideSteer, type SteerChange, type SteerConnection } from './tgw-steer';

// The transit gateway attach point (spec `aws.attach.transitGateway`, docs/attach-points.md). The gateway, its route
// table and the VPC attachment are the user's: vpn-bridge never creates or deletes them. It puts its VPN connections
// on the gateway (each comes with a VPN attachment), associates those attachments with the spec's route table and
// adds (and removes) only the static routes for its own peer CIDRs, found by destination and attachment. Every step
// re-reads before it acts.

function tgwOf(l: AwsLoaded) {
  const tgw = tgwAttachOf(l.record.spec);
  if (!tgw) throw new ProviderRejected(`${l.record.name} is not attached through a transit gateway`, { cloud: 'aws' });
  return tgw;
}

/**
 * This connection's VPN connections (by tag) and their VPN attachments (by resource id), by plan role. An attachment
 * not listed yet (the listing may lag behind the VPN connection's create) is absent.
 */
export async function vpnAttachmentsByRole(
  l: AwsLoaded,
  states?: string[],
): Promise<Record<string, { vpnConnectionId: string; attachment?: AwsTgwAttachment }>> {
  const tgw = tgwOf(l);
  const conns = byRole(await l.aws.findVpnConnections(l.record, states)).map;
  const ids = Object.values(conns).flatMap((c) => (c ? [c.id] : []));
  const atts = await l.aws.tgwAttachments({
    transitGatewayId: tgw.transitGateway,
    resourceType: 'vpn',
    resourceIds: ids,
  });
  const out: Record<string, { vpnConnectionId: string; attachment?: AwsTgwAttachment }> = {};
  for (const [role, c] of Object.entries(conns)) {
    if (!c) continue;
    const live = atts.filter((a) => a.resourceId === c.id && a.state !== 'deleted');
    out[role] = { vpnConnectionId: c.id, attachment: live[0] };
  }
  return out;
}

/** poll: the transit gateway, its route table and (when VPC routes are asked for) the VPC attachment are available */
export async function awsCheckTransitGateway(deps: AwsDeps, ref: ConnRef): Promise<{ transitGatewayId: string }> {
  const l = await loadAws(deps, ref);
  const tgw = tgwOf(l);
  const [g, table] = await Promise.all([
    l.aws.describeTransitGateway(tgw.transitGateway),
    l.aws.describeTgwRouteTable(tgw.routeTableId),
  ]);
  const notAvailable = (what: string, state: string | undefined) => {
    if (state === 'pending') return new NotReady(`${what} is pending`, { cloud: 'aws' });
    return new ProviderRejected(`${what} is ${state ?? 'not found'}`, { cloud: 'aws' });
  };
  if (g?.state !== 'available') throw notAvailable(`transit gateway ${tgw.transitGateway}`, g?.state);
  if (table?.state !== 'available') throw notAvailable(`transit gateway route table ${tgw.routeTableId}`, table?.state);
  if (tgw.vpcRoutes) {
    const vpcId = l.record.spec.aws.vpcId;
    const atts = await l.aws.tgwAttachments({ transitGatewayId: g.id, resourceType: 'vpc', resourceIds: [vpcId] });
    if (!atts.some((a) => a.state === 'available'))
      throw notAvailable(`the attachment of ${vpcId} to ${g.id}`, atts.find((a) => a.state !== 'deleted')?.state);
  }
  return { transitGatewayId: g.id };
}

/**
 * poll: every VPN attachment of this connection is available and associated with the spec's route table. A gateway
 * that associates new attachments by default with that table (preflight requires it to be that one) has done it
 * already; otherwise the step associates it (once: an existing association is re-read, not made again).
 */
export async function awsAssociateTgwRouteTable(deps: AwsDeps, ref: ConnRef): Promise<{ associated: number }> {
  const l = await loadAws(deps, ref);
  const tgw = tgwOf(l);
  const byRoleNow = await vpnAttachmentsByRole(l);
  const pending: string[] = [];
  let associated = 0;
  for (const vc of l.plan.awsVpnConnections) {
    const got = byRoleNow[vc.role];
    if (!got) throw new NotYetVisible(`AWS VPN connection ${vc.role} is not visible`, { cloud: 'aws' });
    const a = got.attachment;
    if (!a) {
      pending.push(`the attachment of ${got.vpnConnectionId} is not listed yet`);
      continue;
    }
    if (a.state !== 'available') {
      pending.push(`attachment ${a.id} is ${a.state}`);
      continue;
    }
    if (a.association && a.association.routeTableId !== tgw.routeTableId)
      throw new ProviderRejected(
        `attachment ${a.id} is associated with ${a.association.routeTableId}, not ${tgw.routeTableId} (aws.attach.routeTableId)`,
        { cloud: 'aws' },
      );
    if (!a.association) {
      await l.aws.associateTgwRouteTable(tgw.routeTableId, a.id);
      logger.info('VPN attachment associated', { connection: l.record.name, attachment: a.id });
      pending.push(`attachment ${a.id} is associating`);
      continue;
    }
    if (a.association.state !== 'associated') pending.push(`attachment ${a.id} is ${a.association.state}`);
    else associated++;
  }
  if (pending.length > 0) throw new NotReady(pending.join(', '), { cloud: 'aws' });
  return { associated };
}

/**
 * The static routes for the Alibaba CIDRs in the transit gateway route table, toward the active VPN connection's
 * attachment (vpn-1). A table holds one static route per CIDR: in the dual topology the standby connection (vpn-2)
 * gets none; `awsSteerTgwRoutes` moves them between the two (docs/attach-points.md, "Failover"). A route of the
 * table toward one of this connection's attachments is kept as it is.
 */
export async function awsEnsureTgwRoutes(deps: AwsDeps, ref: ConnRef): Promise<{ created: number }> {
  const l = await loadAws(deps, ref);
  refuseWhileTornDown(l.record);
  const tgw = tgwOf(l);
  const atts = await vpnAttachmentsByRole(l);
  const active = l.plan.awsVpnConnections[0];
  const target = active ? atts[active.role]?.attachment : undefined;
  if (!active || !target)
    throw new NotYetVisible('the VPN attachment of the active connection is not visible', { cloud: 'aws' });
  if (target.state !== 'available') throw new NotReady(`attachment ${target.id} is ${target.state}`, { cloud: 'aws' });
  const ours = new Set(Object.values(atts).flatMap((x) => (x.attachment ? [x.attachment.id] : [])));
  const dests = l.plan.routes.awsDestinations;
  const check = async () => {
    const routes = (await l.aws.tgwRoutes(tgw.routeTableId, dests)).filter((r) => r.type === 'static');
    const missing: string[] = [];
    for (const dest of dests) {
      const r = routes.find((x) => x.destination === dest);
      if (!r) missing.push(dest);
      else if (!r.attachmentId || !ours.has(r.attachmentId))
        throw new ProviderRejected(
          `transit gateway route table ${tgw.routeTableId} already routes ${dest} to ${r.attachmentId ?? 'a blackhole'}`,
          { cloud: 'aws' },
        );
    }
    return missing;
  };
  const missing = await check();
  for (const dest of missing) await l.aws.createTgwRoute(tgw.routeTableId, dest, target.id);
  if (missing.length > 0) {
    // a duplicate refused (a resend after a lost answer) is fine when the route is ours: the table decides
    const still = await check();
    if (still.length > 0)
      throw new NotReady(`transit gateway routes not listed yet: ${still.join(', ')}`, { cloud: 'aws' });
    logger.info('transit gateway routes created', { connection: l.record.name, routes: missing });
  }
  return { created: missing.length };
}

/**
 * Teardown: this connection's static routes in the transit gateway route table (its peer CIDRs toward one of its VPN
 * attachments), before its VPN connections go (a route toward a deleted attachment stays as a blackhole). The
 * gateway, its route table, the VPC attachment and every other route stay.
 */
export async function awsDeleteTgwRoutes(deps: AwsDeps, ref: ConnRef): Promise<{ deleted: number }> {
  const l = await loadIfBuilt(deps, ref, loadAws);
  const tgw = l ? tgwAttachOf(l.record.spec) : undefined;
  if (!l || !tgw) return { deleted: 0 };
  const atts = await vpnAttachmentsByRole(l, ['pending', 'available', 'deleting', 'deleted']);
  const ourConns = new Set(Object.values(atts).map((x) => x.vpnConnectionId));
  const ourAtts = new Set(Object.values(atts).flatMap((x) => (x.attachment ? [x.attachment.id] : [])));
  let deleted = 0;
  for (const r of await l.aws.tgwRoutes(tgw.routeTableId, l.plan.routes.awsDestinations)) {
    if (r.type !== 'static') continue;
    const mine = (r.attachmentId && ourAtts.has(r.attachmentId)) || (r.resourceId && ourConns.has(r.resourceId));
    if (!mine) continue;
    await l.aws.deleteTgwRoute(tgw.routeTableId, r.destination);
    deleted++;
  }
  return { deleted };
}

export interface SteerResult {
  /** false for a connection that needs no steering (not on a transit gateway, or the single-tunnel topology) */
  steered: boolean;
  /** `unlessBusy` and an operation holds the connection: nothing was read or changed */
  busy?: boolean;
  /** the role the routes point at afterwards (absent: left as they were, nothing UP) */
  target?: string;
  changes: SteerChange[];
  reason: string;
}

/**
 * Failover and rotation through a transit gateway (dual-tunnel topology): the static routes for the Alibaba CIDRs
 * point at the attachment of the VPN connection whose used tunnel is UP, the active one (vpn-1) by preference;
 * `avoid` moves them off one role (a rotation, before that connection's endpoint is replaced) and is refused
 * (SteerRefused) when the other one is not UP. Reads the VPN connections (AWS's tunnel telemetry), their attachments
 * and the routes, replaces only the routes whose target must change: a re-run changes nothing. A route toward an
 * attachment that is not this connection's is refused, never replaced. Nothing to do for a connection not on a
 * transit gateway or with one VPN connection (that one fails over between its two tunnels inside AWS).
 */
export async function awsSteerTgwRoutes(
  deps: AwsDeps,
  ref: ConnRef,
  opts: { avoid?: string; unlessBusy?: boolean } = {},
): Promise<SteerResult> {
  const l = await loadAws(deps, ref);
  const tgw = tgwAttachOf(l.record.spec);
  const roles = l.plan.awsVpnConnections.map((c) => c.role);
  if (!tgw || roles.length < 2)
    return { steered: false, changes: [], reason: 'not a dual-tunnel connection through a transit gateway' };
  // the failover watcher leaves a connection alone while an operation holds it (a rotation steers by itself)
  const holder = opts.unlessBusy ? lockHolder(l.record) : undefined;
  if (holder) return { steered: false, busy: true, changes: [], reason: `held by ${describeHolder(holder)}` };
  refuseWhileTornDown(l.record);
  // a VPN connection being modified (one tunnel's endpoint replaced) still carries traffic on the other: its used
  // tunnel's telemetry decides, not the connection's state
  const conns = byRole(await l.aws.findVpnConnections(l.record, ['available', 'modifying'])).map;
  const atts = await vpnAttachmentsByRole(l);
  const connections: SteerConnection[] = roles.map((role) => {
    // the used tunnel of the VPN connection: the plan's tunnel of that connection that carries an Alibaba end
    const used = l.plan.tunnels.find((t) => t.aws.connection === role && t.role !== 'unused');
    const tunnel = used ? conns[role]?.tunnels[used.aws.tunnel - 1] : undefined;
    const a = atts[role]?.attachment;
    return {
      role,
      ...(a && a.state === 'available' ? { attachmentId: a.id } : {}),
      status: tunnel?.telemetry?.status ?? 'DOWN',
    };
  });
  const dests = l.plan.routes.awsDestinations;
  const routes = (await l.aws.tgwRoutes(tgw.routeTableId, dests))
    .filter((r) => r.type === 'static')
    .map((r) => ({ destination: r.destination, attachmentId: r.attachmentId }));
  const d = decideSteer({
    connections,
    destinations: dests,
    routes,
    avoid: opts.avoid,
    routeTableId: tgw.routeTableId,
  });
  for (const c of d.changes) await l.aws.replaceTgwRoute(tgw.routeTableId, c.destination, c.to);
  if (d.changes.length > 0)
    logger.warn('transit gateway routes switched', {
      connection: l.record.name,
      routeTable: tgw.routeTableId,
      from: [...new Set(d.changes.map((c) => c.from))].join(', '),
      to: d.target?.attachmentId,
      toRole: d.target?.role,
      destinations: d.changes.map((c) => c.destination),
      reason: d.reason,
    });
  return {
    steered: true,
    ...(d.target ? { target: d.target.role } : {}),
    changes: d.changes,
    reason: d.reason,
  };
}
