import { SimError } from '../../core/errors';
import { cidrContains, parseCidr } from '../../core/ipv4';
import type { AliRegionState, AliRouteEntry, AliRouteTable } from '../../types';
import { type Body, type Call, type Handler, isoSeconds } from './common';
import { illegal, missing, notFound, quotaFull, vpnGatewayNotFound } from './errors';
import { checkText } from './params';

// VPC route table entries (docs/sources.md#alibaba-cloud-alibaba). Asynchronous: Pending -> Available after
// `alibaba.routeEntry.create`, Deleting -> gone after `alibaba.routeEntry.delete`. One create/delete at a
// time per VPC: another one meanwhile gets 400 TaskConflict (retryable).

/** 200 custom entries per route table */
const CUSTOM_ROUTE_QUOTA = 200;
const NEXT_HOP_TYPES = [
  'Instance',
  'VpnGateway',
  'HaVip',
  'RouterInterface',
  'NetworkInterface',
  'IPv6Gateway',
  'NatGateway',
  'Attachment',
  'VpcPeer',
  'Ipv4Gateway',
  'GatewayEndpoint',
  'Ecr',
  'GatewayLoadBalancerEndpoint',
  'RouteTargetGroup',
] as const;
const ENTRY_TYPES = ['Custom', 'System', 'BGP', 'CEN', 'ECR'] as const;

function findTable(r: AliRegionState, id: string): AliRouteTable {
  const t = r.routeTables[id];
  if (!t) throw notFound('InvalidRouteTableId.NotFound', 'route table (RouteTableId)', id);
  return t;
}

/** a user route create/delete still in progress in this VPC (published VPN routes are the gateway's business) */
function assertNoRouteTask(r: AliRegionState, vpcId: string): void {
  const busy = Object.values(r.routeEntries).some(
    (e) =>
      (e.Status === 'Pending' || e.Status === 'Deleting') &&
      e.Origin !== 'vpn-publish' &&
      r.routeTables[e.RouteTableId]?.VpcId === vpcId,
  );
  if (busy) throw new SimError('TaskConflict', 'The operation conflicts with other task. Please try again later.', 400);
}

/** the next hop must exist (only VPN gateways are simulated; any other id is unknown) */
function checkNextHop(r: AliRegionState, table: AliRouteTable, type: string, id: string): void {
  if (type === 'VpnGateway') {
    const gw = r.vpnGateways[id];
    if (!gw) throw vpnGatewayNotFound(id);
    if (gw.VpcId !== table.VpcId) throw illegal('NextHopId', id, `the VPN gateway is not in VPC ${table.VpcId}`);
    return;
  }
  if (type === 'Instance') throw notFound('InvalidInstanceId.NotFound', 'instance (NextHopId)', id);
  throw notFound('InvalidNextHopId.NotFound', `${type} (NextHopId)`, id);
}

export const createRouteEntry: Handler = (call) => {
  const r = call.region();
  return call.idempotent(() => {
    const p = call.p;
    const table = findTable(r, p.required('RouteTableId'));
    const destText = p.required('DestinationCidrBlock');
    const dest = parseCidr(destText);
    // codes for malformed / vSwitch-overlapping destinations are unconfirmed
    if (!dest || destText === '100.64.0.0/10')
      throw new SimError(
        'InvalidDestCIDRBlock.Malformed',
        `The specified DestinationCidrBlock "${destText}" is not a valid destination.`,
        400,
      );
    const vsw = Object.values(r.vswitches).find((v) => {
      const c = v.VpcId === table.VpcId ? parseCidr(v.CidrBlock) : undefined;
      return c !== undefined && cidrContains(c, dest);
    });
    if (vsw)
      throw new SimError(
        'InvalidDestCIDRBlock.Conflict',
        `The DestinationCidrBlock ${destText} equals or lies inside the CIDR block of vSwitch ${vsw.VSwitchId} (${vsw.CidrBlock}).`,
        400,
      );
    if (p.hasSub('NextHopList')) throw illegal('NextHopList', '...', 'ECMP routes are not simulated');
    const type = p.oneOf('NextHopType', NEXT_HOP_TYPES) ?? 'Instance';
    const hopId = p.required('NextHopId');
    checkNextHop(r, table, type, hopId);
    const name = checkText(p, 'RouteEntryName', 'InvalidRouteEntryName', 1, 128);
    const description = checkText(p, 'Description', 'InvalidDescription', 1, 256);
    assertNoRouteTask(r, table.VpcId);
    const inTable = Object.values(r.routeEntries).filter((e) => e.RouteTableId === table.RouteTableId);
    const same = inTable.find((e) => e.DestinationCidrBlock === destText);
    if (same?.NextHopId === hopId)
      throw new SimError(
        'RouterEntryConflict.Duplicated',
        `A route entry for ${destText} via ${hopId} already exists (${same.RouteEntryId}).`,
        400,
      );
    if (same)
      throw new SimError(
        'InvalidCIDRBlock.Duplicate',
        `The route table already has an entry for ${destText} (${same.RouteEntryId}, next hop ${same.NextHopId || same.NextHopType}).`,
        400,
      );
    if (inTable.filter((e) => e.Type === 'Custom').length >= CUSTOM_ROUTE_QUOTA)
      throw quotaFull('custom route entries per route table', CUSTOM_ROUTE_QUOTA);
    call.checkDryRun();

    const id = call.ctx.ids.ali('rte');
    const entry: AliRouteEntry = {
      RouteEntryId: id,
      RouteTableId: table.RouteTableId,
      DestinationCidrBlock: destText,
      Type: 'Custom',
      Status: 'Pending',
      NextHopType: type,
      NextHopId: hopId,
      ...(name !== undefined ? { RouteEntryName: name } : {}),
      ...(description !== undefined ? { Description: description } : {}),
      GmtModified: isoSeconds(call.now()),
    };
    r.routeEntries[id] = entry;
    call.ctx.after('alibaba.routeEntry.create', `${id} available`, () => {
      const e = r.routeEntries[id];
      if (e?.Status !== 'Pending') return;
      e.Status = 'Available';
      e.GmtModified = isoSeconds(call.ctx.now());
    });
    return { RouteEntryId: id };
  });
};

