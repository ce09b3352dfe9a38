import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  describeError,
  isVpnBridgeError,
  OperationInProgress,
  PreflightFailed,
  RecordMissing,
  SpecInvalid,
} from '../errors';
import { logger, redactText } from '../log';
import { type ExecutionOperation, executionName } from '../plan/naming';
import {
  type Claim,
  decideClaim,
  describeTakeOver,
  type Holder,
  type HolderState,
  type LockKind,
  lockHolder,
  withClaim,
} from '../registry/lock';
import {
  type ConnectionRecord,
  type ConnectionStatus,
  type DriftRow,
  newRecord,
  publicView,
  type TakenOver,
} from '../registry/record';
import { type ConnectionSpec, parseSpec } from '../spec';
import { CONNECTION_NAME, CONNECTION_NAME_RULE } from '../spec/name';
import { preflight, recordConflicts } from '../spec/preflight';
import { whileHolding } from '../workflow/claim';
import type { Deps, RecordDeps } from '../workflow/deps';
import { rotationDue } from '../workflow/rotate';
import { NotConfigured } from './errors';
import { type ExecutionSummary, type Executions, executionArnFor } from './executions';
import { type TunnelView, tunnelsOfRecord } from './tunnels';

// The operations the HTTP API, ChatOps and the CLI share (README.md). No SDK here: Step Functions is
// behind `Executions`, the registry and the clouds behind the workflow's `Deps`.
//
// One operation per connection (docs/record-lock.md): a provisioning or a teardown first takes the connection's lock
// in its record, by compare-and-swap (src/registry/lock.ts), for an execution name chosen up front, and only then
// starts that execution. Of two submissions at the same instant exactly one takes the lock; the other finds it held:
// the same request joins the running execution (a duplicate), anything else is a 409 naming it. A lock whose
// execution has closed without releasing it (stopped, failed, timed out) or never started is taken over, and the
// new operation names the one it replaces. The record exists from the moment of the 202 (status PROVISIONING or
// DELETING). Drift checks do not take the lock: they run under execution-name slots `<name>-drift-<slot>`, where
// Standard StartExecution with the same name and input returns the running execution (docs/sources.md#aws-aws).

/** slots tried after the base one before falling back to a time-based (not deduplicated) name */
const MAX_PROBES = 8;
/** the discriminators this module writes: hex digits in dash-separated groups. Operation names contain other
 * letters, so `<a>-<op>-<disc>` can never be read as an execution of a connection whose name starts with `<a>-<op>-` */
const DISCRIMINATOR = /^[0-9a-f]+(?:-[0-9a-f]+)*$/;
/** execution-name "connection" of a drift check over every managed connection (no connection name starts with '_') */
export const ALL_CONNECTIONS = '_all';

export interface StateMachines {
  provision?: string;
  teardown?: string;
  drift?: string;
  rotate?: string;
}

/** the state machine ARNs as serverless.yml (and ensureStateMachines locally) put them in the environment */
export function machinesFromEnv(env: NodeJS.ProcessEnv = process.env): StateMachines {
  return {
    provision: env.PROVISION_STATE_MACHINE_ARN || undefined,
    teardown: env.TEARDOWN_STATE_MACHINE_ARN || undefined,
    drift: env.DRIFT_STATE_MACHINE_ARN || undefined,
    rotate: env.ROTATE_STATE_MACHINE_ARN || undefined,
  };
}

export interface ServiceDeps {
  /** the records */
  deps: RecordDeps;
  /**
   * both clouds: preflight before a provisioning is accepted (400 with the fields), and the live per-tunnel status
   * of `getConnection` (without them preflight is left to the workflow and `getConnection` reports `tunnelsError`)
   */
  clouds?: Deps;
  /** Step Functions: starting and finding operations (without it every submission is NotConfigured) */
  executions?: Executions;
  machines: StateMachines;
  /** real milliseconds the submission may spend on preflight before leaving it to the workflow (default 12000) */
  preflightBudgetMs?: number;
  /** how long a lock taken for an execution may wait for that execution to appear (default 60000 ms) */
  startGraceMs?: number;
}

/** API Gateway gives the integration 30 s (the function 28): preflight gets less than half of it */
const PREFLIGHT_BUDGET_MS = 12_000;
/** the API function's timeout is 28 s: a lock whose execution is not visible a minute later never will be */
const START_GRACE_MS = 60_000;

