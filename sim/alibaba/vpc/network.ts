import { cidrSize, parseCidr } from '../../core/ipv4';
import type { AliRegionState, AliRouteTable, AliVpc, AliVSwitch } from '../../types';
import type { Body, Handler } from './common';
import { missing } from './errors';
import { pageOf, paginate } from './params';

// Read-only views of the seeded network: VPCs, vSwitches, route tables, and the zones a VPN gateway can use.

function renderVpc(v: AliVpc, r: AliRegionState, regionId: string): Body {
  return {
    VpcId: v.VpcId,
    VpcName: v.VpcName,
    CidrBlock: v.CidrBlock,
    Status: v.Status,
    VRouterId: v.RouterId,
    RegionId: regionId,
    CreationTime: v.CreationTime,
    Description: '',
    IsDefault: false,
    EnabledIpv6: false,
    Ipv6CidrBlock: '',
    CenStatus: 'Detached',
    VSwitchIds: { VSwitchId: [...v.VSwitchIds] },
    RouterTableIds: {
      RouterTableIds: Object.values(r.routeTables)
        .filter((t) => t.VpcId === v.VpcId)
        .map((t) => t.RouteTableId),
    },
    UserCidrs: { UserCidr: [] },
    NatGatewayIds: { NatGatewayIds: [] },
    Tags: { Tag: [] },
  };
}

function renderVSwitch(v: AliVSwitch, r: AliRegionState): Body {
  const c = parseCidr(v.CidrBlock);
  const table = r.routeTables[v.RouteTableId];
  return {
    VSwitchId: v.VSwitchId,
    VpcId: v.VpcId,
    ZoneId: v.ZoneId,
    CidrBlock: v.CidrBlock,
    VSwitchName: v.VSwitchName,
    Status: v.Status,
    // Alibaba reserves 4 addresses per vSwitch; nothing else is simulated as using addresses
    AvailableIpAddressCount: c ? Math.max(0, cidrSize(c) - 4) : 0,
    CreationTime: r.vpcs[v.VpcId]?.CreationTime ?? '',
    Description: '',
    IsDefault: false,
    EnabledIpv6: false,
    RouteTable: { RouteTableId: v.RouteTableId, RouteTableType: table?.RouteTableType ?? 'System' },
    Tags: { Tag: [] },
  };
}

function renderRouteTable(t: AliRouteTable): Body {
  return {
    RouteTableId: t.RouteTableId,
    RouteTableType: t.RouteTableType,
    RouteTableName: t.RouteTableName,
    RouterId: t.RouterId,
    RouterType: t.RouterType,
    VpcId: t.VpcId,
    Status: t.Status,
    CreationTime: t.CreationTime,
    Description: '',
    AssociateType: 'VSwitch',
    RoutePropagationEnable: true,
    VSwitchIds: { VSwitchId: [...t.VSwitchIds] },
    GatewayIds: { GatewayIds: [] },
    Tags: { Tag: [] },
  };
}

/** `VpcId` may list several ids separated by commas (up to 20 on the real API) */
function idSet(text: string | undefined): Set<string> | undefined {
  return text === undefined ? undefined : new Set(text.split(',').map((s) => s.trim()));
}

export const describeVpcs: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const page = pageOf(p);
  const ids = idSet(p.str('VpcId'));
  const name = p.str('VpcName');
  const isDefault = p.bool('IsDefault');
  const all = Object.values(r.vpcs).filter(
    (v) => (!ids || ids.has(v.VpcId)) && (name === undefined || v.VpcName === name) && isDefault !== true,
  );
  return {
    TotalCount: all.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    Vpcs: { Vpc: paginate(all, page).map((v) => renderVpc(v, r, call.req.region)) },
  };
};

export const describeVSwitches: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const page = pageOf(p);
  const vpcId = p.str('VpcId');
  const ids = idSet(p.str('VSwitchId'));
  const zone = p.str('ZoneId');
  const table = p.str('RouteTableId');
  const name = p.str('VSwitchName');
  const all = Object.values(r.vswitches).filter(
    (v) =>
      (vpcId === undefined || v.VpcId === vpcId) &&
      (!ids || ids.has(v.VSwitchId)) &&
      (zone === undefined || v.ZoneId === zone) &&
      (table === undefined || v.RouteTableId === table) &&
      (name === undefined || v.VSwitchName === name),
  );
  return {
    TotalCount: all.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    VSwitches: { VSwitch: paginate(all, page).map((v) => renderVSwitch(v, r)) },
  };
};

export const describeRouteTableList: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const page = pageOf(p);
  const vpcId = p.str('VpcId');
  const id = p.str('RouteTableId');
  const type = p.str('RouteTableType');
  const routerId = p.str('RouterId');
  const routerType = p.str('RouterType');
  const name = p.str('RouteTableName');
  const all = Object.values(r.routeTables).filter(
    (t) =>
      (vpcId === undefined || t.VpcId === vpcId) &&
      (id === undefined || t.RouteTableId === id) &&
      (type === undefined || t.RouteTableType === type) &&
      (routerId === undefined || t.RouterId === routerId) &&
      (routerType === undefined || t.RouterType === routerType) &&
      (name === undefined || t.RouteTableName === name),
  );
  return {
    TotalCount: all.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    RouterTableList: { RouterTableListType: paginate(all, page).map(renderRouteTable) },
  };
};

/** the bandwidth specifications DescribeVpnGatewayAvailableZones takes (`Spec`, required) */
const SPECS = ['5M', '10M', '20M', '50M', '100M', '200M', '500M', '1000M'] as const;

/**
 * The zones where a VPN gateway of `GatewayType` can be made (the API reference): `Traditional` (the gateways
 * CreateVpnGateway makes, IPsec and SSL), `Enhanced.SiteToSite` (the IPsec-only gateways of
 * CreateEnhancedVpnGateway), or every type when absent. It says nothing about single- or dual-tunnel mode.
 */
export const describeVpnGatewayAvailableZones: Handler = (call) => {
  const r = call.region();
  if (call.p.oneOf('Spec', SPECS) === undefined) throw missing('Spec');
  const type = call.p.oneOf('GatewayType', ['Traditional', 'Enhanced.SiteToSite'] as const);
  const zones = type === 'Enhanced.SiteToSite' ? r.zones.filter((z) => r.enhancedZones.includes(z.ZoneId)) : r.zones;
  return {
    RegionId: call.req.region,
    AvailableZoneIdList: zones.map((z) => ({ ZoneId: z.ZoneId, ZoneName: z.LocalName })),
  };
};
