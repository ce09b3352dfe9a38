import { randomUUID } from 'node:crypto';
import {
  GatewayBusy,
  GatewayKindMismatch,
  isVpnBridgeError,
  NotReady,
  NotYetVisible,
  OperationInProgress,
  OutcomeUnknown,
  PreflightFailed,
  ProviderRejected,
  SpecInvalid,
  TunnelsDown,
  type VpnBridgeError,
} from '../errors';
import { downSummary, tunnelHealth } from '../health/tunnels';
import { logger, registerSecret } from '../log';
import {
  alibabaIkeConfig,
  alibabaIpsecConfig,
  awsTags,
  awsTunnelOptions,
  generatePsk,
  operationToken,
  resourceName,
  tunnelId,
} from '../plan';
import { gatewayKindMismatch, gatewayModeOf } from '../plan/gateway-kind';
import { alibabaTags, executionName } from '../plan/naming';
import { type Claim, describeTakeOver, holds } from '../registry/lock';
import { newRecord } from '../registry/record';
import { parseSpec } from '../spec';
import { preflight, recordConflicts } from '../spec/preflight';
import { attachOf, tgwAttachOf } from '../spec/schema';
import { madeByVpnBridge, resolveVgw, vgwOrigin } from './attach';
import { claimForStep, failOperation, whileHolding } from './claim';
import type { AlibabaDeps, AwsDeps, ConnRef, Deps, RecordDeps } from './deps';
import { type AlibabaLoaded, type AwsLoaded, type Loaded, load, loadAlibaba, loadAws } from './load';
import { alibabaConnectionsByRole, byRole, findAlibabaGateway, findAll } from './observe';
import { parseCustomerGatewayConfiguration } from './tunnel-config';

// The provisioning steps (README.md), one function per state machine Task. Each is safe to re-run:
// it finds what it would create (tags on AWS, names + ClientTokens on Alibaba) before creating. None
// returns a secret; anything secret or handed to a later step goes to the record in Secrets Manager.
// Only steps outside Parallel branches write the record.

const tagsOf = (list: Array<{ Key: string; Value: string }>) => Object.fromEntries(list.map((t) => [t.Key, t.Value]));

/** a failure after this step made `made`: the retry must first let the providers' listings settle */
function outcomeUnknownAfter(e: unknown, made: string): OutcomeUnknown {
  const err = e as Partial<VpnBridgeError> & { message?: string };
  return new OutcomeUnknown(`${made} before this failure (${err.name ?? 'Error'}: ${err.message ?? String(e)})`, {
    cloud: err.cloud,
    providerCode: err.providerCode,
    requestId: err.requestId,
  });
}

// ------------------------------------------------------------------ ValidateSpec

export interface ValidateInput {
  spec: unknown;
  /** this execution's name: it holds the connection's lock (taken by the API for it, or here) */
  executionName?: string;
  /**
   * take the lock over from whatever holds it (`vpn-bridge up --force`): for an operation that was stopped or
   * crashed without finishing; the record names the operation replaced
   */
  takeOver?: boolean;
}

export interface ValidateOutput {
  name: string;
  topology: 'single-tunnel' | 'dual-tunnel';
  onFailure: 'keep' | 'rollback';
  everActive: boolean;
  secretArn: string;
  warnings: string[];
  /** how the AWS side attaches (`aws.attach`): the state machine's AWS steps differ */
  attachKind: 'vpn-gateway' | 'transit-gateway';
  /** the operation this one took over, if any */
  replaced?: string;
}

/**
 * Claim the connection, then preflight. Nothing is created here. An existing record is claimed first, so a preflight
 * failure is recorded on it (FAILED, with the reason) and releases the connection; a connection without a record
 * (or torn down) gets one only once its spec passed preflight, so a bad spec leaves nothing behind. A retryable
 * error is left to the state machine's Retry (the claim is ours on the next attempt).
 */
