import type VpcClient from '@alicloud/vpc20160428';
import {
  CreateRouteEntryRequest,
  CreateVpnRouteEntryRequest,
  DeleteRouteEntryRequest,
  DeleteVpnConnectionRequest,
  DeleteVpnRouteEntryRequest,
  DescribeRouteEntryListRequest,
  DescribeRouteTableListRequest,
  DescribeVpcsRequest,
  DescribeVpnRouteEntriesRequest,
  DescribeVSwitchesRequest,
} from '@alicloud/vpc20160428';
import { useSimulator } from '../helpers/sim';
import {
  advance,
  createCgw,
  createDualConnection,
  createGateway,
  DUAL,
  type SeededNetwork,
  SINGLE,
  sdkError,
  seeded,
} from './alibaba-fixtures';

// Routing through the real SDK: VPN route entries (serialized on the gateway, PublishVpc) and VPC route
// table entries (asynchronous, one task per VPC), plus the read-only network views.
const sim = useSimulator({ timeScale: 1 });

beforeEach(() => sim().sim.reset());

interface Setup {
  client: VpcClient;
  gw: string;
  vco: string;
  net: SeededNetwork;
}

async function withConnection(): Promise<Setup> {
  const client = sim().alibaba(DUAL);
  const gw = await createGateway(client, sim().sim, DUAL);
  const cgws: [string, string] = [await createCgw(client, DUAL, '3.3.3.1'), await createCgw(client, DUAL, '3.3.3.2')];
  const vco = await createDualConnection(client, sim().sim, gw, cgws);
  return { client, gw, vco, net: seeded(sim().sim, DUAL) };
}

function vpnRoute(s: Setup, routeDest: string, extra: Partial<CreateVpnRouteEntryRequest> = {}) {
  return new CreateVpnRouteEntryRequest({
    regionId: DUAL,
    vpnGatewayId: s.gw,
    routeDest,
    nextHop: s.vco,
    publishVpc: true,
    weight: 100,
    overlayMode: 'Ipsec',
    ...extra,
  });
}

async function systemEntries(s: Setup, destinationCidrBlock?: string) {
  const r = await s.client.describeRouteEntryList(
    new DescribeRouteEntryListRequest({ regionId: DUAL, routeTableId: s.net.systemTableId, destinationCidrBlock }),
  );
  return r.body?.routeEntrys?.routeEntry ?? [];
}

function routeRequest(s: Setup, destinationCidrBlock: string, nextHopId = s.gw) {
  return new CreateRouteEntryRequest({
    regionId: DUAL,
    routeTableId: s.net.systemTableId,
    destinationCidrBlock,
    nextHopType: 'VpnGateway',
    nextHopId,
  });
}

