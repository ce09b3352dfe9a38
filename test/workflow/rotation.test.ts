import { rotateLocally } from '../../local/operations';
import { operatorDeps } from '../../local/operator';
import type { Simulator } from '../../sim';
import { TAG_CONNECTION, TAG_ROLE } from '../../src/plan/naming';
import {
  alibabaSetTunnelKey,
  awsSetTunnelKey,
  rotateFailed,
  rotateStart,
  waitTunnelKey,
} from '../../src/workflow/rotate';
import { userTransitGateway } from '../helpers/transit-gateway';
import { freshWorld, type LocalWorld, leaks, provision, spec, useLocalWorld } from '../helpers/workflow';

// Key rotation without downtime, through the real SDK clients against the simulator: the rotation state machine
// run locally, one used tunnel at a time (the standby first). The tunnel states are sampled on the simulated clock
// at every instant the simulator changes anything (its tick hooks), and at every sample at least one used tunnel is
// UP on both clouds.

const world = useLocalWorld(200);
beforeEach(async () => freshWorld(world()));

interface UsedTunnel {
  id: string;
  vpnConnectionId: string;
  index: number;
}

/** the used AWS tunnels of a connection (plan ids), from the simulator's state */
function usedTunnels(sim: Simulator, name: string, topology: string): UsedTunnel[] {
  const conns = Object.values(sim.ctx.state.aws.regions).flatMap((r) =>
    Object.values(r.vpnConnections).filter(
      (c) => c.State !== 'deleted' && c.Tags?.some((t) => t.Key === TAG_CONNECTION && t.Value === name),
    ),
  );
  const role = (c: (typeof conns)[number]) => c.Tags?.find((t) => t.Key === TAG_ROLE)?.Value ?? '?';
  return conns.flatMap((c) =>
    (topology === 'single-tunnel' ? [0, 1] : [0]).map((index) => ({
      id: `${role(c)}/${index + 1}`,
      vpnConnectionId: c.VpnConnectionId,
      index,
    })),
  );
}

function vpnConnectionOf(sim: Simulator, id: string) {
  return Object.values(sim.ctx.state.aws.regions)
    .map((r) => r.vpnConnections[id])
    .find(Boolean);
}

interface TunnelNow {
  up: boolean;
  awsKey: string;
  alibabaKey: string;
}

/** one used tunnel as both clouds hold it now: UP on both sides, and each side's key */
function tunnelNow(sim: Simulator, t: UsedTunnel): TunnelNow {
  const conn = Object.values(sim.ctx.state.aws.regions)
    .map((r) => r.vpnConnections[t.vpnConnectionId])
    .find(Boolean);
  const opts = conn?.TunnelOptions[t.index];
  const ali = Object.values(sim.ctx.state.alibaba.regions).flatMap((r) =>
    Object.values(r.vpnConnections).flatMap((c) =>
      c.Tunnels.filter((x) => r.customerGateways[x.CustomerGatewayId]?.IpAddress === opts?.OutsideIpAddress),
    ),
  )[0];
  return {
    up: conn?.VgwTelemetry[t.index]?.Status === 'UP' && ali?.Status === 'ipsec_sa_established',
    awsKey: opts?.PreSharedKey ?? '',
    alibabaKey: ali?.TunnelIkeConfig.Psk ?? '',
  };
}

interface Sample {
  at: number;
  up: Record<string, boolean>;
  awsKeys: Record<string, string>;
}

/** sample every used tunnel at every simulated instant the simulator acts on; returns the samples and a stop */
function sampleTunnels(sim: Simulator, tunnels: UsedTunnel[]): { samples: Sample[]; stop: () => void } {
  const samples: Sample[] = [];
  const hook = (at: number) => {
    const now = tunnels.map((t) => [t.id, tunnelNow(sim, t)] as const);
    samples.push({
      at,
      up: Object.fromEntries(now.map(([id, n]) => [id, n.up])),
      awsKeys: Object.fromEntries(now.map(([id, n]) => [id, n.awsKey])),
    });
  };
  // after the negotiation's own hook: the states it just computed
  sim.ctx.tickHooks.push(hook);
  return { samples, stop: () => sim.ctx.tickHooks.splice(sim.ctx.tickHooks.indexOf(hook), 1) };
}

/** the tunnel ids in the order their AWS key first changed */
function changeOrder(samples: Sample[], before: Record<string, string>): string[] {
  const order: string[] = [];
  for (const s of samples)
    for (const [id, key] of Object.entries(s.awsKeys)) if (key !== before[id] && !order.includes(id)) order.push(id);
  return order;
}

