import {
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  DeleteTransitGatewayRouteCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpnConnectionsCommand,
  DescribeVpnGatewaysCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { demoSpec } from '../../local/demo';
import { operatorDeps } from '../../local/operator';
import type { ConnectionRecord } from '../../src/registry/record';
import type { ConnectionSpecInput } from '../../src/spec';
import { clientsFor } from '../helpers/sim';
import { type UserTgw, until, userTransitGateway } from '../helpers/transit-gateway';
import { admin, type DriftWorld, execute, provisionConnection, resetWorld, useDriftWorld } from './drift-world';
import { driftOf, gatewayRoutes, SECOND_CIDR, secondAlibabaVpc, teardown } from './hub-helpers';

// One AWS VPC, two connections through one transit gateway (issue 11, `aws.attach.transitGateway`): to the seeded
// Alibaba VPC in eu-central-1 (dual-tunnel) and to a VPC with another CIDR created in me-east-1 through CreateVpc
// (single-tunnel). The transit gateway, its route table and the VPC attachment are made here through the SDK, as a
// user would; vpn-bridge adds its VPN connections, associates their attachments, adds a static route per Alibaba
// CIDR toward the active connection's attachment and (vpcRoutes) VPC routes toward the gateway. Tearing one down
// leaves the other ACTIVE with its routes; the gateway, its table and the VPC attachment outlive the last one.

const world = useDriftWorld(1000);

const FIRST_CIDR = '192.168.0.0/16';

async function record(name: string): Promise<ConnectionRecord> {
  const got = await operatorDeps().registry.get(name);
  if (!got) throw new Error(`no record ${name}`);
  return got.record;
}

/** the static routes of the transit gateway route table, as `destination -> VPN connection (state)` */
async function tgwRoutes(w: DriftWorld, routeTableId: string): Promise<string[]> {
  const r = await clientsFor(w.sim)
    .ec2()
    .send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: routeTableId,
        Filters: [{ Name: 'type', Values: ['static'] }],
      }),
    );
  return (r.Routes ?? [])
    .map((x) => `${x.DestinationCidrBlock} -> ${x.TransitGatewayAttachments?.[0]?.ResourceId ?? '-'} (${x.State})`)
    .sort();
}

