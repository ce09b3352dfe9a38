import type {
  AliCustomerGateway,
  AliVpnConnection,
  AliVpnGateway,
  AwsCustomerGateway,
  AwsVpnConnection,
  AwsVpnGateway,
} from '../clouds/types';
import { type Plan, resourceName, TAG_CONNECTION, TAG_ROLE } from '../plan';
import { parseResourceName, secretName, TAG_STAGE } from '../plan/naming';
import type { ConnectionRecord, DriftRow } from '../registry/record';
import { attachOf, tgwAttachOf } from '../spec/schema';
import type { AlibabaRegionSnapshot, AwsRegionSnapshot, DuplicateResource, ObservedConnection } from './types';

// From region-wide lists to one connection's observed state, with the SAME naming/tagging the creating steps
// use and src/workflow/observe.ts looks up by: AWS by the tags vpn-bridge:connection + vpn-bridge:stage +
// vpn-bridge:role, Alibaba by the names resourceName(record, role). Pure.

/** one per role: the id the record holds wins, else the first; the rest are duplicates */
function pickByRole<T extends { id: string }>(
  items: T[],
  roleOf: (x: T) => string | undefined,
  recorded: Record<string, string | undefined>,
): { map: Partial<Record<string, T>>; dupes: Array<{ item: T; role: string }> } {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const role = roleOf(x);
    if (!role) continue;
    groups.set(role, [...(groups.get(role) ?? []), x]);
  }
  const map: Partial<Record<string, T>> = {};
  const dupes: Array<{ item: T; role: string }> = [];
  for (const [role, list] of groups) {
    const keep = list.find((x) => x.id === recorded[role]) ?? list[0];
    if (keep) map[role] = keep;
    for (const x of list) if (x !== keep) dupes.push({ item: x, role });
  }
  return { map, dupes };
}

const awsRole = (x: { tags: Record<string, string> }) => x.tags[TAG_ROLE];

function groupBy<T>(items: readonly T[], keyOf: (x: T) => string | undefined): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const k = keyOf(x);
    if (k === undefined) continue;
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

const ownerKey = (stage: string | undefined, name: string | undefined) =>
  stage === undefined || name === undefined ? undefined : `${stage}\u0000${name}`;
const tagOwner = (x: { tags: Record<string, string> }) => ownerKey(x.tags[TAG_STAGE], x.tags[TAG_CONNECTION]);

/** a region snapshot's lists by owner (AWS tags) and by name (Alibaba), built once per snapshot */
interface AwsIndex {
  vpnGateways: Map<string, AwsVpnGateway[]>;
  customerGateways: Map<string, AwsCustomerGateway[]>;
  vpnConnections: Map<string, AwsVpnConnection[]>;
  routeTables: Map<string, AwsRegionSnapshot['routeTables'][number]>;
  /** VGWs not deleted, by id (the first of an id wins, as a find() would) */
  liveVpnGatewaysById: Map<string, AwsVpnGateway>;
  /** VGWs not deleted, by the VPC they are attached or attaching to, in list order */
  liveVpnGatewaysByVpc: Map<string, AwsVpnGateway[]>;
}
interface AlibabaIndex {
  gateways: Map<string, AliVpnGateway[]>;
  connections: Map<string, AliVpnConnection[]>;
  customerGateways: Map<string, AliCustomerGateway[]>;
}
const awsIndexes = new WeakMap<AwsRegionSnapshot, AwsIndex>();
const alibabaIndexes = new WeakMap<AlibabaRegionSnapshot, AlibabaIndex>();

function awsIndex(snap: AwsRegionSnapshot): AwsIndex {
  let ix = awsIndexes.get(snap);
  if (!ix) {
    const liveVgws = snap.inventory.vpnGateways.filter((g) => g.state !== 'deleted');
    ix = {
      vpnGateways: groupBy(snap.inventory.vpnGateways, tagOwner),
      customerGateways: groupBy(snap.inventory.customerGateways, tagOwner),
      vpnConnections: groupBy(snap.inventory.vpnConnections, tagOwner),
      // the first of an id wins, as a find() over the list would
      routeTables: new Map([...snap.routeTables].reverse().map((t) => [t.id, t])),
      liveVpnGatewaysById: new Map(liveVgws.reverse().map((g) => [g.id, g])),
      liveVpnGatewaysByVpc: new Map(),
    };
    for (const g of snap.inventory.vpnGateways.filter((x) => x.state !== 'deleted')) {
      const vpcs = new Set(
        g.attachments.filter((a) => a.state === 'attached' || a.state === 'attaching').map((a) => a.vpcId),
      );
      for (const vpc of vpcs) {
        const list = ix.liveVpnGatewaysByVpc.get(vpc);
        if (list) list.push(g);
        else ix.liveVpnGatewaysByVpc.set(vpc, [g]);
      }
    }
    awsIndexes.set(snap, ix);
  }
  return ix;
}