export async function validateSpec(deps: Deps, input: ValidateInput): Promise<ValidateOutput> {
  const parsed = parseSpec(input.spec);
  if (!parsed.ok) throw new SpecInvalid(parsed.errors.map((e) => ({ path: e.path, message: e.message })));
  const spec = parsed.spec;
  const me = input.executionName ?? executionName(spec.name, 'provision', randomUUID().slice(0, 8));
  const at = deps.now().toISOString();
  const claim: Claim = { kind: 'provision', executionName: me, force: input.takeOver === true };
  const existing = await deps.registry.get(spec.name);
  const live = existing && !existing.scheduledForDeletion && existing.record.status !== 'DELETED';
  let claimed = live ? await claimForStep(deps.registry, spec.name, claim, at) : undefined;
  try {
    const prior = claimed?.record;
    const early = recordConflicts(prior, spec);
    if (early.length > 0) throw new PreflightFailed(early);
    const aws = deps.aws(spec.aws.region);
    const alibaba = await deps.alibaba(spec.alibaba.region);
    const pf = await preflight(
      spec,
      { aws, alibaba },
      { key: { stage: deps.registry.stage, name: spec.name }, recordedVgwId: prior?.resources.aws.vpnGatewayId },
    );
    if (pf.errors.length > 0 || !pf.gatewayKind || !pf.resolved) throw new PreflightFailed(pf.errors);
    // a gateway made by an earlier run decides the topology (src/plan/gateway-kind.ts); a pinned mode must match it
    const gateway = prior?.topology ? await findAlibabaGateway({ alibaba, record: prior }) : undefined;
    const mismatch = gateway ? gatewayKindMismatch(gatewayModeOf(spec), gateway) : undefined;
    if (mismatch) throw new PreflightFailed([{ path: 'alibaba.gatewayMode', message: mismatch }]);
    // a new connection (or one created again) gets its record now; a concurrent claim of the name wins or loses here
    claimed ??= await claimForStep(deps.registry, spec.name, claim, at, () =>
      newRecord(spec, deps.registry.stage, randomUUID(), at),
    );
    const gatewayKind = gateway?.kind ?? pf.gatewayKind;
    const { resolved } = pf;
    // every provisioning run has its own ClientTokens: its retries repeat them, the next run re-creates what is missing
    const tokenEpoch = Buffer.from(deps.randomBytes(8)).toString('hex');
    let everActive = false;
    const secretArn = await deps.registry.transact(spec.name, (current) => {
      const r = current?.record;
      if (!current || !r || !holds(r, me))
        throw new OperationInProgress(`${spec.name} was taken over by another operation while being validated`);
      r.spec = spec;
      r.topology = gatewayKind;
      r.gatewayKind = gateway?.kind;
      r.tokenEpoch = tokenEpoch;
      r.resolved = resolved;
      r.status = 'PROVISIONING';
      r.statusReason = undefined;
      r.failure = undefined;
      everActive = r.everActive;
      return { write: r, result: current.arn };
    });
    const warnings = [...parsed.warnings, ...pf.warnings].map((w) => `${w.path}: ${w.message}`);
    logger.info('spec validated', { connection: spec.name, topology: gatewayKind, warnings });
    return {
      name: spec.name,
      topology: gatewayKind,
      onFailure: spec.onFailure,
      everActive,
      secretArn,
      warnings,
      attachKind: tgwAttachOf(spec) ? 'transit-gateway' : 'vpn-gateway',
      ...(claimed?.replaced ? { replaced: describeTakeOver(claimed.replaced) } : {}),
    };
  } catch (e) {
    const retryable = isVpnBridgeError(e) && e.retryable;
    if (claimed && !retryable && !(e instanceof OperationInProgress))
      await failOperation(deps.registry, spec.name, me, e, at);
    throw e;
  }
}

// ------------------------------------------------------------------ Alibaba VPN gateway

export async function alibabaCreateGateway(
  deps: AlibabaDeps,
  ref: ConnRef,
): Promise<{ vpnGatewayId: string; created: boolean }> {
  const l = await loadAlibaba(deps, ref);
  const { spec, resolved } = l.record;
  const name = resourceName(l.record, 'alibaba-gateway');
  const found = await findAlibabaGateway(l);
  if (found) return { vpnGatewayId: found.id, created: false };
  const [vSwitchId, disasterRecoveryVSwitchId] = resolved?.alibabaVSwitchIds ?? [];
  const order = (dr: string | undefined) =>
    l.alibaba.createVpnGateway({
      vpcId: spec.alibaba.vpcId,
      name,
      bandwidthMbps: spec.alibaba.bandwidthMbps,
      chargeType: spec.alibaba.chargeType,
      periodMonths: spec.alibaba.periodMonths,
      vSwitchId,
      disasterRecoveryVSwitchId: dr,
      // the request differs with and without the second vSwitch: so does its token
      clientToken: operationToken(l.record, dr ? 'alibaba-gateway' : 'alibaba-gateway/one-vswitch'),
    });
  let r: { id: string };
  try {
    r = await order(disasterRecoveryVSwitchId);
  } catch (e) {
    // Where gateways are single-tunnel, what CreateVpnGateway does with a disaster-recovery vSwitch is undocumented:
    // in auto mode a refusal of the two-vSwitch order (whatever its code) gets one more try with one vSwitch; if that
    // is refused too, the first refusal is the cause.
    if (!(e instanceof ProviderRejected) || !disasterRecoveryVSwitchId || gatewayModeOf(spec) !== 'auto') throw e;
    try {
      r = await order(undefined);
    } catch (again) {
      // a transient failure of the second order is retried by the state machine (its token makes it idempotent)
      if (again instanceof Error && 'retryable' in again && again.retryable === true) throw again;
      throw e;
    }
  }
  logger.info('Alibaba VPN gateway ordered', { connection: spec.name, vpnGatewayId: r.id });
  return { vpnGatewayId: r.id, created: true };
}

async function alibabaGateway(l: AlibabaLoaded) {
  const g = await findAlibabaGateway(l);
  if (!g)
    throw new NotYetVisible(`the Alibaba VPN gateway of ${l.record.name} is not visible yet`, { cloud: 'alibaba' });
  return g;
}

/** poll: the gateway is active (after creation, and between serialized changes) */
export async function alibabaWaitGateway(
  deps: AlibabaDeps,
  ref: ConnRef,
): Promise<{ vpnGatewayId: string; status: string }> {
  const l = await loadAlibaba(deps, ref);
  const g = await alibabaGateway(l);
  // what the gateway is shows from its create on (its disaster-recovery vSwitch): a pinned mode it does not serve
  // fails here, before anything depends on the topology
  const mismatch = gatewayKindMismatch(gatewayModeOf(l.record.spec), g);
  if (mismatch) throw new GatewayKindMismatch(mismatch);
  if (g.status !== 'active') throw new NotReady(`Alibaba VPN gateway ${g.id} is ${g.status}`, { cloud: 'alibaba' });
  if (!g.internetIp || (g.kind === 'dual-tunnel' && !g.disasterRecoveryInternetIp))
    throw new NotReady(`Alibaba VPN gateway ${g.id} has no public IP yet`, { cloud: 'alibaba' });
  return { vpnGatewayId: g.id, status: g.status };
}

