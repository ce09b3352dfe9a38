import { randomUUID } from 'node:crypto';
import type { AliTunnel, AliVpnConnection, AwsTunnel, AwsVpnConnection } from '../clouds/types';
import { GatewayBusy, LockLost, NotReady, ProviderRejected, RecordMissing } from '../errors';
import { logger, redactText, registerSecret } from '../log';
import { operationToken, type PlannedTunnel } from '../plan';
import { generatePsk } from '../plan/crypto';
import { executionName } from '../plan/naming';
import { describeTakeOver, holds } from '../registry/lock';
import type { ConnectionRecord, KeyRotation } from '../registry/record';
import { claimForStep, whileHolding } from './claim';
import type { AlibabaDeps, AwsDeps, ConnRef, Deps, RecordDeps } from './deps';
import { type AlibabaLoaded, loadAlibaba, loadAws, loadRecord } from './load';
import { alibabaConnectionsByRole, byRole, findAlibabaGateway } from './observe';

// Key rotation without downtime (docs/key-rotation.md). One used tunnel at a time, the standby first: its new key
// goes to Alibaba's end, then to AWS's end (ModifyVpnTunnelOptions replaces that tunnel's endpoint for minutes),
// and the next tunnel starts only once this one is UP on both clouds with the new key. The other used tunnel carries
// the traffic meanwhile. A tunnel that does not come back is set back to its previous key on both clouds.
//
// Keys live only in the record (handoffs.rotation: previous and next per tunnel, until the rotation ends); the
// state carries tunnel ids. Every step re-reads the key each cloud holds and changes only what differs, so a re-run
// (a retry after a lost answer, a resumed execution) changes nothing twice.

export type KeyChoice = 'next' | 'previous';

export interface TunnelKeyRef extends ConnRef {
  /** plan tunnel id, e.g. 'vpn-2/1' */
  tunnel: string;
  key: KeyChoice;
  /** the rotation's execution: the record is written only while it holds the connection (absent: a direct call) */
  executionName?: string;
}

/** the used tunnels, in rotation order: the standby first, the active last (unused AWS tunnels carry nothing) */
export function rotationOrder(tunnels: PlannedTunnel[]): PlannedTunnel[] {
  const rank = { standby: 0, active: 1, unused: 2 } as const;
  return tunnels.filter((t) => t.role !== 'unused').sort((a, b) => rank[a.role] - rank[b.role]);
}

/**
 * Is a rotation due under `tunnels.rotateEveryDays`? Counted from the last rotation that succeeded, else from the
 * record's creation; only for an ACTIVE connection (a failed rotation is retried by the next schedule run).
 */
export function rotationDue(r: ConnectionRecord, now: Date): boolean {
  const days = r.spec?.tunnels.rotateEveryDays;
  if (!days || r.status !== 'ACTIVE') return false;
  const last = r.lastRotation?.result === 'SUCCEEDED' ? r.lastRotation.at : r.createdAt;
  return now.getTime() - Date.parse(last) >= days * 86_400_000;
}

function keyOf(r: ConnectionRecord, tunnel: string, key: KeyChoice): string {
  const k = r.handoffs.rotation?.[tunnel];
  if (!k) throw new ProviderRejected(`no key rotation of tunnel ${tunnel} is recorded for ${r.name}`);
  registerSecret(k.previous);
  registerSecret(k.next);
  return key === 'next' ? k.next : k.previous;
}

function planned(l: { plan: { tunnels: PlannedTunnel[] } }, id: string): PlannedTunnel {
  const t = l.plan.tunnels.find((x) => x.id === id);
  if (!t?.alibaba) throw new ProviderRejected(`the plan has no used tunnel ${id}`);
  return t;
}

