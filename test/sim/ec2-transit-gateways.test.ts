import {
  AssociateTransitGatewayRouteTableCommand,
  AssociateVpcCidrBlockCommand,
  CreateRouteCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpnConnectionRouteCommand,
  DeleteTransitGatewayCommand,
  DeleteTransitGatewayRouteCommand,
  DeleteTransitGatewayVpcAttachmentCommand,
  DeleteVpnConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  GetTransitGatewayRouteTableAssociationsCommand,
  GetTransitGatewayRouteTablePropagationsCommand,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { DEFAULT_LAG, DEFAULT_LATENCIES } from '../../sim';
import { type SimClients, useSimulator } from '../helpers/sim';
import { availableCgw, createVpn, failure, mainRouteTableId, seededVpcId, wait } from './ec2-fixtures';

// Transit gateways through the real SDK: the gateway and its default route table, VPC and VPN attachments, the
// default association and propagation, static routes (searched), VPC routes to the gateway, and what each refuses.

const sim = useSimulator({ timeScale: 1 });
const ec2 = () => sim().ec2();

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ latencies: { ...DEFAULT_LATENCIES }, lag: { ...DEFAULT_LAG } });
});

async function availableTgw(s: SimClients, options: { association?: 'enable' | 'disable' } = {}) {
  const out = await s.ec2().send(
    new CreateTransitGatewayCommand({
      Description: 'hub',
      Options: { AmazonSideAsn: 64600, DefaultRouteTableAssociation: options.association },
      TagSpecifications: [{ ResourceType: 'transit-gateway', Tags: [{ Key: 'Name', Value: 'hub' }] }],
    }),
  );
  wait(s, 'aws.transitGateway.create');
  wait(s, 'ec2.list');
  const g = out.TransitGateway;
  if (!g?.TransitGatewayId) throw new Error('no transit gateway');
  return g;
}

async function attachmentOf(resourceId: string) {
  const out = await ec2().send(
    new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'resource-id', Values: [resourceId] }] }),
  );
  return out.TransitGatewayAttachments?.[0];
}

describe('CreateTransitGateway', () => {
  it('makes a pending gateway with a default route table, available after the latency', async () => {
    const out = await ec2().send(new CreateTransitGatewayCommand({ Options: { AmazonSideAsn: 64600 } }));

    const g = out.TransitGateway;
    expect(g?.State).toBe('pending');
    expect(g?.TransitGatewayId).toMatch(/^tgw-0[0-9a-f]{16}$/);
    expect(g?.Options?.AmazonSideAsn).toBe(64600);
    expect(g?.Options?.DefaultRouteTableAssociation).toBe('enable');
    expect(g?.Options?.AssociationDefaultRouteTableId).toMatch(/^tgw-rtb-0[0-9a-f]{16}$/);
    expect(g?.Options?.PropagationDefaultRouteTableId).toBe(g?.Options?.AssociationDefaultRouteTableId);

    wait(sim(), 'aws.transitGateway.create');
    wait(sim(), 'ec2.list');
    const listed = await ec2().send(
      new DescribeTransitGatewaysCommand({ TransitGatewayIds: [g?.TransitGatewayId as string] }),
    );
    expect(listed.TransitGateways?.[0]?.State).toBe('available');
    const tables = await ec2().send(
      new DescribeTransitGatewayRouteTablesCommand({
        Filters: [{ Name: 'transit-gateway-id', Values: [g?.TransitGatewayId as string] }],
      }),
    );
    expect(tables.TransitGatewayRouteTables).toEqual([
      expect.objectContaining({
        DefaultAssociationRouteTable: true,
        DefaultPropagationRouteTable: true,
        State: 'available',
      }),
    ]);
  });

  it('makes no default route table when association and propagation are both disabled', async () => {
    const out = await ec2().send(
      new CreateTransitGatewayCommand({
        Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
      }),
    );

    expect(out.TransitGateway?.Options?.AssociationDefaultRouteTableId).toBeUndefined();
    expect(sim().sim.ctx.state.aws.regions['us-east-1']?.tgwRouteTables).toEqual({});
  });

  it('refuses a delete while an attachment exists, then deletes', async () => {
    const g = await availableTgw(sim());
    const vpcId = await seededVpcId(sim());
    const att = await ec2().send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: g.TransitGatewayId,
        VpcId: vpcId,
        SubnetIds: ['subnet-0123456789abcdef0'],
      }),
    );

    const refused = await failure(
      ec2().send(new DeleteTransitGatewayCommand({ TransitGatewayId: g.TransitGatewayId })),
    );

    expect(refused.name).toBe('IncorrectState');
    wait(sim(), 'aws.transitGatewayAttachment.create');
    await ec2().send(
      new DeleteTransitGatewayVpcAttachmentCommand({
        TransitGatewayAttachmentId: att.TransitGatewayVpcAttachment?.TransitGatewayAttachmentId,
      }),
    );
    wait(sim(), 'aws.transitGatewayAttachment.delete');
    const deleted = await ec2().send(new DeleteTransitGatewayCommand({ TransitGatewayId: g.TransitGatewayId }));
    expect(deleted.TransitGateway?.State).toBe('deleting');
  });
});