/**
 * The route steps also run as a drift repair, outside any provisioning: a teardown that took the connection since
 * the repair was prepared must not get routes re-created behind it (they would outlive the gateway as orphans).
 */
export function refuseWhileTornDown(record: { name: string; status: string }): void {
  if (record.status === 'DELETING' || record.status === 'DELETED')
    throw new OperationInProgress(`${record.name} is ${record.status}: its routes are not re-created`);
}

// ------------------------------------------------------------------ AWS virtual private gateway

export async function awsCreateVgw(deps: AwsDeps, ref: ConnRef): Promise<{ vpnGatewayId: string; created: boolean }> {
  const l = await loadAws(deps, ref);
  // the VGW named in the spec, the one attached to the VPC (shared, or the user's), or the one this connection made
  const found = await resolveVgw(l);
  if (found) return { vpnGatewayId: found.id, created: false };
  const attach = attachOf(l.record.spec);
  if (attach.vpnGateway !== 'auto')
    throw new ProviderRejected(`VPN gateway ${attach.vpnGateway} (aws.attach.vpnGateway) does not exist`, {
      cloud: 'aws',
    });
  const vgw = await l.aws.createVpnGateway(tagsOf(awsTags(l.record, 'vgw')));
  logger.info('AWS VGW created', { connection: l.record.name, vpnGatewayId: vgw.id });
  return { vpnGatewayId: vgw.id, created: true };
}

async function ourVgw(l: AwsLoaded) {
  const vgw = await resolveVgw(l);
  if (!vgw) throw new NotYetVisible(`the AWS VGW of ${l.record.name} is not visible yet`, { cloud: 'aws' });
  return vgw;
}

export async function awsWaitVgw(deps: AwsDeps, ref: ConnRef): Promise<{ vpnGatewayId: string }> {
  const l = await loadAws(deps, ref);
  const vgw = await ourVgw(l);
  if (vgw.state !== 'available') throw new NotReady(`AWS VGW ${vgw.id} is ${vgw.state}`, { cloud: 'aws' });
  return { vpnGatewayId: vgw.id };
}

export async function awsAttachVgw(deps: AwsDeps, ref: ConnRef): Promise<{ vpnGatewayId: string; attached: boolean }> {
  const l = await loadAws(deps, ref);
  const vgw = await ourVgw(l);
  const vpcId = l.record.spec.aws.vpcId;
  const att = vgw.attachments.find((a) => a.vpcId === vpcId && (a.state === 'attached' || a.state === 'attaching'));
  if (att) return { vpnGatewayId: vgw.id, attached: false };
  if (vgw.attachments.some((a) => a.vpcId === vpcId && a.state === 'detaching'))
    throw new NotReady(`AWS VGW ${vgw.id} is still detaching from ${vpcId}`, { cloud: 'aws' });
  // a VGW vpn-bridge did not make is attached by its owner (preflight says so): only our own are attached here
  if (!madeByVpnBridge(vgw, l.record.stage))
    throw new ProviderRejected(`VPN gateway ${vgw.id} is not attached to ${vpcId}: attach it, then provision again`, {
      cloud: 'aws',
    });
  await l.aws.attachVpnGateway(vgw.id, vpcId);
  return { vpnGatewayId: vgw.id, attached: true };
}

export async function awsWaitAttached(deps: AwsDeps, ref: ConnRef): Promise<{ vpnGatewayId: string }> {
  const l = await loadAws(deps, ref);
  const vgw = await ourVgw(l);
  const att = vgw.attachments.find((a) => a.vpcId === l.record.spec.aws.vpcId);
  if (att?.state !== 'attached')
    throw new NotReady(`AWS VGW ${vgw.id} attachment to ${l.record.spec.aws.vpcId} is ${att?.state ?? 'absent'}`, {
      cloud: 'aws',
    });
  return { vpnGatewayId: vgw.id };
}

export async function awsCreateRoutes(
  deps: AwsDeps,
  ref: ConnRef,
): Promise<{ routeTables: string[]; created: number }> {
  const l = await loadAws(deps, ref);
  refuseWhileTornDown(l.record);
  // toward the VGW, or toward the transit gateway (only when the spec asks for VPC routes: preflight resolved no
  // tables otherwise)
  const tgw = tgwAttachOf(l.record.spec);
  if (tgw && !tgw.vpcRoutes) return { routeTables: [], created: 0 };
  const vgw = tgw ? { id: tgw.transitGateway } : await ourVgw(l);
  let created = 0;
  const tables = l.record.resolved?.awsRouteTableIds ?? [];
  const present = await l.aws.describeRouteTables({ ids: tables });
  // one route per Alibaba CIDR in every table
  for (const dest of l.plan.routes.awsDestinations)
    for (const rtb of tables) {
      const have = present
        .find((t) => t.id === rtb)
        ?.routes.some((r) => r.destination === dest && r.gatewayId === vgw.id);
      if (!have && (await l.aws.createRoute(rtb, dest, vgw.id)) === 'created') created++;
    }
  return { routeTables: tables, created };
}

