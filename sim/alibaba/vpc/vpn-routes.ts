import { SimError } from '../../core/errors';
import { type Cidr, cidrsOverlap, parseCidr } from '../../core/ipv4';
import type { AliRegionState, AliRouteEntry, AliVpnGateway, AliVpnRouteEntry } from '../../types';
import { type Body, type Handler, isoSeconds } from './common';
import { illegal, quotaFull, vpnConnectionNotFound } from './errors';
import { assertGatewayIdle, findGateway, startGatewayChange } from './gateway-tasks';
import { isDualTunnel } from './gateways';
import { checkText, type Params, pageOf, paginate } from './params';

// Destination-based VPN route entries (docs/sources.md#alibaba-cloud-alibaba), serialized on the gateway. PublishVpc=true also
// puts the destination into the VPC's SYSTEM route table (next hop = the gateway), never custom tables.

/** 20 destination routes per gateway (2021 limit) */
const ROUTE_QUOTA = 20;
const CGNAT = parseCidr('100.64.0.0/10') as Cidr;

function routeDest(p: Params, gw: AliVpnGateway): string {
  const dest = p.required('RouteDest');
  const c = parseCidr(dest);
  if (!c) throw illegal('RouteDest', dest, 'not a CIDR block');
  if (c.prefix === 0) throw illegal('RouteDest', dest, '0.0.0.0/0 is not allowed');
  if (!isDualTunnel(gw) && cidrsOverlap(c, CGNAT))
    throw illegal('RouteDest', dest, 'single-tunnel gateways cannot route 100.64.0.0/10');
  return dest;
}

function weightOf(p: Params): number {
  const w = p.requiredInt('Weight');
  if (w !== 0 && w !== 100) throw illegal('Weight', String(w), 'valid values: 0, 100');
  return w;
}

function overlayOf(p: Params): string {
  const v = p.str('OverlayMode') ?? 'Ipsec';
  if (v !== 'Ipsec') throw illegal('OverlayMode', v, 'valid values: Ipsec');
  return v;
}

function systemTableOf(r: AliRegionState, gw: AliVpnGateway): string | undefined {
  return r.vpcs[gw.VpcId]?.RouteTableId;
}

function publishedEntry(r: AliRegionState, gw: AliVpnGateway, dest: string): AliRouteEntry | undefined {
  const table = systemTableOf(r, gw);
  return Object.values(r.routeEntries).find(
    (e) =>
      e.RouteTableId === table &&
      e.DestinationCidrBlock === dest &&
      e.Origin === 'vpn-publish' &&
      e.NextHopId === gw.VpnGatewayId,
  );
}

function renderVpnRoute(e: AliVpnRouteEntry): Body {
  return {
    VpnInstanceId: e.VpnInstanceId,
    RouteDest: e.RouteDest,
    NextHop: e.NextHop,
    Weight: e.Weight,
    State: e.State,
    RouteEntryType: e.RouteEntryType,
    CreateTime: e.CreateTime,
    AsPath: '',
    Community: '',
  };
}