describe('CreateVpnRouteEntry', () => {
  it('publishes to the VPC system route table with the gateway as next hop', async () => {
    const s = await withConnection();

    const r = await s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19', { description: 'aws' }));
    const pending = await systemEntries(s, '172.80.64.0/19');
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const [entry] = await systemEntries(s, '172.80.64.0/19');

    expect(r.body).toMatchObject({
      vpnInstanceId: s.gw,
      routeDest: '172.80.64.0/19',
      nextHop: s.vco,
      weight: 100,
      overlayMode: 'Ipsec',
      state: 'published',
      description: 'aws',
    });
    expect(pending[0]?.status).toBe('Pending');
    expect(entry?.status).toBe('Available');
    expect(entry?.type).toBe('Custom');
    expect(entry?.origin).toBe('vpn-publish');
    expect(entry?.nextHops?.nextHop?.[0]).toMatchObject({ nextHopType: 'VpnGateway', nextHopId: s.gw });
  });

  it('keeps an unpublished route out of the VPC (State normal)', async () => {
    const s = await withConnection();

    const r = await s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19', { publishVpc: false }));
    advance(sim().sim, 'alibaba.vpnGateway.update');

    expect(r.body?.state).toBe('normal');
    expect(await systemEntries(s, '172.80.64.0/19')).toEqual([]);
  });

  it.each([
    ['a default route', { routeDest: '0.0.0.0/0' }, 'IllegalParam.RouteDest'],
    ['a weight other than 0 or 100', { weight: 50 }, 'IllegalParam.Weight'],
    ['another overlay mode', { overlayMode: 'Gre' }, 'IllegalParam.OverlayMode'],
    ['no PublishVpc', { publishVpc: undefined }, 'MissingParameter'],
  ])('rejects %s', async (_what, extra, code) => {
    const s = await withConnection();

    const err = await sdkError(s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19', extra)));

    expect(err.code).toBe(code);
    expect(err.statusCode).toBe(400);
  });

  it('answers 404 for a next hop that is not a connection of the gateway', async () => {
    const s = await withConnection();

    const err = await sdkError(s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19', { nextHop: 'vco-nope' })));

    expect(err.code).toBe('InvalidVpnConnectionInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('serializes on the gateway and refuses a duplicate afterwards', async () => {
    const s = await withConnection();
    await s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19'));

    const busy = await sdkError(s.client.createVpnRouteEntry(vpnRoute(s, '10.10.0.0/16')));
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const dup = await sdkError(s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19')));
    const ok = await s.client.createVpnRouteEntry(vpnRoute(s, '10.10.0.0/16'));

    expect(busy.code).toBe('VpnGateway.Configuring');
    expect(dup.code).toBe('VpnRouteEntry.AlreadyExist');
    expect(ok.body?.routeDest).toBe('10.10.0.0/16');
  });

  it('replays a repeated ClientToken instead of failing while the gateway is updating', async () => {
    const s = await withConnection();

    const first = await s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19', { clientToken: 'rt-1' }));
    const again = await s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19', { clientToken: 'rt-1' }));

    expect(again.body?.createTime).toBe(first.body?.createTime);
    expect(again.body?.state).toBe('published');
  });
});

describe('DescribeVpnRouteEntries / DeleteVpnRouteEntry', () => {
  it('pages the gateway routes with PageNumber/PageSize', async () => {
    const s = await withConnection();
    for (const dest of ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']) {
      await s.client.createVpnRouteEntry(vpnRoute(s, dest, { publishVpc: false }));
      advance(sim().sim, 'alibaba.vpnGateway.update');
    }

    const page2 = await s.client.describeVpnRouteEntries(
      new DescribeVpnRouteEntriesRequest({ regionId: DUAL, vpnGatewayId: s.gw, pageSize: 2, pageNumber: 2 }),
    );

    expect(page2.body?.totalCount).toBe(3);
    expect(page2.body?.vpnRouteEntries?.vpnRouteEntry?.map((e) => e.routeDest)).toEqual(['10.3.0.0/16']);
    expect(page2.body?.vpnRouteEntries?.vpnRouteEntry?.[0]).toMatchObject({
      nextHop: s.vco,
      state: 'normal',
      weight: 100,
      routeEntryType: 'custom',
    });
  });

  it('requires VpnGatewayId', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .describeVpnRouteEntries(new DescribeVpnRouteEntriesRequest({ regionId: DUAL })),
    );

    expect(err.code).toBe('MissingParameter');
    expect(err.message).toContain('"VpnGatewayId"');
  });

  it('removes the route and withdraws its published system entry', async () => {
    const s = await withConnection();
    await s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19'));
    advance(sim().sim, 'alibaba.vpnGateway.update');

    await s.client.deleteVpnRouteEntry(
      new DeleteVpnRouteEntryRequest({
        regionId: DUAL,
        vpnGatewayId: s.gw,
        routeDest: '172.80.64.0/19',
        nextHop: s.vco,
        weight: 100,
        overlayMode: 'Ipsec',
      }),
    );
    const during = await systemEntries(s, '172.80.64.0/19');
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const list = await s.client.describeVpnRouteEntries(
      new DescribeVpnRouteEntriesRequest({ regionId: DUAL, vpnGatewayId: s.gw }),
    );

    expect(during[0]?.status).toBe('Deleting');
    expect(await systemEntries(s, '172.80.64.0/19')).toEqual([]);
    expect(list.body?.totalCount).toBe(0);
  });

  it('answers 404 for a route that does not exist', async () => {
    const s = await withConnection();

    const err = await sdkError(
      s.client.deleteVpnRouteEntry(
        new DeleteVpnRouteEntryRequest({
          regionId: DUAL,
          vpnGatewayId: s.gw,
          routeDest: '172.80.64.0/19',
          nextHop: s.vco,
          weight: 100,
        }),
      ),
    );

    expect(err.code).toBe('InvalidRouteEntry.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('blocks DeleteVpnConnection while a VPN route uses the connection', async () => {
    const s = await withConnection();
    await s.client.createVpnRouteEntry(vpnRoute(s, '172.80.64.0/19', { publishVpc: false }));
    advance(sim().sim, 'alibaba.vpnGateway.update');

    const err = await sdkError(
      s.client.deleteVpnConnection(new DeleteVpnConnectionRequest({ regionId: DUAL, vpnConnectionId: s.vco })),
    );

    expect(err.code).toBe('DependencyViolation.VpnRouteEntry');
    expect(err.statusCode).toBe(400);
  });
});

describe('CreateRouteEntry / DeleteRouteEntry', () => {
  it('creates a Pending entry that becomes Available', async () => {
    const s = await withConnection();

    const r = await s.client.createRouteEntry(routeRequest(s, '172.80.64.0/19'));
    const [pending] = await systemEntries(s, '172.80.64.0/19');
    advance(sim().sim, 'alibaba.routeEntry.create');
    const [available] = await systemEntries(s, '172.80.64.0/19');

    expect(r.body?.routeEntryId).toMatch(/^rte-/);
    expect(pending?.status).toBe('Pending');
    expect(available?.status).toBe('Available');
    expect(available?.routeEntryId).toBe(r.body?.routeEntryId);
    expect(available?.nextHops?.nextHop?.[0]).toMatchObject({ nextHopType: 'VpnGateway', nextHopId: s.gw });
  });

  it('answers TaskConflict while another route task runs in the VPC', async () => {
    const s = await withConnection();
    await s.client.createRouteEntry(routeRequest(s, '172.80.64.0/19'));

    const err = await sdkError(s.client.createRouteEntry(routeRequest(s, '10.10.0.0/16')));
    advance(sim().sim, 'alibaba.routeEntry.create');
    const ok = await s.client.createRouteEntry(routeRequest(s, '10.10.0.0/16'));

    expect(err.code).toBe('TaskConflict');
    expect(err.statusCode).toBe(400);
    expect(ok.body?.routeEntryId).toMatch(/^rte-/);
  });

  it('tells a duplicate route apart from a conflicting one', async () => {
    const s = await withConnection();
    const other = await createGateway(s.client, sim().sim, DUAL);
    await s.client.createRouteEntry(routeRequest(s, '172.80.64.0/19'));
    advance(sim().sim, 'alibaba.routeEntry.create');

    const same = await sdkError(s.client.createRouteEntry(routeRequest(s, '172.80.64.0/19')));
    const conflicting = await sdkError(s.client.createRouteEntry(routeRequest(s, '172.80.64.0/19', other)));

    expect(same.code).toBe('RouterEntryConflict.Duplicated');
    expect(conflicting.code).toBe('InvalidCIDRBlock.Duplicate');
  });

  it('rejects a destination inside a vSwitch CIDR block', async () => {
    const s = await withConnection();

    const err = await sdkError(s.client.createRouteEntry(routeRequest(s, '192.168.1.0/25')));

    expect(err.code).toBe('InvalidDestCIDRBlock.Conflict');
  });

  it('answers 404 for an instance next hop that does not exist', async () => {
    const s = await withConnection();

    const err = await sdkError(
      s.client.createRouteEntry(
        new CreateRouteEntryRequest({
          regionId: DUAL,
          routeTableId: s.net.systemTableId,
          destinationCidrBlock: '10.0.0.0/8',
          nextHopType: 'Instance',
          nextHopId: 'i-nope',
        }),
      ),
    );

    expect(err.code).toBe('InvalidInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('deletes by table and destination: Deleting, then gone', async () => {
    const s = await withConnection();
    await s.client.createRouteEntry(routeRequest(s, '172.80.64.0/19'));
    advance(sim().sim, 'alibaba.routeEntry.create');

    await s.client.deleteRouteEntry(
      new DeleteRouteEntryRequest({
        regionId: DUAL,
        routeTableId: s.net.systemTableId,
        destinationCidrBlock: '172.80.64.0/19',
        nextHopId: s.gw,
      }),
    );
    const [deleting] = await systemEntries(s, '172.80.64.0/19');
    advance(sim().sim, 'alibaba.routeEntry.delete');

    expect(deleting?.status).toBe('Deleting');
    expect(await systemEntries(s, '172.80.64.0/19')).toEqual([]);
  });

  it('deletes only Available entries', async () => {
    const s = await withConnection();
    const r = await s.client.createRouteEntry(routeRequest(s, '172.80.64.0/19'));

    const err = await sdkError(
      s.client.deleteRouteEntry(new DeleteRouteEntryRequest({ regionId: DUAL, routeEntryId: r.body?.routeEntryId })),
    );

    expect(err.code).toBe('IncorrectRouteEntryStatus');
  });

  it('answers 404 InvalidRouteEntry.NotFound for an unknown entry', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .deleteRouteEntry(new DeleteRouteEntryRequest({ regionId: DUAL, routeEntryId: 'rte-nope' })),
    );

    expect(err.code).toBe('InvalidRouteEntry.NotFound');
    expect(err.statusCode).toBe(404);
  });
});

describe('DescribeRouteEntryList', () => {
  it('pages with MaxResult and NextToken and filters by type', async () => {
    const s = await withConnection();
    for (const dest of ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']) {
      await s.client.createRouteEntry(routeRequest(s, dest));
      advance(sim().sim, 'alibaba.routeEntry.create');
    }
    const req = (nextToken?: string) =>
      new DescribeRouteEntryListRequest({
        regionId: DUAL,
        routeTableId: s.net.systemTableId,
        routeEntryType: 'Custom',
        maxResult: 2,
        nextToken,
      });

    const first = await s.client.describeRouteEntryList(req());
    const second = await s.client.describeRouteEntryList(req(first.body?.nextToken));
    const system = await s.client.describeRouteEntryList(
      new DescribeRouteEntryListRequest({
        regionId: DUAL,
        routeTableId: s.net.systemTableId,
        routeEntryType: 'System',
      }),
    );

    expect(first.body?.totalCount).toBe(3);
    expect(first.body?.routeEntrys?.routeEntry?.map((e) => e.destinationCidrBlock)).toEqual([
      '10.1.0.0/16',
      '10.2.0.0/16',
    ]);
    expect(first.body?.nextToken).not.toBe('');
    expect(second.body?.routeEntrys?.routeEntry?.map((e) => e.destinationCidrBlock)).toEqual(['10.3.0.0/16']);
    expect(second.body?.nextToken).toBe('');
    expect(system.body?.routeEntrys?.routeEntry?.map((e) => e.destinationCidrBlock)).toEqual([
      '192.168.1.0/24',
      '192.168.2.0/24',
    ]);
  });

  it('requires RouteTableId', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .describeRouteEntryList(new DescribeRouteEntryListRequest({ regionId: DUAL })),
    );

    expect(err.code).toBe('MissingParameter');
  });
});

