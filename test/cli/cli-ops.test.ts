import { DeleteRouteCommand, EC2Client } from '@aws-sdk/client-ec2';
import { main } from '../../local/cli';
import { freshWorld, inventory, provision, spec, useLocalWorld } from '../helpers/workflow';

// `vpn-bridge status | list | drift | down` against a running simulator (--sim URL), with and without --json.

const world = useLocalWorld(1000);

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'vpn-bridge', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the operations commands', () => {
  it('show status and list, find drift with exit code 2, repair it, and tear the connection down', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { name: 'ops-demo', alibabaRegion: 'me-east-1' });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const url = w.access.url;

    // Act + Assert: status
    const status = await cli('status', 'ops-demo', '--sim', url, '--json');
    expect(status.code).toBe(0);
    const view = JSON.parse(status.out) as { status: string; tunnels: Array<{ role: string; up: boolean }> };
    expect(view.status).toBe('ACTIVE');
    expect(view.tunnels.map((t) => [t.role, t.up])).toEqual([
      ['active', true],
      ['standby', true],
    ]);
    const human = await cli('status', 'ops-demo', '--sim', url);
    expect(human.out).toMatch(/ops-demo: ACTIVE \(single-tunnel\)/);

    // list
    const listed = await cli('list', '--sim', url);
    expect(listed.out).toMatch(/ops-demo +│ ACTIVE +│ single-tunnel/);

    // drift: clean, then a deleted route
    expect((await cli('drift', '--sim', url)).code).toBe(0);
    const table = Object.values(w.sim.ctx.state.aws.regions['us-east-1']?.routeTables ?? {}).find((t) =>
      t.Routes.some((r) => r.GatewayId?.startsWith('vgw-')),
    );
    const ec2 = new EC2Client({ endpoint: url, region: 'us-east-1' });
    await ec2.send(new DeleteRouteCommand({ RouteTableId: table?.RouteTableId, DestinationCidrBlock: s.alibaba.cidr }));
    ec2.destroy();
    const drift = await cli('drift', 'ops-demo', '--sim', url, '--json');
    expect(drift.code).toBe(2);
    const rows = (JSON.parse(drift.out) as { results: Array<{ rows: Array<{ kind: string; repairable: boolean }> }> })
      .results[0]?.rows;
    expect(rows?.map((r) => [r.kind, r.repairable])).toEqual([['MISSING', true]]);
    const repaired = await cli('drift', 'ops-demo', '--repair', '--sim', url);
    expect(repaired.code).toBe(0);
    expect(inventory(w.sim).awsVgwRoutes).toBe(1);

    // down
    const down = await cli('down', 'ops-demo', '--sim', url);
    expect(down.code).toBe(0);
    expect(down.out).toMatch(/ops-demo: DELETED/);
    expect(inventory(w.sim)).toEqual(
      expect.objectContaining({
        awsVpnGateways: 0,
        awsVpnConnections: 0,
        alibabaVpnGateways: 0,
        alibabaConnections: 0,
      }),
    );
    expect((await cli('down', 'ops-demo', '--sim', url)).code).toBe(0);
  });

  it('rotates the keys with progress (or one JSON document), and status shows the last rotation', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { name: 'ops-rotate', alibabaRegion: 'eu-central-1' });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const url = w.access.url;

    // Act
    const json = await cli('rotate', 'ops-rotate', '--sim', url, '--json');
    const human = await cli('rotate', 'ops-rotate', '--sim', url);
    const status = await cli('status', 'ops-rotate', '--sim', url);
    const unknown = await cli('rotate', 'no-such-thing', '--sim', url);

    // Assert
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as { status: string; operation: string; tunnels: Array<{ up: boolean }> };
    expect(report).toMatchObject({ status: 'ROTATED', operation: 'rotate' });
    expect(report.tunnels.filter((t) => t.up)).toHaveLength(2);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/ops-rotate: ROTATED/);
    expect(human.err).toMatch(/StandbyAwsSetNextKey/);
    expect(status.out).toMatch(/last key rotation .*: SUCCEEDED \(vpn-2\/1, vpn-1\/1 rotated\)/);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no connection named no-such-thing/);
  });

  it('exits 1 with a clear message for an unknown connection', async () => {
    const r = await cli('status', 'no-such-thing', '--sim', world().access.url);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/RecordMissing: no connection named no-such-thing/);
  });
});