/** take the connection for the rotation and choose the new keys (kept in the record only) */
export async function rotateStart(
  deps: RecordDeps,
  input: ConnRef & { executionName?: string; takeOver?: boolean },
): Promise<{ name: string; standby: string; active: string; replaced?: string }> {
  const { plan, record } = await loadRecord(deps, input);
  if (record.status !== 'ACTIVE' && record.operation?.kind !== 'rotate')
    throw new ProviderRejected(`${input.name} is ${record.status}: only an ACTIVE connection's keys are rotated`);
  const me = input.executionName ?? executionName(input.name, 'rotate', randomUUID().slice(0, 8));
  const claimed = await claimForStep(
    deps.registry,
    input.name,
    { kind: 'rotate', executionName: me, force: input.takeOver === true },
    deps.now().toISOString(),
  );
  if (!claimed) throw new ProviderRejected(`${input.name} was torn down`);
  const order = rotationOrder(plan.tunnels).map((t) => t.id);
  const [standby, active] = order;
  if (order.length !== 2 || !standby || !active)
    throw new ProviderRejected(`the plan of ${input.name} has ${order.length} used tunnels; a rotation expects two`);
  // the keys are chosen once: a re-run (or a resumed execution) keeps the ones already recorded
  await whileHolding(deps.registry, input.name, me, (r) => {
    const rotation: Record<string, KeyRotation> = { ...(r.handoffs.rotation ?? {}) };
    for (const id of order) {
      const current = r.handoffs.awsTunnels[id];
      if (!current) throw new ProviderRejected(`no key stored for tunnel ${id} of ${input.name}`);
      rotation[id] ??= { previous: current.psk, next: generatePsk(deps.randomBytes) };
    }
    r.handoffs.rotation = rotation;
  });
  return {
    name: input.name,
    standby,
    active,
    ...(claimed.replaced ? { replaced: describeTakeOver(claimed.replaced) } : {}),
  };
}

async function alibabaTunnel(
  l: AlibabaLoaded,
  t: PlannedTunnel,
): Promise<{ conn: AliVpnConnection; tunnel: AliTunnel; gatewayStatus: string }> {
  const gw = await findAlibabaGateway(l);
  if (!gw) throw new ProviderRejected(`the Alibaba VPN gateway of ${l.record.name} is missing`, { cloud: 'alibaba' });
  const role = t.alibaba?.connection ?? 'ipsec-1';
  const conn = alibabaConnectionsByRole(l.record, await l.alibaba.listVpnConnections(gw.id))[role];
  const tunnel =
    conn && (conn.tunnels.length === 1 ? conn.tunnels[0] : conn.tunnels.find((x) => x.role === t.alibaba?.alibabaRole));
  if (!conn || !tunnel)
    throw new ProviderRejected(`the Alibaba IPsec connection ${role} of ${l.record.name} is missing`, {
      cloud: 'alibaba',
    });
  registerSecret(tunnel.ike.Psk);
  return { conn, tunnel, gatewayStatus: gw.status };
}

/** Alibaba's end of the tunnel gets the chosen key (nothing when it has it already) */
export async function alibabaSetTunnelKey(deps: AlibabaDeps, ref: TunnelKeyRef): Promise<{ changed: boolean }> {
  const l = await loadAlibaba(deps, ref);
  const t = planned(l, ref.tunnel);
  const want = keyOf(l.record, ref.tunnel, ref.key);
  const { conn, tunnel, gatewayStatus } = await alibabaTunnel(l, t);
  // a key Alibaba does not disclose cannot be compared: set it again (the same key changes nothing that matters)
  if (tunnel.ike.Psk === want) return { changed: false };
  if (gatewayStatus !== 'active' || conn.state === 'updating' || tunnel.state === 'updating')
    throw new GatewayBusy(`the Alibaba VPN gateway of ${l.record.name} is applying a change`, { cloud: 'alibaba' });
  const mode = l.plan.alibabaConnections.find((c) => c.role === t.alibaba?.connection)?.mode ?? 'dual-tunnel';
  const entry = l.record.handoffs.rotation?.[ref.tunnel];
  await l.alibaba.setTunnelPsk({
    vpnConnectionId: conn.id,
    mode,
    tunnelId: mode === 'single-tunnel' ? undefined : tunnel.tunnelId,
    psk: want,
    // one token per rotation and direction: a rollback in a later rotation is a new request, not a replay
    clientToken: operationToken(
      l.record,
      `rotate-${ref.tunnel}-${ref.key}-${fingerprint(`${entry?.previous}/${entry?.next}`)}`,
    ),
  });
  logger.info('Alibaba tunnel key set', { connection: l.record.name, tunnel: ref.tunnel, key: ref.key });
  return { changed: true };
}

