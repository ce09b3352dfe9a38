import { demoSpec } from '../../local/demo';
import { configureEnvironment, LOCAL_REGION, logTo, seedCredentials } from '../../local/environment';
import { lambdaInvoker, platformRunner } from '../../local/platform';
import { preloadHandlers } from '../../local/runner';
import type { Served } from '../../local/serve';
import { ensureStateMachines } from '../../local/state-machines';
import { type Simulator, startSimulator } from '../../sim';
import { awaitExecution } from '../../sim/aws/step-functions';
import type { AwsRegionState } from '../../sim/types';
import type { ConnectionSpecInput } from '../../src/spec';
import { type HttpAnswer, http, serveOn } from '../evidence/served';
import { inventory } from '../helpers/workflow';

// `vpn-bridge serve --local` on an in-process simulator whose Step Functions service runs the state machines, for
// tests that drive the HTTP API over real HTTP on loopback, plus the few looks at the simulator they need.

export interface ServedWorld {
  sim: Simulator;
  served: Served;
  logs: string[];
}

export function useServedWorld(timeScale: number): () => ServedWorld {
  let world: ServedWorld | undefined;
  beforeAll(async () => {
    const logs: string[] = [];
    logTo(logs);
    preloadHandlers();
    const sim = await startSimulator({
      timeScale,
      sfnRunner: platformRunner(
        () => timeScale,
        () => undefined,
      ),
      lambdaInvoker: lambdaInvoker(),
      log: () => undefined,
    });
    configureEnvironment(sim.url);
    await seedCredentials(sim.url);
    world = { sim, served: await serveOn(sim, timeScale), logs };
  });
  afterAll(async () => {
    if (world) await settle(world);
    await world?.served.stop();
    await world?.sim.stop();
  });
  return () => {
    if (!world) throw new Error('served world not started');
    return world;
  };
}

/** every running execution closed */
export async function settle(w: ServedWorld): Promise<void> {
  for (;;) {
    const running = Object.values(w.sim.ctx.state.aws.executions).filter((x) => x.status === 'RUNNING');
    if (running.length === 0) return;
    await Promise.all(running.map((x) => awaitExecution(w.sim.ctx, x.executionArn)));
  }
}

/** back to the seeded world: no connections, no executions, no faults */
export async function freshWorld(w: ServedWorld): Promise<void> {
  await settle(w);
  w.sim.reset();
  await seedCredentials(w.sim.url);
  await ensureStateMachines(w.sim.url);
}

export function api(w: ServedWorld, method: string, path: string, json?: unknown): Promise<HttpAnswer> {
  return http(w.served.url, method, path, json === undefined ? {} : { json });
}

export const body = (a: HttpAnswer) => (a.json ?? {}) as Record<string, unknown>;

export async function finished(w: ServedWorld, arn: unknown): Promise<string> {
  return (await awaitExecution(w.sim.ctx, String(arn))).status;
}

/** add a fault rule (or, without one, remove them all) */
export async function fault(w: ServedWorld, rule?: Record<string, unknown>): Promise<void> {
  const res = await fetch(
    `${w.sim.url}/_sim/faults`,
    rule ? { method: 'POST', body: JSON.stringify(rule) } : { method: 'DELETE' },
  );
  if (!res.ok) throw new Error(`fault: ${res.status} ${await res.text()}`);
}

export function articleSpec(w: ServedWorld, name: string): Promise<ConnectionSpecInput> {
  return demoSpec(w.sim.url, { name, alibabaRegion: 'eu-central-1', profile: 'recommended', psk: 'from-aws-config' });
}

export function awsRegion(w: ServedWorld): AwsRegionState {
  const r = w.sim.ctx.state.aws.regions[LOCAL_REGION];
  if (!r) throw new Error('no seeded AWS region');
  return r;
}

/** every route in any AWS route table to a VGW that does not exist (any more): what blocks a later provisioning */
export function orphanRoutes(w: ServedWorld): string[] {
  const region = awsRegion(w);
  return Object.values(region.routeTables).flatMap((t) =>
    t.Routes.filter((r) => {
      if (!r.GatewayId?.startsWith('vgw-')) return false;
      const vgw = region.vpnGateways[r.GatewayId];
      return !vgw || vgw.State === 'deleted';
    }).map((r) => `${t.RouteTableId} ${r.DestinationCidrBlock} -> ${r.GatewayId}`),
  );
}

export type Inventory = ReturnType<typeof inventory>;

/** nothing of any connection on either cloud, and no live record */
export function nothingLeft(w: ServedWorld): boolean {
  return Object.values(inventory(w.sim)).every((n) => n === 0);
}
