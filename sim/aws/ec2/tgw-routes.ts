import { assumedUse, SimError } from '../../core/errors';
import { type Cidr, cidrContains, parseCidr } from '../../core/ipv4';
import type { AwsRegionState, AwsTgwAttachment, AwsTgwRouteTable, AwsTgwStaticRoute } from '../../types';
import { type Ec2Call, lookup } from './call';
import { assumedIncorrectState, bad, dryRun, missing } from './errors';
import { applyFilters, type Filter, parseFilters } from './filters';
import { namedRouteTable } from './transit-gateways';
import { items, type XmlObject } from './xml';

// Routes of a transit gateway route table (the EC2 API reference: CreateTransitGatewayRoute, DeleteTransitGatewayRoute,
// ReplaceTransitGatewayRoute, SearchTransitGatewayRoutes). Static routes are stored; propagated ones are derived on
// every read: a VPC attachment propagating into the table brings its VPC's CIDRs (a VPN attachment with static routing
// brings none: its routes are the static ones). A static route wins over a propagated one with the same prefix
// (Transit Gateway route evaluation order). A static route is `blackhole` when asked for (Blackhole) or when its
// attachment is gone or not available (assumed for the latter).

interface RouteRow {
  destination: string;
  attachment?: AwsTgwAttachment;
  type: 'static' | 'propagated';
  state: 'active' | 'blackhole';
}

function staticState(r: AwsRegionState, route: AwsTgwStaticRoute): 'active' | 'blackhole' {
  if (route.Blackhole || !route.TransitGatewayAttachmentId) return 'blackhole';
  const a = r.tgwAttachments[route.TransitGatewayAttachmentId];
  return a?.State === 'available' ? 'active' : 'blackhole';
}

/** every route of a table as a read sees it now */
export function tgwRoutes(r: AwsRegionState, t: AwsTgwRouteTable): RouteRow[] {
  const rows: RouteRow[] = t.Routes.map((route) => ({
    destination: route.DestinationCidrBlock,
    attachment: route.TransitGatewayAttachmentId ? r.tgwAttachments[route.TransitGatewayAttachmentId] : undefined,
    type: 'static',
    state: staticState(r, route),
  }));
  const taken = new Set(rows.map((x) => x.destination));
  for (const id of t.Propagations) {
    const a = r.tgwAttachments[id];
    if (a?.State !== 'available' || a.ResourceType !== 'vpc') continue;
    for (const cidr of r.vpcs[a.ResourceId]?.CidrBlocks ?? []) {
      if (taken.has(cidr)) continue;
      taken.add(cidr);
      rows.push({ destination: cidr, attachment: a, type: 'propagated', state: 'active' });
    }
  }
  return rows;
}

function routeXml(row: RouteRow): XmlObject {
  const a = row.attachment;
  return {
    destinationCidrBlock: row.destination,
    transitGatewayAttachments: items(
      a
        ? [
            {
              resourceId: a.ResourceId,
              transitGatewayAttachmentId: a.TransitGatewayAttachmentId,
              resourceType: a.ResourceType,
            },
          ]
        : [],
    ),
    type: row.type,
    state: row.state,
  };
}