// ------------------------------------------------------------------ AWS customer gateways (sequential: writes the record)

export async function awsCreateCustomerGateways(
  deps: Deps,
  ref: ConnRef,
): Promise<{ customerGateways: Record<string, string> }> {
  const l = await settleTopology(deps, ref, await load(deps, ref));
  const gw = await alibabaGateway(l);
  const ips = { InternetIp: gw.internetIp, DisasterRecoveryInternetIp: gw.disasterRecoveryInternetIp || undefined };
  const existing = byRole(await l.aws.findCustomerGateways(l.record)).map;
  const ids: Record<string, string> = {};
  for (const cg of l.plan.awsCustomerGateways) {
    const ip = ips[cg.alibabaIp];
    if (!ip) throw new NotReady(`Alibaba VPN gateway ${gw.id} has no ${cg.alibabaIp} yet`, { cloud: 'alibaba' });
    const have = existing[cg.role];
    if (have && have.ipAddress !== ip)
      throw new ProviderRejected(
        `AWS customer gateway ${have.id} (${cg.role}) points at ${have.ipAddress} but the Alibaba gateway's ${cg.alibabaIp} is ${ip}; tear the connection down and provision it again`,
      );
    ids[cg.role] = have ? have.id : (await l.aws.createCustomerGateway(ip, tagsOf(awsTags(l.record, cg.role)))).id;
  }
  // a connection on a transit gateway has no VGW
  const vgw = tgwAttachOf(l.record.spec) ? undefined : await ourVgw(l);
  await deps.registry.update(l.record.name, (r) => {
    r.gatewayKind = gw.kind;
    r.handoffs.alibabaGatewayIps = {
      InternetIp: ips.InternetIp,
      DisasterRecoveryInternetIp: ips.DisasterRecoveryInternetIp,
    };
    r.resources.alibaba.vpnGatewayId = gw.id;
    r.resources.aws.vpnGatewayId = vgw?.id;
    r.resources.aws.vpnGatewayOrigin = vgw ? vgwOrigin(vgw, r.stage) : undefined;
    r.resources.aws.customerGateways = ids;
    r.resources.aws.routeTableIds = r.resolved?.awsRouteTableIds ?? [];
    return r;
  });
  return { customerGateways: ids };
}

/**
 * The first step after the gateways exist takes the topology from the Alibaba gateway that was created (a dual-tunnel
 * one has a disaster-recovery IP): nothing built so far depends on it. A mode the gateway does not serve fails here
 * at the latest, before any customer gateway or IPsec connection is made.
 */
async function settleTopology(deps: Deps, ref: ConnRef, l: Loaded): Promise<Loaded> {
  const gw = await alibabaGateway(l);
  const mismatch = gatewayKindMismatch(gatewayModeOf(l.record.spec), gw);
  if (mismatch) throw new GatewayKindMismatch(mismatch);
  if (l.record.topology === gw.kind) return l;
  logger.info('topology taken from the created gateway', {
    connection: l.record.name,
    expected: l.record.topology,
    gateway: gw.id,
    topology: gw.kind,
  });
  await deps.registry.update(l.record.name, (r) => {
    r.topology = gw.kind;
    r.gatewayKind = gw.kind;
    return r;
  });
  return load(deps, ref);
}

export async function awsWaitCustomerGateways(deps: AwsDeps, ref: ConnRef): Promise<{ available: number }> {
  const l = await loadAws(deps, ref);
  const found = byRole(await l.aws.findCustomerGateways(l.record)).map;
  for (const cg of l.plan.awsCustomerGateways) {
    const c = found[cg.role];
    // created (the record holds its id) but not listed yet: the listing lags behind the create; check again
    const made = l.record.resources.aws.customerGateways[cg.role];
    if (!c && made) throw new NotReady(`AWS customer gateway ${made} (${cg.role}) is not listed yet`, { cloud: 'aws' });
    if (!c) throw new NotYetVisible(`AWS customer gateway ${cg.role} is not visible yet`, { cloud: 'aws' });
    if (c.state !== 'available') throw new NotReady(`AWS customer gateway ${c.id} is ${c.state}`, { cloud: 'aws' });
  }
  return { available: l.plan.awsCustomerGateways.length };
}

// ------------------------------------------------------------------ AWS VPN connections (sequential: writes the record)