function findEntryToDelete(call: Call, r: AliRegionState): AliRouteEntry {
  const p = call.p;
  const id = p.str('RouteEntryId');
  const tableId = p.str('RouteTableId');
  let entry: AliRouteEntry | undefined;
  let label: string;
  if (id !== undefined) {
    entry = r.routeEntries[id];
    if (entry && tableId !== undefined && entry.RouteTableId !== tableId) entry = undefined;
    label = id;
  } else {
    if (tableId === undefined) throw missing('RouteEntryId');
    const dest = p.required('DestinationCidrBlock');
    const hop = p.str('NextHopId');
    findTable(r, tableId);
    entry = Object.values(r.routeEntries).find(
      (e) =>
        e.RouteTableId === tableId && e.DestinationCidrBlock === dest && (hop === undefined || e.NextHopId === hop),
    );
    label = `${tableId} ${dest}${hop ? ` via ${hop}` : ''}`;
  }
  if (!entry) throw new SimError('InvalidRouteEntry.NotFound', `The route entry ${label} does not exist.`, 404);
  return entry;
}

export const deleteRouteEntry: Handler = (call) => {
  const r = call.region();
  const entry = findEntryToDelete(call, r);
  // codes unconfirmed: system routes and routes published by a VPN gateway are not deletable here
  if (entry.Type === 'System')
    throw new SimError('OperationUnsupported.SystemRouteEntry', 'System route entries cannot be deleted.', 400);
  if (entry.Origin === 'vpn-publish')
    throw new SimError(
      'OperationUnsupported.VpnPublishedRouteEntry',
      'This route entry was published by a VPN gateway; withdraw it through the VPN gateway.',
      400,
    );
  if (entry.Status !== 'Available')
    throw new SimError(
      'IncorrectRouteEntryStatus',
      `The route entry ${entry.RouteEntryId} is ${entry.Status}; only Available entries can be deleted.`,
      400,
    );
  assertNoRouteTask(r, r.routeTables[entry.RouteTableId]?.VpcId ?? '');
  call.checkDryRun();
  entry.Status = 'Deleting';
  entry.GmtModified = isoSeconds(call.now());
  const id = entry.RouteEntryId;
  call.ctx.after('alibaba.routeEntry.delete', `${id} gone`, () => {
    if (r.routeEntries[id]?.Status === 'Deleting') delete r.routeEntries[id];
  });
  return {};
};

function renderEntry(e: AliRouteEntry, regionId: string): Body {
  return {
    RouteEntryId: e.RouteEntryId,
    RouteTableId: e.RouteTableId,
    DestinationCidrBlock: e.DestinationCidrBlock,
    Type: e.Type,
    Status: e.Status,
    RouteEntryName: e.RouteEntryName ?? '',
    Description: e.Description ?? '',
    IpVersion: 'ipv4',
    ...(e.Origin !== undefined ? { Origin: e.Origin } : {}),
    ...(e.GmtModified !== undefined ? { GmtModified: e.GmtModified } : {}),
    NextHops: {
      NextHop: [
        {
          NextHopType: e.NextHopType,
          NextHopId: e.NextHopId,
          Enabled: 1,
          NextHopRegionId: regionId,
          NextHopRelatedInfo: {},
        },
      ],
    },
  };
}

export const describeRouteEntryList: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const table = findTable(r, p.required('RouteTableId'));
  const maxResult = p.int('MaxResult', 1, 100) ?? 10;
  const tokenText = p.str('NextToken');
  const offset = tokenText === undefined ? 0 : Number(tokenText);
  if (tokenText !== undefined && !/^\d+$/.test(tokenText)) throw illegal('NextToken', tokenText);
  const dest = p.str('DestinationCidrBlock');
  const dests = p.scalars('DestCidrBlockList');
  const id = p.str('RouteEntryId');
  const name = p.str('RouteEntryName');
  const type = p.oneOf('RouteEntryType', ENTRY_TYPES);
  const hopId = p.str('NextHopId');
  const hopType = p.str('NextHopType');
  const all = Object.values(r.routeEntries).filter(
    (e) =>
      e.RouteTableId === table.RouteTableId &&
      (dest === undefined || e.DestinationCidrBlock === dest) &&
      (dests.length === 0 || dests.includes(e.DestinationCidrBlock)) &&
      (id === undefined || e.RouteEntryId === id) &&
      (name === undefined || e.RouteEntryName === name) &&
      (type === undefined || e.Type === type) &&
      (hopId === undefined || e.NextHopId === hopId) &&
      (hopType === undefined || e.NextHopType === hopType),
  );
  const pageItems = all.slice(offset, offset + maxResult);
  const next = offset + maxResult < all.length ? String(offset + maxResult) : '';
  return {
    TotalCount: all.length,
    NextToken: next,
    RouteEntrys: { RouteEntry: pageItems.map((e) => renderEntry(e, call.req.region)) },
  };
};
