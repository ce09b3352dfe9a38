import { randomUUID } from 'node:crypto';
import type { AwsRouteTable, AwsVpnGateway } from '../clouds/types';
import { GatewayBusy, NotReady, ProviderRejected } from '../errors';
import { logger } from '../log';
import { operationToken, resourceName } from '../plan';
import { executionName, type ResourceRole } from '../plan/naming';
import { describeTakeOver } from '../registry/lock';
import type { ConnectionRecord } from '../registry/record';
import { tgwAttachOf } from '../spec/schema';
import { madeByVpnBridge, otherVgwUsers, resolveVgw } from './attach';
import { claimForStep, whileHolding } from './claim';
import type { AlibabaDeps, AwsDeps, ConnRef, RecordDeps } from './deps';
import type { AwsLoaded, LoadedRecord } from './load';
import { loadAlibaba, loadAws } from './load';
import { alibabaConnectionsByRole, findAlibabaGateway } from './observe';
import { causeText } from './provision';

// Teardown (README.md) and provisioning rollback share these steps. Reverse order on each cloud; the
// two clouds' chains are independent and run as two Parallel branches (neither writes the record).
// Every step finds its targets through the same naming/tagging functions the creating steps used, so it
// is safe on a half-built connection and on one whose parts were deleted by hand; not-found = done.
// Where the order of deletes matters (a gateway with connections, a customer gateway a connection uses), a step
// re-reads what still depends on its target and waits (NotReady) instead of relying on the provider's refusal: the
// codes those refusals carry are not documented (docs/error-codes.md).

const ALIBABA_CGW_ROLES: ResourceRole[] = ['alibaba-cgw-1', 'alibaba-cgw-2'];
const ALIBABA_CONN_ROLES: ResourceRole[] = ['ipsec-1', 'ipsec-2'];

/** what `loader` loads, or undefined when provisioning never got past validation (nothing to delete) */
export async function loadIfBuilt<D extends RecordDeps, L extends LoadedRecord>(
  deps: D,
  ref: ConnRef,
  loader: (deps: D, ref: ConnRef) => Promise<L>,
): Promise<L | undefined> {
  const got = await deps.registry.get(ref.name);
  if (!got?.record.topology || !got.record.resolved || !got.record.spec) return undefined;
  return loader(deps, ref);
}

export async function teardownStart(
  deps: RecordDeps,
  input: ConnRef & { executionName?: string; takeOver?: boolean },
): Promise<{ name: string; found: boolean; settle: boolean; replaced?: string }> {
  const { record } = await deps.registry.require(input.name);
  if (record.status === 'DELETED') return { name: input.name, found: false, settle: false };
  // a connection that is not ACTIVE may have parts made moments ago, which the providers' listings do not show yet:
  // the state machine waits for them to settle before the deletes look (an ACTIVE one was finished long since)
  const settle = record.status !== 'ACTIVE';
  const me = input.executionName ?? executionName(input.name, 'teardown', randomUUID().slice(0, 8));
  const claimed = await claimForStep(
    deps.registry,
    input.name,
    { kind: 'teardown', executionName: me, force: input.takeOver === true },
    deps.now().toISOString(),
  );
  if (!claimed) return { name: input.name, found: false, settle: false };
  return {
    name: input.name,
    found: true,
    settle,
    ...(claimed.replaced ? { replaced: describeTakeOver(claimed.replaced) } : {}),
  };
}

// ------------------------------------------------------------------ Alibaba chain

/** poll: the gateway is free for the next change, or there is no gateway (nothing to wait for) */
export async function alibabaWaitGatewayIdle(deps: AlibabaDeps, ref: ConnRef): Promise<{ status: string }> {
  const l = await loadIfBuilt(deps, ref, loadAlibaba);
  if (!l) return { status: 'absent' };
  const gw = await findAlibabaGateway(l);
  if (!gw) return { status: 'absent' };
  if (gw.status === 'provisioning' || gw.status === 'updating')
    throw new NotReady(`Alibaba VPN gateway ${gw.id} is ${gw.status}`, { cloud: 'alibaba' });
  return { status: gw.status };
}

