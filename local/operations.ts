import { randomBytes } from 'node:crypto';
import { criticalPathSeconds, executionName, type Plan, planConnection, sequentialSeconds } from '../src/plan';
import { lockHolder } from '../src/registry/lock';
import { publicView } from '../src/registry/record';
import { liveTunnels as liveTunnelsWith, type TunnelView } from '../src/service/tunnels';
import type { ConnectionSpec } from '../src/spec';
import type { SimAccess } from './environment';
import { operatorDeps } from './operator';
import { type ExecutionResult, lambdaHandlers, loadDefinition, type RunEvent, startLocalExecution } from './runner';

// Runs a workflow in this process against a simulator and reports what happened: the outcome, every
// tunnel on both clouds, and the cost (simulated time against the latency model's bound, API calls,
// state transitions, polls).

export { type TunnelView, toView } from '../src/service/tunnels';

interface SimMetrics {
  simTime: number;
  total: number;
  requests: Record<string, Record<string, { count: number; errors: number; faults: number }>>;
}

export interface RunMetrics {
  simulatedSeconds: number;
  criticalPathSeconds?: number;
  criticalPath?: string[];
  ratio?: number;
  sequentialSeconds?: number;
  speedup?: number;
  apiCalls: number;
  apiCallsByAction: Record<string, number>;
  stateTransitions: number;
  retries: number;
  /** polls (NotReady retries + the final successful check) per waiting state */
  polls: Record<string, number>;
  /** Lambda invocations of the Task states */
  lambdaInvocations: number;
  /** those that ended in an error, by error name (a Task's failure: a TaskFailed event in the execution history) */
  lambdaErrors: Record<string, number>;
  wallSeconds: number;
}

export interface RunReport {
  status: string;
  operation: 'provision' | 'teardown' | 'rotate';
  name: string;
  topology?: string;
  profile?: string;
  psk?: string;
  execution: { name: string; status: ExecutionResult['status']; error?: string; cause?: string };
  secretArn?: string;
  tunnels: TunnelView[];
  resources?: unknown;
  warnings: string[];
  metrics: RunMetrics;
  /** with --force: the operation this run took over (it held the connection when the run started) */
  replaced?: { kind: string; executionName?: string; startedAt: string };
  /** what to run next when the connection is held by another run (the command with --force) */
  next?: string;
}

/** the operation holding the connection now (what a --force run takes over) */
async function holderNow(name: string): Promise<RunReport['replaced']> {
  const h = lockHolder((await operatorDeps().registry.get(name))?.record);
  return h ? { kind: h.kind, executionName: h.executionName, startedAt: h.startedAt } : undefined;
}

function diffCalls(before: SimMetrics, after: SimMetrics): { total: number; byAction: Record<string, number> } {
  const byAction: Record<string, number> = {};
  let total = 0;
  for (const [svc, actions] of Object.entries(after.requests)) {
    for (const [action, c] of Object.entries(actions)) {
      const n = c.count - (before.requests[svc]?.[action]?.count ?? 0);
      if (n > 0) {
        byAction[`${svc}:${action}`] = n;
        total += n;
      }
    }
  }
  return { total, byAction };
}

export function countTransitions(events: RunEvent[]): {
  transitions: number;
  retries: number;
  polls: Record<string, number>;
} {
  let transitions = 0;
  let retries = 0;
  const polls: Record<string, number> = {};
  for (const e of events) {
    if (e.type === 'StateEntered') transitions++;
    if (e.type === 'StateRetried') {
      // each retry is billed as a transition (docs/sources.md#aws-aws)
      transitions++;
      retries++;
    }
    if (e.type === 'StateFailed' && e.error === 'NotReady' && e.state) polls[e.state] = (polls[e.state] ?? 0) + 1;
  }
  for (const k of Object.keys(polls)) polls[k] = (polls[k] ?? 0) + 1;
  return { transitions, retries, polls };
}

/** live per-tunnel health of a connection, from both clouds (this process's handler dependencies) */
export function liveTunnels(name: string): Promise<{ plan?: Plan; tunnels: TunnelView[] }> {
  return liveTunnelsWith(operatorDeps(), name);
}

export interface RunOptions {
  onEvent?: (e: RunEvent) => void;
  /** take over a record a stopped or crashed run left PROVISIONING / DELETING */
  takeOver?: boolean;
  /** execution name (default: derived from the connection and the time) */
  executionName?: string;
}

async function execute(
  access: SimAccess,
  file: 'provision.asl.json' | 'teardown.asl.json' | 'rotate.asl.json',
  input: unknown,
  name: string,
  opts: RunOptions,
): Promise<{
  result: ExecutionResult;
  events: RunEvent[];
  simulatedSeconds: number;
  calls: ReturnType<typeof diffCalls>;
  wallSeconds: number;
  timeScale: number;
  latencies: Record<string, number>;
  invocations: { count: number; errors: Record<string, number> };
}> {
  const config = await access.admin<{ timeScale: number; latencies: Record<string, number> }>('GET', '/_sim/config');
  const before = await access.admin<SimMetrics>('GET', '/_sim/metrics');
  const wall = Date.now();
  const beforeReal = performance.now();
  let startedReal: number | undefined;
  const exec = startLocalExecution({
    definition: loadDefinition(file),
    input,
    name,
    timeScale: config.timeScale,
    handlers: lambdaHandlers(),
    onEvent: (e) => {
      startedReal ??= performance.now();
      opts.onEvent?.(e);
    },
  });
  const result = await exec.result;
  const after = await access.admin<SimMetrics>('GET', '/_sim/metrics');
  // the execution's time: from its first event, not from the runner's set-up (definition validation)
  const setupSeconds = (((startedReal ?? beforeReal) - beforeReal) / 1000) * config.timeScale;
  return {
    result,
    events: exec.events,
    simulatedSeconds: (after.simTime - before.simTime) / 1000 - setupSeconds,
    calls: diffCalls(before, after),
    wallSeconds: (Date.now() - wall) / 1000,
    timeScale: config.timeScale,
    latencies: config.latencies,
    invocations: exec.invocations,
  };
}

