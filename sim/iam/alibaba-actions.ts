import { Params } from '../alibaba/vpc/params';
import type { SimContext } from '../core/context';
import type { AliRegionState, Tag } from '../types';
import type { Context } from './conditions';
import type { Check } from './evaluate';
import { ctxOf, merge, requestTagContext, tagContext } from './request-context';

// What RAM authorises for each Alibaba VPC (2016-04-28) operation the simulator implements: `vpc:<Action>` on
// `acs:vpc:<region>:<account>:<type>/<id>`. Sources: the VPC and VPN Gateway "RAM authorization" pages (the
// Action table's resource-type column) and each API page's "Authorization information" table:
const RAM_VPN =
  'https://www.alibabacloud.com/help/en/vpn/sub-product-ipsec-vpn/developer-reference/api-vpc-2016-04-28-ram-vpns';
const RAM_VPC = 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-ram';
const RAM_ARN = 'https://www.alibabacloud.com/help/en/virtual-private-cloud/latest/ram-user-authorization';

export interface AliRequestView {
  ctx: SimContext;
  operation: string;
  regionId: string;
  accountId: string;
  params: Record<string, string>;
}

export interface AliActionRule {
  source: string[];
  assumed?: string;
  checks: (r: AliRequestView) => Check[];
}

type AliType = 'vpngateway' | 'customergateway' | 'vpnconnection' | 'vpc' | 'vswitch' | 'routetable';

function arn(r: AliRequestView, type: AliType, id: string): string {
  return `acs:vpc:${r.regionId}:${r.accountId}:${type}/${id}`;
}

function region(r: AliRequestView): AliRegionState | undefined {
  return r.ctx.state.alibaba.regions[r.regionId];
}

function tagsOf(r: AliRequestView, type: AliType, id: string): Tag[] {
  const reg = region(r);
  if (!reg) return [];
  const maps: Partial<Record<AliType, Record<string, { Tags: Tag[] }>>> = {
    vpngateway: reg.vpnGateways,
    customergateway: reg.customerGateways,
    vpnconnection: reg.vpnConnections,
  };
  const map = maps[type];
  return map && Object.hasOwn(map, id) ? (map[id]?.Tags ?? []) : [];
}

/** request tags (`Tags.N.Key/Value`) as acs:RequestTag/<k> and acs:TagKeys */
function requestTags(r: AliRequestView): Context {
  const p = new Params(r.params);
  const tags = p.list('Tags').flatMap((params) => {
    const Key = params.str('Key');
    return Key === undefined ? [] : [{ Key, Value: params.str('Value') ?? '' }];
  });
  return requestTagContext(tags, 'acs');
}

function base(r: AliRequestView): Context {
  return ctxOf({ 'acs:RequestedRegion': r.regionId });
}

function on(r: AliRequestView, type: AliType, id: string | undefined): Check {
  const resourceId = id ?? '';
  return {
    action: `vpc:${r.operation}`,
    resource: arn(r, type, resourceId),
    context: merge(base(r), requestTags(r), tagContext(['acs:ResourceTag'], tagsOf(r, type, resourceId))),
  };
}

const byId = (type: AliType, key: string): AliActionRule => ({
  source: [RAM_VPN, RAM_ARN],
  checks: (r) => [on(r, type, r.params[key])],
});

const list = (type: AliType): AliActionRule => ({
  source: [RAM_VPN, RAM_VPC, RAM_ARN],
  assumed: `checked on ${type}/* (a list names no single resource)`,
  checks: (r) => [on(r, type, '*')],
});

/** the customer gateways a CreateVpnConnection names: single-tunnel CustomerGatewayId, or each tunnel's */
function connectionCgws(r: AliRequestView): string[] {
  const p = new Params(r.params);
  const ids = p.list('TunnelOptionsSpecification').flatMap((params) => {
    const id = params.str('CustomerGatewayId');
    return id ? [id] : [];
  });
  const single = r.params.CustomerGatewayId;
  return [...new Set(single ? [single, ...ids] : ids)];
}

