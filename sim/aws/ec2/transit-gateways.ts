import { SimError } from '../../core/errors';
import { parseCidr } from '../../core/ipv4';
import type { AwsRegionState, AwsTgwRouteTable, AwsTransitGateway, AwsTransitGatewayOptions } from '../../types';
import { describeByIds, type Ec2Call, listed, lookup, vanishLater } from './call';
import { assumedIncorrectState, bad, dryRun } from './errors';
import { applyFilters, parseFilters } from './filters';
import { paginate } from './pagination';
import type { Params } from './params';
import { tagSet, tagSpecifications } from './tags';
import { isoTime, items, type XmlObject } from './xml';

// Transit gateways and their route tables (the EC2 API reference: CreateTransitGateway, DescribeTransitGateways,
// DeleteTransitGateway, Create/Describe/DeleteTransitGatewayRouteTable). A new gateway is `pending` until
// `aws.transitGateway.create` elapsed. With DefaultRouteTableAssociation or DefaultRouteTablePropagation enabled (the
// defaults) it gets a default route table, used for new attachments' association and propagation. Attachments:
// tgw-attachments.ts; routes: tgw-routes.ts. What is assumed: docs/simulator-fidelity.md.

/** transit gateways per region (the Transit Gateway quotas page: 5) */
const TGW_QUOTA = 5;
/** route tables per transit gateway (the quotas page: 20) */
const ROUTE_TABLE_QUOTA = 20;

const enableDisable = (p: Params, key: string, def: 'enable' | 'disable'): 'enable' | 'disable' => {
  const v = p.str(key);
  if (v === undefined) return def;
  if (v !== 'enable' && v !== 'disable') throw bad(`Invalid value '${v}' for Options.${key}: enable or disable`);
  return v;
};

export function tgwArn(call: Ec2Call, id: string): string {
  return `arn:aws:ec2:${call.regionName}:${call.ctx.state.aws.accountId}:transit-gateway/${id}`;
}

export function tgwXml(call: Ec2Call, g: AwsTransitGateway): XmlObject {
  const o = g.Options;
  return {
    transitGatewayId: g.TransitGatewayId,
    transitGatewayArn: tgwArn(call, g.TransitGatewayId),
    state: g.State,
    ownerId: call.ctx.state.aws.accountId,
    description: g.Description,
    creationTime: isoTime(g.CreatedAt),
    options: {
      amazonSideAsn: o.AmazonSideAsn,
      transitGatewayCidrBlocks: items(o.TransitGatewayCidrBlocks),
      autoAcceptSharedAttachments: o.AutoAcceptSharedAttachments,
      defaultRouteTableAssociation: o.DefaultRouteTableAssociation,
      associationDefaultRouteTableId: o.AssociationDefaultRouteTableId,
      defaultRouteTablePropagation: o.DefaultRouteTablePropagation,
      propagationDefaultRouteTableId: o.PropagationDefaultRouteTableId,
      vpnEcmpSupport: o.VpnEcmpSupport,
      dnsSupport: o.DnsSupport,
      securityGroupReferencingSupport: o.SecurityGroupReferencingSupport,
      multicastSupport: o.MulticastSupport,
    },
    tagSet: tagSet(g.Tags),
  };
}

export function tgwRouteTableXml(t: AwsTgwRouteTable): XmlObject {
  return {
    transitGatewayRouteTableId: t.TransitGatewayRouteTableId,
    transitGatewayId: t.TransitGatewayId,
    state: t.State,
    defaultAssociationRouteTable: t.DefaultAssociationRouteTable,
    defaultPropagationRouteTable: t.DefaultPropagationRouteTable,
    creationTime: isoTime(t.CreatedAt),
    tagSet: tagSet(t.Tags),
  };
}

/** a transit gateway by id that can take a change now (available), as the write calls need it */
export function availableTgw(call: Ec2Call, id: string): AwsTransitGateway {
  const g = lookup(call, 'transit-gateway', call.region.transitGateways, id);
  if (g.State !== 'available')
    throw assumedIncorrectState(`The transit gateway '${id}' is in state '${g.State}'; it must be 'available'.`);
  return g;
}

function newRouteTable(
  call: Ec2Call,
  r: AwsRegionState,
  tgwId: string,
  defaults: { association: boolean; propagation: boolean },
  tags: AwsTgwRouteTable['Tags'],
): AwsTgwRouteTable {
  const t: AwsTgwRouteTable = {
    TransitGatewayRouteTableId: call.ctx.ids.aws('tgw-rtb'),
    TransitGatewayId: tgwId,
    State: 'pending',
    DefaultAssociationRouteTable: defaults.association,
    DefaultPropagationRouteTable: defaults.propagation,
    Routes: [],
    Propagations: [],
    Tags: tags,
    CreatedAt: call.ctx.now(),
  };
  r.tgwRouteTables[t.TransitGatewayRouteTableId] = t;
  return t;
}