function routeTarget(call: Ec2Call): { table: AwsTgwRouteTable; dest: string } {
  const { p, region } = call;
  const tableId = p.required('TransitGatewayRouteTableId');
  const dest = p.required('DestinationCidrBlock');
  if (!parseCidr(dest))
    throw bad(`Value (${dest}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  const table = lookup(call, 'transit-gateway-route-table', region.tgwRouteTables, tableId);
  if (table.State !== 'available')
    throw assumedIncorrectState(`The transit gateway route table '${tableId}' is in state '${table.State}'.`);
  return { table, dest };
}

/** the attachment a route may point at: of the table's gateway, not deleted */
function routeAttachment(call: Ec2Call, table: AwsTgwRouteTable): AwsTgwAttachment | undefined {
  const id = call.p.str('TransitGatewayAttachmentId');
  const blackhole = call.p.bool('Blackhole') === true;
  if (id && blackhole) throw bad('Specify either TransitGatewayAttachmentId or Blackhole, not both');
  if (!id && !blackhole) throw missing('TransitGatewayAttachmentId');
  if (!id) return undefined;
  const a = lookup(call, 'transit-gateway-attachment', call.region.tgwAttachments, id);
  if (a.TransitGatewayId !== table.TransitGatewayId)
    throw bad(`The attachment '${id}' does not belong to transit gateway '${table.TransitGatewayId}'`);
  return a;
}

const STATIC_ROUTE_QUOTA = 10000;

export function createTransitGatewayRoute(call: Ec2Call): XmlObject {
  const { table, dest } = routeTarget(call);
  const a = routeAttachment(call, table);
  // one static route per prefix and table; the duplicate's code is assumed (EC2's route code)
  if (table.Routes.some((x) => x.DestinationCidrBlock === dest))
    throw assumedUse(new SimError('RouteAlreadyExists', `The route identified by ${dest} already exists.`, 400));
  if (table.Routes.length >= STATIC_ROUTE_QUOTA)
    throw new SimError('RouteLimitExceeded', 'The maximum number of static routes has been reached.', 400);
  if (call.p.dryRun()) throw dryRun();
  const route: AwsTgwStaticRoute = {
    DestinationCidrBlock: dest,
    ...(a ? { TransitGatewayAttachmentId: a.TransitGatewayAttachmentId } : {}),
    Blackhole: !a,
  };
  table.Routes.push(route);
  return {
    route: routeXml({ destination: dest, attachment: a, type: 'static', state: staticState(call.region, route) }),
  };
}

export function replaceTransitGatewayRoute(call: Ec2Call): XmlObject {
  const { table, dest } = routeTarget(call);
  const a = routeAttachment(call, table);
  const route = table.Routes.find((x) => x.DestinationCidrBlock === dest);
  // the code is assumed (EC2's route code, as for DeleteTransitGatewayRoute)
  if (!route)
    throw assumedUse(
      new SimError(
        'InvalidRoute.NotFound',
        `No route with destination ${dest} in ${table.TransitGatewayRouteTableId}`,
        400,
      ),
    );
  if (call.p.dryRun()) throw dryRun();
  route.TransitGatewayAttachmentId = a?.TransitGatewayAttachmentId;
  route.Blackhole = !a;
  return {
    route: routeXml({ destination: dest, attachment: a, type: 'static', state: staticState(call.region, route) }),
  };
}

export function deleteTransitGatewayRoute(call: Ec2Call): XmlObject {
  const { region } = call;
  const tableId = call.p.required('TransitGatewayRouteTableId');
  const dest = call.p.required('DestinationCidrBlock');
  const table = lookup(call, 'transit-gateway-route-table', region.tgwRouteTables, tableId);
  const route = table.Routes.find((x) => x.DestinationCidrBlock === dest);
  if (!route)
    throw assumedUse(new SimError('InvalidRoute.NotFound', `No route with destination ${dest} in ${tableId}`, 400));
  if (call.p.dryRun()) throw dryRun();
  table.Routes = table.Routes.filter((x) => x !== route);
  const a = route.TransitGatewayAttachmentId ? region.tgwAttachments[route.TransitGatewayAttachmentId] : undefined;
  return {
    route: { ...routeXml({ destination: dest, attachment: a, type: 'static', state: 'active' }), state: 'deleted' },
  };
}

const SEARCH_RESULTS = 1000;

/** the route-search.* filters: CIDR relations, not string matches */
function searchMatch(f: Filter, rows: RouteRow[]): RouteRow[] {
  const cidrs = f.values.map((v) => {
    const c = parseCidr(v);
    if (!c) throw bad(`The filter '${f.name}' takes CIDR blocks, got '${v}'`);
    return c;
  });
  const dest = (row: RouteRow) => parseCidr(row.destination) as Cidr;
  const any = (test: (c: Cidr, d: Cidr) => boolean) => rows.filter((row) => cidrs.some((c) => test(c, dest(row))));
  switch (f.name) {
    case 'route-search.exact-match':
      return any((c, d) => c.text === d.text);
    case 'route-search.subnet-of-match':
      return any((c, d) => cidrContains(c, d));
    case 'route-search.supernet-of-match':
      return any((c, d) => cidrContains(d, c));
    default: {
      // longest-prefix-match: for each value, the most specific route containing it
      const out = new Set<RouteRow>();
      for (const c of cidrs) {
        const best = rows
          .filter((row) => cidrContains(dest(row), c))
          .sort((a, b) => dest(b).prefix - dest(a).prefix)[0];
        if (best) out.add(best);
      }
      return rows.filter((row) => out.has(row));
    }
  }
}

export function searchTransitGatewayRoutes(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const table = namedRouteTable(call);
  const filters = parseFilters(p);
  // Filters is required (the API reference)
  if (filters.length === 0) throw missing('Filters');
  const max = p.int('MaxResults') ?? SEARCH_RESULTS;
  if (max < 5 || max > SEARCH_RESULTS) throw bad(`MaxResults must be between 5 and ${SEARCH_RESULTS}`);
  let rows = tgwRoutes(region, table);
  for (const f of filters.filter((x) => x.name.startsWith('route-search.'))) {
    if (!['exact-match', 'subnet-of-match', 'supernet-of-match', 'longest-prefix-match'].includes(f.name.slice(13)))
      throw bad(`The filter '${f.name}' is invalid`);
    rows = searchMatch(f, rows);
  }
  const matched = applyFilters(
    rows,
    filters.filter((x) => !x.name.startsWith('route-search.')),
    {
      'attachment.transit-gateway-attachment-id': (row) => [row.attachment?.TransitGatewayAttachmentId],
      'attachment.resource-id': (row) => [row.attachment?.ResourceId],
      'attachment.resource-type': (row) => [row.attachment?.ResourceType],
      'prefix-list-id': () => [],
      state: (row) => [row.state],
      type: (row) => [row.type],
    },
  );
  if (p.dryRun()) throw dryRun();
  return {
    routeSet: items(matched.slice(0, max).map(routeXml)),
    additionalRoutesAvailable: matched.length > max,
  };
}