export interface Submission {
  name: string;
  operation: ExecutionOperation;
  /** the connection's status as this operation sets it (drift: unchanged) */
  status: ConnectionStatus;
  executionArn: string;
  executionName: string;
  /** true when an identical submission's running execution was returned */
  duplicate: boolean;
  warnings: string[];
  /** the operation this one took over (its execution had closed without finishing, or never started) */
  replaces?: TakenOver & { note: string };
}

export interface DriftAllSubmission {
  executionArn: string;
  executionName: string;
  duplicate: boolean;
}

export interface ConnectionView {
  name: string;
  status: ConnectionStatus;
  statusReason?: string;
  topology?: string;
  spec: ConnectionRecord['spec'] | null;
  resources: ConnectionRecord['resources'];
  gatewayIps?: { InternetIp: string; DisasterRecoveryInternetIp?: string };
  /** per AWS tunnel: outside IP and inside CIDR (the key stays in Secrets Manager) */
  tunnelEndpoints: Record<string, { outsideIp: string; insideCidr: string }>;
  operation?: ConnectionRecord['operation'];
  completedOperations: number;
  failure?: ConnectionRecord['failure'];
  lastDrift?: ConnectionRecord['lastDrift'];
  /** the last key rotation that finished (no key material) */
  lastRotation?: ConnectionRecord['lastRotation'];
  createdAt: string;
  updatedAt: string;
  /** live, from both clouds; empty before validation and after teardown */
  tunnels: TunnelView[];
  /** why the live tunnel status could not be read (the rest of the view is still valid) */
  tunnelsError?: string;
}

export interface ConnectionSummary {
  name: string;
  status: ConnectionStatus;
  statusReason?: string;
  topology?: string;
  awsRegion?: string;
  alibabaRegion?: string;
  operation?: { kind: string; startedAt: string; finishedAt?: string; result?: string };
  lastDrift?: { at: string; clean: boolean; findings: number };
  updatedAt: string;
}

export function checkName(name: unknown, path = 'name'): string {
  if (typeof name !== 'string' || !CONNECTION_NAME.test(name))
    throw new SpecInvalid([{ path, message: CONNECTION_NAME_RULE }]);
  return name;
}

/** is `execName` an execution of this connection's `op`, as this module names them? */
export function isExecutionOf(execName: string, connection: string, op: ExecutionOperation): boolean {
  const prefix = `${connection}-${op}-`;
  return execName.startsWith(prefix) && DISCRIMINATOR.test(execName.slice(prefix.length));
}

/**
 * The execution slot of a connection's next operation: `<generation>-<completedOperations>` for a live record
 * (the generation's first 8 hex digits keep a connection created again under the same name off the names
 * of its earlier life), `0` when there is no live record yet.
 */
export function slotOf(record: ConnectionRecord | undefined): string {
  if (!record || record.status === 'DELETED') return '0';
  const gen = record.generation
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 8)
    .toLowerCase();
  const n = String(record.completedOperations ?? 0);
  return gen ? `${gen}-${n}` : n;
}

/** minutes since the epoch, hex */
function minuteSlot(now = Date.now()): string {
  return Math.floor(now / 60_000).toString(16);
}

const OPS: ExecutionOperation[] = ['provision', 'teardown', 'drift', 'rotate'];

export class ConnectionService {
  constructor(private readonly s: ServiceDeps) {}

  private executions(): Executions {
    if (!this.s.executions) throw new NotConfigured('Step Functions is not wired into this function');
    return this.s.executions;
  }

  private machine(op: ExecutionOperation): string {
    const arn = this.s.machines[op];
    if (!arn)
      throw new NotConfigured(
        `the ${op} state machine is not configured (${op.toUpperCase()}_STATE_MACHINE_ARN is not set)`,
      );
    return arn;
  }

  /** RUNNING executions of this connection on every configured state machine */
  async running(name: string): Promise<Array<{ op: ExecutionOperation; execution: ExecutionSummary }>> {
    const ops = OPS.filter((op) => this.s.machines[op]);
    const lists = await Promise.all(ops.map((op) => this.executions().listRunning(this.machine(op))));
    return ops.flatMap((op, i) =>
      (lists[i] ?? []).filter((x) => isExecutionOf(x.name, name, op)).map((execution) => ({ op, execution })),
    );
  }

