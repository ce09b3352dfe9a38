import {
  CreateRouteCommand,
  CreateVpnConnectionRouteCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DetachVpnGatewayCommand,
  DisableVgwRoutePropagationCommand,
  EnableVgwRoutePropagationCommand,
  type Route,
} from '@aws-sdk/client-ec2';
import { DEFAULT_LAG, DEFAULT_LATENCIES } from '../../sim';
import { type SimClients, useSimulator } from '../helpers/sim';
import { attachedVgw, availableVgw, availableVpn, failure, mainRouteTableId, seededVpcId, wait } from './ec2-fixtures';

const sim = useSimulator({ timeScale: 1 });
const ec2 = () => sim().ec2();

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ latencies: { ...DEFAULT_LATENCIES }, lag: { ...DEFAULT_LAG } });
});

/** extra VPCs, each with a main route table, written straight into the world (the API has no CreateVpc) */
function seedVpcs(s: SimClients, count: number): string[] {
  const region = s.sim.ctx.awsRegion('us-east-1');
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const vpcId = s.sim.ctx.ids.aws('vpc');
    const cidr = `10.${i}.0.0/16`;
    region.vpcs[vpcId] = {
      VpcId: vpcId,
      CidrBlock: cidr,
      CidrBlocks: [cidr, `100.${i}.0.0/16`],
      State: 'available',
      IsDefault: false,
      Tags: [{ Key: 'Name', Value: `extra-${i}` }],
    };
    const rtb = s.sim.ctx.ids.aws('rtb');
    region.routeTables[rtb] = {
      RouteTableId: rtb,
      VpcId: vpcId,
      OwnerId: '123456789012',
      Main: true,
      AssociationId: s.sim.ctx.ids.aws('rtbassoc'),
      Routes: [{ DestinationCidrBlock: cidr, GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' }],
      PropagatingVgws: [],
      Tags: [],
    };
    ids.push(vpcId);
  }
  return ids;
}

async function routesOf(rtbId: string): Promise<Route[]> {
  const out = await ec2().send(new DescribeRouteTablesCommand({ RouteTableIds: [rtbId] }));
  return out.RouteTables?.[0]?.Routes ?? [];
}

/** keep every tunnel of `vpnId` UP after each negotiation pass (the Alibaba side is not part of these tests) */
function forceTunnelsUp(s: SimClients, vpnId: string): () => void {
  const hook = () => {
    const conn = s.sim.ctx.awsRegion('us-east-1').vpnConnections[vpnId];
    for (const t of conn?.VgwTelemetry ?? []) t.Status = 'UP';
  };
  s.sim.ctx.tickHooks.push(hook);
  return () => {
    const i = s.sim.ctx.tickHooks.indexOf(hook);
    if (i >= 0) s.sim.ctx.tickHooks.splice(i, 1);
  };
}

describe('DescribeVpcs', () => {
  it('describes the seeded article VPC', async () => {
    const out = await ec2().send(new DescribeVpcsCommand({}));

    expect(out.Vpcs).toHaveLength(1);
    expect(out.Vpcs?.[0]).toMatchObject({
      CidrBlock: '172.80.64.0/19',
      State: 'available',
      IsDefault: false,
      OwnerId: '123456789012',
      CidrBlockAssociationSet: [{ CidrBlock: '172.80.64.0/19', CidrBlockState: { State: 'associated' } }],
      Tags: [{ Key: 'Name', Value: 'article-vpc' }],
    });
  });

  it('filters by cidr, associated CIDR, is-default, vpc-id and tag', async () => {
    const [first, second] = seedVpcs(sim(), 2);

    const byCidr = await ec2().send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['10.1.0.0/16'] }] }));
    const byAssociated = await ec2().send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'cidr-block-association.cidr-block', Values: ['100.2.0.0/16'] }] }),
    );
    const combined = await ec2().send(
      new DescribeVpcsCommand({
        Filters: [
          { Name: 'is-default', Values: ['false'] },
          { Name: 'vpc-id', Values: [first as string, second as string] },
          { Name: 'tag:Name', Values: ['extra-2'] },
        ],
      }),
    );

    expect(byCidr.Vpcs?.map((v) => v.VpcId)).toEqual([first]);
    expect(byAssociated.Vpcs?.map((v) => v.VpcId)).toEqual([second]);
    expect(combined.Vpcs?.map((v) => v.VpcId)).toEqual([second]);
  });

  it('pages through VPCs with MaxResults and NextToken', async () => {
    seedVpcs(sim(), 6);

    const first = await ec2().send(new DescribeVpcsCommand({ MaxResults: 5 }));
    const second = await ec2().send(new DescribeVpcsCommand({ MaxResults: 5, NextToken: first.NextToken }));
    const all = await ec2().send(new DescribeVpcsCommand({}));

    expect(first.Vpcs).toHaveLength(5);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.Vpcs).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    expect([...(first.Vpcs ?? []), ...(second.Vpcs ?? [])].map((v) => v.VpcId)).toEqual(all.Vpcs?.map((v) => v.VpcId));
  });

  it('rejects MaxResults below 5 and an unusable NextToken', async () => {
    const small = await failure(ec2().send(new DescribeVpcsCommand({ MaxResults: 3 })));
    const token = await failure(ec2().send(new DescribeVpcsCommand({ NextToken: 'garbage' })));

    expect(small).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(token).toMatchObject({ name: 'InvalidPaginationToken', status: 400 });
  });

  it('answers InvalidVpcID.NotFound naming an unknown id', async () => {
    const err = await failure(ec2().send(new DescribeVpcsCommand({ VpcIds: ['vpc-0000000000000000a'] })));

    expect(err).toMatchObject({ name: 'InvalidVpcID.NotFound', status: 400 });
    expect(err.message).toContain('vpc-0000000000000000a');
  });
});

