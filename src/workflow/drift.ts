import type { AwsTgwRoute } from '../clouds/types';
import { diffConnection } from '../drift/diff';
import { claimsOf, observeFromSnapshots, orphanRows } from '../drift/inventory';
import { mergeRecheck, mergeRun, repairTargets, reportOutput, sameDrift, summarise, toState } from '../drift/report';
import type {
  AlibabaRegionSnapshot,
  AwsRegionSnapshot,
  ConnectionDrift,
  DriftCheckState,
  DriftReportOutput,
  DriftRun,
  RepairTarget,
} from '../drift/types';
import { isVpnBridgeError, ResourceNotFound } from '../errors';
import { logger, redactText } from '../log';
import { type Plan, planConnection } from '../plan';
import type { ConnectionRecord, DriftRow } from '../registry/record';
import { attachOf, tgwAttachOf } from '../spec/schema';
import type { Deps, RecordDeps } from './deps';
import {
  alibabaCreateNextVpnRoute,
  alibabaEnsureVpcRoute,
  alibabaWaitGateway,
  awsCreateRoutes,
  awsEnsureVpnConnectionRoutes,
  causeText,
} from './provision';

// The scheduled drift re-check (README.md): every managed connection, expected (record + plan) against
// actual (both clouds), with BATCHED describes: each AWS region and each Alibaba region is described once for
// all its connections, so API calls grow with pages of resources, not with connections:
//   AWS region:     DescribeVpnGateways + DescribeCustomerGateways + DescribeVpnConnections (listManaged, 3 calls)
//                   + DescribeRouteTables for the distinct resolved route tables (ids batched in one filter)
//   Alibaba region: DescribeVpnGateways, DescribeVpnConnections, DescribeCustomerGateways (pages of 50)
//                   + DescribeRouteEntryList per DISTINCT route table (pages)
// Each connection's observed state is then cut out of those lists with the creation naming/tagging.
// lastDrift is written only when a connection's drift changed: a steady fleet costs no writes.

const CHECKED = new Set(['ACTIVE', 'FAILED']);
/** parallel calls for the per-connection extras (VPN route entries of anomalous connections, record writes) */
const CONCURRENCY = 5;