describe('a VPN connection on a transit gateway', () => {
  it('comes with a VPN attachment that the default route table associates, and takes static routes there', async () => {
    const g = await availableTgw(sim());
    const cgw = await availableCgw(sim());
    const vpn = await createVpn(sim(), {
      TransitGatewayId: g.TransitGatewayId,
      CustomerGatewayId: cgw,
      Options: { StaticRoutesOnly: true },
    });
    expect(vpn.TransitGatewayId).toBe(g.TransitGatewayId);
    expect(vpn.VpnGatewayId).toBeUndefined();
    wait(sim(), 'aws.vpnConnection.create');
    wait(sim(), 'ec2.list');

    const att = await attachmentOf(vpn.VpnConnectionId as string);
    expect(att).toMatchObject({ ResourceType: 'vpn', State: 'available', TransitGatewayId: g.TransitGatewayId });
    const rtb = g.Options?.AssociationDefaultRouteTableId as string;
    expect(att?.Association).toEqual({ TransitGatewayRouteTableId: rtb, State: 'associated' });
    const assoc = await ec2().send(
      new GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: rtb }),
    );
    expect(assoc.Associations?.map((a) => `${a.ResourceId} ${a.ResourceType} ${a.State}`)).toEqual([
      `${vpn.VpnConnectionId} vpn associated`,
    ]);
    const propagations = await ec2().send(
      new GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: rtb }),
    );
    expect(
      propagations.TransitGatewayRouteTablePropagations?.map((a) => `${a.ResourceId} ${a.ResourceType} ${a.State}`),
    ).toEqual([`${vpn.VpnConnectionId} vpn enabled`]);

    // static routes of a transit gateway VPN live in the route table, not on the connection
    const onConnection = await failure(
      ec2().send(
        new CreateVpnConnectionRouteCommand({
          VpnConnectionId: vpn.VpnConnectionId,
          DestinationCidrBlock: '10.9.0.0/16',
        }),
      ),
    );
    expect(onConnection.name).toBe('InvalidVpnConnection.InvalidType');
    const route = await ec2().send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: rtb,
        DestinationCidrBlock: '10.9.0.0/16',
        TransitGatewayAttachmentId: att?.TransitGatewayAttachmentId,
      }),
    );
    expect(route.Route).toMatchObject({ DestinationCidrBlock: '10.9.0.0/16', Type: 'static', State: 'active' });
    const again = await failure(
      ec2().send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: rtb,
          DestinationCidrBlock: '10.9.0.0/16',
          TransitGatewayAttachmentId: att?.TransitGatewayAttachmentId,
        }),
      ),
    );
    expect(again.name).toBe('RouteAlreadyExists');

    // deleting the connection deletes its attachment; the static route stays, as a blackhole
    await ec2().send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId }));
    wait(sim(), 'aws.vpnConnection.delete');
    const found = await ec2().send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: rtb,
        Filters: [{ Name: 'route-search.exact-match', Values: ['10.9.0.0/16'] }],
      }),
    );
    expect(found.Routes).toEqual([
      expect.objectContaining({ DestinationCidrBlock: '10.9.0.0/16', State: 'blackhole' }),
    ]);
    await ec2().send(
      new DeleteTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rtb, DestinationCidrBlock: '10.9.0.0/16' }),
    );
    const none = await ec2().send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: rtb,
        Filters: [{ Name: 'type', Values: ['static'] }],
      }),
    );
    expect(none.Routes).toEqual([]);
  });

  it('is associated with no table when the gateway does not associate by default, until asked to', async () => {
    const g = await availableTgw(sim(), { association: 'disable' });
    const cgw = await availableCgw(sim());
    const vpn = await createVpn(sim(), {
      TransitGatewayId: g.TransitGatewayId,
      CustomerGatewayId: cgw,
      Options: { StaticRoutesOnly: true },
    });
    wait(sim(), 'aws.vpnConnection.create');
    wait(sim(), 'ec2.list');
    const att = await attachmentOf(vpn.VpnConnectionId as string);
    expect(att?.Association).toBeUndefined();
    const table = await ec2().send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: g.TransitGatewayId }));
    wait(sim(), 'aws.transitGatewayAssociation');
    const rtb = table.TransitGatewayRouteTable?.TransitGatewayRouteTableId as string;

    const out = await ec2().send(
      new AssociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: rtb,
        TransitGatewayAttachmentId: att?.TransitGatewayAttachmentId,
      }),
    );
    expect(out.Association?.State).toBe('associating');
    wait(sim(), 'aws.transitGatewayAssociation');
    expect((await attachmentOf(vpn.VpnConnectionId as string))?.Association).toEqual({
      TransitGatewayRouteTableId: rtb,
      State: 'associated',
    });
    const twice = await failure(
      ec2().send(
        new AssociateTransitGatewayRouteTableCommand({
          TransitGatewayRouteTableId: rtb,
          TransitGatewayAttachmentId: att?.TransitGatewayAttachmentId,
        }),
      ),
    );
    expect(twice.name).toBe('Resource.AlreadyAssociated');
  });

  it('lists the connection under its transit gateway and takes inside CIDRs unique per gateway', async () => {
    const g = await availableTgw(sim());
    const cgw = await availableCgw(sim());
    const first = await createVpn(sim(), {
      TransitGatewayId: g.TransitGatewayId,
      CustomerGatewayId: cgw,
      Options: { StaticRoutesOnly: true, TunnelOptions: [{ TunnelInsideCidr: '169.254.44.0/30' }, {}] },
    });
    wait(sim(), 'ec2.list');

    const listed = await ec2().send(
      new DescribeVpnConnectionsCommand({
        Filters: [{ Name: 'transit-gateway-id', Values: [g.TransitGatewayId as string] }],
      }),
    );
    const clash = await failure(
      createVpn(sim(), {
        TransitGatewayId: g.TransitGatewayId,
        CustomerGatewayId: cgw,
        Options: { StaticRoutesOnly: true, TunnelOptions: [{ TunnelInsideCidr: '169.254.44.0/30' }, {}] },
      }),
    );

    expect(listed.VpnConnections?.map((c) => c.VpnConnectionId)).toEqual([first.VpnConnectionId]);
    expect(clash).toMatchObject({ name: 'InvalidParameterValue' });
    expect(clash.message).toContain('169.254.44.0/30');
  });
});

