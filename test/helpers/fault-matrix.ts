import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newContainer } from '../../functions/lib/clients/container';
import type { RunReport } from '../../local/operations';
import { operatorDeps } from '../../local/operator';
import { allStates, loadDefinition, PROJECT_ROOT, type RunEvent } from '../../local/runner';
import { DEFAULT_LAG, type FaultRuleInput } from '../../sim';
import { freshWorld, inventory, type LocalWorld, provision, spec, teardown } from './workflow';

// The fault-injection matrix (README.md: idempotent tasks, retries, a single retry owner per failure kind).
// For every mutating call the provisioning and teardown workflows make, on both topologies, a fault is
// injected through the simulator (`POST /_sim/faults`) at three levels, and the outcome is checked against
// what the retry layers promise.
//
// ── The budget arithmetic ──
// A throttle or 5xx on call C, made by Task state S through SDK client K, meets two retry layers:
//   SDK attempts   a = 3 for the EC2 and Secrets Manager clients (SDK default, standard mode), 1 for the EC2
//                  client of the non-idempotent creates CreateVpnGateway / CreateVpnConnection (maxAttempts 1,
//                  so a resend can never duplicate), 1 for Alibaba (its SDK never retries)
//   state attempts s = 1 + MaxAttempts of the first Retrier of S in the ASL whose ErrorEquals holds the mapped
//                  error (Throttled / ProviderUnavailable -> TRANSIENT: MaxAttempts 6 -> s = 7)
// One invocation of S sends C up to a times, and S runs up to s times, so C is sent at most a*s times and
//   budget N = a*s - 1   consecutive failures are absorbed (the (a*s)-th request gets through);
// N + 1 (or `count: 0`, always) fails the run: FAILED, the cause names C, and with onFailure=rollback nothing
// the run made is left. So: EC2 / Secrets Manager 3*7-1 = 20, the two single-attempt EC2 creates 1*7-1 = 6,
// Alibaba 1*7-1 = 6. Alibaba conflicts (VpnGateway.Configuring, OperationConflict, TaskConflict) map to
// GatewayBusy -> BUSY (MaxAttempts 12): 1*13-1 = 12.
//
// A lost response (the action happened, the client sees a 5xx) is absorbed differently, because the repeat
// meets the effect of the first try:
//   - an SDK resend either meets an "already done" answer that the adapter treats as success (CreateRoute ->
//     RouteAlreadyExists on our VGW, AttachVpnGateway -> already attached, DetachVpnGateway / DeleteRoute ->
//     NotFound, DeleteSecret -> already scheduled) or repeats an idempotent action (CreateCustomerGateway
//     returns the same gateway, CreateVpnConnectionRoute the same route, deletes of a 'deleting' object
//     succeed, CreateSecret / PutSecretValue carry the same ClientRequestToken) and loses that response too;
//   - the state's re-run looks up before it acts (tags on AWS, names + ClientTokens on Alibaba, 'deleting'
//     counts as done) and does not send C again for what already exists.
// The lookups run against lagging listings (eventual consistency, sim/core/consistency.ts): every cell runs under the
// simulator's default list lag, or `VPN_BRIDGE_MATRIX_LAG` seconds. A 5xx or a lost answer to the two EC2 creates
// without a ClientToken (and any failure after a create in the same step) is OutcomeUnknown, retried only after
// SETTLE_SECONDS, so the retry's tag lookup sees what the first try made; its budget is the same 1*7-1 = 6.
// So each resource costs at most one state attempt however many responses are lost: the lost-response
// budget is unbounded ("observed"), and even `count: 0` must end ACTIVE / DELETED with exactly the resources
// of a clean run. The exception is a record write (PutSecretValue, "repeated"): every re-run writes again,
// so it is bounded like a 5xx (N = 3*7-1 = 20).
//
// A third, hidden layer: the AWS SDK's retry quota (500 tokens per client; a transient retry costs 14, a
// throttling retry 5; successes refill it). A deployed Lambda function has its own container and clients;
// the local runner runs every function in this one process, so one cell's spent quota would shrink the next
// cell's budget. Each cell therefore starts with fresh SDK clients (`freshClients`), a cold container: a cell
// within its budget spends at most 14 SDK retries (196 tokens). (Past the budget, PutSecretValue cells also
// spend RecordFailure's and RollbackFinish's retries and may empty the quota; they fail either way.)
//
// Throttling retried by the AWS SDK waits in real time (random backoff, base 1 s, up to 1 s + 2 s per SDK
// call), about 1.5 s per state attempt: a budget or always cell on an SDK-retried call takes ~10 s.

export type Operation = 'provision' | 'teardown';
export type Topology = 'dual-tunnel' | 'single-tunnel';
export type Service = 'ec2' | 'secretsmanager' | 'alibaba-vpc' | 'cloudwatch';
export type Kind = 'throttle' | '5xx' | 'lost';
export type Level = 'once' | 'budget' | 'past';
export type Inventory = ReturnType<typeof inventory>;

export const REGION_OF: Record<Topology, string> = { 'dual-tunnel': 'eu-central-1', 'single-tunnel': 'me-east-1' };
export const KINDS: readonly Kind[] = ['throttle', '5xx', 'lost'];
export const LEVELS: readonly Level[] = ['once', 'budget', 'past'];
/** per cell: provisioning (+ teardown) at time scale 1000, plus the SDK's real-time throttling backoff */
export const CELL_TIMEOUT_MS = 180_000;

export interface MatrixCall {
  service: Service;
  action: string;
  /** the Task state that makes the call first in a run: its Retry is the state-machine layer of the budget */
  state: string;
  /** after a lost response: the repeat observes the action ('observed') or writes again ('repeated') */
  lost: 'observed' | 'repeated';
}

const mk = (service: Service, action: string, state: string, lost: MatrixCall['lost'] = 'observed'): MatrixCall => ({
  service,
  action,
  state,
  lost,
});

/**
 * Every mutating call each workflow makes, with the state that makes it first. The enumeration test checks
 * this list against the simulator's counters of a clean run (both ways), so it cannot silently shrink.
 */
