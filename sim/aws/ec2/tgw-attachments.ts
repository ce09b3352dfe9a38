import { SimError } from '../../core/errors';
import type { AwsRegionState, AwsTgwAttachment, AwsTransitGateway } from '../../types';
import { describeByIds, type Ec2Call, listed, lookup, vanishLater } from './call';
import { assumedIncorrectState, bad, dryRun, missing } from './errors';
import { applyFilters, parseFilters } from './filters';
import { paginate } from './pagination';
import { tagSet, tagSpecifications } from './tags';
import { availableTgw, namedRouteTable } from './transit-gateways';
import { isoTime, items, type XmlObject } from './xml';

// Transit gateway attachments (the EC2 API reference): VPC attachments (Create/Describe/DeleteTransitGatewayVpcAttachment),
// VPN attachments (made and removed with a VPN connection on a transit gateway: vpn-connections.ts), every kind through
// DescribeTransitGatewayAttachments, and their route table associations and propagations (Associate/Disassociate
// TransitGatewayRouteTable, Enable/DisableTransitGatewayRouteTablePropagation, GetTransitGatewayRouteTable
// Associations/Propagations). When an attachment becomes available, the gateway's default association and propagation
// route tables take it (when those options are enabled). Subnets are not modelled: SubnetIds are checked for shape only.

const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;

function attachmentXml(call: Ec2Call, a: AwsTgwAttachment): XmlObject {
  const owner = call.ctx.state.aws.accountId;
  return {
    transitGatewayAttachmentId: a.TransitGatewayAttachmentId,
    transitGatewayId: a.TransitGatewayId,
    transitGatewayOwnerId: owner,
    resourceOwnerId: owner,
    resourceType: a.ResourceType,
    resourceId: a.ResourceId,
    state: a.State,
    association: a.Association
      ? { transitGatewayRouteTableId: a.Association.TransitGatewayRouteTableId, state: a.Association.State }
      : undefined,
    creationTime: isoTime(a.CreatedAt),
    tagSet: tagSet(a.Tags),
  };
}

function vpcAttachmentXml(call: Ec2Call, a: AwsTgwAttachment): XmlObject {
  return {
    transitGatewayAttachmentId: a.TransitGatewayAttachmentId,
    transitGatewayId: a.TransitGatewayId,
    vpcId: a.ResourceId,
    vpcOwnerId: call.ctx.state.aws.accountId,
    state: a.State,
    subnetIds: items(a.SubnetIds ?? []),
    creationTime: isoTime(a.CreatedAt),
    options: {
      dnsSupport: 'enable',
      securityGroupReferencingSupport: 'disable',
      ipv6Support: 'disable',
      applianceModeSupport: 'disable',
    },
    tagSet: tagSet(a.Tags),
  };
}

/** the default association / propagation of the attachment's gateway (when it becomes available) */
function applyDefaults(r: AwsRegionState, a: AwsTgwAttachment): void {
  const g = r.transitGateways[a.TransitGatewayId];
  if (!g) return;
  const assoc = g.Options.AssociationDefaultRouteTableId;
  if (g.Options.DefaultRouteTableAssociation === 'enable' && assoc && !a.Association)
    a.Association = { TransitGatewayRouteTableId: assoc, State: 'associated' };
  const prop = r.tgwRouteTables[g.Options.PropagationDefaultRouteTableId ?? ''];
  if (
    g.Options.DefaultRouteTablePropagation === 'enable' &&
    prop &&
    !prop.Propagations.includes(a.TransitGatewayAttachmentId)
  )
    prop.Propagations.push(a.TransitGatewayAttachmentId);
}

/** remove every association and propagation of a deleted attachment (its static routes become blackholes) */
function forget(r: AwsRegionState, a: AwsTgwAttachment): void {
  a.Association = undefined;
  for (const t of Object.values(r.tgwRouteTables))
    t.Propagations = t.Propagations.filter((x) => x !== a.TransitGatewayAttachmentId);
}

/** a VPN attachment for a new VPN connection on `g`; it becomes available with the connection (`activate`) */
export function newVpnAttachment(call: Ec2Call, g: AwsTransitGateway, vpnConnectionId: string): AwsTgwAttachment {
  const a: AwsTgwAttachment = {
    TransitGatewayAttachmentId: call.ctx.ids.aws('tgw-attach'),
    TransitGatewayId: g.TransitGatewayId,
    ResourceType: 'vpn',
    ResourceId: vpnConnectionId,
    State: 'pending',
    Tags: [],
    CreatedAt: call.ctx.now(),
  };
  call.region.tgwAttachments[a.TransitGatewayAttachmentId] = a;
  return a;
}