async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function groupBy<T>(items: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

const message = (e: unknown) => redactText(e instanceof Error ? `${e.name}: ${e.message}` : String(e));

interface Target {
  record: ConnectionRecord;
  plan: Plan;
}

/** the plan with the route tables preflight resolved (as load.ts builds it) */
export function planOf(record: ConnectionRecord): Plan {
  if (!record.topology || !record.resolved) throw new Error(`${record.name} was never validated`);
  const plan = planConnection(record.spec, record.topology);
  plan.routes.awsRouteTableIds = record.resolved.awsRouteTableIds;
  plan.routes.alibabaRouteTableId = record.resolved.alibabaRouteTableId;
  return plan;
}

function result(
  name: string,
  status: ConnectionDrift['status'],
  rows: DriftRow[] = [],
  extra: { note?: string; changed?: boolean } = {},
): ConnectionDrift {
  return {
    name,
    status,
    ...(extra.note ? { note: extra.note } : {}),
    rows,
    rowCount: rows.length,
    repairable: rows.filter((r) => r.repairable).length,
    changed: extra.changed ?? false,
  };
}

async function describeAws(deps: Deps, region: string, targets: Target[]): Promise<AwsRegionSnapshot> {
  const aws = deps.aws(region);
  const tableIds = [...new Set(targets.flatMap((t) => t.record.resolved?.awsRouteTableIds ?? []))];
  const [inventory, routeTables] = await Promise.all([
    aws.listManaged(deps.registry.stage),
    aws.findRouteTables(tableIds),
  ]);
  // a VGW a connection uses that vpn-bridge did not make (aws.attach: adopted or named) is not in the managed list:
  // one more call for all of them
  const used = targets.flatMap((t) => {
    const attach = attachOf(t.record.spec);
    return [t.record.resources.aws.vpnGatewayId, attach.vpnGateway === 'auto' ? undefined : attach.vpnGateway];
  });
  const missing = [...new Set(used)].filter(
    (id): id is string => !!id && !inventory.vpnGateways.some((g) => g.id === id),
  );
  if (missing.length > 0) inventory.vpnGateways.push(...(await aws.describeVpnGateways(missing)));
  // connections on a transit gateway: one route search per route table, for all their peer CIDRs
  const tgwDests = new Map<string, Set<string>>();
  for (const t of targets) {
    const tgw = tgwAttachOf(t.record.spec);
    if (!tgw) continue;
    const set = tgwDests.get(tgw.routeTableId) ?? new Set<string>();
    for (const d of t.plan.routes.awsDestinations) set.add(d);
    tgwDests.set(tgw.routeTableId, set);
  }
  const tgwRoutes: Record<string, AwsTgwRoute[]> = {};
  for (const [rtb, dests] of tgwDests) {
    try {
      tgwRoutes[rtb] = await aws.tgwRoutes(rtb, [...dests]);
    } catch (e) {
      if (!(e instanceof ResourceNotFound)) throw e;
      tgwRoutes[rtb] = [];
    }
  }
  return { region, inventory, routeTables, ...(tgwDests.size > 0 ? { tgwRoutes } : {}) };
}

async function describeAlibaba(deps: Deps, region: string, targets: Target[]): Promise<AlibabaRegionSnapshot> {
  const ali = await deps.alibaba(region);
  const tableIds = [...new Set(targets.map((t) => t.record.resolved?.alibabaRouteTableId ?? '').filter(Boolean))];
  const [gateways, connections, customerGateways] = await Promise.all([
    ali.listVpnGateways(),
    ali.listVpnConnections(),
    ali.listCustomerGateways(),
  ]);
  const routeEntries: AlibabaRegionSnapshot['routeEntries'] = {};
  const missingRouteTables: string[] = [];
  for (const id of tableIds) {
    try {
      routeEntries[id] = await ali.listRouteEntries(id);
    } catch (e) {
      if (!(e instanceof ResourceNotFound)) throw e;
      missingRouteTables.push(id);
    }
  }
  return { region, gateways, connections, customerGateways, routeEntries, missingRouteTables };
}

type Described<T> = { ok: true; snap: T } | { ok: false; error: string };

async function describeRegions<T>(
  groups: Map<string, Target[]>,
  fn: (region: string, targets: Target[]) => Promise<T>,
): Promise<Map<string, Described<T>>> {
  const entries = await Promise.all(
    [...groups].map(async ([region, targets]): Promise<[string, Described<T>]> => {
      try {
        return [region, { ok: true, snap: await fn(region, targets) }];
      } catch (e) {
        // throttling / 5xx beyond the SDK's retries: the state machine's Retry owns those (README.md);
        // anything else (access denied, a region gone) marks that region's connections as not checked
        if (isVpnBridgeError(e) && e.retryable) throw e;
        return [region, { ok: false, error: message(e) }];
      }
    }),
  );
  return new Map(entries);
}

/** an anomaly worth one more call: a DOWN tunnel or a missing VPC route */
function anomalous(rows: DriftRow[]): boolean {
  return rows.some((r) => r.kind === 'DOWN' || (r.kind === 'MISSING' && r.resource.startsWith('route-table/')));
}

/** compare every managed connection (or `names`) with both clouds; no writes */
export async function collectDrift(deps: Deps, opts: { names?: string[] } = {}): Promise<DriftRun> {
  const at = deps.now().toISOString();
  const records = await deps.registry.list();
  const only = opts.names && opts.names.length > 0 ? new Set(opts.names) : undefined;
  const results: ConnectionDrift[] = [];
  for (const name of only ?? [])
    if (!records.some((r) => r.name === name))
      results.push(result(name, 'error', [], { note: `no managed connection named ${name}` }));

  const targets: Target[] = [];
  for (const record of records) {
    if (only && !only.has(record.name)) continue;
    if (!CHECKED.has(record.status)) {
      results.push(result(record.name, 'skipped', [], { note: `${record.status}: an operation is running` }));
      continue;
    }
    if (!record.topology || !record.resolved) {
      results.push(result(record.name, 'skipped', [], { note: 'never got past validation: nothing was created' }));
      continue;
    }
    try {
      targets.push({ record, plan: planOf(record) });
    } catch (e) {
      results.push(result(record.name, 'error', [], { note: message(e) }));
    }
  }

  const [awsSnaps, aliSnaps] = await Promise.all([
    describeRegions(
      groupBy(targets, (t) => t.record.spec.aws.region),
      (region, ts) => describeAws(deps, region, ts),
    ),
    describeRegions(
      groupBy(targets, (t) => t.record.spec.alibaba.region),
      (region, ts) => describeAlibaba(deps, region, ts),
    ),
  ]);

  const checked = await mapLimit(targets, CONCURRENCY, async ({ record, plan }): Promise<ConnectionDrift> => {
    const a = awsSnaps.get(record.spec.aws.region);
    const b = aliSnaps.get(record.spec.alibaba.region);
    if (!a?.ok || !b?.ok) {
      const why = [
        a && !a.ok ? `AWS ${record.spec.aws.region}: ${a.error}` : '',
        b && !b.ok ? `Alibaba ${record.spec.alibaba.region}: ${b.error}` : '',
      ].filter(Boolean);
      return result(record.name, 'error', [], { note: why.join('; ') || 'not described' });
    }
    const observed = observeFromSnapshots(record, plan, a.snap, b.snap);
    let rows = diffConnection(record, plan, observed);
    // DescribeVpnRouteEntries takes one gateway id, so reading every gateway's VPN route entries would cost a
    // call per connection. They are fetched only for connections that already show an anomaly (a DOWN tunnel
    // or a missing VPC route), where a lost VPN route entry is a likely cause; a healthy fleet pays nothing.
    const gw = observed.alibabaGateway;
    if (gw && anomalous(rows)) {
      try {
        const ali = await deps.alibaba(record.spec.alibaba.region);
        observed.alibabaVpnRouteEntries = await ali.listVpnRouteEntries(gw.id);
        rows = diffConnection(record, plan, observed);
      } catch (e) {
        logger.warn('drift: VPN route entries not read', { connection: record.name, error: message(e) });
      }
    }
    const clean = rows.length === 0;
    return result(record.name, clean ? 'clean' : 'drifted', rows, {
      changed: !sameDrift(record.lastDrift, { clean, rows }),
    });
  });
  results.push(...checked);
  results.sort((x, y) => x.name.localeCompare(y.name));

  const unmanaged = orphanRows(
    deps.registry.stage,
    [...awsSnaps.values()].flatMap((d) => (d.ok ? [d.snap] : [])),
    [...aliSnaps.values()].flatMap((d) => (d.ok ? [d.snap] : [])),
    claimsOf(records),
    only,
  );
  const summary = summarise(results, unmanaged);
  logger.info('drift collected', { ...summary });
  return { at, results, unmanaged, summary, repaired: [], repairErrors: {} };
}

/** store lastDrift for the given results (callers pass only changed ones); returns the number written */
export async function writeLastDrift(
  deps: RecordDeps,
  results: Array<{ name: string; status: ConnectionDrift['status']; rows?: DriftRow[] }>,
  at: string,
): Promise<number> {
  const todo = results.filter(
    (r): r is typeof r & { rows: DriftRow[] } => (r.status === 'clean' || r.status === 'drifted') && !!r.rows,
  );
  const done = await mapLimit(todo, CONCURRENCY, async (r) => {
    let wrote = false;
    await deps.registry.update(r.name, (rec) => {
      // an operation that started since the check owns the record now; its result would be stale anyway
      if (!CHECKED.has(rec.status)) return rec;
      rec.lastDrift = { at, clean: r.status === 'clean', rows: r.rows };
      wrote = true;
      return rec;
    });
    return wrote;
  });
  return done.filter(Boolean).length;
}

// ------------------------------------------------------------------ repair (direct, for the CLI / API)

/**
 * Alibaba answers a repeated ClientToken with the FIRST result and changes nothing, even when the resource has been
 * deleted since (docs/simulator-fidelity.md, "ClientToken"). A repair re-runs provisioning steps to re-create what was
 * deleted, so it starts a new token epoch (the record's `tokenEpoch` namespaces every ClientToken, src/plan/naming.ts);
 * retries inside the repair share it and stay idempotent. A re-POST starts its own epoch the same way (validateSpec).
 * Creates that look up by name first (gateway, customer gateways, connections) are unaffected; deletes treat
 * not-found as done. Returns the targets that may go ahead (an operation that started since the check owns its record).
 */
export async function prepareRepair(deps: RecordDeps, targets: RepairTarget[]): Promise<RepairTarget[]> {
  const ready = await mapLimit(targets, CONCURRENCY, async (t) => {
    let ok = false;
    const tokens = t.fix.alibabaVpnRoute || t.fix.alibabaVpcRoute;
    await deps.registry.update(t.name, (rec) => {
      if (!CHECKED.has(rec.status)) return rec;
      ok = true;
      if (tokens) rec.tokenEpoch = Buffer.from(deps.randomBytes(8)).toString('hex');
      return rec;
    });
    return ok ? t : undefined;
  });
  return ready.filter((t): t is RepairTarget => t !== undefined);
}

export interface RepairOptions {
  /** how long to wait between polls (real milliseconds; default 5000) */
  pollMs?: number;
  /** polls per step before giving up (default 60) */
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
}

const WAITABLE = new Set(['NotReady', 'GatewayBusy', 'NotYetVisible', 'Throttled', 'ProviderUnavailable']);

/**
 * Re-run the route-owning provisioning steps a connection's repairable rows name, in-process. The state
 * machine does the same with Retry; this bounded poll is only for direct callers (the CLI), not Lambdas.
 */
export async function repairConnection(deps: Deps, target: RepairTarget, opts: RepairOptions = {}): Promise<void> {
  const pollMs = opts.pollMs ?? 5000;
  const maxPolls = opts.maxPolls ?? 60;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const ref = { name: target.name };
  if ((await prepareRepair(deps, [target])).length === 0)
    throw new Error(`${target.name} is no longer ACTIVE or FAILED: an operation owns it`);
  const poll = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof Error) || !WAITABLE.has(e.name) || attempt >= maxPolls) throw e;
        await sleep(pollMs);
      }
    }
  };
  if (target.fix.awsVpcRoute) await poll(() => awsCreateRoutes(deps, ref));
  if (target.fix.awsVpnConnectionRoute) await poll(() => awsEnsureVpnConnectionRoutes(deps, ref));
  if (target.fix.alibabaVpnRoute) {
    // one change per call, the gateway active in between (Alibaba serializes changes per gateway)
    for (let i = 0; i < 4; i++) {
      await poll(() => alibabaWaitGateway(deps, ref));
      if ((await poll(() => alibabaCreateNextVpnRoute(deps, ref))).remaining <= 0) break;
    }
  }
  if (target.fix.alibabaVpcRoute) {
    await poll(() => alibabaWaitGateway(deps, ref));
    await poll(() => alibabaEnsureVpcRoute(deps, ref));
  }
  logger.info('drift repaired', { connection: target.name, ...target.fix });
}