export const CALLS: Record<Operation, readonly MatrixCall[]> = {
  provision: [
    mk('secretsmanager', 'CreateSecret', 'ValidateSpec'),
    // every record write is a compare-and-swap: the new version, then AWSCURRENT moved to it
    mk('secretsmanager', 'PutSecretValue', 'ValidateSpec', 'repeated'),
    mk('secretsmanager', 'UpdateSecretVersionStage', 'ValidateSpec'),
    mk('ec2', 'CreateVpnGateway', 'AwsCreateVgw'),
    mk('ec2', 'AttachVpnGateway', 'AwsAttachVgw'),
    mk('ec2', 'CreateRoute', 'AwsCreateRoutes'),
    mk('ec2', 'CreateCustomerGateway', 'AwsCreateCustomerGateways'),
    mk('ec2', 'CreateVpnConnection', 'AwsCreateVpnConnections'),
    mk('ec2', 'CreateVpnConnectionRoute', 'AwsEnsureVpnConnectionRoutes'),
    mk('alibaba-vpc', 'CreateVpnGateway', 'AlibabaCreateGateway'),
    mk('alibaba-vpc', 'CreateCustomerGateway', 'AlibabaCreateCustomerGateways'),
    mk('alibaba-vpc', 'CreateVpnConnection', 'ConnectionsNext'),
    mk('alibaba-vpc', 'CreateVpnRouteEntry', 'VpnRoutesNext'),
    mk('alibaba-vpc', 'CreateRouteEntry', 'AlibabaEnsureVpcRoute'),
    mk('cloudwatch', 'PutMetricAlarm', 'PutTunnelAlarms'),
  ],
  teardown: [
    mk('secretsmanager', 'PutSecretValue', 'TeardownStart', 'repeated'),
    mk('secretsmanager', 'UpdateSecretVersionStage', 'TeardownStart'),
    mk('secretsmanager', 'DeleteSecret', 'TeardownFinish'),
    mk('ec2', 'DeleteRoute', 'AwsDeleteRoutes'),
    mk('ec2', 'DeleteVpnConnection', 'AwsDeleteVpnConnections'),
    mk('ec2', 'DeleteCustomerGateway', 'AwsDeleteCustomerGateways'),
    mk('ec2', 'DetachVpnGateway', 'AwsDetachVgw'),
    mk('ec2', 'DeleteVpnGateway', 'AwsDeleteVgw'),
    mk('alibaba-vpc', 'DeleteRouteEntry', 'AlibabaDeleteVpcRoute'),
    mk('alibaba-vpc', 'DeleteVpnRouteEntry', 'DeleteVpnRoutesNext'),
    mk('alibaba-vpc', 'DeleteVpnConnection', 'DeleteConnectionsNext'),
    mk('alibaba-vpc', 'DeleteCustomerGateway', 'AlibabaDeleteCustomerGateways'),
    mk('alibaba-vpc', 'DeleteVpnGateway', 'AlibabaDeleteGateway'),
    mk('cloudwatch', 'DeleteAlarms', 'AwsDeleteTunnelAlarms'),
  ],
};

export const callId = (c: { service: string; action: string }): string => `${c.service}:${c.action}`;

export function findCall(operation: Operation, id: string): MatrixCall {
  const c = CALLS[operation].find((x) => callId(x) === id);
  if (!c) throw new Error(`no ${operation} call ${id} in the matrix`);
  return c;
}

// ──────────────────────────────────────────────── the budget arithmetic

/** functions/lib/clients: the SDK default (3) except the single-attempt EC2 client; Alibaba's SDK never retries */
export const SDK_DEFAULT_ATTEMPTS = 3;
const EC2_SINGLE_ATTEMPT = new Set(['CreateVpnGateway', 'CreateVpnConnection']);

export function sdkAttempts(c: Pick<MatrixCall, 'service' | 'action'>): number {
  if (c.service === 'alibaba-vpc') return 1;
  if (c.service === 'ec2' && EC2_SINGLE_ATTEMPT.has(c.action)) return 1;
  return SDK_DEFAULT_ATTEMPTS;
}

/** the error name (src/errors.ts) the adapters map each fault kind to: the ASL Retry/Catch contract */
export const ERROR_OF: Record<Kind, string> = {
  throttle: 'Throttled',
  '5xx': 'ProviderUnavailable',
  lost: 'ProviderUnavailable',
};

/**
 * The error a fault on call `c` surfaces as. A 5xx or a lost answer to one of the two EC2 creates without a
 * ClientToken leaves its outcome unknown: OutcomeUnknown, retried only after the listings settled (SETTLE_SECONDS).
 */
export function errorOf(c: Pick<MatrixCall, 'service' | 'action'>, kind: Kind): string {
  if (kind !== 'throttle' && c.service === 'ec2' && EC2_SINGLE_ATTEMPT.has(c.action)) return 'OutcomeUnknown';
  return ERROR_OF[kind];
}

// ──────────────────────────────────────────────── the list lag a matrix runs under

/**
 * `VPN_BRIDGE_MATRIX_LAG=<seconds>` runs every cell with that list lag on both clouds (EC2 tag-filtered describes and
 * Alibaba instance listings miss a new resource that long); unset, the simulator's defaults (sim/core/consistency.ts).
 */
export function matrixLag(): { 'ec2.list': number; 'alibaba-vpc.list': number; 'ec2.byId': number } {
  const env = process.env.VPN_BRIDGE_MATRIX_LAG;
  const n = env === undefined || env === '' ? undefined : Number(env);
  if (n !== undefined && !(n >= 0)) throw new Error(`VPN_BRIDGE_MATRIX_LAG must be a number of seconds, got '${env}'`);
  return {
    'ec2.list': n ?? DEFAULT_LAG['ec2.list'],
    'alibaba-vpc.list': n ?? DEFAULT_LAG['alibaba-vpc.list'],
    'ec2.byId': DEFAULT_LAG['ec2.byId'],
  };
}

/** e.g. 'list lag: EC2 10 s, Alibaba 5 s (the simulator's default; by id: EC2 2 s)' */
export function lagLabel(): string {
  const l = matrixLag();
  const dflt = process.env.VPN_BRIDGE_MATRIX_LAG ? '' : "the simulator's default; ";
  return `list lag: EC2 ${l['ec2.list']} s, Alibaba ${l['alibaba-vpc.list']} s (${dflt}by id: EC2 ${l['ec2.byId']} s)`;
}

/** a fresh world under the matrix's lag */
async function laggedWorld(w: LocalWorld): Promise<void> {
  await freshWorld(w);
  w.sim.configure({ lag: { ...DEFAULT_LAG, ...matrixLag() } });
}