/** a short, non-reversible tag of a key for ClientTokens (never the key) */
function fingerprint(key: string): string {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(36);
}

function awsTunnelOf(conns: Partial<Record<string, AwsVpnConnection>>, t: PlannedTunnel) {
  const conn = conns[t.aws.connection];
  const tunnel: AwsTunnel | undefined = conn?.tunnels[t.aws.tunnel - 1];
  if (!conn || !tunnel) throw new ProviderRejected(`the AWS VPN connection ${t.aws.connection} is missing`);
  registerSecret(tunnel.psk);
  return { conn, tunnel };
}

/** AWS's end of the tunnel gets the chosen key: ModifyVpnTunnelOptions (nothing when it has it already) */
export async function awsSetTunnelKey(deps: AwsDeps, ref: TunnelKeyRef): Promise<{ changed: boolean }> {
  const l = await loadAws(deps, ref);
  const t = planned(l, ref.tunnel);
  const want = keyOf(l.record, ref.tunnel, ref.key);
  const { conn, tunnel } = awsTunnelOf(
    byRole(await l.aws.findVpnConnections(l.record, ['available', 'modifying'])).map,
    t,
  );
  if (tunnel.psk === want) return { changed: false };
  // one modification at a time per VPN connection (the API reference): wait for the running one
  if (conn.state !== 'available')
    throw new NotReady(`the AWS VPN connection ${conn.id} is ${conn.state}`, { cloud: 'aws' });
  await l.aws.setTunnelPsk(conn.id, tunnel.outsideIp, want);
  logger.info('AWS tunnel key set', { connection: l.record.name, tunnel: ref.tunnel, key: ref.key });
  return { changed: true };
}

/**
 * poll: the tunnel is UP on both clouds with the chosen key. With the new key, the record then holds it as the
 * tunnel's key (the previous one stays in the rotation entry until the rotation ends).
 */
export async function waitTunnelKey(deps: Deps, ref: TunnelKeyRef): Promise<{ up: true }> {
  const l = await loadAws(deps, ref);
  const t = planned(l, ref.tunnel);
  const want = keyOf(l.record, ref.tunnel, ref.key);
  const { conn, tunnel } = awsTunnelOf(
    byRole(await l.aws.findVpnConnections(l.record, ['available', 'modifying'])).map,
    t,
  );
  const ali = await alibabaTunnel({ ...l, alibaba: await deps.alibaba(l.record.spec.alibaba.region) }, t);
  const why: string[] = [];
  if (tunnel.psk !== want) why.push(`AWS does not hold the ${ref.key} key`);
  if (ali.tunnel.ike.Psk !== want && ali.tunnel.ike.Psk) why.push(`Alibaba does not hold the ${ref.key} key`);
  if (conn.state !== 'available') why.push(`the AWS VPN connection ${conn.id} is ${conn.state}`);
  const awsStatus = tunnel.telemetry?.status ?? 'DOWN';
  if (awsStatus !== 'UP')
    why.push(`AWS says ${awsStatus}${tunnel.telemetry?.message ? ` (${tunnel.telemetry.message})` : ''}`);
  if (ali.tunnel.status !== 'ipsec_sa_established') why.push(`Alibaba says ${ali.tunnel.status || 'nothing'}`);
  if (why.length > 0)
    throw new NotReady(`tunnel ${ref.tunnel} is not UP with its ${ref.key} key: ${why.join('; ')}`, {
      cloud: tunnel.psk !== want || awsStatus !== 'UP' ? 'aws' : 'alibaba',
    });
  if (ref.key === 'next') {
    // only while this execution holds the connection: after a take-over the record is the new holder's
    const held = await deps.registry.transact(ref.name, (current) => {
      if (!current || current.scheduledForDeletion) throw new RecordMissing(`no connection named ${ref.name}`);
      if (ref.executionName !== undefined && !holds(current.record, ref.executionName)) return { result: false };
      const r = current.record;
      const k = r.handoffs.rotation?.[ref.tunnel];
      const h = r.handoffs.awsTunnels[ref.tunnel];
      // recorded already (a retry after a lost answer): no new version
      if (!k || !h || (k.done && h.psk === k.next)) return { result: true };
      h.psk = k.next;
      k.done = true;
      return { write: r, result: true };
    });
    if (!held)
      throw new LockLost(
        `${ref.name}: rotation ${ref.executionName ?? '?'} no longer holds the connection; tunnel ${ref.tunnel}'s new key was not recorded`,
      );
  }
  return { up: true };
}