export async function alibabaDeleteVpcRoute(deps: AlibabaDeps, ref: ConnRef): Promise<{ deleted: number }> {
  const l = await loadIfBuilt(deps, ref, loadAlibaba);
  if (!l) return { deleted: 0 };
  const gw = await findAlibabaGateway(l);
  if (!gw) return { deleted: 0 };
  const table = l.record.resolved?.alibabaRouteTableId ?? '';
  let deleted = 0;
  const going: string[] = [];
  // every AWS CIDR of the connection (`aws.cidr` or `aws.cidrs`)
  for (const dest of l.plan.routes.alibabaDestinations) {
    const mine = (await l.alibaba.listRouteEntries(table, { destination: dest })).filter((e) => e.nextHopId === gw.id);
    for (const e of mine) {
      if (e.status === 'Available') {
        await l.alibaba.deleteRouteEntry({
          routeEntryId: e.id,
          routeTableId: table,
          destination: dest,
          nextHopId: gw.id,
        });
        deleted++;
      }
    }
    if (mine.length > 0) going.push(dest);
  }
  if (going.length > 0)
    throw new NotReady(`Alibaba route entries to ${going.join(', ')} are being deleted`, { cloud: 'alibaba' });
  return { deleted };
}

/** delete the next VPN gateway route entry of ours (one change per call: the gateway serializes them) */
export async function alibabaDeleteNextVpnRoute(deps: AlibabaDeps, ref: ConnRef): Promise<{ remaining: number }> {
  const l = await loadIfBuilt(deps, ref, loadAlibaba);
  if (!l) return { remaining: 0 };
  const gw = await findAlibabaGateway(l);
  if (!gw) return { remaining: 0 };
  const conns = Object.values(alibabaConnectionsByRole(l.record, await l.alibaba.listVpnConnections(gw.id)))
    .map((c) => c?.id)
    .filter(Boolean);
  const ours = (await l.alibaba.listVpnRouteEntries(gw.id)).filter((r) => conns.includes(r.nextHop));
  const next = ours[0];
  if (!next) return { remaining: 0 };
  if (gw.status !== 'active')
    throw new GatewayBusy(`Alibaba VPN gateway ${gw.id} is ${gw.status}`, { cloud: 'alibaba' });
  await l.alibaba.deleteVpnRouteEntry({
    vpnGatewayId: gw.id,
    routeDest: next.routeDest,
    nextHop: next.nextHop,
    weight: next.weight,
    // one entry per (connection, CIDR): the token names both, so the next entry of the same connection is not
    // answered with this one's result
    clientToken: operationToken(l.record, `delete-vpn-route-${next.nextHop}-${next.routeDest}`),
  });
  return { remaining: ours.length - 1 };
}

export async function alibabaDeleteNextConnection(deps: AlibabaDeps, ref: ConnRef): Promise<{ remaining: number }> {
  const l = await loadIfBuilt(deps, ref, loadAlibaba);
  if (!l) return { remaining: 0 };
  const gw = await findAlibabaGateway(l);
  if (!gw) return { remaining: 0 };
  const conns = await l.alibaba.listVpnConnections(gw.id);
  const ours = ALIBABA_CONN_ROLES.flatMap((role) => conns.filter((c) => c.name === resourceName(l.record, role)));
  const next = ours[0];
  if (!next) return { remaining: 0 };
  if (gw.status !== 'active')
    throw new GatewayBusy(`Alibaba VPN gateway ${gw.id} is ${gw.status}`, { cloud: 'alibaba' });
  // a VPN route entry still using the connection: its delete goes first (the routes loop runs before this one)
  const using = (await l.alibaba.listVpnRouteEntries(gw.id)).filter((r) => r.nextHop === next.id);
  if (using.length > 0)
    throw new NotReady(
      `Alibaba IPsec connection ${next.id} is still the next hop of VPN route entries ${using.map((r) => r.routeDest).join(', ')}`,
      { cloud: 'alibaba' },
    );
  await l.alibaba.deleteVpnConnection(next.id, operationToken(l.record, `delete-${next.id}`));
  return { remaining: ours.length - 1 };
}

export async function alibabaDeleteCustomerGateways(deps: AlibabaDeps, ref: ConnRef): Promise<{ deleted: number }> {
  const l = await loadIfBuilt(deps, ref, loadAlibaba);
  if (!l) return { deleted: 0 };
  const names = ALIBABA_CGW_ROLES.map((r) => resourceName(l.record, r));
  const ours = (await l.alibaba.listCustomerGateways()).filter((c) => names.includes(c.name));
  if (ours.length === 0) return { deleted: 0 };
  // a customer gateway an IPsec connection still uses cannot go yet (any connection of the region, ours or not)
  const used = new Set(
    (await l.alibaba.listVpnConnections()).flatMap((c) => c.tunnels.map((t) => t.customerGatewayId)),
  );
  const free = ours.filter((c) => !used.has(c.id));
  for (const c of free) await l.alibaba.deleteCustomerGateway(c.id, operationToken(l.record, `delete-${c.id}`));
  const busy = ours.filter((c) => used.has(c.id));
  if (busy.length > 0)
    throw new NotReady(
      `Alibaba customer gateways ${busy.map((c) => c.id).join(', ')} are still used by IPsec connections`,
      { cloud: 'alibaba' },
    );
  return { deleted: free.length };
}