function routeTableOfEntry(r: AliRequestView): string | undefined {
  const entryId = r.params.RouteEntryId;
  if (r.params.RouteTableId) return r.params.RouteTableId;
  return entryId ? region(r)?.routeEntries[entryId]?.RouteTableId : undefined;
}

export const ALIBABA_ACTION_RULES: Record<string, AliActionRule> = {
  CreateVpnGateway: {
    source: [RAM_VPN],
    assumed: 'checked on vpngateway/* (the gateway does not exist yet); the VPC and vSwitches are not checked',
    checks: (r) => [on(r, 'vpngateway', '*')],
  },
  DescribeVpnGateway: byId('vpngateway', 'VpnGatewayId'),
  DescribeVpnGateways: list('vpngateway'),
  DeleteVpnGateway: byId('vpngateway', 'VpnGatewayId'),
  DescribeVpnGatewayAvailableZones: {
    source: [RAM_VPN],
    assumed: 'no resource-level permission (All Resources)',
    checks: (r) => [{ action: 'vpc:DescribeVpnGatewayAvailableZones', resource: '*', context: base(r) }],
  },
  CreateCustomerGateway: {
    source: [RAM_VPN],
    assumed: 'checked on customergateway/* (the gateway does not exist yet)',
    checks: (r) => [on(r, 'customergateway', '*')],
  },
  DescribeCustomerGateway: byId('customergateway', 'CustomerGatewayId'),
  DescribeCustomerGateways: list('customergateway'),
  DeleteCustomerGateway: byId('customergateway', 'CustomerGatewayId'),
  CreateVpnConnection: {
    source: [RAM_VPN],
    assumed: 'the VPN gateway and every named customer gateway are checked (the new connection is not)',
    checks: (r) => [
      on(r, 'vpngateway', r.params.VpnGatewayId),
      ...connectionCgws(r).map((id) => on(r, 'customergateway', id)),
    ],
  },
  DescribeVpnConnection: byId('vpnconnection', 'VpnConnectionId'),
  DescribeVpnConnections: list('vpnconnection'),
  ModifyVpnConnectionAttribute: byId('vpnconnection', 'VpnConnectionId'),
  ModifyTunnelAttribute: byId('vpnconnection', 'VpnConnectionId'),
  CreateVpc: {
    source: [RAM_VPC],
    assumed: 'checked on vpc/* (the VPC does not exist yet)',
    checks: (r) => [on(r, 'vpc', '*')],
  },
  DeleteVpc: byId('vpc', 'VpcId'),
  CreateVSwitch: {
    source: [RAM_VPC],
    assumed: 'checked on the VPC and vswitch/* (the vSwitch does not exist yet)',
    checks: (r) => [on(r, 'vpc', r.params.VpcId), on(r, 'vswitch', '*')],
  },
  DeleteVSwitch: byId('vswitch', 'VSwitchId'),
  DeleteVpnConnection: byId('vpnconnection', 'VpnConnectionId'),
  CreateVpnRouteEntry: byId('vpngateway', 'VpnGatewayId'),
  DeleteVpnRouteEntry: byId('vpngateway', 'VpnGatewayId'),
  DescribeVpnRouteEntries: byId('vpngateway', 'VpnGatewayId'),
  DescribeVpcs: list('vpc'),
  DescribeVSwitches: list('vswitch'),
  DescribeRouteTableList: list('routetable'),
  CreateRouteEntry: byId('routetable', 'RouteTableId'),
  DescribeRouteEntryList: byId('routetable', 'RouteTableId'),
  DeleteRouteEntry: {
    source: [RAM_VPC, RAM_ARN],
    assumed: 'a call naming only RouteEntryId is checked on the entry’s route table',
    checks: (r) => [on(r, 'routetable', routeTableOfEntry(r))],
  },
};

/** the checks of one Alibaba VPC request; an operation with no rule is checked as vpc:<Action> on `*` */
export function alibabaChecks(r: AliRequestView): Check[] {
  const rule = Object.hasOwn(ALIBABA_ACTION_RULES, r.operation) ? ALIBABA_ACTION_RULES[r.operation] : undefined;
  if (rule) return rule.checks(r);
  return [{ action: `vpc:${r.operation}`, resource: '*', context: base(r) }];
}