export async function awsCreateVpnConnections(
  deps: AwsDeps,
  ref: ConnRef,
): Promise<{ vpnConnections: Record<string, string>; created: number }> {
  let l = await loadAws(deps, ref);
  if (l.plan.pskMode === 'generated') {
    // choose and store the keys BEFORE creating, so a re-run after a crash uses the same ones
    const wanted = l.plan.awsVpnConnections.flatMap((c) =>
      c.tunnels.map((t) => tunnelId({ connection: c.role, tunnel: t.tunnel })),
    );
    const have = l.record.handoffs.generatedPsks ?? {};
    if (wanted.some((id) => !have[id])) {
      await deps.registry.update(l.record.name, (r) => {
        const psks = { ...(r.handoffs.generatedPsks ?? {}) };
        for (const id of wanted) psks[id] ??= generatePsk(deps.randomBytes);
        r.handoffs.generatedPsks = psks;
        return r;
      });
      l = await loadAws(deps, ref);
    }
  }
  // the VPN connections terminate on the VGW, or on the transit gateway (each then comes with a VPN attachment)
  const tgw = tgwAttachOf(l.record.spec);
  const gateway = tgw ? { transitGatewayId: tgw.transitGateway } : { vpnGatewayId: (await ourVgw(l)).id };
  const cgws = byRole(await l.aws.findCustomerGateways(l.record)).map;
  const existing = byRole(await l.aws.findVpnConnections(l.record)).map;
  const ids: Record<string, string> = {};
  let created = 0;
  try {
    for (const vc of l.plan.awsVpnConnections) {
      const have = existing[vc.role];
      if (have) {
        ids[vc.role] = have.id;
        continue;
      }
      const cgw = cgws[vc.customerGateway];
      if (!cgw)
        throw new NotYetVisible(`AWS customer gateway ${vc.customerGateway} is not visible yet`, { cloud: 'aws' });
      const psks = l.record.handoffs.generatedPsks ?? {};
      const tunnelOptions = vc.tunnels.map((t) => {
        const psk =
          l.plan.pskMode === 'generated' ? psks[tunnelId({ connection: vc.role, tunnel: t.tunnel })] : undefined;
        registerSecret(psk);
        return awsTunnelOptions(l.plan.crypto, { insideCidr: t.insideCidr, psk });
      });
      const conn = await l.aws.createVpnConnection({
        customerGatewayId: cgw.id,
        ...gateway,
        tunnelOptions,
        tags: tagsOf(awsTags(l.record, vc.role)),
      });
      for (const t of conn.tunnels) registerSecret(t.psk);
      ids[vc.role] = conn.id;
      created++;
    }
    await deps.registry.update(l.record.name, (r) => {
      r.resources.aws.vpnConnections = ids;
      return r;
    });
  } catch (e) {
    // EC2 VPN connection creates carry no ClientToken and the tag lookup lags behind a create: a retry soon after a
    // create this invocation made would not see it and make another. Past a create, any failure waits for the
    // listings to settle (OutcomeUnknown) before the step looks again.
    if (created === 0) throw e;
    throw outcomeUnknownAfter(e, `AWS VPN connection(s) ${Object.values(ids).join(', ')} created`);
  }
  return { vpnConnections: ids, created };
}

/** The article's "download configuration": tunnel outside IPs and PSKs from the configuration document. */
export async function awsReadTunnelConfig(deps: AwsDeps, ref: ConnRef): Promise<{ tunnels: number }> {
  const l = await loadAws(deps, ref);
  const conns = byRole(await l.aws.findVpnConnections(l.record)).map;
  const tunnels: Record<string, { outsideIp: string; insideCidr: string; psk: string }> = {};
  for (const vc of l.plan.awsVpnConnections) {
    const conn = conns[vc.role];
    if (!conn) throw new NotYetVisible(`AWS VPN connection ${vc.role} is not visible yet`, { cloud: 'aws' });
    for (const t of conn.tunnels) registerSecret(t.psk);
    const fromXml = conn.configurationXml ? parseCustomerGatewayConfiguration(conn.configurationXml) : undefined;
    vc.tunnels.forEach((tp, i) => {
      const opt = conn.tunnels[i];
      const doc = fromXml?.[i];
      if (!opt)
        throw new ProviderRejected(`AWS VPN connection ${conn.id} reports no tunnel ${i + 1}`, { cloud: 'aws' });
      if (doc && (doc.outsideIp !== opt.outsideIp || doc.psk !== opt.psk))
        throw new ProviderRejected(
          `AWS VPN connection ${conn.id}: the configuration document disagrees with the tunnel options for tunnel ${i + 1}`,
          {
            cloud: 'aws',
          },
        );
      const id = tunnelId({ connection: vc.role, tunnel: tp.tunnel });
      const wanted = l.record.handoffs.generatedPsks?.[id];
      if (wanted && wanted !== opt.psk)
        throw new ProviderRejected(
          `AWS VPN connection ${conn.id} tunnel ${i + 1} does not carry the generated pre-shared key`,
          { cloud: 'aws' },
        );
      tunnels[id] = {
        outsideIp: doc?.outsideIp ?? opt.outsideIp,
        insideCidr: opt.insideCidr,
        psk: doc?.psk ?? opt.psk,
      };
    });
  }
  await deps.registry.update(l.record.name, (r) => {
    r.handoffs.awsTunnels = tunnels;
    return r;
  });
  return { tunnels: Object.keys(tunnels).length };
}

// ------------------------------------------------------------------ Alibaba side (Parallel branch: no record writes)

export async function alibabaCreateCustomerGateways(
  deps: AlibabaDeps,
  ref: ConnRef,
): Promise<{ customerGateways: Record<string, string> }> {
  const l = await loadAlibaba(deps, ref);
  const all = await l.alibaba.listCustomerGateways();
  const ids: Record<string, string> = {};
  for (const cg of l.plan.alibabaCustomerGateways) {
    const tunnel = l.record.handoffs.awsTunnels[tunnelId(cg.awsTunnel)];
    if (!tunnel)
      throw new ProviderRejected(
        `no AWS tunnel configuration stored for ${tunnelId(cg.awsTunnel)}; re-run from ReadAwsTunnelConfig`,
      );
    const name = resourceName(l.record, cg.role);
    const have = all.find((c) => c.ipAddress === tunnel.outsideIp);
    if (have && have.name !== name)
      throw new ProviderRejected(
        `an Alibaba customer gateway for ${tunnel.outsideIp} already exists (${have.id}, '${have.name}') and is not managed by vpn-bridge`,
        { cloud: 'alibaba' },
      );
    ids[cg.role] = have
      ? have.id
      : (
          await l.alibaba.createCustomerGateway({
            ipAddress: tunnel.outsideIp,
            name,
            tags: tagsOf(alibabaTags(l.record, cg.role)),
            clientToken: operationToken(l.record, cg.role),
          })
        ).id;
  }
  return { customerGateways: ids };
}

