import {
  CreateVpnGatewayRequest,
  DeleteVpnGatewayRequest,
  DescribeVpnGatewayAvailableZonesRequest,
  DescribeVpnGatewayRequest,
  DescribeVpnGatewaysRequest,
} from '@alicloud/vpc20160428';
import { DEFAULT_LAG } from '../../sim';
import type { AliRegionState } from '../../sim/types';
import { useSimulator } from '../helpers/sim';
import {
  advance,
  createCgw,
  createDualConnection,
  createGateway,
  DUAL,
  SINGLE,
  sdkError,
  seeded,
} from './alibaba-fixtures';

// VPN gateways through the real @alicloud/vpc20160428 client. Time only moves through sim.advance().
const sim = useSimulator({ timeScale: 1 });
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ lag: { ...DEFAULT_LAG } });
});

function gatewayRequest(regionId: string, extra: Partial<CreateVpnGatewayRequest> = {}): CreateVpnGatewayRequest {
  const net = seeded(sim().sim, regionId);
  return new CreateVpnGatewayRequest({
    regionId,
    vpcId: net.vpcId,
    vSwitchId: net.vswitchIds[0],
    disasterRecoveryVSwitchId: net.vswitchIds[1],
    bandwidth: 10,
    instanceChargeType: 'POSTPAY',
    autoPay: true,
    ...extra,
  });
}

async function describe1(regionId: string, vpnGatewayId: string) {
  const r = await sim().alibaba(regionId).describeVpnGateway(new DescribeVpnGatewayRequest({ regionId, vpnGatewayId }));
  return r.body;
}