function alibabaIndex(snap: AlibabaRegionSnapshot): AlibabaIndex {
  let ix = alibabaIndexes.get(snap);
  if (!ix) {
    ix = {
      gateways: groupBy(snap.gateways, (g) => g.name),
      connections: groupBy(snap.connections, (c) => c.name),
      customerGateways: groupBy(snap.customerGateways, (c) => c.name),
    };
    alibabaIndexes.set(snap, ix);
  }
  return ix;
}

/**
 * The connection's observed state, built from its regions' snapshots (no calls). Each snapshot is indexed once (by
 * owner tags and by name) for all the connections observed from it, so a check costs linear time in connections.
 */
export function observeFromSnapshots(
  record: ConnectionRecord,
  plan: Plan,
  aws: AwsRegionSnapshot,
  alibaba: AlibabaRegionSnapshot,
): ObservedConnection {
  const duplicates: DuplicateResource[] = [];
  const awsIx = awsIndex(aws);
  const aliIx = alibabaIndex(alibaba);
  const owner = ownerKey(record.stage, record.name) as string;

  // AWS: the VGW the connection uses, as src/workflow/attach.ts resolves it (the one the spec names; else the one
  // attached to the VPC, which may be shared or the user's; else the one it made). Every other VGW tagged with the
  // connection is a duplicate.
  const recordedAws = record.resources.aws;
  const vpcId = record.spec.aws.vpcId;
  const attach = attachOf(record.spec);
  const live = (g: AwsVpnGateway) => g.state !== 'deleted';
  const vgws = pickByRole<AwsVpnGateway>((awsIx.vpnGateways.get(owner) ?? []).filter(live), () => 'vgw', {
    vgw: recordedAws.vpnGatewayId,
  });
  const onVpc = awsIx.liveVpnGatewaysByVpc.get(vpcId) ?? [];
  const usedVgw =
    attach.vpnGateway === undefined
      ? undefined
      : attach.vpnGateway !== 'auto'
        ? awsIx.liveVpnGatewaysById.get(attach.vpnGateway)
        : (onVpc.find((g) => g.id === recordedAws.vpnGatewayId) ?? onVpc[0] ?? vgws.map.vgw);
  if (usedVgw && vgws.map.vgw && vgws.map.vgw.id !== usedVgw.id)
    duplicates.push({ cloud: 'aws', kind: 'vpn-gateway', id: vgws.map.vgw.id, role: 'vgw' });
  const cgws = pickByRole<AwsCustomerGateway>(
    awsIx.customerGateways.get(owner) ?? [],
    awsRole,
    recordedAws.customerGateways,
  );
  const vpns = pickByRole<AwsVpnConnection>(awsIx.vpnConnections.get(owner) ?? [], awsRole, recordedAws.vpnConnections);
  for (const d of vgws.dupes) duplicates.push({ cloud: 'aws', kind: 'vpn-gateway', id: d.item.id, role: d.role });
  for (const d of cgws.dupes) duplicates.push({ cloud: 'aws', kind: 'customer-gateway', id: d.item.id, role: d.role });
  for (const d of vpns.dupes) duplicates.push({ cloud: 'aws', kind: 'vpn-connection', id: d.item.id, role: d.role });

  const tables = Array.isArray(plan.routes.awsRouteTableIds) ? plan.routes.awsRouteTableIds : [];
  const awsRouteTables: ObservedConnection['awsRouteTables'] = {};
  for (const id of tables) {
    const t = awsIx.routeTables.get(id);
    if (t) awsRouteTables[id] = t;
  }

  // Alibaba: the gateway by VPC + name (as findVpnGateway), connections of that gateway by name
  const recordedAli = record.resources.alibaba;
  const gwName = resourceName(record, 'alibaba-gateway');
  const gateways = pickByRole<AliVpnGateway>(
    (aliIx.gateways.get(gwName) ?? []).filter((g) => g.vpcId === record.spec.alibaba.vpcId && g.status !== 'deleting'),
    () => 'alibaba-gateway',
    { 'alibaba-gateway': recordedAli.vpnGatewayId },
  );
  const gateway = gateways.map['alibaba-gateway'];
  for (const d of gateways.dupes)
    duplicates.push({ cloud: 'alibaba', kind: 'vpn-gateway', id: d.item.id, role: d.role });

  const alibabaConnections: Partial<Record<string, AliVpnConnection>> = {};
  for (const role of ['ipsec-1', 'ipsec-2'] as const) {
    const named = aliIx.connections.get(resourceName(record, role)) ?? [];
    const keep =
      named.find((c) => c.vpnGatewayId === gateway?.id && c.id === recordedAli.connections[role]) ??
      named.find((c) => c.vpnGatewayId === gateway?.id);
    if (keep) alibabaConnections[role] = keep;
    for (const c of named)
      if (c !== keep) duplicates.push({ cloud: 'alibaba', kind: 'ipsec-connection', id: c.id, role });
  }

  const alibabaOwnCustomerGateways: Partial<Record<string, AliCustomerGateway>> = {};
  for (const role of ['alibaba-cgw-1', 'alibaba-cgw-2'] as const) {
    const named = aliIx.customerGateways.get(resourceName(record, role)) ?? [];
    const keep = named.find((c) => c.id === recordedAli.customerGateways[role]) ?? named[0];
    if (keep) alibabaOwnCustomerGateways[role] = keep;
    for (const c of named)
      if (c !== keep) duplicates.push({ cloud: 'alibaba', kind: 'customer-gateway', id: c.id, role });
  }

  const vtb = plan.routes.alibabaRouteTableId;
  const tgw = tgwAttachOf(record.spec);
  return {
    awsVpnGateway: usedVgw,
    ...(tgw ? { awsTgwRoutes: aws.tgwRoutes?.[tgw.routeTableId] ?? [] } : {}),
    awsConnections: vpns.map,
    awsCustomerGateways: cgws.map,
    awsRouteTables,
    alibabaGateway: gateway,
    alibabaConnections,
    alibabaCustomerGateways: alibaba.customerGateways,
    alibabaOwnCustomerGateways,
    alibabaRouteEntries: alibaba.routeEntries[vtb],
    alibabaRouteTableMissing: alibaba.missingRouteTables.includes(vtb) || undefined,
    storedPsks: Object.fromEntries(Object.entries(record.handoffs.awsTunnels).map(([k, t]) => [k, t.psk])),
    duplicates,
  };
}