interface Retrier {
  ErrorEquals: string[];
  MaxAttempts?: number;
}

function isRetrier(v: unknown): v is Retrier {
  return typeof v === 'object' && v !== null && Array.isArray((v as { ErrorEquals?: unknown }).ErrorEquals);
}

/** the Retry of a state of statemachine/<operation>.asl.json (searched through Parallel branches too) */
export function retriersOf(operation: Operation, state: string): Retrier[] {
  const found = allStates(loadDefinition(`${operation}.asl.json`)).find(([name]) => name === state);
  if (!found) throw new Error(`statemachine/${operation}.asl.json has no state ${state}`);
  const retry: unknown = found[1].Retry;
  return Array.isArray(retry) ? retry.filter(isRetrier) : [];
}

/** how many times the state machine runs `state` for an error: 1 + MaxAttempts of the first matching Retrier */
export function stateAttempts(operation: Operation, state: string, error: string): number {
  const r = retriersOf(operation, state).find(
    (x) => x.ErrorEquals.includes(error) || x.ErrorEquals.includes('States.ALL'),
  );
  // ASL: MaxAttempts defaults to 3; no matching Retrier = no retry
  return r ? 1 + (r.MaxAttempts ?? 3) : 1;
}

export interface Budget {
  sdk: number;
  sm: number;
  /** the most consecutive faults on the call that the retry layers absorb: sdk * sm - 1 */
  absorbed: number;
  /** a lost response whose repeat observes the action: any number is absorbed */
  unbounded: boolean;
}

export function budgetOf(operation: Operation, c: MatrixCall, kind: Kind, error = errorOf(c, kind)): Budget {
  const sdk = sdkAttempts(c);
  const sm = stateAttempts(operation, c.state, error);
  return { sdk, sm, absorbed: sdk * sm - 1, unbounded: kind === 'lost' && c.lost === 'observed' };
}

/** the fault rule's count for a level: once, up to the budget, always (0) */
export function countFor(level: Level, b: Budget): number {
  if (level === 'once') return 1;
  if (level === 'budget') return b.absorbed;
  return 0;
}

/** the provider's 5xx, as each service reports it (kind 'error' with code and status) */
export const FIVE_XX: Record<Service, { code: string; status: number }> = {
  ec2: { code: 'InternalError', status: 500 },
  secretsmanager: { code: 'InternalServiceError', status: 500 },
  'alibaba-vpc': { code: 'ServiceUnavailable', status: 503 },
  cloudwatch: { code: 'InternalServiceError', status: 500 },
};

export function faultFor(c: Pick<MatrixCall, 'service' | 'action'>, kind: Kind, count: number): FaultRuleInput {
  const base = { service: c.service, action: c.action, count };
  if (kind === 'throttle') return { ...base, kind: 'throttle' };
  if (kind === '5xx') return { ...base, kind: 'error', ...FIVE_XX[c.service] };
  return { ...base, kind: 'lost-response' };
}

// ──────────────────────────────────────────────── the world

/** A cold Lambda container: the client modules build fresh SDK clients (and so fresh retry quotas). */
export function freshClients(_w: LocalWorld): void {
  newContainer();
}

const MUTATING = /^(Create|Attach|Associate|Put|Delete|Detach|Tag|Modify|Replace|Restore|Update)/;

interface SimMetrics {
  requests: Record<string, Record<string, { count: number; errors: number; faults: number }>>;
}

async function mutatingCalls(w: LocalWorld): Promise<string[]> {
  const m = await w.access.admin<SimMetrics>('GET', '/_sim/metrics');
  return Object.entries(m.requests)
    .filter(([svc]) => svc !== 'stepfunctions')
    .flatMap(([svc, actions]) =>
      Object.keys(actions)
        .filter((a) => MUTATING.test(a))
        .map((a) => `${svc}:${a}`),
    )
    .sort();
}

export interface Enumerated {
  provision: string[];
  teardown: string[];
  /** the inventory of a clean, ACTIVE connection */
  clean: Inventory;
}

/** one clean provision + teardown, with the simulator's per-action counters of each */
export async function enumerate(w: LocalWorld, topology: Topology): Promise<Enumerated> {
  await laggedWorld(w);
  freshClients(w);
  const s = await spec(w, { alibabaRegion: REGION_OF[topology] });
  await w.access.admin('DELETE', '/_sim/metrics');
  const up = await provision(w, s);
  if (up.status !== 'ACTIVE') throw new Error(`clean provisioning ended ${up.status}: ${up.execution.cause}`);
  const provisionCalls = await mutatingCalls(w);
  const clean = inventory(w.sim);
  await w.access.admin('DELETE', '/_sim/metrics');
  const down = await teardown(w, s.name);
  if (down.status !== 'DELETED') throw new Error(`clean teardown ended ${down.status}: ${down.execution.cause}`);
  return { provision: provisionCalls, teardown: await mutatingCalls(w), clean };
}

const CLOUD_KEYS = [
  'awsVpnGateways',
  'awsCustomerGateways',
  'awsVpnConnections',
  'awsVpnStaticRoutes',
  'awsVgwRoutes',
  'alibabaVpnGateways',
  'alibabaCustomerGateways',
  'alibabaConnections',
  'alibabaVpnRoutes',
  'alibabaVpcRoutes',
  'awsAlarms',
] as const satisfies ReadonlyArray<keyof Inventory>;

export const NOTHING: Inventory = {
  ...(Object.fromEntries(CLOUD_KEYS.map((k) => [k, 0])) as Omit<Inventory, 'secrets'>),
  secrets: 0,
};

/** cloud resources beyond what should exist (duplicates, or anything a rollback/teardown left) */
export function leakedOver(actual: Inventory, expected: Inventory): number {
  return CLOUD_KEYS.reduce((n, k) => n + Math.max(0, actual[k] - expected[k]), 0);
}

function differences(actual: Inventory, expected: Inventory, keys: ReadonlyArray<keyof Inventory>): string[] {
  return keys.filter((k) => actual[k] !== expected[k]).map((k) => `${k}: ${actual[k]}, expected ${expected[k]}`);
}

// ──────────────────────────────────────────────── running a cell