describe('ReplaceTransitGatewayRoute', () => {
  it('points a static route at another attachment of the gateway, and refuses a route that is not there', async () => {
    // Prepare: two VPN connections on one gateway (the dual-tunnel topology), a static route toward the first
    const g = await availableTgw(sim());
    const cgw = await availableCgw(sim());
    const vpns = [];
    for (let i = 0; i < 2; i++)
      vpns.push(
        await createVpn(sim(), {
          TransitGatewayId: g.TransitGatewayId,
          CustomerGatewayId: cgw,
          Options: { StaticRoutesOnly: true },
        }),
      );
    wait(sim(), 'aws.vpnConnection.create');
    wait(sim(), 'ec2.list');
    const [a1, a2] = await Promise.all(vpns.map((v) => attachmentOf(v.VpnConnectionId as string)));
    const rtb = g.Options?.AssociationDefaultRouteTableId as string;
    await ec2().send(
      new CreateTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: rtb,
        DestinationCidrBlock: '10.9.0.0/16',
        TransitGatewayAttachmentId: a1?.TransitGatewayAttachmentId,
      }),
    );
    const replace = (dest: string, attachmentId?: string) =>
      ec2().send(
        new ReplaceTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: rtb,
          DestinationCidrBlock: dest,
          TransitGatewayAttachmentId: attachmentId,
        }),
      );

    // Act
    const replaced = await replace('10.9.0.0/16', a2?.TransitGatewayAttachmentId);
    const again = await replace('10.9.0.0/16', a2?.TransitGatewayAttachmentId);
    const absent = await failure(replace('10.8.0.0/16', a2?.TransitGatewayAttachmentId));
    const unknown = await failure(replace('10.9.0.0/16', 'tgw-attach-0000000000000000f'));
    const found = await ec2().send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: rtb,
        Filters: [{ Name: 'type', Values: ['static'] }],
      }),
    );

    // Assert
    expect(replaced.Route).toMatchObject({
      DestinationCidrBlock: '10.9.0.0/16',
      Type: 'static',
      State: 'active',
      TransitGatewayAttachments: [
        expect.objectContaining({
          TransitGatewayAttachmentId: a2?.TransitGatewayAttachmentId,
          ResourceId: vpns[1]?.VpnConnectionId,
          ResourceType: 'vpn',
        }),
      ],
    });
    expect(again.Route).toEqual(replaced.Route);
    expect(absent.name).toBe('InvalidRoute.NotFound');
    expect(unknown.name).toBe('InvalidTransitGatewayAttachmentID.NotFound');
    expect(
      (found.Routes ?? []).map((r) => `${r.DestinationCidrBlock} ${r.TransitGatewayAttachments?.[0]?.ResourceId}`),
    ).toEqual([`10.9.0.0/16 ${vpns[1]?.VpnConnectionId}`]);
  });
});