/** delete the gateway and wait until it is gone (a gateway in 'deleting' still exists: keep polling) */
export async function alibabaDeleteGateway(deps: AlibabaDeps, ref: ConnRef): Promise<{ deleted: boolean }> {
  const l = await loadIfBuilt(deps, ref, loadAlibaba);
  if (!l) return { deleted: false };
  const gw = await findAlibabaGateway(l, { includeDeleting: true });
  if (!gw) return { deleted: true };
  if (gw.status === 'active') {
    // what still depends on the gateway decides, not the refusal's (undocumented) code
    const conns = await l.alibaba.listVpnConnections(gw.id);
    const ourNames = ALIBABA_CONN_ROLES.map((role) => resourceName(l.record, role));
    const foreign = conns.filter((c) => !ourNames.includes(c.name));
    if (foreign.length > 0)
      throw new ProviderRejected(
        `Alibaba VPN gateway ${gw.id} has IPsec connections vpn-bridge did not make (${foreign.map((c) => c.id).join(', ')}): delete them, then run the teardown again`,
        { cloud: 'alibaba' },
      );
    if (conns.length > 0)
      throw new NotReady(`Alibaba VPN gateway ${gw.id} still has IPsec connections being deleted`, {
        cloud: 'alibaba',
      });
    const table = l.record.resolved?.alibabaRouteTableId;
    const routes = table
      ? (await l.alibaba.listRouteEntries(table, { nextHopId: gw.id })).filter((e) => e.nextHopId === gw.id)
      : [];
    if (routes.length > 0)
      throw new NotReady(`Alibaba route entries to ${gw.id} are still being deleted`, { cloud: 'alibaba' });
    await l.alibaba.deleteVpnGateway(gw.id, operationToken(l.record, 'delete-alibaba-gateway'));
  } else if (gw.status === 'updating') {
    throw new GatewayBusy(`Alibaba VPN gateway ${gw.id} is updating`, { cloud: 'alibaba' });
  }
  const why =
    gw.status === 'active' || gw.status === 'deleting' ? 'being deleted' : `${gw.status} (deleted once active)`;
  throw new NotReady(`Alibaba VPN gateway ${gw.id} is ${why}`, { cloud: 'alibaba' });
}

// ------------------------------------------------------------------ AWS chain

export async function awsDeleteRoutes(deps: AwsDeps, ref: ConnRef): Promise<{ deleted: number; orphans: number }> {
  const l = await loadIfBuilt(deps, ref, loadAws);
  if (!l) return { deleted: 0, orphans: 0 };
  const ids = (await vgwsOf(l, ['pending', 'available', 'deleting'])).map((v) => v.id);
  // on a transit gateway: the routes toward it (vpcRoutes), only for this connection's peer CIDRs
  const tgw = tgwAttachOf(l.record.spec);
  if (tgw) ids.push(tgw.transitGateway);
  // every table of the VPC, not only the recorded ones: a route someone copied elsewhere goes too; only this
  // connection's peer CIDRs (the VGW may be shared: the other connections' routes stay)
  const dests = l.plan.routes.awsDestinations;
  const tables = await l.aws.describeRouteTables({ vpcId: l.record.spec.aws.vpcId });
  let deleted = 0;
  for (const t of tables) {
    for (const r of t.routes) {
      if (r.gatewayId && ids.includes(r.gatewayId) && r.origin === 'CreateRoute' && dests.includes(r.destination)) {
        await l.aws.deleteRoute(t.id, r.destination);
        deleted++;
      }
    }
  }
  const orphans = await deleteOrphanRoutes(l, tables, ids);
  return { deleted, orphans };
}

/**
 * Routes to the peer CIDR whose VGW no longer exists (blackholes a crash or a race left behind: the VGW went, its
 * route stayed, and it blocks every later provisioning of that CIDR). Only this connection's peer CIDR, only in its
 * VPC, and only when DescribeVpnGateways confirms the gateway is gone (absent or deleted): never a live route.
 */