describe('CreateVpnGateway in a dual-tunnel region', () => {
  it('creates a dual-tunnel gateway (Traditional product, disaster-recovery vSwitch and IP) that becomes active with two distinct public IPs', async () => {
    const client = sim().alibaba(DUAL);
    const net = seeded(sim().sim, DUAL);

    const created = await client.createVpnGateway(gatewayRequest(DUAL, { name: 'gw-eu' }));
    const before = await describe1(DUAL, created.body?.vpnGatewayId ?? '');
    advance(sim().sim, 'alibaba.vpnGateway.create');
    const after = await describe1(DUAL, created.body?.vpnGatewayId ?? '');

    expect(created.body?.vpnGatewayId).toMatch(/^vpn-[a-z0-9]{21}$/);
    expect(created.body?.orderId).toEqual(expect.any(Number));
    expect(created.body?.name).toBe('gw-eu');
    expect(before?.status).toBe('provisioning');
    expect(before?.internetIp).toBe('');
    expect(before?.disasterRecoveryInternetIp).toBe('');
    expect(after?.status).toBe('active');
    expect(after?.internetIp).toMatch(IPV4);
    expect(after?.disasterRecoveryInternetIp).toMatch(IPV4);
    expect(after?.disasterRecoveryInternetIp).not.toBe(after?.internetIp);
    expect(after?.gatewayType).toBe('Traditional');
    expect(after?.vSwitchId).toBe(net.vswitchIds[0]);
    expect(after?.disasterRecoveryVSwitchId).toBe(net.vswitchIds[1]);
    expect(after?.spec).toBe('10');
    expect(after?.ipsecVpn).toBe('enable');
    expect(after?.sslVpn).toBe('disable');
    expect(after?.businessStatus).toBe('Normal');
    expect(JSON.parse(after?.tag ?? '{}')).toMatchObject({ VpnEnableBgp: 'true' });
    expect(after?.tags?.tag).toEqual([]);
  });

  it('leaves an unpaid order (AutoPay omitted) in init without IPs', async () => {
    const client = sim().alibaba(DUAL);

    const created = await client.createVpnGateway(gatewayRequest(DUAL, { autoPay: undefined }));
    sim().sim.advance(3600);
    const gw = await describe1(DUAL, created.body?.vpnGatewayId ?? '');

    expect(gw?.status).toBe('init');
    expect(gw?.internetIp).toBe('');
  });

  it('returns the first result for a repeated ClientToken with the same parameters', async () => {
    const client = sim().alibaba(DUAL);

    const first = await client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-1', name: 'first' }));
    const again = await client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-1', name: 'first' }));
    advance(sim().sim, 'alibaba-vpc.list');
    const list = await client.describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL }));

    expect(again.body?.vpnGatewayId).toBe(first.body?.vpnGatewayId);
    expect(again.body?.orderId).toBe(first.body?.orderId);
    expect(again.body?.name).toBe('first');
    expect(again.body?.requestId).not.toBe(first.body?.requestId);
    expect(list.body?.totalCount).toBe(1);
  });

  it('refuses a repeated ClientToken with other parameters (IdempotentParameterMismatch) and creates nothing', async () => {
    const client = sim().alibaba(DUAL);

    await client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-2', name: 'first' }));
    const err = await sdkError(client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-2', name: 'second' })));
    advance(sim().sim, 'alibaba-vpc.list');
    const list = await client.describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL }));

    expect(err.code).toBe('IdempotentParameterMismatch');
    expect(err.statusCode).toBe(400);
    expect(list.body?.totalCount).toBe(1);
  });

  it('answers a repeated ClientToken with the first result even after that gateway was deleted, creating nothing', async () => {
    const client = sim().alibaba(DUAL);
    const first = await client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-3' }));
    const id = first.body?.vpnGatewayId ?? '';
    advance(sim().sim, 'alibaba.vpnGateway.create');
    await client.deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: id }));
    advance(sim().sim, 'alibaba.vpnGateway.delete');

    const again = await client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-3' }));
    advance(sim().sim, 'alibaba-vpc.list');
    const list = await client.describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL }));

    expect(again.body?.vpnGatewayId).toBe(id);
    expect(list.body?.totalCount).toBe(0);
  });

  it('leaves a new gateway out of DescribeVpnGateways until the alibaba-vpc.list lag has passed', async () => {
    const client = sim().alibaba(DUAL);
    sim().sim.configure({ lag: { 'alibaba-vpc.list': 30 } });

    const created = await client.createVpnGateway(gatewayRequest(DUAL, { name: 'lagging' }));
    const early = await client.describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL }));
    const byId = await describe1(DUAL, created.body?.vpnGatewayId ?? '');
    sim().sim.advance(31);
    const later = await client.describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL }));

    expect(early.body?.totalCount).toBe(0);
    expect(byId?.vpnGatewayId).toBe(created.body?.vpnGatewayId);
    expect(later.body?.vpnGateways?.vpnGateway?.map((g) => g.vpnGatewayId)).toEqual([created.body?.vpnGatewayId]);
  });

  it('answers a retry after a lost response with the gateway the first call created', async () => {
    const client = sim().alibaba(DUAL);
    sim().sim.faults.add({ service: 'alibaba-vpc', action: 'CreateVpnGateway', kind: 'lost-response' });

    const lost = await sdkError(client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-lost' })));
    const retry = await client.createVpnGateway(gatewayRequest(DUAL, { clientToken: 'tok-lost' }));
    advance(sim().sim, 'alibaba-vpc.list');
    const list = await client.describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL }));

    expect(lost.statusCode).toBe(503);
    expect(list.body?.totalCount).toBe(1);
    expect(list.body?.vpnGateways?.vpnGateway?.[0]?.vpnGatewayId).toBe(retry.body?.vpnGatewayId);
  });

  it('requires DisasterRecoveryVSwitchId', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createVpnGateway(gatewayRequest(DUAL, { disasterRecoveryVSwitchId: undefined })),
    );

    expect(err.code).toBe('MissingParameter');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('"DisasterRecoveryVSwitchId"');
  });

  it('requires VSwitchId', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createVpnGateway(gatewayRequest(DUAL, { vSwitchId: undefined })),
    );

    expect(err.code).toBe('MissingParameter');
    expect(err.message).toContain('"VSwitchId"');
  });

  it('rejects two vSwitches in the same zone', async () => {
    const net = seeded(sim().sim, DUAL);
    const r = sim().sim.ctx.state.alibaba.regions[DUAL] as AliRegionState;
    const first = r.vswitches[net.vswitchIds[0]];
    if (!first) throw new Error('seed changed');
    r.vswitches['vsw-samezone'] = { ...first, VSwitchId: 'vsw-samezone', CidrBlock: '192.168.9.0/24' };

    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createVpnGateway(gatewayRequest(DUAL, { disasterRecoveryVSwitchId: 'vsw-samezone' })),
    );

    expect(err.code).toBe('IllegalParam.DisasterRecoveryVSwitchId');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('different zones');
  });

  it('rejects a vSwitch that does not exist', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createVpnGateway(gatewayRequest(DUAL, { disasterRecoveryVSwitchId: 'vsw-nope' })),
    );

    expect(err.code).toBe('InvalidVSwitchId.NotFound');
    expect(err.statusCode).toBe(404);
    expect(err.message).toContain('DisasterRecoveryVSwitchId');
  });

  it('rejects an unknown VPC', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createVpnGateway(gatewayRequest(DUAL, { vpcId: 'vpc-nope' })),
    );

    expect(err.code).toBe('InvalidVpcId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('rejects a bandwidth the international site does not sell', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createVpnGateway(gatewayRequest(DUAL, { bandwidth: 5 })),
    );

    expect(err.code).toBe('IllegalParam.Bandwidth');
    expect(err.statusCode).toBe(400);
  });

  it('requires a valid Period for a PREPAY order', async () => {
    const client = sim().alibaba(DUAL);

    const missingPeriod = await sdkError(
      client.createVpnGateway(gatewayRequest(DUAL, { instanceChargeType: 'PREPAY' })),
    );
    const badPeriod = await sdkError(
      client.createVpnGateway(gatewayRequest(DUAL, { instanceChargeType: 'PREPAY', period: 10 })),
    );

    expect(missingPeriod.code).toBe('MissingParameter');
    expect(missingPeriod.message).toContain('"Period"');
    expect(badPeriod.code).toBe('IllegalParam.Period');
  });

  it('rejects a name that does not start with a letter', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createVpnGateway(gatewayRequest(DUAL, { name: '1gw' })),
    );

    expect(err.code).toBe('InvalidName');
  });
});