export interface CellResult {
  /** the table a result belongs to, e.g. 'provision · dual-tunnel (eu-central-1)' */
  group: string;
  /** e.g. 'ec2:CreateRoute' */
  row: string;
  /** e.g. 'throttle/budget' */
  column: string;
  count: number;
  expected: 'recover' | 'fail';
  outcome: string;
  ok: boolean;
  leaked: number;
  fired: number;
  problems: string[];
  seconds: number;
}

export interface Scenario {
  operation: Operation;
  topology: Topology;
  group: string;
  row: string;
  column: string;
  faults: FaultRuleInput[];
  expect: 'recover' | 'fail';
  /** a failed run: the execution's error and a text its cause must contain */
  failure?: { error: string; causeIncludes: string };
  /** this state must have failed exactly `times` times with `error` (proves which layer absorbed what) */
  stateFailures?: { state: string; error: string; times: number };
  /** how often the first fault rule must fire: exactly, or at least */
  fired?: { exactly?: number; atLeast?: number };
  /** how often the scenario's own fault fired, when it is not one of `faults` (armed by a hook) */
  firedOf?: () => number;
  /** set up more (e.g. a tick hook); returns its undo */
  prepare?: (w: LocalWorld) => Promise<() => Promise<void> | void>;
  /** more checks on the run, problems returned as text */
  check?: (w: LocalWorld, report: RunReport, events: RunEvent[]) => Promise<string[]> | string[];
}

/** what the clean runs of each topology found (filled in by `enumerate` in a beforeAll) */
export type MatrixEnv = Partial<Record<Topology, Enumerated>>;

const failuresOf = (events: RunEvent[], state: string, error: string) =>
  events.filter((e) => e.type === 'StateFailed' && e.state === state && e.error === error).length;

const brief = (r: RunReport) =>
  `${r.status} (${r.execution.status}${r.execution.error ? ` ${r.execution.error}: ${r.execution.cause?.slice(0, 200)}` : ''})`;

async function firedOf(w: LocalWorld): Promise<number> {
  const f = await w.access.admin<{ faults: Array<{ fired: number }> }>('GET', '/_sim/faults');
  return f.faults[0]?.fired ?? 0;
}