describe('DescribeRouteTables', () => {
  it('describes the seeded tables with their local route, association and tags', async () => {
    const vpcId = await seededVpcId(sim());

    const out = await ec2().send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));

    expect(out.RouteTables).toHaveLength(2);
    expect(out.RouteTables?.find((t) => t.Associations?.[0]?.Main)).toMatchObject({
      VpcId: vpcId,
      OwnerId: '123456789012',
      Routes: [
        { DestinationCidrBlock: '172.80.64.0/19', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
      ],
      Associations: [{ Main: true, AssociationState: { State: 'associated' } }],
      PropagatingVgws: [],
      Tags: [{ Key: 'Name', Value: 'article-main' }],
    });
  });

  it('filters by association.main, tag, route-table-id and route fields', async () => {
    const vpcId = await seededVpcId(sim());
    const rtb = await mainRouteTableId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);
    await ec2().send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId }),
    );

    const notMain = await ec2().send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['false'] }] }),
    );
    const byTag = await ec2().send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: 'tag:Name', Values: ['article-main'] }] }),
    );
    const byRoute = await ec2().send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'route.gateway-id', Values: [vgwId] },
          { Name: 'route.destination-cidr-block', Values: ['192.168.0.0/16'] },
          { Name: 'route-table-id', Values: [rtb] },
        ],
      }),
    );

    expect(notMain.RouteTables?.[0]?.Tags).toEqual([{ Key: 'Name', Value: 'article-private' }]);
    expect(byTag.RouteTables?.map((t) => t.RouteTableId)).toEqual([rtb]);
    expect(byRoute.RouteTables?.map((t) => t.RouteTableId)).toEqual([rtb]);
  });

  it('pages through route tables with MaxResults and NextToken', async () => {
    seedVpcs(sim(), 4);

    const first = await ec2().send(new DescribeRouteTablesCommand({ MaxResults: 5 }));
    const second = await ec2().send(new DescribeRouteTablesCommand({ MaxResults: 5, NextToken: first.NextToken }));

    expect(first.RouteTables).toHaveLength(5);
    expect(second.RouteTables).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(new Set([...(first.RouteTables ?? []), ...(second.RouteTables ?? [])].map((t) => t.RouteTableId)).size).toBe(
      6,
    );
  });

  it('answers InvalidRouteTableID.NotFound for an unknown table', async () => {
    const err = await failure(ec2().send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0000000000000000a'] })));

    expect(err).toMatchObject({ name: 'InvalidRouteTableID.NotFound', status: 400 });
  });
});

