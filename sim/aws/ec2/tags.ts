import { SimError } from '../../core/errors';
import type { Tag } from '../../types';
import { type Ec2Call, lookup } from './call';
import { bad, dryRun, missing, type ResourceKind } from './errors';
import { applyFilters, type Filter, parseFilters } from './filters';
import { paginate } from './pagination';
import type { Params } from './params';
import { items, type XmlItems, type XmlObject } from './xml';

// Tags: TagSpecifications on creates, CreateTags / DeleteTags / DescribeTags over every simulated resource.

const MAX_TAGS = 50;

export function tagSet(tags: Tag[]): XmlItems {
  return items(tags.map((t) => ({ key: t.Key, value: t.Value })));
}

function validateTag(key: string, value: string): void {
  if (key.length < 1 || key.length > 128) throw bad(`Tag key '${key}' must be 1 to 128 characters long`);
  if (value.length > 256) throw bad(`Tag value for key '${key}' must be at most 256 characters long`);
  if (key.toLowerCase().startsWith('aws:'))
    throw bad(`Tag keys starting with 'aws:' are reserved for internal use (key '${key}')`);
}

function readTags(p: Params, prefix: string, requireValue: boolean): Array<{ Key: string; Value?: string }> {
  return p.members(prefix).map(({ params }) => {
    const key = params.str('Key');
    if (key === undefined) throw missing(`${params.path}.Key`);
    const value = params.str('Value');
    if (requireValue || value !== undefined) validateTag(key, value ?? '');
    return value === undefined && !requireValue ? { Key: key } : { Key: key, Value: value ?? '' };
  });
}

/** set (or overwrite) tags on an object, enforcing the per-resource limit */
export function applyTags(target: { Tags: Tag[] }, tags: Tag[]): void {
  const next = [...target.Tags];
  for (const t of tags) {
    const i = next.findIndex((x) => x.Key === t.Key);
    if (i >= 0) next[i] = { Key: t.Key, Value: t.Value };
    else next.push({ Key: t.Key, Value: t.Value });
  }
  if (next.length > MAX_TAGS)
    throw new SimError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.', 400);
  target.Tags = next;
}

/**
 * `TagSpecification.N` (`TagSpecifications.N` on the calls whose model gives the list no XML name, e.g.
 * CreateTransitGatewayRouteTable): every spec must name `resourceType`; returns the merged tags
 */
export function tagSpecifications(p: Params, resourceType: string): Tag[] {
  const out: { Tags: Tag[] } = { Tags: [] };
  for (const { params } of [...p.members('TagSpecification'), ...p.members('TagSpecifications')]) {
    const type = params.str('ResourceType');
    if (type === undefined) throw missing(`${params.path}.ResourceType`);
    if (type !== resourceType)
      throw bad(`'${type}' is not a valid taggable resource type for this operation (expected '${resourceType}').`);
    applyTags(
      out,
      readTags(params, 'Tag', true).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    );
  }
  return out.Tags;
}

interface Tagged {
  id: string;
  type: ResourceKind;
  obj: { Tags: Tag[] };
}

function allTagged(call: Ec2Call): Tagged[] {
  const r = call.region;
  return [
    ...Object.values(r.customerGateways).map((o) => ({
      id: o.CustomerGatewayId,
      type: 'customer-gateway' as const,
      obj: o,
    })),
    ...Object.values(r.routeTables).map((o) => ({ id: o.RouteTableId, type: 'route-table' as const, obj: o })),
    ...Object.values(r.vpcs).map((o) => ({ id: o.VpcId, type: 'vpc' as const, obj: o })),
    ...Object.values(r.vpnConnections).map((o) => ({ id: o.VpnConnectionId, type: 'vpn-connection' as const, obj: o })),
    ...Object.values(r.vpnGateways).map((o) => ({ id: o.VpnGatewayId, type: 'vpn-gateway' as const, obj: o })),
    ...Object.values(r.transitGateways).map((o) => ({
      id: o.TransitGatewayId,
      type: 'transit-gateway' as const,
      obj: o,
    })),
    ...Object.values(r.tgwRouteTables).map((o) => ({
      id: o.TransitGatewayRouteTableId,
      type: 'transit-gateway-route-table' as const,
      obj: o,
    })),
    ...Object.values(r.tgwAttachments).map((o) => ({
      id: o.TransitGatewayAttachmentId,
      type: 'transit-gateway-attachment' as const,
      obj: o,
    })),
  ];
}