async function provisioned(w: LocalWorld, alibabaRegion: string, name: string, onTgw = false) {
  const s = await spec(w, { alibabaRegion, name });
  // through the user's transit gateway (aws.attach.transitGateway), made here through the SDK
  const attach = onTgw ? await tgwAttach(w, s.aws.vpcId) : undefined;
  const report = await provision(w, attach ? { ...s, aws: { ...s.aws, attach } } : s);
  if (report.status !== 'ACTIVE') throw new Error(`provisioning failed: ${report.execution.cause}`);
  const topology = report.topology ?? '?';
  const tunnels = usedTunnels(w.sim, name, topology);
  const on = tunnels.map((t) => vpnConnectionOf(w.sim, t.vpnConnectionId)?.TransitGatewayId);
  if (attach && on.some((id) => id !== attach.transitGateway))
    throw new Error(`expected the VPN connections on ${attach.transitGateway}, got ${on.join(', ')}`);
  const before = Object.fromEntries(tunnels.map((t) => [t.id, tunnelNow(w.sim, t).awsKey]));
  return { topology, tunnels, before };
}

async function tgwAttach(w: LocalWorld, vpcId: string) {
  const tgw = await userTransitGateway(w.sim, vpcId);
  return { transitGateway: tgw.transitGatewayId, routeTableId: tgw.routeTableId, vpcRoutes: true };
}

describe.each([
  ['dual-tunnel', '', 'eu-central-1', 'vpn-2/1', 'vpn-1/1'],
  ['single-tunnel', '', 'me-east-1', 'vpn-1/2', 'vpn-1/1'],
  ['dual-tunnel', ' through a transit gateway', 'eu-central-1', 'vpn-2/1', 'vpn-1/1'],
])('a %s connection%s', (topology, through, alibabaRegion, standby, active) => {
  it('rotates the standby tunnel, then the active one, with a used tunnel UP at every sample, and ends on the new keys only', async () => {
    // Prepare
    const w = world();
    const name = `rot-${topology.slice(0, 4)}${through ? '-tgw' : ''}`;
    const p = await provisioned(w, alibabaRegion, name, through !== '');
    const sampler = sampleTunnels(w.sim, p.tunnels);

    // Act
    let report: Awaited<ReturnType<typeof rotateLocally>>;
    try {
      report = await rotateLocally(w.access, name);
    } finally {
      sampler.stop();
    }
    const after = Object.fromEntries(p.tunnels.map((t) => [t.id, tunnelNow(w.sim, t)]));
    const stored = await operatorDeps().registry.require(name);
    const recordText = JSON.stringify(stored.record);

    // Assert
    expect(p.topology).toBe(topology);
    expect(report.execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(report.status).toBe('ROTATED');
    const blackout = sampler.samples.filter((s) => !Object.values(s.up).some(Boolean));
    expect(sampler.samples.length).toBeGreaterThan(20);
    expect(blackout).toEqual([]);
    // the samples saw each used tunnel go down for its replacement (the sampler can see an outage)
    for (const t of p.tunnels) expect(sampler.samples.some((s) => s.up[t.id] === false)).toBe(true);
    expect(changeOrder(sampler.samples, p.before)).toEqual([standby, active]);
    for (const t of p.tunnels) {
      const now = after[t.id];
      expect(now?.up).toBe(true);
      expect(now?.awsKey).not.toBe(p.before[t.id]);
      expect(now?.alibabaKey).toBe(now?.awsKey);
      expect(stored.record.handoffs.awsTunnels[t.id]?.psk).toBe(now?.awsKey);
    }
    expect(leaks(Object.values(p.before), recordText)).toEqual([]);
    expect(stored.record.handoffs.rotation).toBeUndefined();
    expect(stored.record.lastRotation).toMatchObject({ result: 'SUCCEEDED', tunnels: [standby, active] });
    expect(stored.record.status).toBe('ACTIVE');
    expect(stored.record.operation).toMatchObject({ kind: 'rotate', result: 'SUCCEEDED' });
    const keys = [...Object.values(p.before), ...Object.values(after).map((a) => a.awsKey)];
    expect(leaks(keys, w.logs.join('\n'))).toEqual([]);
    expect(leaks(keys, JSON.stringify(report))).toEqual([]);
  });
});

describe('a tunnel that does not come back with its new key', () => {
  it('is set back to its previous key on both clouds, ends UP, and the rotation fails saying which tunnel', async () => {
    // Prepare: the standby tunnel (rotated first) stays down for as long as AWS holds another key than its own
    const w = world();
    const name = 'rot-back';
    const p = await provisioned(w, 'eu-central-1', name);
    const standby = p.tunnels.find((t) => t.id === 'vpn-2/1');
    if (!standby) throw new Error('no standby tunnel');
    const key = `aws:${standby.vpnConnectionId}:${standby.index + 1}`;
    const breaker = () => {
      if (tunnelNow(w.sim, standby).awsKey !== p.before[standby.id]) w.sim.ctx.state.forcedDown[key] = true;
      else delete w.sim.ctx.state.forcedDown[key];
    };
    w.sim.ctx.tickHooks.unshift(breaker);
    const sampler = sampleTunnels(w.sim, p.tunnels);

    // Act
    let report: Awaited<ReturnType<typeof rotateLocally>>;
    try {
      report = await rotateLocally(w.access, name);
    } finally {
      sampler.stop();
      w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(breaker), 1);
    }
    const after = Object.fromEntries(p.tunnels.map((t) => [t.id, tunnelNow(w.sim, t)]));
    const stored = await operatorDeps().registry.require(name);

    // Assert
    expect(report.execution).toMatchObject({ status: 'FAILED', error: 'RotationRolledBack' });
    expect(report.execution.cause).toContain('tunnel vpn-2/1 did not come back UP with its new key');
    expect(sampler.samples.filter((s) => !Object.values(s.up).some(Boolean))).toEqual([]);
    // the standby was changed and then set back; the active one was never touched
    expect(changeOrder(sampler.samples, p.before)).toEqual(['vpn-2/1']);
    for (const t of p.tunnels) {
      expect(after[t.id]).toEqual({ up: true, awsKey: p.before[t.id], alibabaKey: p.before[t.id] });
      expect(stored.record.handoffs.awsTunnels[t.id]?.psk).toBe(p.before[t.id]);
    }
    expect(stored.record.handoffs.rotation).toBeUndefined();
    expect(stored.record.lastRotation).toMatchObject({ result: 'FAILED', tunnels: [] });
    expect(stored.record.operation).toMatchObject({ kind: 'rotate', result: 'FAILED' });
    expect(stored.record.status).toBe('ACTIVE');
    expect(leaks(Object.values(p.before), w.logs.join('\n'))).toEqual([]);
  });
});