/** run one scenario against a fresh world; never throws for an unmet expectation (returns the problems) */
export async function runScenario(w: LocalWorld, env: MatrixEnv, sc: Scenario): Promise<CellResult> {
  const started = performance.now();
  const problems: string[] = [];
  const result = (outcome: string, leaked: number, fired: number): CellResult => ({
    group: sc.group,
    row: sc.row,
    column: sc.column,
    count: sc.faults[0]?.count ?? 0,
    expected: sc.expect,
    outcome,
    ok: problems.length === 0 && leaked === 0,
    leaked,
    fired,
    problems,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
  const clean = env[sc.topology]?.clean;
  if (!clean) {
    problems.push('no clean run to compare with (the enumeration failed)');
    return result('not run', 0, 0);
  }
  await laggedWorld(w);
  freshClients(w);
  const s = await spec(w, {
    alibabaRegion: REGION_OF[sc.topology],
    onFailure: sc.operation === 'provision' ? 'rollback' : 'keep',
  });
  if (sc.operation === 'teardown') {
    const up = await provision(w, s);
    if (up.status !== 'ACTIVE') {
      problems.push(`set-up provisioning ended ${brief(up)}`);
      return result('not run', 0, 0);
    }
  }

  const undo = await sc.prepare?.(w);
  const events: RunEvent[] = [];
  let report: RunReport;
  let fired = 0;
  try {
    if (sc.faults.length > 0) await w.access.admin('POST', '/_sim/faults', sc.faults);
    report = sc.operation === 'provision' ? await provision(w, s, events) : await teardown(w, s.name, events);
  } finally {
    if (sc.faults.length > 0) fired = await firedOf(w);
    else if (sc.firedOf) fired = sc.firedOf();
    await w.access.admin('DELETE', '/_sim/faults');
    await undo?.();
  }

  const goal = sc.operation === 'provision' ? 'ACTIVE' : 'DELETED';
  let outcome: string;
  if (sc.expect === 'recover') {
    outcome = report.execution.status === 'SUCCEEDED' ? report.status : `${brief(report)}`;
    if (report.status !== goal || report.execution.status !== 'SUCCEEDED')
      problems.push(`expected ${goal}, got ${brief(report)}`);
  } else {
    outcome = `FAILED ${report.execution.error ?? '?'}`;
    if (report.execution.status !== 'FAILED') problems.push(`expected a FAILED execution, got ${brief(report)}`);
    if (sc.failure && report.execution.error !== sc.failure.error)
      problems.push(`expected error ${sc.failure.error}, got ${report.execution.error}`);
    if (sc.failure && !(report.execution.cause ?? '').includes(sc.failure.causeIncludes))
      problems.push(`the cause does not name ${sc.failure.causeIncludes}: ${report.execution.cause}`);
    if (sc.operation === 'teardown') {
      // the fault is gone: a second teardown finishes the job and nothing is lost on the way
      const again = await teardown(w, s.name);
      outcome += ` → re-run ${again.status}`;
      if (again.status !== 'DELETED' || again.execution.status !== 'SUCCEEDED')
        problems.push(`the second teardown ended ${brief(again)}`);
    } else {
      outcome += ', rolled back';
    }
  }
  if (sc.stateFailures) {
    const { state, error, times } = sc.stateFailures;
    const n = failuresOf(events, state, error);
    if (n !== times) problems.push(`${state} failed ${n} times with ${error}, expected ${times}`);
  }
  if (sc.fired?.exactly !== undefined && fired !== sc.fired.exactly)
    problems.push(`the fault fired ${fired} times, expected ${sc.fired.exactly}`);
  if (sc.fired?.atLeast !== undefined && fired < sc.fired.atLeast)
    problems.push(`the fault fired ${fired} times, expected at least ${sc.fired.atLeast}`);
  if (sc.check) problems.push(...(await sc.check(w, report, events)));

  // exactly the resources of a clean run, or nothing at all
  const inv = inventory(w.sim);
  let leaked: number;
  if (sc.operation === 'provision' && sc.expect === 'recover') {
    leaked = leakedOver(inv, clean);
    problems.push(...differences(inv, clean, [...CLOUD_KEYS, 'secrets']));
  } else {
    leaked = leakedOver(inv, NOTHING);
    // a failed provisioning keeps its record (FAILED) unless the record could never be written
    const keys = sc.operation === 'provision' ? CLOUD_KEYS : [...CLOUD_KEYS, 'secrets' as const];
    problems.push(...differences(inv, NOTHING, keys));
    if (sc.operation === 'provision' && inv.secrets > 1) problems.push(`${inv.secrets} records, expected at most 1`);
  }
  return result(outcome, leaked, fired);
}

/**
 * One call, one fault kind, `count` faults (0 = always). The expectation follows from the budget: survive
 * up to it (or always, for lost responses the repeat observes), fail cleanly beyond it.
 */
export function scenarioFor(
  operation: Operation,
  topology: Topology,
  c: MatrixCall,
  kind: Kind,
  count: number,
  column = `${kind} ×${count || '∞'}`,
): Scenario {
  const b = budgetOf(operation, c, kind);
  const fail = !b.unbounded && (count === 0 || count > b.absorbed);
  const error = errorOf(c, kind);
  const sc: Scenario = {
    operation,
    topology,
    group: groupName(operation, topology),
    row: callId(c),
    column,
    faults: [faultFor(c, kind, count)],
    expect: fail ? 'fail' : 'recover',
  };
  if (fail) {
    sc.failure = { error, causeIncludes: c.action };
    // the state that makes the call ran out of attempts, each one after `sdk` sends
    sc.stateFailures = { state: c.state, error, times: b.sm };
    sc.fired = { atLeast: b.sdk * b.sm };
    if (operation === 'provision') sc.check = (_w, report) => rolledBack(report, c);
  } else if (kind !== 'lost') {
    // every fault fired, and the state layer absorbed exactly what the SDK layer did not
    sc.fired = { exactly: count };
    sc.stateFailures = { state: c.state, error, times: Math.floor(count / b.sdk) };
  } else {
    sc.fired = { atLeast: 1 };
    if (c.lost === 'repeated' && count > 0)
      sc.stateFailures = { state: c.state, error, times: Math.floor(count / b.sdk) };
  }
  return sc;
}

/** the record of a rolled-back run says so (a failed CreateSecret never made one) */
async function rolledBack(report: RunReport, c: MatrixCall): Promise<string[]> {
  const rec = (await operatorDeps().registry.get(report.name))?.record;
  if (c.action === 'CreateSecret')
    return rec ? [`a record exists (${rec.status}) though CreateSecret never succeeded`] : [];
  // an unwritable record (PutSecretValue or UpdateSecretVersionStage failing: every record write is a
  // compare-and-swap made of both) cannot say anything: the cloud inventory is the evidence
  if (c.action === 'PutSecretValue' || c.action === 'UpdateSecretVersionStage') return [];
  if (rec?.status !== 'FAILED' || !rec.statusReason?.startsWith('rolled back after: '))
    return [`the record says ${rec?.status}: ${rec?.statusReason}, expected FAILED, rolled back`];
  return [];
}

/** a matrix cell: one call, one fault kind, one level */
export function matrixScenario(
  operation: Operation,
  topology: Topology,
  c: MatrixCall,
  kind: Kind,
  level: Level,
): Scenario {
  return scenarioFor(operation, topology, c, kind, countFor(level, budgetOf(operation, c, kind)), `${kind}/${level}`);
}

export const groupName = (operation: Operation, topology: Topology): string =>
  `${operation} · ${topology} (Alibaba ${REGION_OF[topology]})`;

// ──────────────────────────────────────────────── the table

const results: CellResult[] = [];

export function recordResult(r: CellResult): void {
  results.push(r);
}

export function recordedResults(): CellResult[] {
  return [...results];
}

const levelLabel = (l: Level) => (l === 'once' ? '1' : l === 'budget' ? 'N' : '∞');

function mark(r: CellResult | undefined): string {
  if (!r) return '–';
  if (!r.ok) return `✗ ${r.outcome.replace(/\|/g, '/')}`;
  if (r.expected === 'fail') return '✓ F';
  return r.outcome.startsWith('DELETED') ? '✓ D' : '✓ A';
}

interface Summary {
  tried: number;
  ok: number;
  recovered: number;
  failedCleanly: number;
  duplicates: number;
  leaked: number;
}

/**
 * A cell whose provisioning ended ACTIVE: resources beyond a clean run's are duplicates. Everywhere else (a failed,
 * rolled-back provisioning; a teardown) anything left is a leak.
 */
const endedActive = (r: CellResult) =>
  r.expected === 'recover' && !/^teardown|· teardown ·/.test(r.group) && !r.outcome.startsWith('DELETED');

function summarize(rs: CellResult[]): Summary {
  return {
    tried: rs.length,
    ok: rs.filter((r) => r.ok).length,
    recovered: rs.filter((r) => r.ok && r.expected === 'recover').length,
    failedCleanly: rs.filter((r) => r.ok && r.expected === 'fail').length,
    duplicates: rs.filter(endedActive).reduce((n, r) => n + r.leaked, 0),
    leaked: rs.filter((r) => !endedActive(r)).reduce((n, r) => n + r.leaked, 0),
  };
}

/** the matrix as markdown: a summary, the per-call grid of each group, and the extra cells */
export function renderTable(rs: CellResult[], title: string, seconds?: number): string {
  const out: string[] = [`### ${title}`, ''];
  const groups = [...new Set(rs.map((r) => r.group))];
  out.push(
    '| group | cells tried | as expected | survived (ACTIVE / DELETED) | failed cleanly past the budget | duplicates | resources leaked |',
  );
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const g of groups) {
    const s = summarize(rs.filter((r) => r.group === g));
    out.push(`| ${g} | ${s.tried} | ${s.ok} | ${s.recovered} | ${s.failedCleanly} | ${s.duplicates} | ${s.leaked} |`);
  }
  const t = summarize(rs);
  out.push(
    `| **total** | **${t.tried}** | **${t.ok}** | **${t.recovered}** | **${t.failedCleanly}** | **${t.duplicates}** | **${t.leaked}** |`,
  );
  out.push('');
  for (const g of groups) {
    const inGroup = rs.filter((r) => r.group === g);
    const gridded = inGroup.some((r) => /^(throttle|5xx|lost)\/(once|budget|past)$/.test(r.column));
    out.push(`**${g}**`, '');
    if (gridded) {
      const cols = KINDS.flatMap((k) => LEVELS.map((l) => `${k}/${l}`));
      out.push(
        `| call | N | ${cols.map((c) => c.replace(/\/(once|budget|past)$/, (_, l: Level) => ` ${levelLabel(l)}`)).join(' | ')} | leaked |`,
      );
      out.push(`|---|---:|${cols.map(() => '---').join('|')}|---:|`);
      for (const row of [...new Set(inGroup.map((r) => r.row))]) {
        const cells = inGroup.filter((r) => r.row === row);
        const n = cells.find((r) => r.column.endsWith('/budget'))?.count ?? '';
        const leaked = cells.reduce((a, r) => a + r.leaked, 0);
        out.push(
          `| ${row} | ${n} | ${cols.map((c) => mark(cells.find((r) => r.column === c))).join(' | ')} | ${leaked} |`,
        );
      }
    } else {
      out.push('| cell | faults fired | expected | outcome | leaked |', '|---|---:|---|---|---:|');
      for (const r of inGroup)
        out.push(
          `| ${r.row} ${r.column} | ${r.fired} | ${r.expected === 'recover' ? 'survive' : 'fail cleanly'} | ${r.ok ? '✓' : '✗'} ${r.outcome.replace(/\|/g, '/')} | ${r.leaked} |`,
        );
    }
    out.push('');
  }
  out.push(
    'Legend: 1 = one fault, N = `count` up to the budget (the N column), ∞ = `count: 0` (always). ✓ A = ACTIVE with exactly the resources of a clean run; ✓ D = DELETED, nothing left; ✓ F = FAILED past the budget, the cause names the call, nothing left (provisioning rolled back; teardown finished by a second run); ✗ = expectation not met.',
  );
  if (seconds !== undefined) out.push('', `Wall time: ${Math.round(seconds)} s.`);
  return `${out.join('\n')}\n`;
}

const BENCH_DIR = join(PROJECT_ROOT, '.bench');
/** 'default', or '30s' under VPN_BRIDGE_MATRIX_LAG=30: each lag has its parts and its combined table */
const lagSlug = () => (process.env.VPN_BRIDGE_MATRIX_LAG ? `${Number(process.env.VPN_BRIDGE_MATRIX_LAG)}s` : 'default');
const partsDir = () => join(BENCH_DIR, 'fault-matrix', `lag-${lagSlug()}`);

interface Part {
  title: string;
  seconds: number;
  results: CellResult[];
}

function isPart(v: unknown): v is Part {
  return typeof v === 'object' && v !== null && Array.isArray((v as { results?: unknown }).results);
}

/** the whole matrix from the parts on disk: one summary over all cells, every grid, each part's wall time */
export function renderCombined(parts: Part[]): string {
  const all = parts.flatMap((p) => p.results);
  const times = parts.map((p) => `${p.title}: ${Math.round(p.seconds)} s`).join('; ');
  return [
    '# vpn-bridge fault-injection matrix',
    '',
    `Run under the ${lagLabel()}.`,
    '',
    'Generated by `npm run test:fidelity` (test/fidelity/fault-matrix-*.test.ts); the cells and the budget arithmetic',
    'are in test/helpers/fault-matrix.ts. N = SDK attempts x state-machine attempts - 1: 3x7-1 = 20 for EC2 and',
    'Secrets Manager calls the SDK retries, 1x7-1 = 6 for the single-attempt EC2 creates (CreateVpnGateway,',
    'CreateVpnConnection) and for Alibaba (its SDK never retries), 1x13-1 = 12 for Alibaba gateway conflicts.',
    'Lost responses are absorbed without bound (the repeat observes the action) except record writes (20).',
    '',
    renderTable(all, 'All cells'),
    `Wall time per part (jest runs two at a time): ${times}.`,
    '',
  ].join('\n');
}

/**
 * Write this file's results to .bench/fault-matrix/<part>.json and rebuild .bench/fault-matrix.md from every
 * part (the matrix runs as several jest files on two workers; the rebuild repeats until the set of parts it
 * read is still the set on disk, so the last writer always includes everything).
 */
export function publish(part: string, data: Part): string {
  const PARTS_DIR = partsDir();
  mkdirSync(PARTS_DIR, { recursive: true });
  writeFileSync(join(PARTS_DIR, `${part}.json`), JSON.stringify(data, null, 1));
  const combined = join(BENCH_DIR, lagSlug() === 'default' ? 'fault-matrix.md' : `fault-matrix-lag-${lagSlug()}.md`);
  let seen = '';
  for (;;) {
    const files = readdirSync(PARTS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const key = files.map((f) => `${f}:${statSync(join(PARTS_DIR, f)).mtimeMs}`).join(',');
    if (key === seen) break;
    seen = key;
    const parts = files.map((f): unknown => JSON.parse(readFileSync(join(PARTS_DIR, f), 'utf8'))).filter(isPart);
    writeFileSync(combined, renderCombined(parts));
  }
  return combined;
}

// ──────────────────────────────────────────────── extra cells

/** Alibaba's per-gateway serialization errors (docs/sources.md#alibaba-cloud-alibaba): mapped to GatewayBusy, retried by BUSY */
export const CONFLICT_CODES = ['VpnGateway.Configuring', 'OperationConflict', 'TaskConflict'] as const;

export function conflictScenario(
  operation: Operation,
  topology: Topology,
  c: MatrixCall,
  code: string,
  count: number,
): Scenario {
  return {
    operation,
    topology,
    group: `Alibaba gateway conflicts · ${operation} · ${topology}`,
    row: callId(c),
    column: `${code} ×${count}`,
    faults: [{ service: c.service, action: c.action, kind: 'error', code, status: 400, count }],
    expect: 'recover',
    fired: { exactly: count },
    stateFailures: { state: c.state, error: 'GatewayBusy', times: count },
  };
}

/** the conflict levels: once, a few times, and (for the most common code) up to the BUSY budget */
export function conflictLevels(operation: Operation, c: MatrixCall, code: string): number[] {
  const b = budgetOf(operation, c, '5xx', 'GatewayBusy');
  return code === 'VpnGateway.Configuring' ? [1, 3, b.absorbed] : [1, 3];
}

/**
 * The window for the latency cell (simulated seconds): longer than the wait between creating a customer
 * gateway and naming it in CreateVpnConnection (~15 s), shorter than that wait plus the NOT_VISIBLE retries
 * (~80 s), so the create meets NotFound and must retry. Every real millisecond a handler takes is a simulated
 * second at time scale 1000, which blurs both ends under load; this one cell runs at CONSISTENCY_TIME_SCALE.
 */
export const CONSISTENCY_WINDOW_SECONDS = 60;
export const CONSISTENCY_TIME_SCALE = 100;

/** the NotYetVisible retries whose cause is a by-id NotFound (as opposed to a listing that lags) */
const byIdNotFound = (events: RunEvent[], code = '.NotFound') =>
  events.filter(
    (e) =>
      e.type === 'StateFailed' &&
      e.error === 'NotYetVisible' &&
      (e.cause ?? '').includes(code) &&
      (e.cause ?? '').includes('not visible yet after its create'),
  );

/**
 * AWS eventual consistency of describes by id (the EC2 API guide): for `seconds` after a create, requests naming the
 * new resource by id answer *.NotFound. The workflow must treat that as "not visible yet" and retry.
 */
export function consistencyWindowScenario(topology: Topology, seconds: number): Scenario {
  return {
    operation: 'provision',
    topology,
    group: 'AWS eventual consistency',
    row: `ec2.byId lag = ${seconds} s`,
    column: topology,
    faults: [],
    expect: 'recover',
    prepare: async (w) => {
      const cfg = await w.access.admin<{ timeScale: number; lag: Record<string, number> }>('GET', '/_sim/config');
      const before = { timeScale: cfg.timeScale, lag: { 'ec2.byId': cfg.lag['ec2.byId'] } };
      await w.access.admin('PUT', '/_sim/config', { timeScale: CONSISTENCY_TIME_SCALE, lag: { 'ec2.byId': seconds } });
      return async () => {
        await w.access.admin('PUT', '/_sim/config', before);
      };
    },
    check: (_w, _r, events) =>
      byIdNotFound(events).length > 0
        ? []
        : ['no request met the by-id window (no NotYetVisible retry on a NotFound): the cell proves nothing'],
  };
}

type Ec2Kind = 'vpnGateways' | 'customerGateways' | 'vpnConnections';

/**
 * A NotFound injected once on `action`: with `after`, on the first such request once a resource of that kind
 * exists (a tick hook arms the rule right after the create), else on the first request.
 */
export function notFoundScenario(topology: Topology, action: string, code: string, after?: Ec2Kind): Scenario {
  let rule: { fired: number } | undefined;
  const fault: FaultRuleInput = { service: 'ec2', action, kind: 'error', code, status: 400, count: 1 };
  return {
    operation: 'provision',
    topology,
    group: 'AWS eventual consistency',
    row: `${code} once on ${action}${after ? ' right after the create' : ''}`,
    column: topology,
    faults: after ? [] : [fault],
    fired: after ? undefined : { exactly: 1 },
    firedOf: after ? () => rule?.fired ?? 0 : undefined,
    expect: 'recover',
    prepare: async (w) => {
      rule = undefined;
      if (!after) return () => undefined;
      const hook = () => {
        if (rule) return;
        const exists = Object.values(w.sim.ctx.state.aws.regions).some((r) => Object.keys(r[after]).length > 0);
        if (exists) rule = w.sim.faults.add(fault);
      };
      w.sim.ctx.tickHooks.unshift(hook);
      return () => {
        w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(hook), 1);
      };
    },
    check: (_w, _r, events) => {
      const problems: string[] = [];
      if (after && rule?.fired !== 1) problems.push(`the NotFound fired ${rule?.fired ?? 0} times, expected once`);
      const retried = byIdNotFound(events, code);
      if (retried.length !== 1)
        problems.push(
          `expected one NotYetVisible retry on ${code}, saw: ${retried.map((e) => e.state).join(', ') || 'none'}`,
        );
      return problems;
    },
  };
}

/** the eventual-consistency cells: a wide window, and a NotFound right after each create / on each by-id call */
export function consistencyScenarios(topology: Topology): Scenario[] {
  return [
    consistencyWindowScenario(topology, CONSISTENCY_WINDOW_SECONDS),
    notFoundScenario(topology, 'DescribeVpnGateways', 'InvalidVpnGatewayID.NotFound', 'vpnGateways'),
    notFoundScenario(topology, 'DescribeCustomerGateways', 'InvalidCustomerGatewayID.NotFound', 'customerGateways'),
    notFoundScenario(topology, 'DescribeVpnConnections', 'InvalidVpnConnectionID.NotFound', 'vpnConnections'),
    notFoundScenario(topology, 'AttachVpnGateway', 'InvalidVpnGatewayID.NotFound'),
    notFoundScenario(topology, 'CreateRoute', 'InvalidGatewayID.NotFound'),
    notFoundScenario(topology, 'CreateVpnConnection', 'InvalidCustomerGatewayID.NotFound'),
    notFoundScenario(topology, 'CreateVpnConnectionRoute', 'InvalidVpnConnectionID.NotFound'),
  ];
}

/**
 * A tunnel that never comes up: one side of the first tunnel is forced down in the simulator as soon as it
 * exists. The bounded wait runs out, the diagnosis names the tunnel and why, and the rollback leaves nothing.
 */
export function tunnelDownScenario(
  topology: Topology,
  side: 'aws' | 'alibaba',
  tunnel: RegExp,
  healthy: RegExp,
): Scenario {
  let forced: string | undefined;
  const polls = stateAttempts('provision', 'WaitTunnelsUp', 'NotReady');
  return {
    operation: 'provision',
    topology,
    group: 'a tunnel that never comes up',
    row: `${side} side of the first tunnel forced down`,
    column: topology,
    faults: [],
    expect: 'fail',
    failure: { error: 'TunnelsDown', causeIncludes: 'tunnels still down after the wait' },
    // bounded: the wait polled exactly 1 + its NotReady MaxAttempts times, then DiagnoseTunnels ran
    stateFailures: { state: 'WaitTunnelsUp', error: 'NotReady', times: polls },
    prepare: async (w) => {
      forced = undefined;
      const hook = () => {
        if (forced) return;
        const st = w.sim.ctx.state;
        if (side === 'aws') {
          const conn = Object.values(st.aws.regions).flatMap((r) => Object.values(r.vpnConnections))[0];
          if (conn) forced = w.sim.negotiation.forceKey({ cloud: 'aws', vpnConnectionId: conn.VpnConnectionId });
        } else {
          const conn = Object.values(st.alibaba.regions).flatMap((r) => Object.values(r.vpnConnections))[0];
          if (conn) forced = w.sim.negotiation.forceKey({ cloud: 'alibaba', vpnConnectionId: conn.VpnConnectionId });
        }
        if (forced) st.forcedDown[forced] = true;
      };
      w.sim.ctx.tickHooks.unshift(hook);
      return () => {
        w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(hook), 1);
      };
    },
    check: (_w, report) => {
      const cause = report.execution.cause ?? '';
      const problems: string[] = [];
      if (!forced) problems.push('no tunnel was forced down');
      if (!tunnel.test(cause)) problems.push(`the diagnosis does not name the tunnel (${tunnel}): ${cause}`);
      if (healthy.test(cause)) problems.push(`the diagnosis names a tunnel that is up (${healthy}): ${cause}`);
      // the reason is each cloud's own status text, e.g. "AWS says DOWN (IPSEC IS DOWN), Alibaba says ..."
      if (!/AWS says \w+.*Alibaba says \w+/.test(cause)) problems.push(`the diagnosis gives no reason: ${cause}`);
      return problems;
    },
  };
}