async function deleteOrphanRoutes(l: AwsLoaded, tables: AwsRouteTable[], ours: string[]): Promise<number> {
  const dests = l.plan.routes.awsDestinations;
  const candidates = tables.flatMap((t) =>
    t.routes
      .filter(
        (r) =>
          dests.includes(r.destination) &&
          r.origin === 'CreateRoute' &&
          r.state === 'blackhole' &&
          r.gatewayId?.startsWith('vgw-') &&
          !ours.includes(r.gatewayId),
      )
      .map((r) => ({ table: t.id, gatewayId: r.gatewayId as string, dest: r.destination })),
  );
  if (candidates.length === 0) return 0;
  const existing = await l.aws.describeVpnGateways(candidates.map((c) => c.gatewayId));
  const alive = new Set(existing.filter((g) => g.state !== 'deleted').map((g) => g.id));
  let n = 0;
  for (const c of candidates.filter((x) => !alive.has(x.gatewayId))) {
    await l.aws.deleteRoute(c.table, c.dest);
    logger.warn('orphan route deleted', { connection: l.record.name, routeTable: c.table, vpnGatewayId: c.gatewayId });
    n++;
  }
  return n;
}

export async function awsDeleteVpnConnections(deps: AwsDeps, ref: ConnRef): Promise<{ deleting: number }> {
  const l = await loadIfBuilt(deps, ref, loadAws);
  if (!l) return { deleting: 0 };
  const conns = await l.aws.findVpnConnections(l.record, ['pending', 'available', 'deleting']);
  for (const c of conns.filter((x) => x.state !== 'deleting')) await l.aws.deleteVpnConnection(c.id);
  if (conns.length > 0)
    throw new NotReady(`AWS VPN connections ${conns.map((c) => c.id).join(', ')} are being deleted`, { cloud: 'aws' });
  return { deleting: 0 };
}

export async function awsDeleteCustomerGateways(deps: AwsDeps, ref: ConnRef): Promise<{ deleted: number }> {
  const l = await loadIfBuilt(deps, ref, loadAws);
  if (!l) return { deleted: 0 };
  const cgws = await l.aws.findCustomerGateways(l.record);
  if (cgws.length === 0) return { deleted: 0 };
  // a customer gateway a VPN connection still uses (not yet deleted) cannot go yet; the re-read decides
  const conns = await l.aws.findVpnConnections(l.record, ['pending', 'available', 'deleting']);
  const used = new Set(conns.map((c) => c.customerGatewayId));
  const free = cgws.filter((c) => !used.has(c.id));
  for (const c of free) await l.aws.deleteCustomerGateway(c.id);
  const busy = cgws.filter((c) => used.has(c.id));
  if (busy.length > 0)
    throw new NotReady(`AWS customer gateways ${busy.map((c) => c.id).join(', ')} are still used by VPN connections`, {
      cloud: 'aws',
    });
  return { deleted: free.length };
}

/**
 * The VGWs this connection's teardown looks at: the one it uses (shared or not) and any it made (found by its tags,
 * e.g. one whose attach was lost while another VGW got attached to the VPC)
 */
async function vgwsOf(l: AwsLoaded, states?: string[]): Promise<AwsVpnGateway[]> {
  const recordedId = l.record.resources.aws.vpnGatewayId;
  const [used, own, recorded] = await Promise.all([
    resolveVgw(l, states),
    l.aws.findVpnGateways(l.record, states),
    // a shared VGW another connection made is found through the record once it is detached (no longer on the VPC)
    recordedId ? l.aws.describeVpnGateways([recordedId]) : Promise.resolve([]),
  ]);
  const live = (g: AwsVpnGateway) =>
    states ? states.includes(g.state) : g.state === 'pending' || g.state === 'available';
  const all = [...(used ? [used] : []), ...own, ...recorded.filter(live)];
  return all.filter((g, i) => all.findIndex((x) => x.id === g.id) === i);
}

/**
 * the VGWs this teardown may detach and delete: made by vpn-bridge (never a user's, adopted one) and with no other
 * user (docs/attach-points.md); the others stay as they are
 */
async function vgwsToRemove(deps: AwsDeps, l: AwsLoaded, states?: string[]): Promise<AwsVpnGateway[]> {
  const out: AwsVpnGateway[] = [];
  let records: ConnectionRecord[] | undefined;
  const list = async () => {
    records ??= await deps.registry.list();
    return records;
  };
  for (const g of await vgwsOf(l, states)) {
    if (!madeByVpnBridge(g, l.record.stage)) {
      logger.info('VGW kept: vpn-bridge did not make it', { connection: l.record.name, vpnGatewayId: g.id });
      continue;
    }
    const users = await otherVgwUsers(l, g, list);
    if (users.length > 0) {
      logger.info('VGW kept: other users', { connection: l.record.name, vpnGatewayId: g.id, users });
      continue;
    }
    out.push(g);
  }
  return out;
}