describe('a rotation whose lock was taken over', () => {
  it('does not record the new key of a tunnel that came UP, and fails with LockLost; the holder records it', async () => {
    // Prepare: rotation rot-a changed the standby's key on both clouds, then rot-b took the connection over
    const w = world();
    const name = 'rot-lost';
    const p = await provisioned(w, 'eu-central-1', name);
    const deps = operatorDeps();
    await rotateStart(deps, { name, executionName: 'rot-a' });
    const ref = { name, tunnel: 'vpn-2/1', key: 'next' as const };
    await alibabaSetTunnelKey(deps, ref);
    await awsSetTunnelKey(deps, ref);
    await rotateStart(deps, { name, executionName: 'rot-b', takeOver: true });
    const upThen = async (executionName: string) => {
      for (let i = 0; i < 2000; i++) {
        try {
          return await waitTunnelKey(deps, { ...ref, executionName });
        } catch (e) {
          if ((e as Error).name !== 'NotReady') throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      throw new Error('the standby tunnel did not come UP');
    };

    // Act
    const stale = await upThen('rot-a').catch((e: Error) => e);
    const afterStale = (await deps.registry.require(name)).record;
    const holder = await upThen('rot-b');
    const afterHolder = (await deps.registry.require(name)).record;

    // Assert
    expect(stale).toMatchObject({ name: 'LockLost' });
    expect((stale as Error).message).toContain(
      "rotation rot-a no longer holds the connection; tunnel vpn-2/1's new key",
    );
    expect(afterStale.handoffs.awsTunnels['vpn-2/1']?.psk).toBe(p.before['vpn-2/1']);
    expect(afterStale.handoffs.rotation?.['vpn-2/1']?.done).toBeUndefined();
    expect(holder).toEqual({ up: true });
    expect(afterHolder.handoffs.rotation?.['vpn-2/1']?.done).toBe(true);
    expect(afterHolder.handoffs.awsTunnels['vpn-2/1']?.psk).not.toBe(p.before['vpn-2/1']);
  });
});

describe('a rotation whose transit gateway routes could not be moved off the active connection', () => {
  it('fails saying the active tunnel was not changed and the standby rotated', async () => {
    // Prepare: the standby rotated (its key recorded), then RotateSteerAway was refused
    const w = world();
    const name = 'rot-steer';
    await provisioned(w, 'eu-central-1', name);
    const deps = operatorDeps();
    await rotateStart(deps, { name, executionName: 'rot-s' });
    await deps.registry.update(name, (r) => {
      const k = r.handoffs.rotation?.['vpn-2/1'];
      const h = r.handoffs.awsTunnels['vpn-2/1'];
      if (k && h) {
        h.psk = k.next;
        k.done = true;
      }
      return r;
    });
    const message = 'cannot move the transit gateway routes off vpn-1: vpn-2 is DOWN';

    // Act
    const out = await rotateFailed(deps, {
      name,
      executionName: 'rot-s',
      error: { Error: 'SteerRefused', Cause: JSON.stringify({ errorMessage: message }) },
    });
    const stored = (await deps.registry.require(name)).record;

    // Assert
    expect(out.error).toBe('SteerRefused');
    expect(out.cause).toBe(
      `the transit gateway routes could not be moved off tunnel vpn-1/1's VPN connection before its key change (${message}); tunnel vpn-1/1 was not changed; vpn-2/1 rotated`,
    );
    expect(stored.lastRotation).toMatchObject({ result: 'FAILED', tunnels: ['vpn-2/1'] });
    expect(stored.handoffs.rotation).toBeUndefined();
    expect(stored.operation).toMatchObject({ kind: 'rotate', result: 'FAILED' });
  });
});