describe('CreateVpnGateway in a single-tunnel region', () => {
  it('creates a Traditional gateway on the VPC first vSwitch with a single IP', async () => {
    const client = sim().alibaba(SINGLE);
    const net = seeded(sim().sim, SINGLE);

    const created = await client.createVpnGateway(
      new CreateVpnGatewayRequest({ regionId: SINGLE, vpcId: net.vpcId, bandwidth: 10, autoPay: true }),
    );
    advance(sim().sim, 'alibaba.vpnGateway.create');
    const gw = await describe1(SINGLE, created.body?.vpnGatewayId ?? '');

    expect(gw?.gatewayType).toBe('Traditional');
    expect(gw?.vSwitchId).toBe(net.vswitchIds[0]);
    expect(gw?.internetIp).toMatch(IPV4);
    expect(gw?.disasterRecoveryInternetIp).toBeUndefined();
    expect(gw?.disasterRecoveryVSwitchId).toBeUndefined();
  });

  it('makes a single-tunnel gateway (no disaster-recovery fields) when given a disaster-recovery vSwitch', async () => {
    const client = sim().alibaba(SINGLE);

    const created = await client.createVpnGateway(gatewayRequest(SINGLE));
    advance(sim().sim, 'alibaba.vpnGateway.create');
    const gw = await describe1(SINGLE, created.body?.vpnGatewayId ?? '');

    expect(gw?.status).toBe('active');
    expect(gw?.internetIp).toMatch(IPV4);
    expect(gw?.disasterRecoveryVSwitchId).toBeUndefined();
    expect(gw?.disasterRecoveryInternetIp).toBeUndefined();
    expect(gw?.gatewayType).toBe('Traditional');
  });

  it('refuses a disaster-recovery vSwitch where the region is configured to (the documentation is silent)', async () => {
    (sim().sim.ctx.state.alibaba.regions[SINGLE] as AliRegionState).singleTunnelDisasterRecoveryVSwitch = 'refused';

    const err = await sdkError(sim().alibaba(SINGLE).createVpnGateway(gatewayRequest(SINGLE)));

    expect(err.code).toBe('IllegalParam.DisasterRecoveryVSwitchId');
    expect(err.statusCode).toBe(400);
  });
});

describe('DescribeVpnGateways', () => {
  it('pages with PageNumber/PageSize and reports TotalCount', async () => {
    const client = sim().alibaba(DUAL);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await createGateway(client, sim().sim, DUAL, { activate: false }));
    advance(sim().sim, 'alibaba-vpc.list');

    const page1 = await client.describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL, pageSize: 2 }));
    const page2 = await client.describeVpnGateways(
      new DescribeVpnGatewaysRequest({ regionId: DUAL, pageSize: 2, pageNumber: 2 }),
    );

    expect(page1.body?.totalCount).toBe(3);
    expect(page1.body?.pageSize).toBe(2);
    expect(page1.body?.vpnGateways?.vpnGateway?.map((g) => g.vpnGatewayId)).toEqual(ids.slice(0, 2));
    expect(page2.body?.pageNumber).toBe(2);
    expect(page2.body?.vpnGateways?.vpnGateway?.map((g) => g.vpnGatewayId)).toEqual(ids.slice(2));
  });

  it('filters by VpnGatewayId and Status', async () => {
    const client = sim().alibaba(DUAL);
    const active = await createGateway(client, sim().sim, DUAL);
    await createGateway(client, sim().sim, DUAL, { activate: false });
    advance(sim().sim, 'alibaba-vpc.list');

    const byId = await client.describeVpnGateways(
      new DescribeVpnGatewaysRequest({ regionId: DUAL, vpnGatewayId: active }),
    );
    const byStatus = await client.describeVpnGateways(
      new DescribeVpnGatewaysRequest({ regionId: DUAL, status: 'provisioning' }),
    );

    expect(byId.body?.vpnGateways?.vpnGateway?.map((g) => g.vpnGatewayId)).toEqual([active]);
    expect(byId.body?.vpnGateways?.vpnGateway?.[0]?.internetIp).toMatch(IPV4);
    expect(byStatus.body?.totalCount).toBe(1);
    expect(byStatus.body?.vpnGateways?.vpnGateway?.[0]?.vpnGatewayId).not.toBe(active);
  });

  it('rejects a PageSize above 50', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL, pageSize: 51 })),
    );

    expect(err.code).toBe('IllegalParam.PageSize');
  });
});

