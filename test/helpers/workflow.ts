import { demoSpec } from '../../local/demo';
import { connectSimulator, logTo, type SimAccess, seedCredentials } from '../../local/environment';
import { provisionLocally, type RunReport, teardownLocally } from '../../local/operations';
import { preloadHandlers, type RunEvent } from '../../local/runner';
import type { Simulator } from '../../sim';
import { type ConnectionSpec, parseSpec } from '../../src/spec';

// A simulator in this test file's process with the product's handlers pointed at it (the way the CLI's
// --local mode runs), plus helpers to look at what exists in both clouds.

export interface LocalWorld {
  access: SimAccess;
  sim: Simulator;
  /** every structured log line the handlers wrote */
  logs: string[];
}

export function useLocalWorld(timeScale = 500): () => LocalWorld {
  let world: LocalWorld | undefined;
  beforeAll(async () => {
    const logs: string[] = [];
    logTo(logs);
    preloadHandlers();
    const access = await connectSimulator({ timeScale });
    if (!access.sim) throw new Error('expected an in-process simulator');
    world = { access, sim: access.sim, logs };
  });
  afterAll(async () => {
    await world?.access.stop();
  });
  return () => {
    if (!world) throw new Error('local world not started');
    return world;
  };
}

/** back to the seeded world (and the Alibaba credentials secret the handlers read) */
export async function freshWorld(w: LocalWorld): Promise<void> {
  w.sim.reset();
  await seedCredentials(w.access.url);
}

export async function spec(
  w: LocalWorld,
  opts: {
    alibabaRegion?: string;
    profile?: 'recommended' | 'article-2018';
    psk?: 'from-aws-config' | 'generated';
    onFailure?: 'keep' | 'rollback';
    name?: string;
  } = {},
): Promise<ConnectionSpec> {
  const input = await demoSpec(w.access.url, {
    alibabaRegion: opts.alibabaRegion ?? 'eu-central-1',
    profile: opts.profile ?? 'recommended',
    psk: opts.psk ?? 'from-aws-config',
    onFailure: opts.onFailure,
    name: opts.name,
  });
  const parsed = parseSpec(input);
  if (!parsed.ok) throw new Error(`demo spec invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.spec;
}

export async function provision(w: LocalWorld, s: ConnectionSpec, events?: RunEvent[]): Promise<RunReport> {
  return provisionLocally(w.access, s, { onEvent: events ? (e) => events.push(e) : undefined });
}

export async function teardown(w: LocalWorld, name: string, events?: RunEvent[]): Promise<RunReport> {
  return teardownLocally(w.access, name, { onEvent: events ? (e) => events.push(e) : undefined });
}

/** resources that exist (not deleted) in both clouds, beyond the seeded world */
export function inventory(sim: Simulator) {
  const st = sim.ctx.state;
  const aws = Object.values(st.aws.regions);
  const live = <T extends { State: string }>(xs: T[]) => xs.filter((x) => x.State !== 'deleted');
  const ali = Object.values(st.alibaba.regions);
  return {
    awsVpnGateways: aws.flatMap((r) => live(Object.values(r.vpnGateways))).length,
    awsCustomerGateways: aws.flatMap((r) => live(Object.values(r.customerGateways))).length,
    awsVpnConnections: aws.flatMap((r) => live(Object.values(r.vpnConnections))).length,
    awsVpnStaticRoutes: aws.flatMap((r) =>
      live(Object.values(r.vpnConnections)).flatMap((c) => c.Routes.filter((x) => x.State !== 'deleted')),
    ).length,
    awsVgwRoutes: aws.flatMap((r) =>
      Object.values(r.routeTables).flatMap((t) => t.Routes.filter((x) => x.GatewayId?.startsWith('vgw-'))),
    ).length,
    alibabaVpnGateways: ali.flatMap((r) => Object.values(r.vpnGateways)).length,
    alibabaCustomerGateways: ali.flatMap((r) => Object.values(r.customerGateways)).length,
    alibabaConnections: ali.flatMap((r) => Object.values(r.vpnConnections)).length,
    alibabaVpnRoutes: ali.flatMap((r) => r.vpnRouteEntries).length,
    alibabaVpcRoutes: ali.flatMap((r) => Object.values(r.routeEntries).filter((e) => e.NextHopType === 'VpnGateway'))
      .length,
    awsAlarms: Object.values(st.aws.alarms ?? {}).flatMap((r) => Object.keys(r)).length,
    secrets: Object.values(st.aws.secrets)
      .flatMap((r) => Object.values(r))
      .filter((s) => s.Name.startsWith('vpn-bridge/') && !s.DeletedDate).length,
  };
}

/** every pre-shared key either cloud holds */
export function allPsks(sim: Simulator): string[] {
  const st = sim.ctx.state;
  const keys = new Set<string>();
  for (const r of Object.values(st.aws.regions))
    for (const c of Object.values(r.vpnConnections)) for (const t of c.TunnelOptions) keys.add(t.PreSharedKey);
  for (const r of Object.values(st.alibaba.regions))
    for (const c of Object.values(r.vpnConnections)) for (const t of c.Tunnels) keys.add(t.TunnelIkeConfig.Psk);
  return [...keys].filter(Boolean);
}

/** where a PSK shows up in a text (empty = nowhere) */
export function leaks(psks: string[], text: string): string[] {
  return psks.filter((k) => text.includes(k));
}
