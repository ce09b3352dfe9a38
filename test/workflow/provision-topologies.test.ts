import type { RunEvent } from '../../local/runner';
import { allPsks, freshWorld, inventory, leaks, provision, spec, useLocalWorld } from '../helpers/workflow';

// Both topologies x both crypto profiles reach ACTIVE through the provisioning state machine run by the
// local runner (the same ASL and handlers as the deployment) against the simulator.

const world = useLocalWorld(1000);

const cases = [
  { region: 'eu-central-1', topology: 'dual-tunnel', profile: 'recommended', psk: 'from-aws-config' },
  { region: 'eu-central-1', topology: 'dual-tunnel', profile: 'article-2018', psk: 'generated' },
  { region: 'me-east-1', topology: 'single-tunnel', profile: 'recommended', psk: 'generated' },
  { region: 'me-east-1', topology: 'single-tunnel', profile: 'article-2018', psk: 'from-aws-config' },
] as const;

describe.each(cases)('a $topology connection with the $profile profile ($psk PSKs)', (c) => {
  it('reaches ACTIVE with every used tunnel UP on both clouds and routes on both sides', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: c.region, profile: c.profile, psk: c.psk });
    const events: RunEvent[] = [];

    // Act
    const report = await provision(w, s, events);

    // Assert: outcome and shape
    expect(report.execution).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    expect(report.status).toBe('ACTIVE');
    expect(report.topology).toBe(c.topology);
    const used = report.tunnels.filter((t) => t.role !== 'unused');
    expect(used).toHaveLength(2);
    for (const t of used) {
      expect(t.aws.status).toBe('UP');
      expect(t.alibaba?.status).toBe('ipsec_sa_established');
    }
    expect(report.tunnels.filter((t) => t.role === 'unused')).toHaveLength(c.topology === 'dual-tunnel' ? 2 : 0);
    expect(used.map((t) => t.role).sort()).toEqual(['active', 'standby']);

    // Assert: routes on both sides
    const inv = inventory(w.sim);
    expect(inv.awsVgwRoutes).toBe(1);
    expect(inv.awsVpnStaticRoutes).toBe(c.topology === 'dual-tunnel' ? 2 : 1);
    expect(inv.alibabaVpnRoutes).toBe(c.topology === 'dual-tunnel' ? 1 : 2);
    expect(inv.alibabaVpcRoutes).toBe(1);
    const awsRegion = w.sim.ctx.state.aws.regions['us-east-1'];
    const vgwRoute = Object.values(awsRegion?.routeTables ?? {})
      .flatMap((t) => t.Routes)
      .find((r) => r.GatewayId?.startsWith('vgw-'));
    expect(vgwRoute?.DestinationCidrBlock).toBe(s.alibaba.cidr);
    const aliRoute = Object.values(w.sim.ctx.state.alibaba.regions[c.region]?.routeEntries ?? {}).find(
      (e) => e.NextHopType === 'VpnGateway',
    );
    expect(aliRoute?.DestinationCidrBlock).toBe(s.aws.cidr);
    expect(aliRoute?.Status).toBe('Available');

    // Assert: crypto as the profile pins it, on AWS
    const conn = Object.values(awsRegion?.vpnConnections ?? {})[0];
    const t1 = conn?.TunnelOptions[0];
    expect(t1?.IkeVersions).toEqual([c.profile === 'recommended' ? 'ikev2' : 'ikev1']);
    expect(t1?.Phase1LifetimeSeconds).toBe(28800);
    expect(t1?.Phase2LifetimeSeconds).toBe(3600);
    expect(t1?.StartupAction).toBe('start');

    // Assert: no PSK in the execution events, the report or the logs
    const psks = allPsks(w.sim);
    expect(psks.length).toBeGreaterThanOrEqual(2);
    expect(leaks(psks, JSON.stringify(events))).toEqual([]);
    expect(leaks(psks, JSON.stringify(report))).toEqual([]);
    expect(leaks(psks, w.logs.join('\n'))).toEqual([]);
  });
});