export interface DriftCheckOptions extends RepairOptions {
  /** only these connections (default: every managed connection) */
  names?: string[];
  /** re-create deleted routes, then check again */
  repair?: boolean;
  /** store lastDrift where it changed (default true) */
  write?: boolean;
}

/** the whole check in one call: collect, optionally repair + recheck, write what changed (CLI `vpn-bridge drift`) */
export async function runDriftCheck(deps: Deps, opts: DriftCheckOptions = {}): Promise<DriftRun> {
  let run = await collectDrift(deps, { names: opts.names });
  if (opts.repair) {
    const targets = repairTargets(run.results);
    const repaired: string[] = [];
    const errors: Record<string, string> = {};
    for (const t of targets) {
      try {
        await repairConnection(deps, t, opts);
        repaired.push(t.name);
      } catch (e) {
        errors[t.name] = message(e);
      }
    }
    if (targets.length > 0) {
      const recheck = await collectDrift(deps, { names: targets.map((t) => t.name) });
      run = mergeRun(run, recheck, repaired, errors);
    }
  }
  if (opts.write !== false)
    await writeLastDrift(
      deps,
      run.results.filter((r) => r.changed),
      run.at,
    );
  return run;
}

// ------------------------------------------------------------------ the state machine's tasks

export interface CollectInput {
  repair?: boolean;
  names?: string[];
  /** bytes of results the state may carry (default STATE_BUDGET; the recheck uses RECHECK_BUDGET) */
  budget?: number;
  /** keep an entry for every connection that is not clean (the recheck) */
  keepAll?: boolean;
}