export function createTransitGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const o = p.sub('Options');
  const asn = o.int('AmazonSideAsn') ?? 64512;
  if (!((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294)))
    throw bad(
      `Invalid value '${asn}' for Options.AmazonSideAsn: a private ASN in 64512-65534 or 4200000000-4294967294`,
    );
  const cidrBlocks = o.list('TransitGatewayCidrBlocks');
  for (const c of cidrBlocks)
    if (!parseCidr(c)) throw bad(`Invalid value '${c}' for Options.TransitGatewayCidrBlocks: not a CIDR block`);
  const description = p.str('Description');
  if (description !== undefined && description.length > 255) throw bad('Description: at most 255 characters');
  const options: AwsTransitGatewayOptions = {
    AmazonSideAsn: asn,
    AutoAcceptSharedAttachments: enableDisable(o, 'AutoAcceptSharedAttachments', 'disable'),
    DefaultRouteTableAssociation: enableDisable(o, 'DefaultRouteTableAssociation', 'enable'),
    DefaultRouteTablePropagation: enableDisable(o, 'DefaultRouteTablePropagation', 'enable'),
    VpnEcmpSupport: enableDisable(o, 'VpnEcmpSupport', 'enable'),
    DnsSupport: enableDisable(o, 'DnsSupport', 'enable'),
    SecurityGroupReferencingSupport: enableDisable(o, 'SecurityGroupReferencingSupport', 'disable'),
    MulticastSupport: enableDisable(o, 'MulticastSupport', 'disable'),
    TransitGatewayCidrBlocks: cidrBlocks,
  };
  const tags = tagSpecifications(p, 'transit-gateway');
  const live = Object.values(region.transitGateways).filter((g) => g.State !== 'deleted').length;
  if (live >= TGW_QUOTA)
    throw new SimError(
      'TransitGatewayLimitExceeded',
      `The maximum number of transit gateways (${TGW_QUOTA}) has been reached.`,
      400,
    );
  if (p.dryRun()) throw dryRun();

  // No ClientToken: every call creates a new gateway (the API reference lists none).
  const g: AwsTransitGateway = {
    TransitGatewayId: ctx.ids.aws('tgw'),
    State: 'pending',
    Description: description,
    Options: options,
    Tags: tags,
    CreatedAt: ctx.now(),
  };
  region.transitGateways[g.TransitGatewayId] = g;
  const association = options.DefaultRouteTableAssociation === 'enable';
  const propagation = options.DefaultRouteTablePropagation === 'enable';
  // "If you disable automatic route propagation, we do not create a default transit gateway route table" (the
  // AWS::EC2::TransitGateway reference): a default table exists when association or propagation is enabled
  if (association || propagation) {
    const t = newRouteTable(call, region, g.TransitGatewayId, { association, propagation }, []);
    if (association) options.AssociationDefaultRouteTableId = t.TransitGatewayRouteTableId;
    if (propagation) options.PropagationDefaultRouteTableId = t.TransitGatewayRouteTableId;
  }
  ctx.after('aws.transitGateway.create', `tgw ${g.TransitGatewayId} available`, () => {
    if (g.State === 'pending') g.State = 'available';
    for (const t of Object.values(region.tgwRouteTables))
      if (t.TransitGatewayId === g.TransitGatewayId && t.State === 'pending') t.State = 'available';
  });
  return { transitGateway: tgwXml(call, g) };
}

export function describeTransitGateways(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('TransitGatewayIds');
  const base =
    ids.length > 0
      ? describeByIds(call, 'transit-gateway', region.transitGateways, ids)
      : listed(call, region.transitGateways);
  const owner = call.ctx.state.aws.accountId;
  const matched = applyFilters(
    base,
    parseFilters(p),
    {
      'options.propagation-default-route-table-id': (g) => [g.Options.PropagationDefaultRouteTableId],
      'options.amazon-side-asn': (g) => [g.Options.AmazonSideAsn],
      'options.association-default-route-table-id': (g) => [g.Options.AssociationDefaultRouteTableId],
      'options.auto-accept-shared-attachments': (g) => [g.Options.AutoAcceptSharedAttachments],
      'options.default-route-table-association': (g) => [g.Options.DefaultRouteTableAssociation],
      'options.default-route-table-propagation': (g) => [g.Options.DefaultRouteTablePropagation],
      'options.dns-support': (g) => [g.Options.DnsSupport],
      'options.vpn-ecmp-support': (g) => [g.Options.VpnEcmpSupport],
      'owner-id': () => [owner],
      state: (g) => [g.State],
      'transit-gateway-id': (g) => [g.TransitGatewayId],
    },
    (g) => g.Tags,
  );
  const { page, nextToken } = paginate(matched, p, call.action);
  if (p.dryRun()) throw dryRun();
  return { transitGatewaySet: items(page.map((g) => tgwXml(call, g))), nextToken };
}