export const createVpnRouteEntry: Handler = (call) => {
  const r = call.region();
  return call.idempotent(() => {
    const p = call.p;
    const gw = findGateway(r, p.required('VpnGatewayId'));
    const dest = routeDest(p, gw);
    const nextHop = p.required('NextHop');
    const conn = r.vpnConnections[nextHop];
    if (!conn || conn.VpnGatewayId !== gw.VpnGatewayId) throw vpnConnectionNotFound(nextHop, 'NextHop');
    const publish = p.requiredBool('PublishVpc');
    // required even on dual-tunnel gateways, where it has no effect
    const weight = weightOf(p);
    const overlay = overlayOf(p);
    const description = checkText(p, 'Description', 'InvalidDescription', 1, 100);
    assertGatewayIdle(gw);
    const mine = r.vpnRouteEntries.filter((e) => e.VpnInstanceId === gw.VpnGatewayId);
    // code unconfirmed
    if (mine.some((e) => e.RouteDest === dest && e.NextHop === nextHop))
      throw new SimError(
        'VpnRouteEntry.AlreadyExist',
        `The VPN route entry ${dest} via ${nextHop} already exists on ${gw.VpnGatewayId}.`,
        400,
      );
    if (mine.length >= ROUTE_QUOTA) throw quotaFull('destination routes per VPN gateway', ROUTE_QUOTA);
    const table = systemTableOf(r, gw);
    if (publish && table) {
      // unconfirmed: publishing a destination the system table already routes elsewhere is refused
      const clash = Object.values(r.routeEntries).find(
        (e) =>
          e.RouteTableId === table &&
          e.DestinationCidrBlock === dest &&
          !(e.Origin === 'vpn-publish' && e.NextHopId === gw.VpnGatewayId),
      );
      if (clash)
        throw new SimError(
          'InvalidCIDRBlock.Duplicate',
          `The system route table ${table} already has a route for ${dest} (${clash.RouteEntryId}).`,
          400,
        );
    }
    call.checkDryRun();

    const now = call.now();
    const entry: AliVpnRouteEntry = {
      VpnInstanceId: gw.VpnGatewayId,
      RouteDest: dest,
      NextHop: nextHop,
      Weight: weight,
      OverlayMode: overlay,
      PublishVpc: publish,
      ...(description !== undefined ? { Description: description } : {}),
      State: publish ? 'published' : 'normal',
      CreateTime: now,
      RouteEntryType: 'custom',
    };
    r.vpnRouteEntries.push(entry);
    let published = publish && table ? publishedEntry(r, gw, dest) : undefined;
    if (publish && table && !published) {
      published = {
        RouteEntryId: call.ctx.ids.ali('rte'),
        RouteTableId: table,
        DestinationCidrBlock: dest,
        Type: 'Custom',
        Status: 'Pending',
        NextHopType: 'VpnGateway',
        NextHopId: gw.VpnGatewayId,
        Origin: 'vpn-publish',
        GmtModified: isoSeconds(now),
      };
      r.routeEntries[published.RouteEntryId] = published;
    }
    const publishedId = published?.RouteEntryId;
    startGatewayChange(call, r, gw, `vpn route ${dest} added`, () => {
      const e = publishedId ? r.routeEntries[publishedId] : undefined;
      if (e?.Status === 'Pending') {
        e.Status = 'Available';
        e.GmtModified = isoSeconds(call.ctx.now());
      }
    });
    return {
      VpnInstanceId: entry.VpnInstanceId,
      RouteDest: dest,
      NextHop: nextHop,
      Weight: weight,
      OverlayMode: overlay,
      Description: description ?? '',
      State: entry.State,
      CreateTime: now,
    };
  });
};

export const deleteVpnRouteEntry: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const gw = findGateway(r, p.required('VpnGatewayId'));
  const dest = p.required('RouteDest');
  const nextHop = p.required('NextHop');
  const weight = weightOf(p);
  overlayOf(p);
  assertGatewayIdle(gw);
  const idx = r.vpnRouteEntries.findIndex(
    (e) => e.VpnInstanceId === gw.VpnGatewayId && e.RouteDest === dest && e.NextHop === nextHop && e.Weight === weight,
  );
  // code unconfirmed (the generic route-entry NotFound; callers treat *.NotFound on delete as done)
  if (idx < 0)
    throw new SimError(
      'InvalidRouteEntry.NotFound',
      `The VPN route entry ${dest} via ${nextHop} (Weight ${weight}) does not exist.`,
      404,
    );
  const [removed] = r.vpnRouteEntries.splice(idx, 1);
  const stillPublished = r.vpnRouteEntries.some(
    (e) => e.VpnInstanceId === gw.VpnGatewayId && e.RouteDest === dest && e.PublishVpc,
  );
  const published = removed?.PublishVpc && !stillPublished ? publishedEntry(r, gw, dest) : undefined;
  if (published) {
    published.Status = 'Deleting';
    published.GmtModified = isoSeconds(call.now());
  }
  const publishedId = published?.RouteEntryId;
  startGatewayChange(call, r, gw, `vpn route ${dest} removed`, () => {
    if (publishedId) delete r.routeEntries[publishedId];
  });
  return {};
};

export const describeVpnRouteEntries: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const gw = findGateway(r, p.required('VpnGatewayId'));
  const type = p.oneOf('RouteEntryType', ['custom', 'bgp'] as const) ?? 'custom';
  const page = pageOf(p);
  // BGP-learned routes are not simulated
  const all = type === 'custom' ? r.vpnRouteEntries.filter((e) => e.VpnInstanceId === gw.VpnGatewayId) : [];
  return {
    TotalCount: all.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    VpnRouteEntries: { VpnRouteEntry: paginate(all, page).map(renderVpnRoute) },
    VpnRouteCounts: { VpnRouteCount: [{ RouteEntryType: type, Source: 'CUSTOM', RouteCount: all.length }] },
  };
};