function resolve(call: Ec2Call, id: string): { Tags: Tag[] } {
  const r = call.region;
  if (id.startsWith('tgw-attach-')) return lookup(call, 'transit-gateway-attachment', r.tgwAttachments, id);
  if (id.startsWith('tgw-rtb-')) return lookup(call, 'transit-gateway-route-table', r.tgwRouteTables, id);
  const prefix = id.split('-')[0];
  switch (prefix) {
    case 'tgw':
      return lookup(call, 'transit-gateway', r.transitGateways, id);
    case 'vpc':
      return lookup(call, 'vpc', r.vpcs, id);
    case 'rtb':
      return lookup(call, 'route-table', r.routeTables, id);
    case 'vgw':
      return lookup(call, 'vpn-gateway', r.vpnGateways, id, { deleted: true });
    case 'cgw':
      return lookup(call, 'customer-gateway', r.customerGateways, id, { deleted: true });
    case 'vpn':
      return lookup(call, 'vpn-connection', r.vpnConnections, id, { deleted: true });
    default:
      throw new SimError('InvalidID', `The ID '${id}' is not valid`, 400);
  }
}

function resourceIds(p: Params): string[] {
  const ids = p.list('ResourceId');
  if (ids.length === 0) throw missing('ResourceId');
  return ids;
}

export function createTags(call: Ec2Call): XmlObject {
  const ids = resourceIds(call.p);
  const tags = readTags(call.p, 'Tag', true).map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
  if (tags.length === 0) throw missing('Tag');
  const targets = ids.map((id) => resolve(call, id));
  // validate every target before changing any (the call is all-or-nothing)
  for (const t of targets) applyTags({ Tags: [...t.Tags] }, tags);
  if (call.p.dryRun()) throw dryRun();
  for (const t of targets) applyTags(t, tags);
  return { return: true };
}

export function deleteTags(call: Ec2Call): XmlObject {
  const ids = resourceIds(call.p);
  const tags = readTags(call.p, 'Tag', false);
  const targets = ids.map((id) => resolve(call, id));
  if (call.p.dryRun()) throw dryRun();
  for (const t of targets) {
    // no Tag.N: remove every tag; Tag.N.Key alone: remove that key; with Value: only when the value matches
    t.Tags =
      tags.length === 0
        ? []
        : t.Tags.filter((x) => !tags.some((d) => d.Key === x.Key && (d.Value === undefined || d.Value === x.Value)));
  }
  return { return: true };
}

interface TagRow {
  ResourceId: string;
  ResourceType: ResourceKind;
  Key: string;
  Value: string;
}

export function describeTags(call: Ec2Call): XmlObject {
  const filters: Filter[] = parseFilters(call.p);
  const rows: TagRow[] = allTagged(call)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .flatMap((t) =>
      t.obj.Tags.map((tag) => ({ ResourceId: t.id, ResourceType: t.type, Key: tag.Key, Value: tag.Value })),
    );
  const matched = applyFilters(rows, filters, {
    key: (r) => [r.Key],
    value: (r) => [r.Value],
    'resource-id': (r) => [r.ResourceId],
    'resource-type': (r) => [r.ResourceType],
  });
  const { page, nextToken } = paginate(matched, call.p, call.action);
  if (call.p.dryRun()) throw dryRun();
  return {
    tagSet: items(
      page.map((r) => ({ resourceId: r.ResourceId, resourceType: r.ResourceType, key: r.Key, value: r.Value })),
    ),
    nextToken,
  };
}