/** connections that may own resources in a region: every record that is not DELETED, by region */
export interface Claims {
  aws: Map<string, Set<string>>;
  alibaba: Map<string, Set<string>>;
  /** VGWs a live connection uses: a shared VGW whose creator was torn down is not an orphan */
  vpnGateways: Set<string>;
}

export function claimsOf(records: ConnectionRecord[]): Claims {
  const claims: Claims = { aws: new Map(), alibaba: new Map(), vpnGateways: new Set() };
  const add = (m: Map<string, Set<string>>, region: string, name: string) => {
    const s = m.get(region) ?? new Set<string>();
    s.add(name);
    m.set(region, s);
  };
  for (const r of records) {
    if (r.status === 'DELETED' || !r.spec) continue;
    add(claims.aws, r.spec.aws.region, r.name);
    add(claims.alibaba, r.spec.alibaba.region, r.name);
    if (r.resources.aws.vpnGatewayId) claims.vpnGateways.add(r.resources.aws.vpnGatewayId);
  }
  return claims;
}

function orphan(
  stage: string,
  connection: string,
  cloud: DriftRow['cloud'],
  kind: string,
  id: string,
  role: string,
  region: string,
): DriftRow {
  return {
    connection,
    cloud,
    resource: `${kind}/${id}`,
    attribute: 'managed by',
    expected: `a record ${secretName({ stage, name: connection })} (${region})`,
    actual: `no record (${role})`,
    kind: 'UNMANAGED',
    severity: kind === 'customer-gateway' ? 'low' : 'medium',
    repairable: false,
    note: 'carries vpn-bridge tags or name but no managed connection owns it (left over?); delete it once checked',
  };
}

/**
 * Resources carrying this stage's vpn-bridge tags (AWS) or names (Alibaba) whose connection has no record in that
 * region. Other stages' resources are theirs, not orphans. `only`: report just these connection names (a drift check
 * asked for by name).
 */
export function orphanRows(
  stage: string,
  aws: AwsRegionSnapshot[],
  alibaba: AlibabaRegionSnapshot[],
  claims: Claims,
  only?: ReadonlySet<string>,
): DriftRow[] {
  const rows: DriftRow[] = [];
  const wanted = (name: string) => !only || only.has(name);
  for (const snap of aws) {
    const claimed = claims.aws.get(snap.region) ?? new Set<string>();
    const visit = (kind: string, items: Array<{ id: string; tags: Record<string, string> }>) => {
      for (const x of items) {
        const name = x.tags[TAG_CONNECTION];
        if (!name || x.tags[TAG_STAGE] !== stage || claimed.has(name) || !wanted(name)) continue;
        rows.push(orphan(stage, name, 'aws', kind, x.id, x.tags[TAG_ROLE] ?? '?', snap.region));
      }
    };
    visit(
      'vpn-gateway',
      snap.inventory.vpnGateways.filter((g) => !claims.vpnGateways.has(g.id)),
    );
    visit('customer-gateway', snap.inventory.customerGateways);
    visit('vpn-connection', snap.inventory.vpnConnections);
  }
  for (const snap of alibaba) {
    const claimed = claims.alibaba.get(snap.region) ?? new Set<string>();
    const visit = (kind: string, items: Array<{ id: string; name: string; status?: string }>) => {
      for (const x of items) {
        const claim = parseResourceName(x.name);
        if (!claim || claim.stage !== stage || claimed.has(claim.name) || !wanted(claim.name)) continue;
        if (x.status === 'deleting') continue;
        rows.push(orphan(stage, claim.name, 'alibaba', kind, x.id, claim.role, snap.region));
      }
    };
    visit('vpn-gateway', snap.gateways);
    visit('customer-gateway', snap.customerGateways);
    visit('ipsec-connection', snap.connections);
  }
  return rows;
}
