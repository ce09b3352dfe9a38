import { SimError } from '../../core/errors';
import { parseCidr } from '../../core/ipv4';
import type { AwsRoute, AwsRouteTable, AwsVpnGateway } from '../../types';
import { describeByIds, type Ec2Call, lookup, propagated } from './call';
import { bad, combination, dryRun, missing, notFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { paginate } from './pagination';
import { tagSet } from './tags';
import { vpcAttachedTo } from './tgw-attachments';
import { items, type XmlObject } from './xml';

// Route tables (docs/sources.md#aws-aws): explicit routes to a VGW, VGW route propagation, and the derived state every
// Describe computes: `blackhole` for routes whose VGW is no longer attached to the table's VPC, and one
// propagated route per static route of each UP VPN connection on a propagating VGW.

const isAttachedTo = (vgw: AwsVpnGateway | undefined, vpcId: string): boolean =>
  vgw !== undefined &&
  vgw.State !== 'deleted' &&
  vgw.VpcAttachments.some((a) => a.VpcId === vpcId && a.State === 'attached');

/** the routes of `t` as Describe shows them right now */
export function effectiveRoutes(call: Ec2Call, t: AwsRouteTable): AwsRoute[] {
  const { region } = call;
  const explicit = t.Routes.map((r): AwsRoute => {
    // a route to a transit gateway works while the VPC's attachment to it is available (assumed: blackhole otherwise)
    if (r.TransitGatewayId)
      return {
        ...r,
        State: vpcAttachedTo(region, t.VpcId, r.TransitGatewayId)?.State === 'available' ? 'active' : 'blackhole',
      };
    if (!r.GatewayId?.startsWith('vgw-')) return { ...r };
    return { ...r, State: isAttachedTo(region.vpnGateways[r.GatewayId], t.VpcId) ? 'active' : 'blackhole' };
  });
  const taken = new Set(explicit.map((r) => r.DestinationCidrBlock));
  const propagatedRoutes: AwsRoute[] = [];
  for (const vgwId of t.PropagatingVgws) {
    if (!isAttachedTo(region.vpnGateways[vgwId], t.VpcId)) continue;
    for (const c of Object.values(region.vpnConnections)) {
      if (c.VpnGatewayId !== vgwId || c.State !== 'available') continue;
      if (!c.VgwTelemetry.some((tel) => tel.Status === 'UP')) continue;
      for (const r of c.Routes) {
        // an explicit route for the same prefix wins over the propagated one (docs/sources.md#aws-aws, docs/sources.md#the-article-and-the-interoperability-guides-interop)
        if (r.State !== 'available' || taken.has(r.DestinationCidrBlock)) continue;
        taken.add(r.DestinationCidrBlock);
        propagatedRoutes.push({
          DestinationCidrBlock: r.DestinationCidrBlock,
          GatewayId: vgwId,
          State: 'active',
          Origin: 'EnableVgwRoutePropagation',
        });
      }
    }
  }
  return [...explicit, ...propagatedRoutes];
}

function tableXml(t: AwsRouteTable, routes: AwsRoute[]): XmlObject {
  return {
    routeTableId: t.RouteTableId,
    vpcId: t.VpcId,
    ownerId: t.OwnerId,
    routeSet: items(
      routes.map((r) => ({
        destinationCidrBlock: r.DestinationCidrBlock,
        gatewayId: r.GatewayId,
        transitGatewayId: r.TransitGatewayId,
        origin: r.Origin,
        state: r.State,
      })),
    ),
    associationSet: items([
      {
        routeTableAssociationId: t.AssociationId,
        routeTableId: t.RouteTableId,
        main: t.Main,
        associationState: { state: 'associated' },
      },
    ]),
    propagatingVgwSet: items(t.PropagatingVgws.map((g) => ({ gatewayId: g }))),
    tagSet: tagSet(t.Tags),
  };
}

export function describeRouteTables(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('RouteTableId');
  const filters = parseFilters(p);
  const base =
    ids.length > 0 ? describeByIds(call, 'route-table', region.routeTables, ids) : Object.values(region.routeTables);
  const rows = base.map((t) => ({ t, routes: effectiveRoutes(call, t) }));
  const matched = applyFilters(
    rows,
    filters,
    {
      'association.main': ({ t }) => [t.Main],
      'association.route-table-association-id': ({ t }) => [t.AssociationId],
      'association.route-table-id': ({ t }) => [t.RouteTableId],
      'owner-id': ({ t }) => [t.OwnerId],
      'route-table-id': ({ t }) => [t.RouteTableId],
      'route.destination-cidr-block': ({ routes }) => routes.map((r) => r.DestinationCidrBlock),
      'route.gateway-id': ({ routes }) => routes.map((r) => r.GatewayId),
      'route.origin': ({ routes }) => routes.map((r) => r.Origin),
      'route.state': ({ routes }) => routes.map((r) => r.State),
      'route.transit-gateway-id': ({ routes }) => routes.map((r) => r.TransitGatewayId),
      'vpc-id': ({ t }) => [t.VpcId],
    },
    ({ t }) => t.Tags,
  );
  const { page, nextToken } = paginate(matched, p, call.action);
  if (p.dryRun()) throw dryRun();
  return { routeTableSet: items(page.map(({ t, routes }) => tableXml(t, routes))), nextToken };
}

// ------------------------------------------------------------------ CreateRoute / DeleteRoute

/** route targets other than GatewayId: none exists in the simulated world */
const OTHER_TARGETS: Record<string, { code: string; noun: string }> = {
  NatGatewayId: { code: 'NatGatewayNotFound', noun: 'natGateway' },
  InstanceId: { code: 'InvalidInstanceID.NotFound', noun: 'instance' },
  NetworkInterfaceId: { code: 'InvalidNetworkInterfaceID.NotFound', noun: 'networkInterface' },
  VpcPeeringConnectionId: { code: 'InvalidVpcPeeringConnectionID.NotFound', noun: 'vpcPeeringConnection' },
  EgressOnlyInternetGatewayId: { code: 'InvalidGatewayID.NotFound', noun: 'egressOnlyInternetGateway' },
  LocalGatewayId: { code: 'InvalidLocalGatewayID.NotFound', noun: 'localGateway' },
  CarrierGatewayId: { code: 'InvalidCarrierGatewayID.NotFound', noun: 'carrierGateway' },
  VpcEndpointId: { code: 'InvalidVpcEndpointId.NotFound', noun: 'vpcEndpoint' },
  CoreNetworkArn: { code: 'InvalidParameterValue', noun: 'coreNetwork' },
};

function destination(call: Ec2Call): string {
  const dest = call.p.str('DestinationCidrBlock');
  if (dest === undefined) {
    if (call.p.str('DestinationIpv6CidrBlock') !== undefined || call.p.str('DestinationPrefixListId') !== undefined)
      throw bad('Only IPv4 destinations (DestinationCidrBlock) are supported by the simulator');
    throw missing('DestinationCidrBlock');
  }
  if (!parseCidr(dest))
    throw bad(`Value (${dest}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return dest;
}

export function createRoute(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const tableId = p.required('RouteTableId');
  const dest = destination(call);
  const targets = ['GatewayId', 'TransitGatewayId', ...Object.keys(OTHER_TARGETS)].filter(
    (k) => p.str(k) !== undefined,
  );
  if (targets.length === 0)
    throw new SimError('MissingParameter', 'The request must contain exactly one route target, e.g. GatewayId', 400);
  if (targets.length > 1) throw combination(`Only one route target may be given, got: ${targets.join(', ')}`);
  const table = lookup(call, 'route-table', region.routeTables, tableId);
  const targetKey = targets[0] as string;
  const targetId = p.str(targetKey) as string;
  const other = OTHER_TARGETS[targetKey];
  if (other) throw new SimError(other.code, `The ${other.noun} ID '${targetId}' does not exist`, 400);
  if (targetKey === 'TransitGatewayId') return createRouteToTgw(call, table, dest, targetId);

  const vgw = targetId.startsWith('vgw-') ? region.vpnGateways[targetId] : undefined;
  if (!vgw || vgw.State === 'deleted' || !propagated(call.ctx, vgw.CreatedAt))
    throw new SimError('InvalidGatewayID.NotFound', `The gateway ID '${targetId}' does not exist`, 400);
  // A VGW not attached to the table's VPC: the real service answers CreateRoute with the same
  // InvalidParameterValue it gives for a foreign internet gateway ("… belong to different networks");
  // Gateway.NotAttached is kept for EnableVgwRoutePropagation.
  if (!isAttachedTo(vgw, table.VpcId))
    throw bad(`route table ${tableId} and network gateway ${targetId} belong to different networks`);
  if (table.Routes.some((r) => r.DestinationCidrBlock === dest))
    throw new SimError('RouteAlreadyExists', `The route identified by ${dest} already exists.`, 400);
  if (p.dryRun()) throw dryRun();
  table.Routes.push({ DestinationCidrBlock: dest, GatewayId: targetId, State: 'active', Origin: 'CreateRoute' });
  return { return: true };
}

/**
 * A route to a transit gateway: the gateway must exist, and the VPC must have an attachment to it (assumed: the same
 * "belong to different networks" refusal as a VGW of another VPC, while no attachment exists).
 */
function createRouteToTgw(call: Ec2Call, table: AwsRouteTable, dest: string, tgwId: string): XmlObject {
  const { p, region } = call;
  const g = region.transitGateways[tgwId];
  if (!g || g.State === 'deleted' || !propagated(call.ctx, g.CreatedAt)) throw notFound('transit-gateway', tgwId);
  if (!vpcAttachedTo(region, table.VpcId, tgwId))
    throw bad(`route table ${table.RouteTableId} and network gateway ${tgwId} belong to different networks`);
  if (table.Routes.some((r) => r.DestinationCidrBlock === dest))
    throw new SimError('RouteAlreadyExists', `The route identified by ${dest} already exists.`, 400);
  if (p.dryRun()) throw dryRun();
  table.Routes.push({ DestinationCidrBlock: dest, TransitGatewayId: tgwId, State: 'active', Origin: 'CreateRoute' });
  return { return: true };
}

export function deleteRoute(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const tableId = p.required('RouteTableId');
  const dest = destination(call);
  const table = lookup(call, 'route-table', region.routeTables, tableId);
  const route = table.Routes.find((r) => r.DestinationCidrBlock === dest);
  if (!route)
    throw new SimError(
      'InvalidRoute.NotFound',
      `no route with destination-cidr-block ${dest} in route table ${tableId}`,
      400,
    );
  if (route.Origin === 'CreateRouteTable') throw bad(`cannot remove local route ${dest} in route table ${tableId}`);
  if (p.dryRun()) throw dryRun();
  table.Routes = table.Routes.filter((r) => r !== route);
  return { return: true };
}

// ------------------------------------------------------------------ propagation

function propagationTarget(call: Ec2Call): { table: AwsRouteTable; vgwId: string; vgw: AwsVpnGateway } {
  const { p, region } = call;
  const vgwId = p.required('GatewayId');
  const tableId = p.required('RouteTableId');
  const table = lookup(call, 'route-table', region.routeTables, tableId);
  if (!vgwId.startsWith('vgw-')) throw notFound('vpn-gateway', vgwId);
  const vgw = lookup(call, 'vpn-gateway', region.vpnGateways, vgwId);
  return { table, vgwId, vgw };
}

export function enableVgwRoutePropagation(call: Ec2Call): XmlObject {
  const { table, vgwId, vgw } = propagationTarget(call);
  if (!isAttachedTo(vgw, table.VpcId))
    throw new SimError('Gateway.NotAttached', `resource ${vgwId} is not attached to network ${table.VpcId}`, 400);
  if (call.p.dryRun()) throw dryRun();
  if (!table.PropagatingVgws.includes(vgwId)) table.PropagatingVgws.push(vgwId);
  return { return: true };
}

export function disableVgwRoutePropagation(call: Ec2Call): XmlObject {
  const { table, vgwId } = propagationTarget(call);
  if (call.p.dryRun()) throw dryRun();
  // disabling a propagation that is not enabled succeeds and changes nothing (unconfirmed)
  table.PropagatingVgws = table.PropagatingVgws.filter((g) => g !== vgwId);
  return { return: true };
}