  /**
   * Start `op` on `name` with `input`, or return the identical running one; 409 when another operation (or
   * the same one with another input) runs.
   */
  private async submit(
    op: ExecutionOperation,
    name: string,
    input: string,
    base: string,
  ): Promise<{ executionArn: string; executionName: string; duplicate: boolean }> {
    const machine = this.machine(op);
    const conflicting = (what: string, arn?: string) =>
      new OperationInProgress(`an operation on ${name} is already running: ${what}`, arn);
    for (const r of await this.running(name)) {
      if (r.op !== op) throw conflicting(`${r.op} (execution ${r.execution.name})`, r.execution.executionArn);
      const d = await this.executions().describe(r.execution.executionArn);
      if (d?.status !== 'RUNNING') continue;
      if (d.input === input) return { executionArn: d.executionArn, executionName: d.name, duplicate: true };
      throw conflicting(`${op} with a different request (execution ${d.name})`, d.executionArn);
    }
    const discriminators = [base, ...Array.from({ length: MAX_PROBES }, (_, k) => `${base}-${k + 1}`)];
    discriminators.push(`${base}-${Date.now().toString(16)}`);
    for (const disc of discriminators) {
      const execName = executionName(name, op, disc);
      const started = await this.executions().start(machine, execName, input);
      if (started.kind === 'started')
        return { executionArn: started.executionArn, executionName: execName, duplicate: false };
      const arn = executionArnFor(machine, execName);
      const d = await this.executions().describe(arn);
      if (d?.status === 'RUNNING') {
        if (d.input === input) return { executionArn: arn, executionName: execName, duplicate: true };
        throw conflicting(`${op} with a different request (execution ${execName})`, arn);
      }
      // that slot's execution has closed: the next slot
    }
    throw conflicting(`every execution slot of ${op} is taken; try again shortly`);
  }

  private async liveRecord(name: string): Promise<ConnectionRecord> {
    const got = await this.s.deps.registry.get(name);
    if (!got) throw new RecordMissing(`no connection named ${name}`);
    if (got.record.status === 'DELETED')
      throw new RecordMissing(`the connection ${name} was torn down (${got.record.statusReason ?? 'DELETED'})`);
    return got.record;
  }

  /** POST /connections: validate the spec, preflight it, take the connection and start provisioning -> 202 */
  async submitProvision(specInput: unknown, opts: { create?: boolean } = {}): Promise<Submission> {
    const parsed = parseSpec(specInput);
    if (!parsed.ok) throw new SpecInvalid(parsed.errors.map((e) => ({ path: e.path, message: e.message })));
    const spec = parsed.spec;
    const machine = this.machine('provision');
    this.executions();
    await this.refuseWhileDriftRuns(spec.name);
    const checked = await this.preflightWithin(spec);
    const at = this.s.deps.now().toISOString();
    const fresh = () => newRecord(spec, this.s.deps.registry.stage, randomUUID(), at);
    const r = await this.claimAndStart(
      'provision',
      spec.name,
      JSON.stringify({ spec }),
      machine,
      opts.create === false ? undefined : fresh,
    );
    logger.info('provisioning submitted', {
      connection: spec.name,
      execution: r.executionName,
      duplicate: r.duplicate,
      replaces: r.replaces?.executionName,
      preflight: checked ? 'passed' : 'left to the workflow',
    });
    return {
      name: spec.name,
      operation: 'provision',
      status: 'PROVISIONING',
      ...r,
      warnings: [...parsed.warnings, ...(checked ?? [])].map((w) => `${w.path}: ${w.message}`),
    };
  }

  /** re-run provisioning of an existing connection from its stored spec (repair) */
  async submitRepair(name: string): Promise<Submission> {
    const record = await this.liveRecord(checkName(name));
    return this.submitProvision(record.spec, { create: false });
  }

  /** DELETE /connections/{name}: take the connection and start the teardown -> 202 / 404 / 409 */
  async submitTeardown(name: string): Promise<Submission> {
    checkName(name);
    const machine = this.machine('teardown');
    this.executions();
    await this.liveRecord(name);
    await this.refuseWhileDriftRuns(name);
    const r = await this.claimAndStart('teardown', name, JSON.stringify({ name }), machine);
    logger.info('teardown submitted', {
      connection: name,
      execution: r.executionName,
      duplicate: r.duplicate,
      replaces: r.replaces?.executionName,
    });
    return { name, operation: 'teardown', status: 'DELETING', ...r, warnings: [] };
  }

