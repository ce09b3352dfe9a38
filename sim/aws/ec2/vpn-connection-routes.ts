import { assumedUse, SimError } from '../../core/errors';
import { parseCidr } from '../../core/ipv4';
import type { AwsVpnConnection, AwsVpnConnectionRoute } from '../../types';
import { type Ec2Call, lookup } from './call';
import { bad } from './errors';
import type { XmlObject } from './xml';

// Static routes of a VPN connection (CreateVpnConnectionRoute / DeleteVpnConnectionRoute, docs/sources.md#aws-aws):
// pending -> available, deleting -> gone.

const STATIC_ROUTE_QUOTA = 100;

function routeTarget(call: Ec2Call): { conn: AwsVpnConnection; dest: string } {
  const { p, region } = call;
  const id = p.required('VpnConnectionId');
  const dest = p.required('DestinationCidrBlock');
  if (!parseCidr(dest))
    throw bad(`Value (${dest}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  const conn = lookup(call, 'vpn-connection', region.vpnConnections, id);
  if (conn.State !== 'available')
    throw new SimError(
      'InvalidVpnConnection.InvalidState',
      `The VPN connection '${id}' must be in the available state to complete the request (it is ${conn.State}).`,
      400,
    );
  return { conn, dest };
}

const liveRoute = (conn: AwsVpnConnection, dest: string) =>
  conn.Routes.find((r) => r.DestinationCidrBlock === dest && (r.State === 'pending' || r.State === 'available'));

export function createVpnConnectionRoute(call: Ec2Call): XmlObject {
  const { conn, dest } = routeTarget(call);
  // a connection on a transit gateway takes its static routes in the transit gateway's route table (the user guide:
  // "Static routes for a transit gateway VPN attachment"); the code is assumed
  if (conn.TransitGatewayId)
    throw assumedUse(
      new SimError(
        'InvalidVpnConnection.InvalidType',
        `The VPN connection '${conn.VpnConnectionId}' is attached to transit gateway ${conn.TransitGatewayId}: add static routes to its route table (CreateTransitGatewayRoute).`,
        400,
      ),
    );
  if (!conn.StaticRoutesOnly)
    throw new SimError(
      'InvalidVpnConnection.InvalidType',
      `The VPN connection '${conn.VpnConnectionId}' does not support static routes.`,
      400,
    );
  // A route that already exists answers success and adds nothing (no documented duplicate error for VPN
  // static routes; the call is effectively idempotent).
  if (liveRoute(conn, dest)) return { return: true };
  const count = conn.Routes.filter((r) => r.State === 'pending' || r.State === 'available').length;
  // RouteLimitExceeded is EC2's documented route-limit code; the VPN-specific code is unconfirmed.
  if (count >= STATIC_ROUTE_QUOTA)
    throw new SimError(
      'RouteLimitExceeded',
      `The maximum number of static routes (${STATIC_ROUTE_QUOTA}) for VPN connection '${conn.VpnConnectionId}' has been reached.`,
      400,
    );
  conn.Routes = conn.Routes.filter((r) => r.DestinationCidrBlock !== dest);
  const route = {
    DestinationCidrBlock: dest,
    Source: 'Static' as const,
    State: 'pending' as AwsVpnConnectionRoute['State'],
  };
  conn.Routes.push(route);
  call.ctx.after('aws.vpnConnectionRoute.create', `vpn ${conn.VpnConnectionId} route ${dest} available`, () => {
    if (route.State === 'pending') route.State = 'available';
  });
  return { return: true };
}

export function deleteVpnConnectionRoute(call: Ec2Call): XmlObject {
  const { conn, dest } = routeTarget(call);
  // a route already deleting counts as absent (the product treats InvalidRoute.NotFound as "already gone")
  const route = liveRoute(conn, dest);
  if (!route)
    throw new SimError(
      'InvalidRoute.NotFound',
      `The route identified by ${dest} does not exist in VPN connection '${conn.VpnConnectionId}'`,
      400,
    );
  route.State = 'deleting';
  call.ctx.after('aws.vpnConnectionRoute.delete', `vpn ${conn.VpnConnectionId} route ${dest} gone`, () => {
    if (route.State === 'deleting') conn.Routes = conn.Routes.filter((r) => r !== route);
  });
  return { return: true };
}
