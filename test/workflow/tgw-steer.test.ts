import { ReplaceTransitGatewayRouteCommand } from '@aws-sdk/client-ec2';
import { rotateLocally } from '../../local/operations';
import { operatorDeps } from '../../local/operator';
import { lambdaHandlers } from '../../local/runner';
import type { Simulator } from '../../sim';
import { TAG_CONNECTION, TAG_ROLE } from '../../src/plan/naming';
import type { FailoverRun } from '../../src/workflow/tgw-failover';
import { clientsFor } from '../helpers/sim';
import { routedTunnel, type UserTgw, until, userTransitGateway } from '../helpers/transit-gateway';
import { freshWorld, type LocalWorld, provision, spec, useLocalWorld } from '../helpers/workflow';

// The transit gateway routes of a dual-tunnel connection follow its used tunnels (issue 11): a table holds one
// static route per CIDR, so vpn-bridge points it at the VPN connection whose used tunnel is UP, the active one
// (vpn-1) by preference. The rotation moves it off the active connection while that one's endpoint is replaced and
// back afterwards; the failover watcher (a scheduled Lambda, run here through the local Lambda host) moves it when a
// tunnel goes DOWN or comes back. Through the real SDK clients against the simulator.

const world = useLocalWorld(200);

interface Conn {
  name: string;
  cidr: string;
  tgw: UserTgw;
  /** VPN connection id by role */
  vpn: Record<string, string>;
  /** VPN attachment id by role */
  attachment: Record<string, string>;
}

function region(sim: Simulator) {
  const r = sim.ctx.state.aws.regions['us-east-1'];
  if (!r) throw new Error('no us-east-1');
  return r;
}

async function provisioned(w: LocalWorld, name: string): Promise<Conn> {
  await freshWorld(w);
  const s = await spec(w, { alibabaRegion: 'eu-central-1', name });
  const tgw = await userTransitGateway(w.sim, s.aws.vpcId);
  const attach = { transitGateway: tgw.transitGatewayId, routeTableId: tgw.routeTableId, vpcRoutes: true };
  const report = await provision(w, { ...s, aws: { ...s.aws, attach } });
  if (report.status !== 'ACTIVE' || report.topology !== 'dual-tunnel')
    throw new Error(`provisioning: ${report.status} ${report.topology} ${report.execution.cause}`);
  const r = region(w.sim);
  const vpn: Record<string, string> = {};
  for (const c of Object.values(r.vpnConnections))
    if (c.State !== 'deleted' && c.Tags?.some((t) => t.Key === TAG_CONNECTION && t.Value === name))
      vpn[c.Tags.find((t) => t.Key === TAG_ROLE)?.Value ?? '?'] = c.VpnConnectionId;
  const attachment: Record<string, string> = {};
  for (const [role, id] of Object.entries(vpn)) {
    const a = Object.values(r.tgwAttachments).find((x) => x.ResourceId === id && x.State !== 'deleted');
    if (a) attachment[role] = a.TransitGatewayAttachmentId;
  }
  return { name, cidr: s.alibaba.cidrs?.[0] ?? s.alibaba.cidr ?? '', tgw, vpn, attachment };
}

/** the role whose attachment the table routes the Alibaba CIDR to now ('-' for none or another) */
const routedRole = (sim: Simulator, c: Conn) => routedTunnel(sim, c.name, c.tgw, c.cidr).role;

/** the routed VPN connection's used tunnel (tunnel 1 in the dual topology) is UP on both clouds */
const routedTunnelUp = (sim: Simulator, c: Conn) => routedTunnel(sim, c.name, c.tgw, c.cidr).up;

async function awsTunnel(w: LocalWorld, c: Conn, role: string, to: 'down' | 'up'): Promise<void> {
  const res = await fetch(`${w.access.url}/_sim/tunnels/${to}`, {
    method: 'POST',
    body: JSON.stringify({ cloud: 'aws', vpnConnectionId: c.vpn[role], tunnel: 1 }),
  });
  if (!res.ok) throw new Error(`tunnel ${to}: ${res.status} ${await res.text()}`);
  const want = to === 'down' ? 'DOWN' : 'UP';
  // (the simulator computes tunnel states when something looks: tick it, as a describe would)
  await until(`${role} ${want}`, async () => {
    w.sim.ctx.tick();
    return region(w.sim).vpnConnections[c.vpn[role] ?? '']?.VgwTelemetry[0]?.Status === want;
  });
}

async function watch(): Promise<FailoverRun> {
  const fn = lambdaHandlers().tgwFailover;
  if (!fn) throw new Error('no tgwFailover in serverless.yml');
  return (await fn({ source: 'aws.events', 'detail-type': 'Scheduled Event' })) as FailoverRun;
}