describe('DeleteVpnGateway', () => {
  it('moves an active gateway to deleting, then it is gone', async () => {
    const client = sim().alibaba(DUAL);
    const id = await createGateway(client, sim().sim, DUAL);

    await client.deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: id }));
    const during = await describe1(DUAL, id);
    advance(sim().sim, 'alibaba.vpnGateway.delete');
    const err = await sdkError(describe1(DUAL, id));

    expect(during?.status).toBe('deleting');
    expect(err.code).toBe('InvalidVpnGatewayInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('refuses to delete a gateway that still has IPsec connections', async () => {
    const client = sim().alibaba(DUAL);
    const id = await createGateway(client, sim().sim, DUAL);
    const cgws: [string, string] = [await createCgw(client, DUAL, '3.3.3.1'), await createCgw(client, DUAL, '3.3.3.2')];
    await createDualConnection(client, sim().sim, id, cgws);

    const err = await sdkError(
      client.deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: id })),
    );

    expect(err.code).toBe('DependencyViolation.VpnConnection');
    expect(err.statusCode).toBe(400);
  });

  it('refuses to delete a gateway that is still provisioning', async () => {
    const client = sim().alibaba(DUAL);
    const id = await createGateway(client, sim().sim, DUAL, { activate: false });

    const err = await sdkError(
      client.deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: id })),
    );

    expect(err.code).toBe('IncorrectStatus.VpnGateway');
    expect(err.statusCode).toBe(400);
  });

  it('refuses to release a subscription gateway inside its term', async () => {
    const client = sim().alibaba(DUAL);
    const created = await client.createVpnGateway(gatewayRequest(DUAL, { instanceChargeType: 'PREPAY', period: 1 }));
    advance(sim().sim, 'alibaba.vpnGateway.create');

    const err = await sdkError(
      client.deleteVpnGateway(
        new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: created.body?.vpnGatewayId ?? '' }),
      ),
    );

    expect(err.code).toBe('ForbiddenRelease');
    expect(err.statusCode).toBe(403);
  });

  it('answers 404 for an unknown gateway', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: 'vpn-nope' })),
    );

    expect(err.code).toBe('InvalidVpnGatewayInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
  });
});

describe('DescribeVpnGatewayAvailableZones', () => {
  const zones = async (regionId: string, gatewayType?: string) => {
    const r = await sim()
      .alibaba(regionId)
      .describeVpnGatewayAvailableZones(
        new DescribeVpnGatewayAvailableZonesRequest({ regionId, spec: '10M', gatewayType }),
      );
    return r.body?.availableZoneIdList?.map((z) => z.zoneId);
  };

  it('lists the zones for Traditional gateways (what CreateVpnGateway makes) in single- and dual-tunnel regions alike', async () => {
    expect(await zones(DUAL, 'Traditional')).toEqual(['eu-central-1a', 'eu-central-1b']);
    expect(await zones(SINGLE, 'Traditional')).toEqual(['me-east-1a', 'me-east-1b']);
    expect(await zones(DUAL)).toEqual(['eu-central-1a', 'eu-central-1b']);
  });

  it('lists no zones for Enhanced.SiteToSite (IPsec-only) gateways where that product is not offered, whatever the tunnel mode', async () => {
    expect(await zones(DUAL, 'Enhanced.SiteToSite')).toEqual([]);
    expect(await zones(SINGLE, 'Enhanced.SiteToSite')).toEqual([]);
  });

  it('requires Spec', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .describeVpnGatewayAvailableZones(new DescribeVpnGatewayAvailableZonesRequest({ regionId: DUAL })),
    );

    expect(err.code).toBe('MissingParameter');
  });
});