/** create the next missing IPsec connection (one change per call: the gateway serializes them) */
export async function alibabaCreateNextConnection(
  deps: AlibabaDeps,
  ref: ConnRef,
): Promise<{ created?: string; remaining: number }> {
  const l = await loadAlibaba(deps, ref);
  const gw = await alibabaGateway(l);
  const existing = alibabaConnectionsByRole(l.record, await l.alibaba.listVpnConnections(gw.id));
  const missing = l.plan.alibabaConnections.filter((c) => !existing[c.role]);
  const next = missing[0];
  if (!next) return { remaining: 0 };
  if (gw.status !== 'active')
    throw new GatewayBusy(`Alibaba VPN gateway ${gw.id} is ${gw.status}`, { cloud: 'alibaba' });
  const cgws = await l.alibaba.listCustomerGateways();
  const tunnels = next.tunnels.map((t) => {
    const aws = l.record.handoffs.awsTunnels[tunnelId(t.awsTunnel)];
    const cgw = cgws.find((c) => c.name === resourceName(l.record, t.customerGateway));
    if (!aws) throw new ProviderRejected(`no AWS tunnel configuration stored for ${tunnelId(t.awsTunnel)}`);
    if (!cgw)
      throw new NotYetVisible(`Alibaba customer gateway ${t.customerGateway} is not visible yet`, { cloud: 'alibaba' });
    registerSecret(aws.psk);
    return {
      customerGatewayId: cgw.id,
      role: t.alibabaRole,
      // identities explicit: the IP this tunnel leaves from and the AWS tunnel it targets (docs/ike-mapping.md)
      ike: alibabaIkeConfig(l.plan.crypto, aws.psk, {
        localId: t.sourceIp === 'InternetIp' ? gw.internetIp : gw.disasterRecoveryInternetIp,
        remoteId: aws.outsideIp,
      }),
      ipsec: alibabaIpsecConfig(l.plan.crypto),
    };
  });
  const r = await l.alibaba.createVpnConnection({
    vpnGatewayId: gw.id,
    name: resourceName(l.record, next.role),
    // destination-routing mode, matching AWS's 0.0.0.0/0 selectors (docs/sources.md#the-article-and-the-interoperability-guides-interop)
    localSubnet: '0.0.0.0/0',
    remoteSubnet: '0.0.0.0/0',
    tags: tagsOf(alibabaTags(l.record, next.role)),
    clientToken: operationToken(l.record, next.role),
    tunnels,
    mode: next.mode,
  });
  logger.info('Alibaba IPsec connection created', {
    connection: l.record.name,
    role: next.role,
    vpnConnectionId: r.id,
  });
  return { created: next.role, remaining: missing.length - 1 };
}

/** create the next missing VPN gateway route entry (serialized on the gateway like connections) */
export async function alibabaCreateNextVpnRoute(
  deps: AlibabaDeps,
  ref: ConnRef,
): Promise<{ created?: string; remaining: number }> {
  const l = await loadAlibaba(deps, ref);
  refuseWhileTornDown(l.record);
  const gw = await alibabaGateway(l);
  const conns = alibabaConnectionsByRole(l.record, await l.alibaba.listVpnConnections(gw.id));
  const routes = await l.alibaba.listVpnRouteEntries(gw.id);
  // one entry per (IPsec connection, AWS CIDR)
  const missing = l.plan.alibabaConnections.flatMap((c) =>
    l.plan.routes.alibabaDestinations
      .filter((dest) => {
        const conn = conns[c.role];
        return !conn || !routes.some((r) => r.routeDest === dest && r.nextHop === conn.id);
      })
      .map((dest) => ({ ...c, dest })),
  );
  const next = missing[0];
  if (!next) return { remaining: 0 };
  const { dest } = next;
  // the first CIDR keeps the token the one-CIDR form always had
  const suffix = dest === l.plan.routes.alibabaDestinations[0] ? '' : `/${dest}`;
  const conn = conns[next.role];
  if (!conn) throw new NotYetVisible(`Alibaba IPsec connection ${next.role} is not visible yet`, { cloud: 'alibaba' });
  if (gw.status !== 'active')
    throw new GatewayBusy(`Alibaba VPN gateway ${gw.id} is ${gw.status}`, { cloud: 'alibaba' });
  try {
    await l.alibaba.createVpnRouteEntry({
      vpnGatewayId: gw.id,
      routeDest: dest,
      nextHop: conn.id,
      weight: next.routeWeight,
      clientToken: operationToken(l.record, `vpn-route-${next.role}${suffix}`),
    });
  } catch (e) {
    // refused, whatever the code (none is documented for "exists"): the entries decide
    if (!(e instanceof ProviderRejected)) throw e;
    const now = await l.alibaba.listVpnRouteEntries(gw.id);
    if (!now.some((r) => r.routeDest === dest && r.nextHop === conn.id)) throw e;
    logger.info('Alibaba VPN route entry already there', { connection: l.record.name, role: next.role });
  }
  return { created: next.role, remaining: missing.length - 1 };
}