export async function awsDetachVgw(deps: AwsDeps, ref: ConnRef): Promise<{ detached: number }> {
  const l = await loadIfBuilt(deps, ref, loadAws);
  if (!l) return { detached: 0 };
  const vgws = await vgwsToRemove(deps, l);
  let busy = false;
  for (const v of vgws) {
    for (const a of v.attachments) {
      if (a.state === 'attached') {
        await l.aws.detachVpnGateway(v.id, a.vpcId);
        busy = true;
      } else if (a.state === 'attaching' || a.state === 'detaching') busy = true;
    }
  }
  if (busy) throw new NotReady('AWS VGW is detaching', { cloud: 'aws' });
  return { detached: vgws.length };
}

export async function awsDeleteVgw(deps: AwsDeps, ref: ConnRef): Promise<{ deleted: boolean }> {
  const l = await loadIfBuilt(deps, ref, loadAws);
  if (!l) return { deleted: false };
  const vgws = await vgwsToRemove(deps, l, ['pending', 'available', 'deleting']);
  if (vgws.length === 0) return { deleted: true };
  // a VGW is deleted only once the re-read shows it detached and without VPN connections
  const conns = await l.aws.findVpnConnections(l.record, ['pending', 'available', 'deleting']);
  for (const v of vgws.filter((x) => x.state !== 'deleting')) {
    const attached = v.attachments.some((a) => a.state !== 'detached');
    const used = conns.some((c) => c.vpnGatewayId === v.id);
    if (!attached && !used) await l.aws.deleteVpnGateway(v.id);
  }
  throw new NotReady(`AWS VGW ${vgws.map((v) => v.id).join(', ')} is being deleted`, { cloud: 'aws' });
}

// ------------------------------------------------------------------ ends

export async function teardownFinish(
  deps: RecordDeps,
  ref: ConnRef & { executionName?: string },
): Promise<{ status: 'DELETED' | 'SUPERSEDED' }> {
  if (!(await deps.registry.markDeleted(ref.name, { owner: ref.executionName }))) {
    logger.warn('record not marked DELETED: the teardown no longer holds the connection', { connection: ref.name });
    return { status: 'SUPERSEDED' };
  }
  logger.info('connection deleted', { connection: ref.name });
  return { status: 'DELETED' };
}

/** a teardown that failed: the record says FAILED and why (it keeps what is left; a re-run finishes) */
export async function recordTeardownFailure(
  deps: RecordDeps,
  input: ConnRef & { error?: { Error?: string; Cause?: string }; executionName?: string },
): Promise<{ status: 'FAILED' | 'SUPERSEDED' }> {
  const error = input.error?.Error ?? 'Error';
  const cause = causeText(input.error?.Cause) || error;
  const at = deps.now().toISOString();
  const wrote = await whileHolding(deps.registry, input.name, input.executionName, (r) => {
    r.status = 'FAILED';
    r.statusReason = `teardown failed: ${error}: ${cause}`;
    r.failure = { at, error, cause };
    if (r.operation) Object.assign(r.operation, { finishedAt: at, result: 'FAILED' });
    r.completedOperations = (r.completedOperations ?? 0) + 1;
  });
  logger.warn('teardown failed', { connection: input.name, error });
  return { status: wrote ? 'FAILED' : 'SUPERSEDED' };
}

export async function rollbackFinish(
  deps: RecordDeps,
  input: ConnRef & { cause?: string; executionName?: string },
): Promise<{ status: 'FAILED' | 'SUPERSEDED' }> {
  const at = deps.now().toISOString();
  const wrote = await whileHolding(deps.registry, input.name, input.executionName, (r) => {
    r.status = 'FAILED';
    r.statusReason = `rolled back after: ${input.cause ?? r.failure?.cause ?? 'a failure'}`;
    r.resources = {
      aws: { customerGateways: {}, vpnConnections: {}, routeTableIds: [] },
      alibaba: { customerGateways: {}, connections: {} },
    };
    r.handoffs = { awsTunnels: {} };
    if (r.failure) r.failure.at = at;
    // the rollback was the end of the provisioning: the connection is free again
    if (r.operation && !r.operation.finishedAt) Object.assign(r.operation, { finishedAt: at, result: 'FAILED' });
  });
  return { status: wrote ? 'FAILED' : 'SUPERSEDED' };
}