describe('two connections from one AWS VPC through one transit gateway', () => {
  let first: ConnectionSpecInput;
  let second: ConnectionSpecInput;
  let tgw: UserTgw;

  beforeAll(async () => {
    const w = world();
    await resetWorld(w);
    first = await demoSpec(w.url, {
      name: 'tgw-frankfurt',
      alibabaRegion: 'eu-central-1',
      profile: 'recommended',
      psk: 'generated',
    });
    const seeded = await demoSpec(w.url, {
      name: 'tgw-dubai',
      alibabaRegion: 'me-east-1',
      profile: 'recommended',
      psk: 'generated',
    });
    const vpcId = await secondAlibabaVpc(w);
    tgw = await userTransitGateway(w.sim, first.aws.vpcId);
    const attach = { transitGateway: tgw.transitGatewayId, routeTableId: tgw.routeTableId, vpcRoutes: true };
    first = { ...first, aws: { ...first.aws, attach } };
    second = { ...seeded, aws: { ...seeded.aws, attach }, alibaba: { region: 'me-east-1', vpcId, cidr: SECOND_CIDR } };
  });

  it('both topologies reach ACTIVE through the transit gateway with a route per Alibaba CIDR and no VGW', async () => {
    // Prepare
    const w = world();

    // Act
    await provisionConnection(w, first);
    await provisionConnection(w, second);

    // Assert
    const [a, b] = [await record(first.name), await record(second.name)];
    expect([a.status, b.status]).toEqual(['ACTIVE', 'ACTIVE']);
    expect([a.topology, b.topology]).toEqual(['dual-tunnel', 'single-tunnel']);
    expect([a.resources.aws.vpnGatewayId, b.resources.aws.vpnGatewayId]).toEqual([undefined, undefined]);
    // the active connection (vpn-1) of each carries its Alibaba CIDR
    expect(await tgwRoutes(w, tgw.routeTableId)).toEqual(
      [
        `${FIRST_CIDR} -> ${a.resources.aws.vpnConnections['vpn-1']} (active)`,
        `${SECOND_CIDR} -> ${b.resources.aws.vpnConnections['vpn-1']} (active)`,
      ].sort(),
    );
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual(
      [`${FIRST_CIDR} -> ${tgw.transitGatewayId}`, `${SECOND_CIDR} -> ${tgw.transitGatewayId}`].sort(),
    );
    const ec2 = clientsFor(w.sim).ec2();
    const vgws = await ec2.send(
      new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [first.aws.vpcId] }] }),
    );
    expect(vgws.VpnGateways ?? []).toEqual([]);
    // every VPN attachment of theirs is associated with the spec's table
    const atts = await ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({
        Filters: [{ Name: 'resource-type', Values: ['vpn'] }],
      }),
    );
    expect(
      (atts.TransitGatewayAttachments ?? []).map(
        (x) => `${x.Association?.TransitGatewayRouteTableId} ${x.Association?.State}`,
      ),
    ).toEqual([...Array(3)].map(() => `${tgw.routeTableId} associated`));
    expect(await driftOf(first.name)).toEqual({ status: 'clean', rows: [] });
    expect(await driftOf(second.name)).toEqual({ status: 'clean', rows: [] });
  });

  it('a deleted transit gateway route is exactly one MISSING row', async () => {
    // Prepare
    const w = world();
    const ec2 = clientsFor(w.sim).ec2();
    await ec2.send(
      new DeleteTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: tgw.routeTableId,
        DestinationCidrBlock: FIRST_CIDR,
      }),
    );

    // Act
    const found = await driftOf(first.name);

    // Assert
    expect(found.status).toBe('drifted');
    expect(found.rows).toEqual([`MISSING transit-gateway-route-table/${tgw.routeTableId} route ${FIRST_CIDR}: (none)`]);
    expect(await driftOf(second.name)).toEqual({ status: 'clean', rows: [] });
    // put it back as it was, for the next cases
    const a = await record(first.name);
    const [att] =
      (
        await ec2.send(
          new DescribeTransitGatewayAttachmentsCommand({
            Filters: [{ Name: 'resource-id', Values: [a.resources.aws.vpnConnections['vpn-1'] ?? ''] }],
          }),
        )
      ).TransitGatewayAttachments ?? [];
    await ec2.send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: tgw.routeTableId,
        DestinationCidrBlock: FIRST_CIDR,
        TransitGatewayAttachmentId: att?.TransitGatewayAttachmentId,
      }),
    );
    expect(await driftOf(first.name)).toEqual({ status: 'clean', rows: [] });
  });

  it('tearing the first down leaves the second ACTIVE with its routes', async () => {
    // Prepare
    const w = world();
    const b = await record(second.name);

    // Act
    await teardown(w, first.name);

    // Assert
    expect((await record(first.name)).status).toBe('DELETED');
    expect((await record(second.name)).status).toBe('ACTIVE');
    expect(await tgwRoutes(w, tgw.routeTableId)).toEqual([
      `${SECOND_CIDR} -> ${b.resources.aws.vpnConnections['vpn-1']} (active)`,
    ]);
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual([`${SECOND_CIDR} -> ${tgw.transitGatewayId}`]);
    expect(await driftOf(second.name)).toEqual({ status: 'clean', rows: [] });
  });

  it('the last teardown leaves the transit gateway, its table and the VPC attachment, and no route of theirs', async () => {
    // Prepare
    const w = world();

    // Act
    await teardown(w, second.name);

    // Assert
    expect((await record(second.name)).status).toBe('DELETED');
    const ec2 = clientsFor(w.sim).ec2();
    const g = await ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgw.transitGatewayId] }));
    expect(g.TransitGateways?.[0]?.State).toBe('available');
    const t = await ec2.send(
      new DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [tgw.routeTableId] }),
    );
    expect(t.TransitGatewayRouteTables?.[0]?.State).toBe('available');
    const a = await ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [tgw.vpcAttachmentId] }),
    );
    expect(a.TransitGatewayAttachments?.[0]?.State).toBe('available');
    expect(await tgwRoutes(w, tgw.routeTableId)).toEqual([]);
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual([]);
    const vpns = await ec2.send(
      new DescribeVpnConnectionsCommand({ Filters: [{ Name: 'state', Values: ['pending', 'available', 'deleting'] }] }),
    );
    expect(vpns.VpnConnections ?? []).toEqual([]);
  });
});