const counts = (r: FailoverRun) => ({ checked: r.checked, switched: r.switched, skipped: r.skipped, failed: r.failed });

describe('a dual-tunnel connection through a transit gateway', () => {
  it('keeps the routed tunnel UP at every sample of a key rotation, and ends routed to vpn-1', async () => {
    // Prepare
    const w = world();
    const c = await provisioned(w, 'steer-rot');
    const samples: Array<{ at: number; role: string; up: boolean }> = [];
    const hook = (at: number) => samples.push({ at, role: routedRole(w.sim, c), up: routedTunnelUp(w.sim, c) });
    w.sim.ctx.tickHooks.push(hook);

    // Act
    let report: Awaited<ReturnType<typeof rotateLocally>>;
    try {
      report = await rotateLocally(w.access, c.name);
    } finally {
      w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(hook), 1);
    }

    // Assert
    expect(report.execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.filter((s) => !s.up)).toEqual([]);
    // the routes went to vpn-2 while vpn-1 was replaced, then back
    const roles = samples.map((s) => s.role).filter((r, i, all) => i === 0 || all[i - 1] !== r);
    expect(roles).toEqual(['vpn-1', 'vpn-2', 'vpn-1']);
    expect(routedRole(w.sim, c)).toBe('vpn-1');
    expect(w.logs.some((l) => l.includes('transit gateway routes switched'))).toBe(true);
  });

  it('fails over to vpn-2 when vpn-1 goes DOWN, back when it is UP again, changes nothing when nothing changed, and skips a held connection', async () => {
    // Prepare
    const w = world();
    const c = await provisioned(w, 'steer-fo');
    const registry = operatorDeps().registry;

    // Act + Assert: vpn-1 DOWN -> vpn-2
    await awsTunnel(w, c, 'vpn-1', 'down');
    const down = await watch();
    expect(counts(down)).toEqual({ checked: 1, switched: 1, skipped: 0, failed: 0 });
    expect(down.switches).toEqual([{ name: c.name, to: 'vpn-2', destinations: [c.cidr] }]);
    expect(routedRole(w.sim, c)).toBe('vpn-2');
    expect(routedTunnelUp(w.sim, c)).toBe(true);

    // vpn-1 UP again -> back to vpn-1
    await awsTunnel(w, c, 'vpn-1', 'up');
    const up = await watch();
    expect(counts(up)).toEqual({ checked: 1, switched: 1, skipped: 0, failed: 0 });
    expect(routedRole(w.sim, c)).toBe('vpn-1');

    // nothing changed: nothing switched
    expect(counts(await watch())).toEqual({ checked: 1, switched: 0, skipped: 0, failed: 0 });

    // an operation holds the connection (a rotation steers itself): skipped, even with vpn-1 DOWN
    await registry.update(c.name, (r) => {
      r.operation = { kind: 'rotate', executionName: 'rotate-held', startedAt: new Date().toISOString() };
      return r;
    });
    await awsTunnel(w, c, 'vpn-1', 'down');
    expect(counts(await watch())).toEqual({ checked: 0, switched: 0, skipped: 1, failed: 0 });
    expect(routedRole(w.sim, c)).toBe('vpn-1');
    await registry.update(c.name, (r) => {
      r.operation = undefined;
      return r;
    });
    await awsTunnel(w, c, 'vpn-1', 'up');
  });

  it('never replaces a route for its CIDR toward an attachment that is not its own, and names it', async () => {
    // Prepare: the user points the route at the VPC attachment; vpn-1 goes DOWN
    const w = world();
    const c = await provisioned(w, 'steer-foreign');
    const ec2 = clientsFor(w.sim).ec2();
    await ec2.send(
      new ReplaceTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: c.tgw.routeTableId,
        DestinationCidrBlock: c.cidr,
        TransitGatewayAttachmentId: c.tgw.vpcAttachmentId,
      }),
    );
    await awsTunnel(w, c, 'vpn-1', 'down');

    // Act
    const run = await watch();

    // Assert
    expect(counts(run)).toEqual({ checked: 0, switched: 0, skipped: 0, failed: 1 });
    expect(run.errors[0]?.error).toContain(`ProviderRejected: transit gateway route table ${c.tgw.routeTableId}`);
    expect(run.errors[0]?.error).toContain(`routes ${c.cidr} to ${c.tgw.vpcAttachmentId}`);
    expect(region(w.sim).tgwRouteTables[c.tgw.routeTableId]?.Routes).toEqual([
      expect.objectContaining({ DestinationCidrBlock: c.cidr, TransitGatewayAttachmentId: c.tgw.vpcAttachmentId }),
    ]);
  });
});