/** the rotation succeeded: only the new keys stay in the record; the connection is free again */
export async function rotateFinish(
  deps: RecordDeps,
  input: ConnRef & { executionName?: string },
): Promise<{ rotated: string[] }> {
  const at = deps.now().toISOString();
  let rotated: string[] = [];
  await whileHolding(deps.registry, input.name, input.executionName, (r) => {
    const rotation = r.handoffs.rotation ?? {};
    rotated = Object.keys(rotation).filter((id) => rotation[id]?.done);
    const pending = Object.keys(rotation).filter((id) => !rotation[id]?.done);
    if (pending.length > 0) throw new ProviderRejected(`tunnels ${pending.join(', ')} did not finish their rotation`);
    delete r.handoffs.rotation;
    r.lastRotation = { at, result: 'SUCCEEDED', tunnels: rotated };
    if (r.operation && !r.operation.finishedAt) Object.assign(r.operation, { finishedAt: at, result: 'SUCCEEDED' });
    r.completedOperations = (r.completedOperations ?? 0) + 1;
  });
  return { rotated };
}

/**
 * The rotation failed: tunnels that finished keep their new key, the one that failed was set back to its previous
 * key (or the rollback itself failed: the reason says so). The record keeps only the keys in use; the lock goes.
 */
export async function rotateFailed(
  deps: RecordDeps,
  input: ConnRef & { executionName?: string; error?: { Error?: string; Cause?: string } },
): Promise<{ error: string; cause: string }> {
  const at = deps.now().toISOString();
  const rolledBack = input.error?.Error !== 'RollbackIncomplete';
  // through a transit gateway: the traffic could not be moved off the active connection, nothing of it was changed
  const steerRefused = input.error?.Error === 'SteerRefused';
  let cause = '';
  await whileHolding(deps.registry, input.name, input.executionName, (r) => {
    const rotation = r.handoffs.rotation ?? {};
    const done = Object.keys(rotation).filter((id) => rotation[id]?.done);
    const failed = Object.keys(rotation).find((id) => !rotation[id]?.done) ?? '?';
    const why = redactText(causeOf(input.error));
    cause = steerRefused
      ? `the transit gateway routes could not be moved off tunnel ${failed}'s VPN connection before its key change (${why}); tunnel ${failed} was not changed${done.length > 0 ? `; ${done.join(', ')} rotated` : ''}`
      : rolledBack
        ? `tunnel ${failed} did not come back UP with its new key (${why}); it was set back to its previous key on both clouds${done.length > 0 ? `; ${done.join(', ')} rotated` : ''}`
        : `tunnel ${failed}: the rotation failed and setting its previous key back failed too (${why}); the record keeps both keys: run \`vpn-bridge rotate ${r.name}\` again`;
    // a tunnel that was rolled back uses its previous key: nothing else to keep (a failed rollback keeps both)
    if (rolledBack) delete r.handoffs.rotation;
    r.lastRotation = { at, result: 'FAILED', tunnels: done, note: cause };
    r.statusReason = `key rotation failed: ${cause}`;
    if (r.operation && !r.operation.finishedAt) Object.assign(r.operation, { finishedAt: at, result: 'FAILED' });
    r.completedOperations = (r.completedOperations ?? 0) + 1;
  });
  logger.warn('key rotation failed', { connection: input.name, cause });
  return { error: steerRefused ? 'SteerRefused' : rolledBack ? 'RotationRolledBack' : 'RollbackIncomplete', cause };
}

function causeOf(e: { Error?: string; Cause?: string } | undefined): string {
  if (!e?.Cause) return e?.Error ?? 'unknown error';
  try {
    const parsed = JSON.parse(e.Cause) as { errorMessage?: string };
    return parsed.errorMessage ?? e.Cause;
  } catch {
    return e.Cause;
  }
}