  /** POST /connections/{name}/rotate: take the connection and start a key rotation -> 202 / 404 / 409 */
  async submitRotation(name: string): Promise<Submission> {
    checkName(name);
    const machine = this.machine('rotate');
    this.executions();
    const record = await this.liveRecord(name);
    if (record.status !== 'ACTIVE' && !lockHolder(record))
      throw new OperationInProgress(
        `${name} is ${record.status}: only an ACTIVE connection's keys are rotated (provision it first)`,
      );
    await this.refuseWhileDriftRuns(name);
    const r = await this.claimAndStart('rotate', name, JSON.stringify({ name }), machine);
    logger.info('key rotation submitted', {
      connection: name,
      execution: r.executionName,
      duplicate: r.duplicate,
      replaces: r.replaces?.executionName,
    });
    return { name, operation: 'rotate', status: 'ACTIVE', ...r, warnings: [] };
  }

  /**
   * The rotation schedule: a rotation for every connection whose `tunnels.rotateEveryDays` is due. A connection held
   * by another operation (or a rotation already running) is skipped and named; the next run tries again.
   */
  async submitDueRotations(): Promise<{
    started: Array<{ name: string; executionName?: string; duplicate?: boolean }>;
    skipped: Array<{ name: string; reason: string }>;
  }> {
    this.machine('rotate');
    const now = this.s.deps.now();
    const due = (await this.s.deps.registry.list()).filter((r) => rotationDue(r, now));
    const started: Array<{ name: string; executionName?: string; duplicate?: boolean }> = [];
    const skipped: Array<{ name: string; reason: string }> = [];
    for (const r of due) {
      try {
        const s = await this.submitRotation(r.name);
        started.push({ name: r.name, executionName: s.executionName, duplicate: s.duplicate });
      } catch (e) {
        const d = describeError(e);
        skipped.push({ name: r.name, reason: redactText(`${d.name}: ${d.message}`) });
      }
    }
    logger.info('scheduled key rotations', { due: due.length, started: started.length, skipped: skipped.length });
    return { started, skipped };
  }