export function activateAttachment(r: AwsRegionState, a: AwsTgwAttachment): void {
  if (a.State !== 'pending') return;
  a.State = 'available';
  applyDefaults(r, a);
}

/** the attachment of a VPN connection on a transit gateway (undefined for one on a VGW) */
export function vpnAttachmentOf(r: AwsRegionState, vpnConnectionId: string): AwsTgwAttachment | undefined {
  return Object.values(r.tgwAttachments).find(
    (a) => a.ResourceType === 'vpn' && a.ResourceId === vpnConnectionId && a.State !== 'deleted',
  );
}

/** the VPN connection is being deleted: so is its attachment */
export function deleteVpnAttachment(call: Ec2Call, vpnConnectionId: string): void {
  const a = vpnAttachmentOf(call.region, vpnConnectionId);
  if (!a || a.State === 'deleting') return;
  a.State = 'deleting';
}

export function finishVpnAttachment(call: Ec2Call, vpnConnectionId: string): void {
  const r = call.region;
  const a = vpnAttachmentOf(r, vpnConnectionId);
  if (!a) return;
  a.State = 'deleted';
  forget(r, a);
  vanishLater(
    call,
    r.tgwAttachments,
    a.TransitGatewayAttachmentId,
    a,
    `tgw-attach ${a.TransitGatewayAttachmentId} vanishes`,
  );
}

/** a transit gateway VPC attachment that is available (routes in the VPC to the gateway are active) */
export function vpcAttachedTo(r: AwsRegionState, vpcId: string, tgwId: string): AwsTgwAttachment | undefined {
  return Object.values(r.tgwAttachments).find(
    (a) => a.ResourceType === 'vpc' && a.ResourceId === vpcId && a.TransitGatewayId === tgwId && a.State !== 'deleted',
  );
}

// ------------------------------------------------------------------ VPC attachments

export function createTransitGatewayVpcAttachment(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const tgwId = p.required('TransitGatewayId');
  const vpcId = p.required('VpcId');
  const subnets = p.list('SubnetIds');
  if (subnets.length === 0) throw missing('SubnetIds');
  for (const s of subnets) if (!SUBNET_ID.test(s)) throw bad(`Invalid value '${s}' for SubnetIds: not a subnet id`);
  const tags = tagSpecifications(p, 'transit-gateway-attachment');
  lookup(call, 'vpc', region.vpcs, vpcId);
  const g = availableTgw(call, tgwId);
  if (vpcAttachedTo(region, vpcId, tgwId))
    throw new SimError(
      'DuplicateTransitGatewayAttachment',
      `${tgwId} has non-deleted Transit Gateway Attachments with same VPC ID.`,
      400,
    );
  if (p.dryRun()) throw dryRun();
  const a: AwsTgwAttachment = {
    TransitGatewayAttachmentId: ctx.ids.aws('tgw-attach'),
    TransitGatewayId: g.TransitGatewayId,
    ResourceType: 'vpc',
    ResourceId: vpcId,
    State: 'pending',
    SubnetIds: subnets,
    Tags: tags,
    CreatedAt: ctx.now(),
  };
  region.tgwAttachments[a.TransitGatewayAttachmentId] = a;
  ctx.after('aws.transitGatewayAttachment.create', `tgw-attach ${a.TransitGatewayAttachmentId} available`, () =>
    activateAttachment(region, a),
  );
  return { transitGatewayVpcAttachment: vpcAttachmentXml(call, a) };
}

export function describeTransitGatewayVpcAttachments(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('TransitGatewayAttachmentIds');
  const vpcOnly = Object.fromEntries(Object.entries(region.tgwAttachments).filter(([, a]) => a.ResourceType === 'vpc'));
  const base = ids.length > 0 ? describeByIds(call, 'transit-gateway-attachment', vpcOnly, ids) : listed(call, vpcOnly);
  const matched = applyFilters(
    base,
    parseFilters(p),
    {
      state: (a) => [a.State],
      'transit-gateway-attachment-id': (a) => [a.TransitGatewayAttachmentId],
      'transit-gateway-id': (a) => [a.TransitGatewayId],
      'vpc-id': (a) => [a.ResourceId],
    },
    (a) => a.Tags,
  );
  const { page, nextToken } = paginate(matched, p, call.action);
  if (p.dryRun()) throw dryRun();
  return { transitGatewayVpcAttachments: items(page.map((a) => vpcAttachmentXml(call, a))), nextToken };
}