// ──────────────────────────────────────────────── jest definitions

const KIND_WORDS: Record<Kind, string> = { throttle: 'throttled', '5xx': 'answering 5xx', lost: 'losing responses' };

export function scenarioTitle(sc: Scenario, what: string): string {
  const goal =
    sc.operation === 'provision' ? 'ACTIVE with exactly the resources of a clean run' : 'DELETED, nothing left';
  if (sc.expect === 'recover') return `${what}: ends ${goal}`;
  return sc.operation === 'provision'
    ? `${what}: fails naming the cause and rolls back everything`
    : `${what}: fails naming the cause, and a second teardown deletes everything`;
}

/** run a scenario as a jest test body: record it for the table, then assert */
export async function runCell(w: LocalWorld, env: MatrixEnv, sc: Scenario): Promise<CellResult> {
  const r = await runScenario(w, env, sc);
  recordResult(r);
  expect(r.problems).toEqual([]);
  expect(r.leaked).toBe(0);
  return r;
}

/** the enumeration test: the calls a clean run makes are exactly the matrix's calls (it cannot silently shrink) */
export function expectEnumerated(env: MatrixEnv, topology: Topology, operation: Operation): void {
  const found = env[topology]?.[operation] ?? [];
  expect(found.length).toBeGreaterThan(0);
  expect(found).toEqual(CALLS[operation].map(callId).sort());
}

