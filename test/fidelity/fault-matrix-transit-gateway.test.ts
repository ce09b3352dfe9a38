import { SearchTransitGatewayRoutesCommand } from '@aws-sdk/client-ec2';
import { TAG_ROLE } from '../../src/plan/naming';
import { clientsFor } from '../helpers/sim';
import { userTransitGateway } from '../helpers/transit-gateway';
import { freshWorld, inventory, provision, spec, teardown, useLocalWorld } from '../helpers/workflow';

// The transit gateway steps' mutating calls under the fault matrix's three kinds (test/helpers/fault-matrix.ts):
// a throttle and a 5xx within the retry budget, and a lost response (the action happened, the client sees a 5xx).
// Each cell provisions a dual-tunnel connection through a transit gateway and tears it down with the fault on one
// call: the run must reach ACTIVE / DELETED with exactly one static route per Alibaba CIDR (no duplicate, none toward
// the standby), and after the teardown nothing of the connection is left: no route in the gateway's table or the
// VPC's tables, no VPN connection, customer gateway or Alibaba resource; the gateway itself stays.

const world = useLocalWorld(500);

type Kind = 'throttle' | '5xx' | 'lost';
const RULE: Record<Kind, Record<string, unknown>> = {
  throttle: { kind: 'throttle', count: 2 },
  '5xx': { kind: 'error', code: 'InternalError', status: 500, count: 2 },
  lost: { kind: 'lost-response', count: 1 },
};

const CELLS: Array<[string, Kind]> = [];
for (const action of [
  'AssociateTransitGatewayRouteTable',
  'CreateTransitGatewayRoute',
  'DeleteTransitGatewayRoute',
  'CreateVpnConnection',
  'CreateRoute',
])
  for (const kind of ['throttle', '5xx', 'lost'] as const) CELLS.push([action, kind]);

describe('faults on the transit gateway path (dual-tunnel)', () => {
  it.each(CELLS)('%s, %s: ACTIVE with one route per CIDR, then DELETED with nothing left', async (action, kind) => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: 'eu-central-1', name: 'tgw-faults' });
    const tgw = await userTransitGateway(w.sim, s.aws.vpcId);
    const onTgw = {
      ...s,
      aws: {
        ...s.aws,
        attach: { transitGateway: tgw.transitGatewayId, routeTableId: tgw.routeTableId, vpcRoutes: true },
      },
    };
    const search = async () => {
      const ec2 = clientsFor(w.sim).ec2();
      try {
        const r = await ec2.send(
          new SearchTransitGatewayRoutesCommand({
            TransitGatewayRouteTableId: tgw.routeTableId,
            Filters: [{ Name: 'type', Values: ['static'] }],
          }),
        );
        return (r.Routes ?? []).map((x) => `${x.DestinationCidrBlock} ${x.TransitGatewayAttachments?.[0]?.ResourceId}`);
      } finally {
        ec2.destroy();
      }
    };
    await w.access.admin('POST', '/_sim/faults', [{ service: 'ec2', action, ...RULE[kind] }]);

    // Act
    let up: Awaited<ReturnType<typeof provision>>;
    let routes: string[];
    let active: string[];
    let down: Awaited<ReturnType<typeof teardown>>;
    let fired: number;
    try {
      up = await provision(w, onTgw);
      routes = await search();
      active = Object.values(w.sim.ctx.state.aws.regions)
        .flatMap((r) => Object.values(r.vpnConnections))
        .filter((c) => c.State !== 'deleted' && c.Tags?.some((t) => t.Key === TAG_ROLE && t.Value === 'vpn-1'))
        .map((c) => c.VpnConnectionId);
      down = await teardown(w, s.name);
    } finally {
      const f = await w.access.admin<{ faults: Array<{ fired: number }> }>('GET', '/_sim/faults');
      fired = f.faults[0]?.fired ?? 0;
      await w.access.admin('DELETE', '/_sim/faults');
    }

    // Assert
    expect(fired).toBeGreaterThan(0);
    expect(`${up.status} ${up.execution.cause ?? ''}`).toBe('ACTIVE ');
    expect(active).toHaveLength(1);
    expect(routes).toEqual([`${s.alibaba.cidr} ${active[0]}`]);
    expect(`${down.status} ${down.execution.cause ?? ''}`).toBe('DELETED ');
    expect(await search()).toEqual([]);
    // a customer gateway deletes asynchronously (deleting -> deleted): teardown is done once AWS took the delete, and
    // with no VGW to delete after them (the VGW path's last step) they may still be deleting; let the simulated clock
    // pass that (bounded), so a gateway never asked to go (still available) is what counts as left
    const deleting = () =>
      Object.values(w.sim.ctx.state.aws.regions).some((r) =>
        Object.values(r.customerGateways).some((c) => c.State === 'deleting'),
      );
    for (let i = 0; i < 250 && deleting(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      w.sim.ctx.tick();
    }
    const left = inventory(w.sim);
    expect(left).toMatchObject({
      awsVpnGateways: 0,
      awsCustomerGateways: 0,
      awsVpnConnections: 0,
      alibabaVpnGateways: 0,
      alibabaCustomerGateways: 0,
      alibabaConnections: 0,
      alibabaVpnRoutes: 0,
      alibabaVpcRoutes: 0,
      awsAlarms: 0,
    });
    const vpcRoutes = Object.values(w.sim.ctx.state.aws.regions)
      .flatMap((r) => Object.values(r.routeTables))
      .flatMap((t) => t.Routes.filter((x) => x.TransitGatewayId === tgw.transitGatewayId));
    expect(vpcRoutes).toEqual([]);
    const g = Object.values(w.sim.ctx.state.aws.regions).map((r) => r.transitGateways[tgw.transitGatewayId])[0];
    expect(g?.State).toBe('available');
  });
});