  /**
   * Preflight within the API's time limit: field errors are a 400 before anything is accepted. When it cannot
   * finish in time (or a cloud cannot be read right now), the workflow's ValidateSpec runs it and records the
   * result. Returns the warnings, or undefined when it was left to the workflow.
   */
  private async preflightWithin(spec: ConnectionSpec): Promise<Array<{ path: string; message: string }> | undefined> {
    const clouds = this.s.clouds;
    if (!clouds) return undefined;
    const key = { stage: this.s.deps.registry.stage, name: spec.name };
    const work = (async () => {
      const prior = (await this.s.deps.registry.get(spec.name))?.record;
      const early = recordConflicts(prior, spec);
      if (early.length > 0) return { errors: early, warnings: [] };
      const aws = clouds.aws(spec.aws.region);
      const alibaba = await clouds.alibaba(spec.alibaba.region);
      const pf = await preflight(spec, { aws, alibaba }, { key, recordedVgwId: prior?.resources.aws.vpnGatewayId });
      return { errors: [...pf.errors, ...recordConflicts(prior, spec, pf.gatewayKind)], warnings: pf.warnings };
    })();
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.s.preflightBudgetMs ?? PREFLIGHT_BUDGET_MS);
    });
    try {
      const r = await Promise.race([work, budget]);
      if (r === 'timeout') {
        work.catch(() => undefined);
        logger.warn('preflight did not finish within the budget: left to the workflow', { connection: spec.name });
        return undefined;
      }
      if (r.errors.length > 0) throw new PreflightFailed(r.errors);
      return r.warnings;
    } catch (e) {
      if (e instanceof PreflightFailed) throw e;
      const d = describeError(e);
      logger.warn('preflight could not run: left to the workflow', { connection: spec.name, error: d.name });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** a drift check of this connection running (its repair re-creates routes): 409 for provisioning and teardown */
  private async refuseWhileDriftRuns(name: string): Promise<void> {
    const drift = this.s.machines.drift;
    if (!drift) return;
    const running = (await this.executions().listRunning(drift)).find((x) => isExecutionOf(x.name, name, 'drift'));
    if (running)
      throw new OperationInProgress(
        `an operation on ${name} is already running: drift (execution ${running.name})`,
        running.executionArn,
      );
  }

  /** what is known about the execution holding a lock */
  private async holderState(h: Holder): Promise<HolderState> {
    if (!h.executionArn) return { state: 'unknown' };
    const d = await this.executions().describe(h.executionArn);
    if (d) return d.status === 'RUNNING' ? { state: 'running' } : { state: 'closed', status: d.status };
    const age = this.s.deps.now().getTime() - Date.parse(h.startedAt);
    return age < (this.s.startGraceMs ?? START_GRACE_MS)
      ? { state: 'starting' }
      : { state: 'closed', status: 'NOT_STARTED' };
  }

  /**
   * Take the connection's lock for a new execution (one compare-and-swap on the record), then start it. `fresh`:
   * the record to create when there is none or it was torn down (provisioning); without it that is a 404.
   */
  private async claimAndStart(
    kind: LockKind,
    name: string,
    input: string,
    machine: string,
    fresh?: () => ConnectionRecord,
  ): Promise<Pick<Submission, 'executionArn' | 'executionName' | 'duplicate' | 'replaces'>> {
    const requestHash = createHash('sha256').update(input).digest('hex').slice(0, 32);
    const at = this.s.deps.now().toISOString();
    type Outcome =
      | { kind: 'acquired'; claim: Claim; replaced?: TakenOver; before?: ConnectionRecord }
      | { kind: 'duplicate'; holder: Holder };
    const outcome = await this.s.deps.registry.transact<Outcome>(name, async (current) => {
      const live =
        current && !current.scheduledForDeletion && current.record.status !== 'DELETED' ? current.record : undefined;
      if (!live && !fresh) throw new RecordMissing(`no connection named ${name}`);
      const execName = executionName(name, kind, `${slotOf(live)}-${randomBytes(3).toString('hex')}`);
      const claim: Claim = {
        kind,
        executionName: execName,
        executionArn: executionArnFor(machine, execName),
        requestHash,
      };
      const holder = lockHolder(live);
      const state: HolderState = holder ? await this.holderState(holder) : { state: 'unknown' };
      const d = decideClaim(holder, claim, state);
      if (d.kind === 'duplicate' || d.kind === 'mine')
        return { result: { kind: 'duplicate', holder: holder as Holder } };
      if (d.kind === 'busy') {
        const h = d.holder;
        const local = h.executionArn
          ? ''
          : `; if that local run stopped or crashed, take it over with \`vpn-bridge ${h.kind === 'provision' ? 'up -f <spec>' : h.kind === 'rotate' ? `rotate ${name}` : `down ${name}`} --force\``;
        const what = h.kind === kind && h.requestHash !== requestHash ? `${h.kind} with a different request` : h.kind;
        throw new OperationInProgress(
          `an operation on ${name} is already running: ${what} (execution ${h.executionName ?? '?'})${local}`,
          h.executionArn,
        );
      }
      const before = live ? structuredClone(live) : undefined;
      const base = live ?? (fresh as () => ConnectionRecord)();
      return {
        write: withClaim(base, claim, at, d.replaces),
        result: { kind: 'acquired', claim, replaced: d.replaces, before },
      };
    });
    if (outcome.kind === 'duplicate') {
      const h = outcome.holder;
      return {
        executionArn: h.executionArn ?? '',
        executionName: h.executionName ?? '',
        duplicate: true,
      };
    }
    const { claim, replaced } = outcome;
    if (replaced) logger.warn('operation taken over', { connection: name, note: describeTakeOver(replaced) });
    let started: Awaited<ReturnType<Executions['start']>>;
    try {
      started = await this.executions().start(machine, claim.executionName, input);
    } catch (e) {
      await this.release(name, claim.executionName, outcome.before, e);
      throw e;
    }
    if (started.kind !== 'started') {
      const e = new OperationInProgress(`the execution name ${claim.executionName} is taken; submit again`);
      await this.release(name, claim.executionName, outcome.before, e);
      throw e;
    }
    return {
      executionArn: started.executionArn,
      executionName: claim.executionName,
      duplicate: false,
      ...(replaced ? { replaces: { ...replaced, note: describeTakeOver(replaced) } } : {}),
    };
  }

  /** the execution could not be started: give the connection back as it was (a new one says why it failed) */
  private async release(name: string, execName: string, before: ConnectionRecord | undefined, e: unknown) {
    const d = describeError(e);
    const at = this.s.deps.now().toISOString();
    try {
      await whileHolding(this.s.deps.registry, name, execName, (r) => {
        if (before) {
          r.status = before.status;
          r.statusReason = before.statusReason;
          r.operation = before.operation;
          return;
        }
        r.status = 'FAILED';
        r.statusReason = redactText(`the operation could not be started: ${d.name}: ${d.message}`);
        if (r.operation) Object.assign(r.operation, { finishedAt: at, result: 'FAILED' });
      });
    } catch (err) {
      // the lock stays with an execution that never started: the next submission takes it over after the grace
      logger.error('lock not released', { connection: name, error: describeError(err).message });
    }
    logger.warn('operation not started', {
      connection: name,
      error: d.name,
      retryable: isVpnBridgeError(e) && e.retryable,
    });
  }

  /** POST /connections/{name}/drift: start the drift check of one connection -> 202 */
  async submitDrift(name: string, opts: { repair?: boolean } = {}): Promise<Submission> {
    const record = await this.liveRecord(checkName(name));
    this.machine('drift');
    const repair = opts.repair === true;
    const input = JSON.stringify({ names: [name], repair });
    // a drift check does not advance completedOperations (and lastDrift changes only with the result), so the
    // slot also carries the minute: identical requests share a running execution, later ones get a new slot
    const r = await this.submit('drift', name, input, `${slotOf(record)}-${minuteSlot()}`);
    logger.info('drift check submitted', { connection: name, execution: r.executionName, repair });
    return { name, operation: 'drift', status: record.status, ...r, warnings: [] };
  }

  /** a drift check over every managed connection (chat `/vpn drift` without a name): the schedule's input */
  async submitDriftAll(opts: { repair?: boolean } = {}): Promise<DriftAllSubmission> {
    this.machine('drift');
    const r = await this.submit(
      'drift',
      ALL_CONNECTIONS,
      JSON.stringify({ repair: opts.repair === true }),
      minuteSlot(),
    );
    logger.info('drift check submitted', { connection: ALL_CONNECTIONS, execution: r.executionName });
    return r;
  }

  /** GET /connections/{name}: the record without key material, plus live per-tunnel status. Never throws on a
   * half-built connection: what cannot be read live is reported in `tunnelsError`. */
  async getConnection(name: string): Promise<ConnectionView> {
    const got = await this.s.deps.registry.get(checkName(name));
    if (!got) throw new RecordMissing(`no connection named ${name}`);
    const r = got.record;
    const pv = publicView(r);
    let tunnels: TunnelView[] = [];
    let tunnelsError: string | undefined;
    try {
      if (!this.s.clouds) throw new NotConfigured('the clouds are not wired into this function');
      tunnels = await tunnelsOfRecord(this.s.clouds, r, got.arn);
    } catch (e) {
      const d = describeError(e);
      tunnelsError = redactText(`${d.name}: ${d.message}`);
      logger.warn('live tunnel status unavailable', { connection: name, error: d.name });
    }
    return {
      name: r.name,
      status: r.status,
      statusReason: r.statusReason,
      topology: r.topology,
      spec: r.spec ?? null,
      resources: pv.resources,
      gatewayIps: pv.handoffs.alibabaGatewayIps,
      tunnelEndpoints: Object.fromEntries(
        Object.entries(pv.handoffs.awsTunnels).map(([k, t]) => [
          k,
          { outsideIp: t.outsideIp, insideCidr: t.insideCidr },
        ]),
      ),
      operation: r.operation,
      completedOperations: r.completedOperations ?? 0,
      failure: r.failure,
      lastDrift: r.lastDrift,
      lastRotation: r.lastRotation,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      tunnels,
      tunnelsError,
    };
  }

  /** GET /connections: every managed connection that is not torn down */
  async listConnections(): Promise<ConnectionSummary[]> {
    const records = await this.s.deps.registry.list();
    return records.map((r) => ({
      name: r.name,
      status: r.status,
      statusReason: r.statusReason,
      topology: r.topology,
      awsRegion: r.spec?.aws.region,
      alibabaRegion: r.spec?.alibaba.region,
      operation: r.operation
        ? {
            kind: r.operation.kind,
            startedAt: r.operation.startedAt,
            finishedAt: r.operation.finishedAt,
            result: r.operation.result,
          }
        : undefined,
      lastDrift: r.lastDrift
        ? { at: r.lastDrift.at, clean: r.lastDrift.clean, findings: r.lastDrift.rows.length }
        : undefined,
      updatedAt: r.updatedAt,
    }));
  }
}

/** drift rows in one line each, for chat and notifications */
export function driftLines(rows: DriftRow[], max = 10): string[] {
  const lines = rows
    .slice(0, max)
    .map(
      (d) =>
        `${d.severity} ${d.kind} ${d.cloud} ${d.resource} ${d.attribute}: expected ${d.expected}, actual ${d.actual}`,
    );
  if (rows.length > max) lines.push(`... and ${rows.length - max} more`);
  return lines;
}