export function deleteTransitGatewayVpcAttachment(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const id = p.required('TransitGatewayAttachmentId');
  const a = lookup(call, 'transit-gateway-attachment', region.tgwAttachments, id);
  if (a.ResourceType !== 'vpc') throw bad(`The attachment '${id}' is not a VPC attachment`);
  if (p.dryRun()) throw dryRun();
  if (a.State === 'deleting') return { transitGatewayVpcAttachment: vpcAttachmentXml(call, a) };
  if (a.State !== 'available') throw assumedIncorrectState(`The attachment '${id}' is in state '${a.State}'.`);
  a.State = 'deleting';
  ctx.after('aws.transitGatewayAttachment.delete', `tgw-attach ${id} deleted`, () => {
    if (a.State !== 'deleting') return;
    a.State = 'deleted';
    forget(region, a);
    vanishLater(call, region.tgwAttachments, id, a, `tgw-attach ${id} vanishes`);
  });
  return { transitGatewayVpcAttachment: vpcAttachmentXml(call, a) };
}

// ------------------------------------------------------------------ every kind of attachment

export function describeTransitGatewayAttachments(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('TransitGatewayAttachmentIds');
  const base =
    ids.length > 0
      ? describeByIds(call, 'transit-gateway-attachment', region.tgwAttachments, ids)
      : listed(call, region.tgwAttachments);
  const owner = call.ctx.state.aws.accountId;
  const matched = applyFilters(
    base,
    parseFilters(p),
    {
      'association.state': (a) => [a.Association?.State],
      'association.transit-gateway-route-table-id': (a) => [a.Association?.TransitGatewayRouteTableId],
      'resource-id': (a) => [a.ResourceId],
      'resource-owner-id': () => [owner],
      'resource-type': (a) => [a.ResourceType],
      state: (a) => [a.State],
      'transit-gateway-attachment-id': (a) => [a.TransitGatewayAttachmentId],
      'transit-gateway-id': (a) => [a.TransitGatewayId],
      'transit-gateway-owner-id': () => [owner],
    },
    (a) => a.Tags,
  );
  const { page, nextToken } = paginate(matched, p, call.action);
  if (p.dryRun()) throw dryRun();
  return { transitGatewayAttachments: items(page.map((a) => attachmentXml(call, a))), nextToken };
}

// ------------------------------------------------------------------ associations and propagations

function target(call: Ec2Call) {
  const { p, region } = call;
  const tableId = p.required('TransitGatewayRouteTableId');
  const attachmentId = p.required('TransitGatewayAttachmentId');
  const table = lookup(call, 'transit-gateway-route-table', region.tgwRouteTables, tableId);
  const a = lookup(call, 'transit-gateway-attachment', region.tgwAttachments, attachmentId);
  if (a.TransitGatewayId !== table.TransitGatewayId)
    throw bad(`The attachment '${attachmentId}' and the route table '${tableId}' belong to different transit gateways`);
  return { table, a };
}

function associationXml(tableId: string, a: AwsTgwAttachment, state: string): XmlObject {
  return {
    transitGatewayRouteTableId: tableId,
    transitGatewayAttachmentId: a.TransitGatewayAttachmentId,
    resourceId: a.ResourceId,
    resourceType: a.ResourceType,
    state,
  };
}

export function associateTransitGatewayRouteTable(call: Ec2Call): XmlObject {
  const { table, a } = target(call);
  if (a.State !== 'available')
    throw assumedIncorrectState(`The attachment '${a.TransitGatewayAttachmentId}' is ${a.State}.`);
  // one association per attachment (Resource.AlreadyAssociated, the EC2 error codes page)
  if (a.Association)
    throw new SimError(
      'Resource.AlreadyAssociated',
      `The attachment '${a.TransitGatewayAttachmentId}' is already associated with ${a.Association.TransitGatewayRouteTableId}.`,
      400,
    );
  if (call.p.dryRun()) throw dryRun();
  const assoc: NonNullable<AwsTgwAttachment['Association']> = {
    TransitGatewayRouteTableId: table.TransitGatewayRouteTableId,
    State: 'associating',
  };
  a.Association = assoc;
  call.ctx.after('aws.transitGatewayAssociation', `${a.TransitGatewayAttachmentId} associated`, () => {
    if (assoc.State === 'associating') assoc.State = 'associated';
  });
  return { association: associationXml(table.TransitGatewayRouteTableId, a, 'associating') };
}