export function deleteTransitGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const id = p.required('TransitGatewayId');
  const g = lookup(call, 'transit-gateway', region.transitGateways, id);
  const attached = Object.values(region.tgwAttachments).filter(
    (a) => a.TransitGatewayId === id && a.State !== 'deleted',
  );
  // the gateway goes only without attachments (assumed code: IncorrectState, as for other "still in use" states)
  if (attached.length > 0)
    throw assumedIncorrectState(
      `The transit gateway '${id}' has attachments (${attached.map((a) => a.TransitGatewayAttachmentId).join(', ')}); delete them first.`,
    );
  if (p.dryRun()) throw dryRun();
  if (g.State === 'deleting' || g.State === 'deleted') return { transitGateway: tgwXml(call, g) };
  g.State = 'deleting';
  ctx.after('aws.transitGateway.delete', `tgw ${id} deleted`, () => {
    if (g.State !== 'deleting') return;
    g.State = 'deleted';
    for (const t of Object.values(region.tgwRouteTables)) if (t.TransitGatewayId === id) t.State = 'deleted';
    vanishLater(call, region.transitGateways, id, g, `tgw ${id} vanishes`);
  });
  return { transitGateway: tgwXml(call, g) };
}

export function createTransitGatewayRouteTable(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const tgwId = p.required('TransitGatewayId');
  const tags = tagSpecifications(p, 'transit-gateway-route-table');
  const g = availableTgw(call, tgwId);
  const tables = Object.values(region.tgwRouteTables).filter(
    (t) => t.TransitGatewayId === g.TransitGatewayId && t.State !== 'deleted',
  );
  if (tables.length >= ROUTE_TABLE_QUOTA)
    throw new SimError(
      'TransitGatewayRouteTableLimitExceeded',
      `The maximum number of route tables for transit gateway '${tgwId}' (${ROUTE_TABLE_QUOTA}) has been reached.`,
      400,
    );
  if (p.dryRun()) throw dryRun();
  const t = newRouteTable(call, region, tgwId, { association: false, propagation: false }, tags);
  ctx.after('aws.transitGatewayAssociation', `tgw-rtb ${t.TransitGatewayRouteTableId} available`, () => {
    if (t.State === 'pending') t.State = 'available';
  });
  return { transitGatewayRouteTable: tgwRouteTableXml(t) };
}

export function describeTransitGatewayRouteTables(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('TransitGatewayRouteTableIds');
  const base =
    ids.length > 0
      ? describeByIds(call, 'transit-gateway-route-table', region.tgwRouteTables, ids)
      : listed(call, region.tgwRouteTables);
  const matched = applyFilters(
    base,
    parseFilters(p),
    {
      'default-association-route-table': (t) => [t.DefaultAssociationRouteTable],
      'default-propagation-route-table': (t) => [t.DefaultPropagationRouteTable],
      state: (t) => [t.State],
      'transit-gateway-id': (t) => [t.TransitGatewayId],
      'transit-gateway-route-table-id': (t) => [t.TransitGatewayRouteTableId],
    },
    (t) => t.Tags,
  );
  const { page, nextToken } = paginate(matched, p, call.action);
  if (p.dryRun()) throw dryRun();
  return { transitGatewayRouteTables: items(page.map(tgwRouteTableXml)), nextToken };
}

/** the route table a call names in `TransitGatewayRouteTableId` (its not-found error if there is none) */
export function namedRouteTable(call: Ec2Call): AwsTgwRouteTable {
  return lookup(
    call,
    'transit-gateway-route-table',
    call.region.tgwRouteTables,
    call.p.required('TransitGatewayRouteTableId'),
  );
}

export function deleteTransitGatewayRouteTable(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const id = p.required('TransitGatewayRouteTableId');
  const t = lookup(call, 'transit-gateway-route-table', region.tgwRouteTables, id);
  if (t.DefaultAssociationRouteTable || t.DefaultPropagationRouteTable)
    throw assumedIncorrectState(`The route table '${id}' is the transit gateway's default route table.`);
  const associated = Object.values(region.tgwAttachments).filter(
    (a) => a.Association?.TransitGatewayRouteTableId === id && a.State !== 'deleted',
  );
  if (associated.length > 0)
    throw assumedIncorrectState(
      `The route table '${id}' has associations (${associated.map((a) => a.TransitGatewayAttachmentId).join(', ')}).`,
    );
  if (p.dryRun()) throw dryRun();
  t.State = 'deleted';
  vanishLater(call, region.tgwRouteTables, id, t, `tgw-rtb ${id} vanishes`);
  return { transitGatewayRouteTable: tgwRouteTableXml(t) };
}