describe('a failed provisioning through a transit gateway, rolled back', () => {
  it('removes its routes and VPN connections, found by their tags and attachments, and leaves the gateway', async () => {
    // Prepare
    const w = world();
    await resetWorld(w);
    const base = await demoSpec(w.url, {
      name: 'tgw-rollback',
      alibabaRegion: 'eu-central-1',
      profile: 'recommended',
      psk: 'generated',
    });
    const tgw = await userTransitGateway(w.sim, base.aws.vpcId);
    const s: ConnectionSpecInput = {
      ...base,
      onFailure: 'rollback',
      aws: {
        ...base.aws,
        attach: { transitGateway: tgw.transitGatewayId, routeTableId: tgw.routeTableId, vpcRoutes: true },
      },
    };
    // the last step before ACTIVE is refused every time: everything before it (routes included) was made
    await admin(w, 'POST', '/_sim/faults', [
      {
        service: 'cloudwatch',
        action: 'PutMetricAlarm',
        kind: 'error',
        code: 'InvalidParameterValue',
        status: 400,
        count: 0,
      },
    ]);

    // Act
    let status = '';
    let routesBefore: string[] = [];
    const hook = () => {
      if (routesBefore.length === 0)
        routesBefore = Object.values(w.sim.ctx.state.aws.regions).flatMap((r) =>
          (r.tgwRouteTables[tgw.routeTableId]?.Routes ?? []).map((x) => x.DestinationCidrBlock),
        );
    };
    w.sim.ctx.tickHooks.push(hook);
    try {
      status = (await execute(w, 'provision', { spec: s })).execution.status;
    } finally {
      w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(hook), 1);
      await admin(w, 'DELETE', '/_sim/faults');
    }

    // Assert
    expect(status).toBe('FAILED');
    expect(routesBefore).toEqual([FIRST_CIDR]);
    expect(await tgwRoutes(w, tgw.routeTableId)).toEqual([]);
    expect(await gatewayRoutes(w, s.aws.vpcId)).toEqual([]);
    const vpns = await clientsFor(w.sim)
      .ec2()
      .send(
        new DescribeVpnConnectionsCommand({
          Filters: [{ Name: 'state', Values: ['pending', 'available', 'deleting'] }],
        }),
      );
    expect(vpns.VpnConnections ?? []).toEqual([]);
    const g = await clientsFor(w.sim)
      .ec2()
      .send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgw.transitGatewayId] }));
    expect(g.TransitGateways?.[0]?.State).toBe('available');
  });
});

describe('a transit gateway that associates new attachments with its default route table', () => {
  it('accepts the automatic association of the table the spec names, and refuses another table in preflight', async () => {
    // Prepare
    const w = world();
    await resetWorld(w);
    const base = await demoSpec(w.url, {
      name: 'tgw-default',
      alibabaRegion: 'me-east-1',
      profile: 'recommended',
      psk: 'generated',
    });
    const ec2 = clientsFor(w.sim).ec2();
    const made = await ec2.send(new CreateTransitGatewayCommand({ Description: 'defaults' }));
    const id = made.TransitGateway?.TransitGatewayId ?? '';
    let defaultTable = '';
    await until('the transit gateway', async () => {
      const r = await ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] }));
      defaultTable = r.TransitGateways?.[0]?.Options?.AssociationDefaultRouteTableId ?? '';
      return r.TransitGateways?.[0]?.State === 'available';
    });
    const other = await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: id }));
    const otherTable = other.TransitGatewayRouteTable?.TransitGatewayRouteTableId ?? '';
    await until('the other route table', async () => {
      const r = await ec2.send(
        new DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [otherTable] }),
      );
      return r.TransitGatewayRouteTables?.[0]?.State === 'available';
    });
    const on = (routeTableId: string): ConnectionSpecInput => ({
      ...base,
      aws: { ...base.aws, attach: { transitGateway: id, routeTableId } },
    });

    // Act
    const refused = await execute(w, 'provision', { spec: on(otherTable) });
    await provisionConnection(w, on(defaultTable));

    // Assert
    expect(refused.execution.status).toBe('FAILED');
    expect(refused.execution.cause).toContain('aws.attach.routeTableId');
    expect(refused.execution.cause).toContain(defaultTable);
    const r = await record(base.name);
    expect(r.status).toBe('ACTIVE');
    expect(r.topology).toBe('single-tunnel');
    const atts = await ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'resource-type', Values: ['vpn'] }] }),
    );
    expect(
      (atts.TransitGatewayAttachments ?? []).map(
        (x) => `${x.Association?.TransitGatewayRouteTableId} ${x.Association?.State}`,
      ),
    ).toEqual([`${defaultTable} associated`]);
    expect(await tgwRoutes(w, defaultTable)).toEqual([
      `${base.alibaba.cidr} -> ${r.resources.aws.vpnConnections['vpn-1']} (active)`,
    ]);
    // no vpcRoutes: the VPC's tables get nothing
    expect(await gatewayRoutes(w, base.aws.vpcId)).toEqual([]);
    expect(await driftOf(base.name)).toEqual({ status: 'clean', rows: [] });
  });
});