export function disassociateTransitGatewayRouteTable(call: Ec2Call): XmlObject {
  const { table, a } = target(call);
  const assoc = a.Association;
  if (assoc?.TransitGatewayRouteTableId !== table.TransitGatewayRouteTableId)
    throw new SimError(
      'InvalidAssociation.NotFound',
      `The attachment '${a.TransitGatewayAttachmentId}' is not associated with ${table.TransitGatewayRouteTableId}.`,
      400,
    );
  if (call.p.dryRun()) throw dryRun();
  assoc.State = 'disassociating';
  call.ctx.after('aws.transitGatewayAssociation', `${a.TransitGatewayAttachmentId} disassociated`, () => {
    if (a.Association === assoc) a.Association = undefined;
  });
  return { association: associationXml(table.TransitGatewayRouteTableId, a, 'disassociating') };
}

/**
 * One page of a route table's attachments as GetTransitGatewayRouteTableAssociations and ...Propagations list them:
 * the same filters and the same row, with the association's or the propagation's state
 */
function attachmentPage(call: Ec2Call, rows: AwsTgwAttachment[], state: (a: AwsTgwAttachment) => string | undefined) {
  const matched = applyFilters(rows, parseFilters(call.p), {
    'resource-id': (a) => [a.ResourceId],
    'resource-type': (a) => [a.ResourceType],
    'transit-gateway-attachment-id': (a) => [a.TransitGatewayAttachmentId],
  });
  const { page, nextToken } = paginate(matched, call.p, call.action);
  const rowsXml = items(
    page.map((a) => ({
      transitGatewayAttachmentId: a.TransitGatewayAttachmentId,
      resourceId: a.ResourceId,
      resourceType: a.ResourceType,
      state: state(a),
    })),
  );
  return { rowsXml, nextToken };
}

export function getTransitGatewayRouteTableAssociations(call: Ec2Call): XmlObject {
  const table = namedRouteTable(call);
  const rows = Object.values(call.region.tgwAttachments).filter(
    (a) => a.State !== 'deleted' && a.Association?.TransitGatewayRouteTableId === table.TransitGatewayRouteTableId,
  );
  const { rowsXml, nextToken } = attachmentPage(call, rows, (a) => a.Association?.State);
  return { associations: rowsXml, nextToken };
}

function propagationXml(tableId: string, a: AwsTgwAttachment, state: string): XmlObject {
  return {
    transitGatewayAttachmentId: a.TransitGatewayAttachmentId,
    resourceId: a.ResourceId,
    resourceType: a.ResourceType,
    transitGatewayRouteTableId: tableId,
    state,
  };
}

export function enableTransitGatewayRouteTablePropagation(call: Ec2Call): XmlObject {
  const { table, a } = target(call);
  if (table.Propagations.includes(a.TransitGatewayAttachmentId))
    throw new SimError(
      'TransitGatewayRouteTablePropagation.Duplicate',
      `The attachment '${a.TransitGatewayAttachmentId}' already propagates to ${table.TransitGatewayRouteTableId}.`,
      400,
    );
  if (call.p.dryRun()) throw dryRun();
  table.Propagations.push(a.TransitGatewayAttachmentId);
  return { propagation: propagationXml(table.TransitGatewayRouteTableId, a, 'enabled') };
}

export function disableTransitGatewayRouteTablePropagation(call: Ec2Call): XmlObject {
  const { table, a } = target(call);
  if (call.p.dryRun()) throw dryRun();
  table.Propagations = table.Propagations.filter((x) => x !== a.TransitGatewayAttachmentId);
  return { propagation: propagationXml(table.TransitGatewayRouteTableId, a, 'disabled') };
}

export function getTransitGatewayRouteTablePropagations(call: Ec2Call): XmlObject {
  const table = namedRouteTable(call);
  const rows = table.Propagations.map((id) => call.region.tgwAttachments[id]).filter(
    (a): a is AwsTgwAttachment => a !== undefined,
  );
  const { rowsXml, nextToken } = attachmentPage(call, rows, () => 'enabled');
  return { transitGatewayRouteTablePropagations: rowsXml, nextToken };
}