describe('VPC attachments and routes to a transit gateway', () => {
  it('propagates the VPC CIDRs into the default table and makes VPC routes to the gateway active', async () => {
    const g = await availableTgw(sim());
    const vpcId = await seededVpcId(sim());
    const rtb = await mainRouteTableId(sim());
    const refused = await failure(
      ec2().send(
        new CreateRouteCommand({
          RouteTableId: rtb,
          DestinationCidrBlock: '10.9.0.0/16',
          TransitGatewayId: g.TransitGatewayId,
        }),
      ),
    );
    expect(refused.name).toBe('InvalidParameterValue');

    await ec2().send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: g.TransitGatewayId,
        VpcId: vpcId,
        SubnetIds: ['subnet-0123456789abcdef0'],
      }),
    );
    wait(sim(), 'aws.transitGatewayAttachment.create');
    await ec2().send(
      new CreateRouteCommand({
        RouteTableId: rtb,
        DestinationCidrBlock: '10.9.0.0/16',
        TransitGatewayId: g.TransitGatewayId,
      }),
    );

    const tables = await ec2().send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }));
    expect(tables.RouteTables?.[0]?.Routes).toContainEqual(
      expect.objectContaining({
        DestinationCidrBlock: '10.9.0.0/16',
        TransitGatewayId: g.TransitGatewayId,
        State: 'active',
      }),
    );
    const propagated = await ec2().send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: g.Options?.PropagationDefaultRouteTableId,
        Filters: [{ Name: 'type', Values: ['propagated'] }],
      }),
    );
    expect(propagated.Routes?.map((r) => r.DestinationCidrBlock)).toEqual(['172.80.64.0/19']);
  });
});

describe('AssociateVpcCidrBlock', () => {
  it('adds a secondary CIDR with its local route in every table, and refuses an overlapping one', async () => {
    const vpcId = await seededVpcId(sim());

    await ec2().send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '172.81.0.0/20' }));
    const overlap = await failure(
      ec2().send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '172.80.64.0/20' })),
    );

    const vpc = (await ec2().send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
    expect(vpc?.CidrBlockAssociationSet?.map((a) => a.CidrBlock)).toEqual(['172.80.64.0/19', '172.81.0.0/20']);
    const tables = await ec2().send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    for (const t of tables.RouteTables ?? [])
      expect(t.Routes).toContainEqual(
        expect.objectContaining({ DestinationCidrBlock: '172.81.0.0/20', GatewayId: 'local' }),
      );
    expect(overlap.name).toBe('InvalidVpc.Range');
  });
});