/** the full matrix of one operation on one topology: every call x kind x level, one jest test per cell */
export function defineMatrix(world: () => LocalWorld, env: MatrixEnv, operation: Operation, topology: Topology): void {
  describe(`fault matrix: ${groupName(operation, topology)}`, () => {
    it(`covers exactly the mutating calls a clean ${operation} makes (enumerated from the simulator's counters)`, () => {
      expectEnumerated(env, topology, operation);
    });
    for (const c of CALLS[operation]) {
      for (const kind of KINDS) {
        for (const level of LEVELS) {
          const sc = matrixScenario(operation, topology, c, kind, level);
          const count = sc.faults[0]?.count ?? 0;
          const b = budgetOf(operation, c, kind);
          const times =
            level === 'once' ? 'once' : level === 'budget' ? `${count}× (N = ${b.sdk}×${b.sm}−1)` : 'always';
          it(
            scenarioTitle(sc, `${callId(c)} ${KIND_WORDS[kind]} ${times}`),
            () => runCell(world(), env, sc),
            CELL_TIMEOUT_MS,
          );
        }
      }
    }
  });
}

/** print this file's part of the table and publish it to .bench/fault-matrix.md */
export function publishAfterAll(part: string, title: string): void {
  const started = performance.now();
  afterAll(() => {
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`\n${renderTable(recordedResults(), `${title}, ${lagLabel()}`, seconds)}\n`);
    const file = publish(part, { title, seconds, results: recordedResults() });
    process.stdout.write(`the whole matrix (every part run so far): ${file}\n`);
  });
}

