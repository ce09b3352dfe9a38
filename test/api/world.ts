import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { demoSpec } from '../../local/demo';
import { configureEnvironment, LOCAL_REGION, logTo, seedCredentials } from '../../local/environment';
import { PROJECT_ROOT, preloadHandlers } from '../../local/runner';
import { localSfnRunner } from '../../local/sfn-runner';
import { ensureStateMachines, type MachineKey } from '../../local/state-machines';
import { type Simulator, startSimulator } from '../../sim';
import { awaitExecution } from '../../sim/aws/step-functions';
import { httpApiEvent } from '../../src/api/routes';
import type { ConnectionSpecInput } from '../../src/spec';

// An in-process simulator whose Step Functions service runs the product's state machines (the local
// runner), with this process's handlers pointed at it, for driving the API / chat / notify handlers with
// synthetic events.

export interface ApiWorld {
  sim: Simulator;
  url: string;
  logs: string[];
  machines: Record<string, string>;
  sfn: SFNClient;
  /** executions the runner finished, in order (what EventBridge would announce) */
  finished: Array<{ executionArn: string; status: string; error?: string; cause?: string }>;
}

export const TIME_SCALE = 1000;

export function machineKeys(): MachineKey[] {
  // the drift machine is optional while it is being written
  return existsSync(join(PROJECT_ROOT, 'statemachine', 'drift-check.asl.json'))
    ? ['provision', 'teardown', 'drift']
    : ['provision', 'teardown'];
}

export function useApiWorld(
  opts: {
    onFinished?: (w: ApiWorld, executionArn: string, r: { status: string; error?: string; cause?: string }) => void;
  } = {},
): () => ApiWorld {
  let world: ApiWorld | undefined;
  beforeAll(async () => {
    const logs: string[] = [];
    logTo(logs);
    preloadHandlers();
    const finished: ApiWorld['finished'] = [];
    const sim = await startSimulator({
      timeScale: TIME_SCALE,
      sfnRunner: localSfnRunner({
        timeScale: () => TIME_SCALE,
        onFinished: (executionArn, r) => {
          finished.push({ executionArn, status: r.status, error: r.error, cause: r.cause });
          if (world) opts.onFinished?.(world, executionArn, r);
        },
      }),
    });
    configureEnvironment(sim.url);
    await seedCredentials(sim.url);
    const machines = await ensureStateMachines(sim.url, machineKeys());
    const sfn = new SFNClient({
      endpoint: sim.url,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
    world = { sim, url: sim.url, logs, machines, sfn, finished };
  });
  afterAll(async () => {
    world?.sfn.destroy();
    await world?.sim.stop();
  });
  return () => {
    if (!world) throw new Error('world not started');
    return world;
  };
}

/** the seeded world again, with the credentials secret and the state machines */
export async function freshWorld(w: ApiWorld): Promise<void> {
  await settle(w);
  w.sim.reset();
  await seedCredentials(w.url);
  w.machines = await ensureStateMachines(w.url, machineKeys());
}

/** wait for every running execution to close */
export async function settle(w: ApiWorld): Promise<void> {
  const running = Object.values(w.sim.ctx.state.aws.executions).filter((x) => x.status === 'RUNNING');
  await Promise.all(running.map((x) => awaitExecution(w.sim.ctx, x.executionArn)));
}

export async function executionsOf(
  w: ApiWorld,
  machine: string,
): Promise<Array<{ name: string; status: string; arn: string }>> {
  const arn = w.machines[machine];
  if (!arn) return [];
  const r = await w.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
  return (r.executions ?? []).map((x) => ({ name: x.name ?? '', status: x.status ?? '', arn: x.executionArn ?? '' }));
}

export async function articleSpec(w: ApiWorld, name: string): Promise<ConnectionSpecInput> {
  return demoSpec(w.url, { name, alibabaRegion: 'eu-central-1', profile: 'recommended', psk: 'from-aws-config' });
}

let requestCounter = 0;

/** a synthetic API Gateway HTTP API (payload 2.0) event */
export function apiEvent(o: {
  method: string;
  route: string;
  path: string;
  pathParameters?: Record<string, string>;
  body?: string | Buffer;
  headers?: Record<string, string>;
  json?: unknown;
}): APIGatewayProxyEventV2 {
  const body =
    o.json !== undefined
      ? Buffer.from(JSON.stringify(o.json))
      : o.body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(o.body);
  const headers = { ...(o.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(o.headers ?? {}) };
  requestCounter += 1;
  return httpApiEvent({
    method: o.method,
    path: o.path,
    headers,
    body,
    route: { method: o.method, path: o.route },
    pathParameters: o.pathParameters ?? {},
    requestId: `test-${requestCounter}`,
  });
}

export interface Parsed<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
}

export function parse<T = Record<string, unknown>>(r: APIGatewayProxyStructuredResultV2): Parsed<T> {
  const text = r.body ?? '';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  return { status: r.statusCode ?? 200, headers, body: (text ? JSON.parse(text) : undefined) as T, text };
}