describe('network views', () => {
  it('DescribeVpcs lists the seeded VPC with its vSwitches and route table', async () => {
    const net = seeded(sim().sim, SINGLE);

    const r = await sim()
      .alibaba(SINGLE)
      .describeVpcs(new DescribeVpcsRequest({ regionId: SINGLE, vpcId: net.vpcId }));
    const vpc = r.body?.vpcs?.vpc?.[0];

    expect(r.body?.totalCount).toBe(1);
    expect(vpc?.cidrBlock).toBe('192.168.0.0/16');
    expect(vpc?.regionId).toBe(SINGLE);
    expect(vpc?.vSwitchIds?.vSwitchId).toEqual(net.vswitchIds);
    expect(vpc?.routerTableIds?.routerTableIds).toEqual([net.systemTableId]);
  });

  it('DescribeVSwitches filters by VPC and zone', async () => {
    const net = seeded(sim().sim, DUAL);

    const all = await sim()
      .alibaba(DUAL)
      .describeVSwitches(new DescribeVSwitchesRequest({ regionId: DUAL, vpcId: net.vpcId }));
    const zoneB = await sim()
      .alibaba(DUAL)
      .describeVSwitches(new DescribeVSwitchesRequest({ regionId: DUAL, zoneId: 'eu-central-1b' }));

    expect(all.body?.totalCount).toBe(2);
    expect(all.body?.vSwitches?.vSwitch?.map((v) => v.zoneId)).toEqual(['eu-central-1a', 'eu-central-1b']);
    expect(zoneB.body?.vSwitches?.vSwitch?.map((v) => v.vSwitchId)).toEqual([net.vswitchIds[1]]);
    expect(zoneB.body?.vSwitches?.vSwitch?.[0]?.availableIpAddressCount).toBe(252);
  });

  it('DescribeRouteTableList lists the system route table of the VPC', async () => {
    const net = seeded(sim().sim, DUAL);

    const r = await sim()
      .alibaba(DUAL)
      .describeRouteTableList(
        new DescribeRouteTableListRequest({ regionId: DUAL, vpcId: net.vpcId, routeTableType: 'System' }),
      );
    const table = r.body?.routerTableList?.routerTableListType?.[0];

    expect(r.body?.totalCount).toBe(1);
    expect(table?.routeTableId).toBe(net.systemTableId);
    expect(table?.routeTableType).toBe('System');
    expect(table?.vSwitchIds?.vSwitchId).toEqual(net.vswitchIds);
  });

  it('DescribeVpcs pages with PageSize', async () => {
    const r = await sim()
      .alibaba(DUAL)
      .describeVpcs(new DescribeVpcsRequest({ regionId: DUAL, pageNumber: 2, pageSize: 1 }));

    expect(r.body?.totalCount).toBe(1);
    expect(r.body?.vpcs?.vpc).toEqual([]);
  });
});