describe('CreateRoute / DeleteRoute', () => {
  it('adds an active route to an attached VPN gateway and returns true', async () => {
    const vpcId = await seededVpcId(sim());
    const rtb = await mainRouteTableId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);

    const out = await ec2().send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId }),
    );

    expect(out.Return).toBe(true);
    expect(await routesOf(rtb)).toContainEqual({
      DestinationCidrBlock: '192.168.0.0/16',
      GatewayId: vgwId,
      State: 'active',
      Origin: 'CreateRoute',
    });
  });

  it('answers RouteAlreadyExists for a destination the table already routes', async () => {
    const vpcId = await seededVpcId(sim());
    const rtb = await mainRouteTableId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);
    await ec2().send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId }),
    );

    const err = await failure(
      ec2().send(
        new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId }),
      ),
    );

    expect(err).toMatchObject({ name: 'RouteAlreadyExists', status: 400 });
    expect(err.message).toBe('The route identified by 192.168.0.0/16 already exists.');
  });

  it('answers InvalidGatewayID.NotFound for an unknown internet gateway', async () => {
    const rtb = await mainRouteTableId(sim());

    const err = await failure(
      ec2().send(
        new CreateRouteCommand({
          RouteTableId: rtb,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: 'igw-0123456789abcdef0',
        }),
      ),
    );

    expect(err).toMatchObject({ name: 'InvalidGatewayID.NotFound', status: 400 });
  });

  it('refuses a VPN gateway that is not attached to the table VPC', async () => {
    const rtb = await mainRouteTableId(sim());
    const vgwId = await availableVgw(sim());

    const err = await failure(
      ec2().send(
        new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId }),
      ),
    );

    expect(err).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(err.message).toContain('belong to different networks');
  });

  it('shows a route as blackhole once its VPN gateway is detached', async () => {
    const vpcId = await seededVpcId(sim());
    const rtb = await mainRouteTableId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);
    await ec2().send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId }),
    );

    await ec2().send(new DetachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: vgwId }));
    wait(sim(), 'aws.vpnGateway.detach');
    const routes = await routesOf(rtb);

    expect(routes.find((r) => r.DestinationCidrBlock === '192.168.0.0/16')?.State).toBe('blackhole');
  });

  it('deletes a route, then answers InvalidRoute.NotFound for it', async () => {
    const vpcId = await seededVpcId(sim());
    const rtb = await mainRouteTableId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);
    await ec2().send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId }),
    );

    await ec2().send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16' }));
    const routes = await routesOf(rtb);
    const again = await failure(
      ec2().send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16' })),
    );

    expect(routes.map((r) => r.DestinationCidrBlock)).toEqual(['172.80.64.0/19']);
    expect(again).toMatchObject({ name: 'InvalidRoute.NotFound', status: 400 });
  });
});

describe('VGW route propagation', () => {
  it('refuses to propagate from a VPN gateway not attached to the table VPC with Gateway.NotAttached', async () => {
    const rtb = await mainRouteTableId(sim());
    const vgwId = await availableVgw(sim());

    const err = await failure(
      ec2().send(new EnableVgwRoutePropagationCommand({ RouteTableId: rtb, GatewayId: vgwId })),
    );

    expect(err).toMatchObject({ name: 'Gateway.NotAttached', status: 400 });
  });

  it('propagates the static routes of an UP connection, lets an explicit route win, and stops when disabled', async () => {
    const vpcId = await seededVpcId(sim());
    const rtb = await mainRouteTableId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);
    const vpn = await availableVpn(sim(), { VpnGatewayId: vgwId });
    for (const cidr of ['192.168.0.0/16', '10.99.0.0/16'])
      await ec2().send(
        new CreateVpnConnectionRouteCommand({ VpnConnectionId: vpn.VpnConnectionId, DestinationCidrBlock: cidr }),
      );
    wait(sim(), 'aws.vpnConnectionRoute.create');
    await ec2().send(
      new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.99.0.0/16', GatewayId: vgwId }),
    );

    await ec2().send(new EnableVgwRoutePropagationCommand({ RouteTableId: rtb, GatewayId: vgwId }));
    const whileDown = await ec2().send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }));
    const release = forceTunnelsUp(sim(), vpn.VpnConnectionId);
    let whileUp: Route[];
    let afterDisable: Route[];
    try {
      whileUp = await routesOf(rtb);
      await ec2().send(new DisableVgwRoutePropagationCommand({ RouteTableId: rtb, GatewayId: vgwId }));
      afterDisable = await routesOf(rtb);
    } finally {
      release();
    }

    expect(whileDown.RouteTables?.[0]?.PropagatingVgws).toEqual([{ GatewayId: vgwId }]);
    expect(whileDown.RouteTables?.[0]?.Routes?.map((r) => r.Origin)).toEqual(['CreateRouteTable', 'CreateRoute']);
    expect(whileUp).toEqual([
      { DestinationCidrBlock: '172.80.64.0/19', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
      { DestinationCidrBlock: '10.99.0.0/16', GatewayId: vgwId, State: 'active', Origin: 'CreateRoute' },
      {
        DestinationCidrBlock: '192.168.0.0/16',
        GatewayId: vgwId,
        State: 'active',
        Origin: 'EnableVgwRoutePropagation',
      },
    ]);
    expect(afterDisable.map((r) => r.Origin)).toEqual(['CreateRouteTable', 'CreateRoute']);
  });
});