/** CollectDrift / Recheck: the run cut to fit execution state; changed records that did not fit are written now */
export async function collectDriftStep(deps: Deps, input: CollectInput): Promise<DriftCheckState> {
  const run = await collectDrift(deps, { names: input.names });
  const { state, overflow } = toState(run, {
    repair: input.repair === true,
    budget: input.budget,
    keepAll: input.keepAll,
  });
  if (overflow.length > 0) await writeLastDrift(deps, overflow, run.at);
  if (state.repairTargets.length === 0) return state;
  // the repair Map runs next: give the targets fresh Alibaba ClientTokens (prepareRepair)
  const ready = await prepareRepair(deps, state.repairTargets);
  return { ...state, repairTargets: ready, repairNames: ready.map((t) => t.name), repairCount: ready.length };
}

interface StepError {
  Error?: string;
  Cause?: string;
}

/** one iteration of the repair Map: RepairSucceeded / RepairFailed */
export interface RepairItem {
  name: string;
  ok: boolean;
  error?: StepError;
}

export interface ReportInput {
  check: DriftCheckState;
  /** the Map's items and the recheck; or the Map's own error ({Error, Cause}) when it failed as a whole */
  repaired?: { items?: RepairItem[]; recheck?: DriftCheckState; recheckError?: StepError } & StepError;
}

const errorText = (e: StepError) => redactText(`${e.Error ?? 'Error'}: ${causeText(e.Cause)}`);

/** Report: fold in the recheck, write lastDrift where it changed, return the summary and rows (no secrets) */
export async function reportDriftStep(deps: RecordDeps, input: ReportInput): Promise<DriftReportOutput> {
  const items = input.repaired?.items ?? [];
  const merged = mergeRecheck(input.check, input.repaired?.recheck);
  const written = await writeLastDrift(
    deps,
    merged.results.filter((r) => r.changed && !r.written),
    merged.at,
  );
  const repairErrors: Record<string, string> = {};
  for (const i of items) if (!i.ok) repairErrors[i.name] = errorText(i.error ?? {});
  const failedMap = input.repaired?.Error ? input.repaired : undefined;
  if (failedMap) repairErrors['(repair)'] = errorText(failedMap);
  const re = input.repaired?.recheckError;
  if (re) repairErrors['(recheck)'] = errorText(re);
  const out = reportOutput(merged, {
    written,
    repaired: items.filter((i) => i.ok).length,
    repairErrors,
  });
  logger.info('drift reported', { ...out.summary, written });
  return out;
}