/** Alibaba conflicts on every Alibaba call of an operation: each code once, a few times, up to BUSY's budget */
export function defineConflicts(world: () => LocalWorld, env: MatrixEnv, operation: Operation, topology: Topology) {
  describe(`Alibaba gateway conflicts: ${groupName(operation, topology)}`, () => {
    for (const c of CALLS[operation].filter((x) => x.service === 'alibaba-vpc')) {
      for (const code of CONFLICT_CODES) {
        for (const count of conflictLevels(operation, c, code)) {
          const sc = conflictScenario(operation, topology, c, code, count);
          it(
            scenarioTitle(sc, `${callId(c)} answering ${code} ${count}×`),
            () => runCell(world(), env, sc),
            CELL_TIMEOUT_MS,
          );
        }
      }
    }
  });
}

/** AWS eventual consistency: the workflow waits for what it just created instead of calling it missing */
export function defineConsistency(world: () => LocalWorld, env: MatrixEnv, topology: Topology) {
  describe(`AWS eventual consistency: provision · ${topology}`, () => {
    for (const sc of consistencyScenarios(topology))
      it(scenarioTitle(sc, sc.row), () => runCell(world(), env, sc), CELL_TIMEOUT_MS);
  });
}

/** a tunnel that never comes up: on dual-tunnel the AWS side is forced down, on single-tunnel the Alibaba side */
export function defineTunnelDown(world: () => LocalWorld, env: MatrixEnv, topology: Topology) {
  const side = topology === 'dual-tunnel' ? 'aws' : 'alibaba';
  // the other used tunnel (standby) is up and must not be blamed
  const healthy = topology === 'dual-tunnel' ? /tunnel vpn-2\/1/ : /tunnel vpn-1\/2/;
  const sc = tunnelDownScenario(topology, side, /tunnel vpn-1\/1 \(active\)/, healthy);
  it(
    `a tunnel whose ${side} side never comes up (${topology}): FAILED TunnelsDown after the bounded wait, naming the tunnel and why, and rolled back`,
    () => runCell(world(), env, sc),
    CELL_TIMEOUT_MS,
  );
}
