import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { configureEnvironment, logTo, seedCredentials } from '../../local/environment';
import { localSfnRunner } from '../../local/sfn-runner';
import { ensureStateMachines } from '../../local/state-machines';
import { type Simulator, startSimulator } from '../../sim';
import { awaitExecution } from '../../sim/aws/step-functions';
import type { SfnExecution } from '../../sim/types';
import type { ConnectionSpecInput } from '../../src/spec';

// The drift workflow tests' world: an in-process simulator whose Step Functions service runs our ASL with the
// local runner, the handlers pointed at it through the environment (as a deployed Lambda is configured), and
// the three state machines created from statemachine/*.asl.json. Executions start through the real SFN client.

export interface DriftWorld {
  sim: Simulator;
  url: string;
  sfn: SFNClient;
  arns: Record<string, string>;
  logs: string[];
  timeScale: number;
}

export function useDriftWorld(timeScale = 1000): () => DriftWorld {
  let world: DriftWorld | undefined;
  beforeAll(async () => {
    const logs: string[] = [];
    logTo(logs);
    const sim = await startSimulator({ timeScale, sfnRunner: localSfnRunner({ timeScale: () => timeScale }) });
    configureEnvironment(sim.url);
    await seedCredentials(sim.url);
    const arns = await ensureStateMachines(sim.url);
    const sfn = new SFNClient({ endpoint: sim.url, region: 'us-east-1' });
    world = { sim, url: sim.url, sfn, arns, logs, timeScale };
  });
  afterAll(async () => {
    world?.sfn.destroy();
    await world?.sim.stop();
  });
  return () => {
    if (!world) throw new Error('drift world not started');
    return world;
  };
}

let seq = 0;

/** StartExecution through the SDK, then wait for the simulator to close the execution */
export async function execute(w: DriftWorld, machine: 'provision' | 'teardown' | 'drift', input: unknown) {
  const arn = w.arns[machine];
  if (!arn) throw new Error(`no ${machine} state machine`);
  const started = await w.sfn.send(
    new StartExecutionCommand({ stateMachineArn: arn, name: `${machine}-${++seq}`, input: JSON.stringify(input) }),
  );
  const done: SfnExecution = await awaitExecution(w.sim.ctx, started.executionArn ?? '');
  const described = await w.sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }));
  return { execution: done, described };
}

export async function provisionConnection(w: DriftWorld, spec: ConnectionSpecInput): Promise<void> {
  const { execution } = await execute(w, 'provision', { spec });
  if (execution.status !== 'SUCCEEDED')
    throw new Error(`provisioning ${spec.name} ${execution.status}: ${execution.error}: ${execution.cause}`);
}

/** simulator request counters (GET /_sim/metrics) */
export interface Counters {
  [service: string]: Record<string, number>;
}

export async function counters(w: DriftWorld): Promise<Counters> {
  const res = await fetch(`${w.url}/_sim/metrics`);
  const m = (await res.json()) as { requests: Record<string, Record<string, { count: number }>> };
  const out: Counters = {};
  for (const [svc, actions] of Object.entries(m.requests))
    out[svc] = Object.fromEntries(Object.entries(actions).map(([a, c]) => [a, c.count]));
  return out;
}

/** calls per service:action made between two counter snapshots */
export function delta(before: Counters, after: Counters): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [svc, actions] of Object.entries(after))
    for (const [a, n] of Object.entries(actions)) {
      const d = n - (before[svc]?.[a] ?? 0);
      if (d > 0) out[`${svc}:${a}`] = d;
    }
  return out;
}

export async function admin<T>(w: DriftWorld, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${w.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** back to the seeded world: resources, secrets and state machines (the handlers' credentials secret too) */
export async function resetWorld(w: DriftWorld): Promise<void> {
  w.sim.reset();
  await seedCredentials(w.url);
  w.arns = await ensureStateMachines(w.url);
}