/** what every run costs: simulated and wall time, API calls, state transitions, polls */
function runMetrics(run: Awaited<ReturnType<typeof execute>>): RunMetrics {
  const counts = countTransitions(run.events);
  return {
    simulatedSeconds: Math.round(run.simulatedSeconds * 10) / 10,
    apiCalls: run.calls.total,
    apiCallsByAction: run.calls.byAction,
    stateTransitions: counts.transitions,
    retries: counts.retries,
    polls: counts.polls,
    lambdaInvocations: run.invocations.count,
    lambdaErrors: run.invocations.errors,
    wallSeconds: Math.round(run.wallSeconds * 100) / 100,
  };
}

function uniqueSuffix(): string {
  return `${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;
}

export async function provisionLocally(
  access: SimAccess,
  spec: ConnectionSpec,
  opts: RunOptions = {},
): Promise<RunReport> {
  const execName = opts.executionName ?? executionName(spec.name, 'provision', uniqueSuffix());
  const holder = opts.takeOver ? await holderNow(spec.name) : undefined;
  const run = await execute(
    access,
    'provision.asl.json',
    { spec, ...(opts.takeOver ? { takeOver: true } : {}) },
    execName,
    opts,
  );
  const deps = operatorDeps();
  const stored = await deps.registry.get(spec.name);
  const record = stored?.record;
  const { plan, tunnels } = record ? await liveTunnels(spec.name) : { plan: undefined, tunnels: [] };
  const metrics = runMetrics(run);
  const p = plan ?? (record?.topology ? planConnection(record.spec, record.topology) : undefined);
  if (p) {
    const cp = criticalPathSeconds(p, run.latencies);
    const seq = sequentialSeconds(p, run.latencies);
    metrics.criticalPathSeconds = cp.seconds;
    metrics.criticalPath = cp.path;
    metrics.ratio = Math.round((metrics.simulatedSeconds / cp.seconds) * 1000) / 1000;
    metrics.sequentialSeconds = seq;
    metrics.speedup = Math.round((seq / metrics.simulatedSeconds) * 100) / 100;
  }
  const active = run.result.status === 'SUCCEEDED' && record?.status === 'ACTIVE';
  const warnings = (
    run.events.find((e) => e.type === 'StateExited' && e.state === 'ValidateSpec')?.output as
      | { conn?: { warnings?: string[] } }
      | undefined
  )?.conn?.warnings;
  return {
    status: active ? 'ACTIVE' : 'FAILED',
    operation: 'provision',
    name: spec.name,
    topology: record?.topology,
    profile: spec.tunnels.profile,
    psk: spec.tunnels.psk,
    execution: { name: execName, status: run.result.status, error: run.result.error, cause: run.result.cause },
    secretArn: stored?.arn,
    tunnels,
    resources: record ? publicView(record).resources : undefined,
    warnings: warnings ?? [],
    metrics,
    ...(holder && run.result.error !== 'OperationInProgress' ? { replaced: holder } : {}),
  };
}

export async function teardownLocally(access: SimAccess, name: string, opts: RunOptions = {}): Promise<RunReport> {
  const execName = opts.executionName ?? executionName(name, 'teardown', uniqueSuffix());
  const holder = opts.takeOver ? await holderNow(name) : undefined;
  const run = await execute(
    access,
    'teardown.asl.json',
    { name, ...(opts.takeOver ? { takeOver: true } : {}) },
    execName,
    opts,
  );
  const record = (await operatorDeps().registry.get(name))?.record;
  return {
    status: record?.status ?? 'UNKNOWN',
    operation: 'teardown',
    name,
    execution: { name: execName, status: run.result.status, error: run.result.error, cause: run.result.cause },
    tunnels: [],
    warnings: [],
    metrics: runMetrics(run),
    ...(holder && run.result.error !== 'OperationInProgress' ? { replaced: holder } : {}),
  };
}

/** a key rotation (statemachine/rotate.asl.json) run here: the outcome, the live tunnels after it, what it cost */
export async function rotateLocally(access: SimAccess, name: string, opts: RunOptions = {}): Promise<RunReport> {
  const execName = opts.executionName ?? executionName(name, 'rotate', uniqueSuffix());
  const holder = opts.takeOver ? await holderNow(name) : undefined;
  const run = await execute(
    access,
    'rotate.asl.json',
    { name, ...(opts.takeOver ? { takeOver: true } : {}) },
    execName,
    opts,
  );
  const record = (await operatorDeps().registry.get(name))?.record;
  const { tunnels } = record ? await liveTunnels(name) : { tunnels: [] };
  return {
    status: run.result.status === 'SUCCEEDED' ? 'ROTATED' : 'FAILED',
    operation: 'rotate',
    name,
    topology: record?.topology,
    execution: { name: execName, status: run.result.status, error: run.result.error, cause: run.result.cause },
    tunnels,
    warnings: [],
    metrics: runMetrics(run),
    ...(holder && run.result.error !== 'OperationInProgress' ? { replaced: holder } : {}),
  };
}