/**
 * the VPC routes to the AWS CIDRs through the VPN gateway, one at a time (the route table takes one change at a
 * time); waits until every one is Available
 */
export async function alibabaEnsureVpcRoute(
  deps: AlibabaDeps,
  ref: ConnRef,
): Promise<{ routeEntryId: string; created: boolean }> {
  const l = await loadAlibaba(deps, ref);
  refuseWhileTornDown(l.record);
  const gw = await alibabaGateway(l);
  const table = l.record.resolved?.alibabaRouteTableId ?? '';
  const dests = l.plan.routes.alibabaDestinations;
  let last = '';
  for (const dest of dests) {
    const entries = await l.alibaba.listRouteEntries(table, { destination: dest });
    const mine = entries.find((e) => e.destination === dest && e.nextHopId === gw.id);
    const other = entries.find((e) => e.destination === dest && e.nextHopId !== gw.id);
    if (other && !mine)
      throw new ProviderRejected(
        `Alibaba route table ${table} already routes ${dest} to ${other.nextHopType} ${other.nextHopId}`,
        { cloud: 'alibaba' },
      );
    if (mine) {
      if (mine.status !== 'Available')
        throw new NotReady(`Alibaba route entry ${mine.id} is ${mine.status}`, { cloud: 'alibaba' });
      last = mine.id;
      continue;
    }
    let r: { id: string };
    try {
      r = await l.alibaba.createRouteEntry({
        routeTableId: table,
        destination: dest,
        vpnGatewayId: gw.id,
        name: resourceName(l.record, 'alibaba-gateway'),
        // the first CIDR keeps the token the one-CIDR form always had
        clientToken: operationToken(l.record, dest === dests[0] ? 'vpc-route' : `vpc-route/${dest}`),
      });
    } catch (e) {
      // refused, whatever the code (the duplicate codes are undocumented): the table decides
      if (!(e instanceof ProviderRejected)) throw e;
      const now = await l.alibaba.listRouteEntries(table, { destination: dest });
      const made = now.find((x) => x.destination === dest && x.nextHopId === gw.id);
      const taken = now.find((x) => x.destination === dest && x.nextHopId !== gw.id);
      if (made) throw new NotReady(`Alibaba route entry ${made.id} is ${made.status}`, { cloud: 'alibaba' });
      if (taken)
        throw new ProviderRejected(
          `Alibaba route table ${table} already routes ${dest} to ${taken.nextHopType} ${taken.nextHopId}`,
          { cloud: 'alibaba' },
        );
      throw e;
    }
    throw new NotReady(`Alibaba route entry ${r.id} created; waiting until it is Available`, { cloud: 'alibaba' });
  }
  return { routeEntryId: last, created: false };
}

// ------------------------------------------------------------------ AWS side of the second Parallel (no record writes)

export async function awsWaitVpnConnections(deps: AwsDeps, ref: ConnRef): Promise<{ available: number }> {
  const l = await loadAws(deps, ref);
  const conns = byRole(await l.aws.findVpnConnections(l.record)).map;
  for (const vc of l.plan.awsVpnConnections) {
    const c = conns[vc.role];
    if (!c) throw new NotYetVisible(`AWS VPN connection ${vc.role} is not visible`, { cloud: 'aws' });
    if (c.state !== 'available') throw new NotReady(`AWS VPN connection ${c.id} is ${c.state}`, { cloud: 'aws' });
  }
  return { available: l.plan.awsVpnConnections.length };
}

/** the VPN connections' own static routes to the Alibaba CIDRs; waits until available */
export async function awsEnsureVpnConnectionRoutes(deps: AwsDeps, ref: ConnRef): Promise<{ created: number }> {
  const l = await loadAws(deps, ref);
  refuseWhileTornDown(l.record);
  const conns = byRole(await l.aws.findVpnConnections(l.record)).map;
  let created = 0;
  const pending: string[] = [];
  for (const vc of l.plan.awsVpnConnections) {
    const c = conns[vc.role];
    if (!c) throw new NotYetVisible(`AWS VPN connection ${vc.role} is not visible`, { cloud: 'aws' });
    // one static route per Alibaba CIDR
    for (const dest of l.plan.routes.awsDestinations) {
      const route = c.routes.find((r) => r.destination === dest && r.state !== 'deleted' && r.state !== 'deleting');
      if (!route) {
        await l.aws.createVpnConnectionRoute(c.id, dest);
        created++;
        pending.push(`${dest} on ${c.id}`);
      } else if (route.state !== 'available') pending.push(`${dest} on ${c.id}`);
    }
  }
  if (pending.length > 0) throw new NotReady(`static routes pending: ${pending.join(', ')}`, { cloud: 'aws' });
  return { created };
}

// ------------------------------------------------------------------ after the join (sequential)

export async function recordResources(deps: Deps, ref: ConnRef): Promise<{ recorded: number }> {
  const l = await load(deps, ref);
  const f = await findAll(l);
  let n = 0;
  await deps.registry.update(l.record.name, (r) => {
    r.resources.aws.vpnGatewayId = f.awsVpnGateway?.id;
    r.resources.aws.vpnGatewayOrigin = f.awsVpnGateway ? vgwOrigin(f.awsVpnGateway, r.stage) : undefined;
    r.resources.aws.customerGateways = Object.fromEntries(
      Object.entries(f.awsCustomerGateways).map(([k, v]) => [k, v?.id ?? '']),
    );
    r.resources.aws.vpnConnections = Object.fromEntries(
      Object.entries(f.awsConnections).map(([k, v]) => [k, v?.id ?? '']),
    );
    r.resources.alibaba.vpnGatewayId = f.alibabaGateway?.id;
    r.resources.alibaba.connections = Object.fromEntries(
      Object.entries(f.alibabaConnections).map(([k, v]) => [k, v?.id ?? '']),
    );
    r.resources.alibaba.customerGateways = Object.fromEntries(
      l.plan.alibabaCustomerGateways.flatMap((cg) => {
        const c = f.alibabaCustomerGateways.find((x) => x.name === resourceName(l.record, cg.role));
        return c ? [[cg.role, c.id]] : [];
      }),
    );
    r.resources.alibaba.routeTableId = r.resolved?.alibabaRouteTableId;
    n =
      Object.keys(r.resources.aws.customerGateways).length +
      Object.keys(r.resources.aws.vpnConnections).length +
      Object.keys(r.resources.alibaba.connections).length +
      Object.keys(r.resources.alibaba.customerGateways).length +
      (r.resources.aws.vpnGatewayId ? 1 : 0) +
      (r.resources.alibaba.vpnGatewayId ? 1 : 0);
    return r;
  });
  return { recorded: n };
}

/** poll: every used tunnel UP on AWS and ipsec_sa_established on Alibaba */
export async function waitTunnelsUp(
  deps: Deps,
  ref: ConnRef,
): Promise<{ up: number; tunnels: Array<{ id: string; role: string; aws: string; alibaba: string }> }> {
  const l = await load(deps, ref);
  const rows = tunnelHealth(l.plan, await findAll(l));
  const used = rows.filter((r) => r.role !== 'unused');
  const summary = rows.map((r) => ({ id: r.id, role: r.role, aws: r.aws.status, alibaba: r.alibaba?.status ?? '-' }));
  if (used.some((r) => !r.up)) throw new NotReady(`tunnels not up yet: ${downSummary(rows)}`);
  return { up: used.length, tunnels: summary };
}

/** after the bounded wait ran out: name each DOWN tunnel and why */
export async function diagnoseTunnels(deps: Deps, ref: ConnRef): Promise<never> {
  const l = await load(deps, ref);
  const rows = tunnelHealth(l.plan, await findAll(l));
  const down = rows.filter((r) => r.role !== 'unused' && !r.up);
  throw new TunnelsDown(
    down.length > 0
      ? `tunnels still down after the wait: ${downSummary(rows)}`
      : 'the tunnels came up only after the wait ran out; re-run to finish',
    down.map((r) => ({ id: r.id, reason: r.reason ?? 'down' })),
  );
}

export async function finalize(
  deps: RecordDeps,
  ref: ConnRef & { executionName?: string },
): Promise<{ status: 'ACTIVE' | 'SUPERSEDED' }> {
  const at = deps.now().toISOString();
  const wrote = await whileHolding(deps.registry, ref.name, ref.executionName, (r) => {
    r.status = 'ACTIVE';
    r.statusReason = undefined;
    r.everActive = true;
    if (r.operation) Object.assign(r.operation, { finishedAt: at, result: 'SUCCEEDED' });
    r.completedOperations = (r.completedOperations ?? 0) + 1;
  });
  if (!wrote) return { status: 'SUPERSEDED' };
  logger.info('connection active', { connection: ref.name });
  return { status: 'ACTIVE' };
}

// ------------------------------------------------------------------ failure path

export interface FailureInput {
  name?: string;
  error?: { Error?: string; Cause?: string };
  /** the execution recording its failure: a stale one (taken over) records nothing and rolls nothing back */
  executionName?: string;
}

/** A Lambda's Cause is JSON ({errorMessage, errorType}); the local runner's is the plain message. */
export function causeText(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const j = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof j.errorMessage === 'string') return j.errorMessage;
  } catch {
    // plain text
  }
  return cause;
}

export async function recordFailure(
  deps: RecordDeps,
  input: FailureInput,
): Promise<{ rollback: boolean; error: string; cause: string }> {
  const error = input.error?.Error ?? 'Error';
  const cause = causeText(input.error?.Cause) || error;
  if (!input.name) return { rollback: false, error, cause };
  const existing = await deps.registry.get(input.name);
  if (!existing || existing.record.status === 'DELETED') return { rollback: false, error, cause };
  const at = deps.now().toISOString();
  let rollback = false;
  const wrote = await whileHolding(deps.registry, input.name, input.executionName, (r) => {
    // A connection that once worked is never rolled back by a failed re-run: that would take a working link down.
    rollback = r.spec.onFailure === 'rollback' && !r.everActive;
    r.status = 'FAILED';
    r.statusReason = `${error}: ${cause}`;
    r.failure = { at, error, cause };
    // a rollback still works on the connection: it keeps the lock until RollbackFinish
    if (r.operation && !rollback) Object.assign(r.operation, { finishedAt: at, result: 'FAILED' });
    r.completedOperations = (r.completedOperations ?? 0) + 1;
  });
  if (!wrote) return { rollback: false, error, cause };
  logger.warn('provisioning failed', { connection: input.name, error, rollback });
  return { rollback, error, cause };
}
