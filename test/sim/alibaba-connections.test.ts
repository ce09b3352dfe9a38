import type VpcClient from '@alicloud/vpc20160428';
import {
  CreateVpnConnectionRequest,
  CreateVpnConnectionRequestTags,
  DeleteVpnConnectionRequest,
  DescribeVpnConnectionRequest,
  DescribeVpnConnectionsRequest,
  DescribeVpnGatewayRequest,
  ModifyVpnConnectionAttributeRequest,
  ModifyVpnConnectionAttributeRequestTunnelOptionsSpecification,
  ModifyVpnConnectionAttributeRequestTunnelOptionsSpecificationTunnelIkeConfig,
} from '@alicloud/vpc20160428';
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
  tunnelSpec,
} from './alibaba-fixtures';

// IPsec connections through the real SDK: both modes, defaults, validation, per-gateway serialization.
const sim = useSimulator({ timeScale: 1 });

beforeEach(() => sim().sim.reset());

async function dualSetup(): Promise<{ client: VpcClient; gw: string; cgws: [string, string] }> {
  const client = sim().alibaba(DUAL);
  const gw = await createGateway(client, sim().sim, DUAL);
  const cgws: [string, string] = [
    await createCgw(client, DUAL, '34.194.44.159'),
    await createCgw(client, DUAL, '3.3.3.2'),
  ];
  return { client, gw, cgws };
}

async function singleSetup(): Promise<{ client: VpcClient; gw: string; cgw: string }> {
  const client = sim().alibaba(SINGLE);
  const gw = await createGateway(client, sim().sim, SINGLE);
  return { client, gw, cgw: await createCgw(client, SINGLE, '34.194.44.159') };
}

async function describeConn(client: VpcClient, regionId: string, vpnConnectionId: string) {
  return (await client.describeVpnConnection(new DescribeVpnConnectionRequest({ regionId, vpnConnectionId }))).body;
}

async function gatewayStatus(client: VpcClient, regionId: string, vpnGatewayId: string) {
  return (await client.describeVpnGateway(new DescribeVpnGatewayRequest({ regionId, vpnGatewayId }))).body;
}

function dualRequest(gw: string, cgws: [string, string], extra: Partial<CreateVpnConnectionRequest> = {}) {
  return new CreateVpnConnectionRequest({
    regionId: DUAL,
    vpnGatewayId: gw,
    localSubnet: '0.0.0.0/0',
    remoteSubnet: '0.0.0.0/0',
    tunnelOptionsSpecification: [tunnelSpec('master', cgws[0]), tunnelSpec('slave', cgws[1])],
    ...extra,
  });
}

describe('CreateVpnConnection on a dual-tunnel gateway', () => {
  it('builds a master tunnel from InternetIp and a slave tunnel from DisasterRecoveryInternetIp', async () => {
    const { client, gw, cgws } = await dualSetup();
    const gateway = await gatewayStatus(client, DUAL, gw);

    const created = await client.createVpnConnection(dualRequest(gw, cgws, { name: 'to-aws' }));
    const id = created.body?.vpnConnectionId ?? '';
    const during = await describeConn(client, DUAL, id);
    const gwDuring = await gatewayStatus(client, DUAL, gw);
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const after = await describeConn(client, DUAL, id);
    const gwAfter = await gatewayStatus(client, DUAL, gw);
    const [master, slave] = after?.tunnelOptionsSpecification?.tunnelOptions ?? [];

    expect(id).toMatch(/^vco-[a-z0-9]{21}$/);
    expect(created.body?.name).toBe('to-aws');
    expect(created.body?.createTime).toEqual(expect.any(Number));
    expect(during?.state).toBe('init');
    expect(gwDuring?.status).toBe('updating');
    expect(after?.state).toBe('active');
    expect(after?.status).toBe('ike_sa_not_established');
    expect(gwAfter?.status).toBe('active');
    expect(master?.role).toBe('master');
    expect(master?.tunnelIndex).toBe(1);
    expect(master?.tunnelId).toMatch(/^tun-/);
    expect(master?.customerGatewayId).toBe(cgws[0]);
    expect(master?.internetIp).toBe(gateway?.internetIp);
    expect(master?.zoneNo).toBe('eu-central-1a');
    expect(master?.state).toBe('active');
    expect(master?.status).toBe('ike_sa_not_established');
    expect(slave?.role).toBe('slave');
    expect(slave?.tunnelIndex).toBe(2);
    expect(slave?.customerGatewayId).toBe(cgws[1]);
    expect(slave?.internetIp).toBe(gateway?.disasterRecoveryInternetIp);
    expect(slave?.zoneNo).toBe('eu-central-1b');
    expect(after?.ikeConfig).toBeUndefined();
  });

  it('applies the documented defaults to absent settings', async () => {
    const { client, gw, cgws } = await dualSetup();
    const gateway = await gatewayStatus(client, DUAL, gw);

    const id = await createDualConnection(client, sim().sim, gw, cgws);
    const d = await describeConn(client, DUAL, id);
    const master = d?.tunnelOptionsSpecification?.tunnelOptions?.[0];

    expect(d?.effectImmediately).toBe(false);
    expect(master?.enableDpd).toBe('true');
    expect(master?.enableNatTraversal).toBe('true');
    expect(master?.tunnelIkeConfig).toMatchObject({
      ikeVersion: 'ikev1',
      ikeMode: 'main',
      ikeEncAlg: 'aes',
      ikeAuthAlg: 'md5',
      ikePfs: 'group2',
      ikeLifetime: '86400',
      localId: gateway?.internetIp,
      remoteId: '34.194.44.159',
    });
    expect(master?.tunnelIkeConfig?.psk).toHaveLength(16);
    expect(master?.tunnelIpsecConfig).toMatchObject({
      ipsecEncAlg: 'aes',
      ipsecAuthAlg: 'md5',
      ipsecPfs: 'group2',
      ipsecLifetime: '86400',
    });
  });

  it.each([
    ['IkeEncAlg', { ikeEncAlg: 'aes512' }],
    ['IkeAuthAlg', { ikeAuthAlg: 'sha3' }],
    ['IkePfs', { ikePfs: 'group3' }],
    ['IkeMode', { ikeMode: 'quick' }],
    ['IkeVersion', { ikeVersion: 'ikev3' }],
    ['IkeLifetime', { ikeLifetime: 86401 }],
  ])('rejects an invalid %s naming the tunnel field', async (field, ike) => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(
      client.createVpnConnection(
        dualRequest(gw, cgws, {
          tunnelOptionsSpecification: [tunnelSpec('master', cgws[0], ike), tunnelSpec('slave', cgws[1])],
        }),
      ),
    );

    expect(err.code).toBe(`IllegalParam.${field}`);
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain(`TunnelOptionsSpecification.1.TunnelIkeConfig.${field}`);
  });

  it('rejects an invalid IpsecPfs naming the tunnel field', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(
      client.createVpnConnection(
        dualRequest(gw, cgws, {
          tunnelOptionsSpecification: [
            tunnelSpec('master', cgws[0]),
            tunnelSpec('slave', cgws[1], {}, { ipsecPfs: 'group9' }),
          ],
        }),
      ),
    );

    expect(err.code).toBe('IllegalParam.IpsecPfs');
    expect(err.message).toContain('TunnelOptionsSpecification.2.TunnelIpsecConfig.IpsecPfs');
  });

  it('rejects a PSK with a space without echoing it', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(
      client.createVpnConnection(
        dualRequest(gw, cgws, {
          tunnelOptionsSpecification: [
            tunnelSpec('master', cgws[0], { psk: 'secret key' }),
            tunnelSpec('slave', cgws[1]),
          ],
        }),
      ),
    );

    expect(err.code).toBe('IllegalParam.Psk');
    expect(err.message).not.toContain('secret key');
  });

  it('rejects single-tunnel parameters with VpnConnection.InvalidCreateTunnelOptions', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(
      client.createVpnConnection(
        new CreateVpnConnectionRequest({
          regionId: DUAL,
          vpnGatewayId: gw,
          localSubnet: '0.0.0.0/0',
          remoteSubnet: '0.0.0.0/0',
          customerGatewayId: cgws[0],
          ikeConfig: JSON.stringify({ IkeVersion: 'ikev2' }),
        }),
      ),
    );

    expect(err.code).toBe('VpnConnection.InvalidCreateTunnelOptions');
    expect(err.statusCode).toBe(400);
  });

  it('needs one master and one slave tunnel', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(
      client.createVpnConnection(
        dualRequest(gw, cgws, {
          tunnelOptionsSpecification: [tunnelSpec('master', cgws[0]), tunnelSpec('master', cgws[1])],
        }),
      ),
    );

    expect(err.code).toBe('VpnConnection.InvalidCreateTunnelOptions');
  });

  it('needs ikev2 when a side has several CIDR blocks', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(
      client.createVpnConnection(dualRequest(gw, cgws, { localSubnet: '192.168.1.0/24,192.168.2.0/24' })),
    );

    expect(err.code).toBe('IllegalParam.IkeVersion');
  });

  it('rejects a malformed subnet', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(client.createVpnConnection(dualRequest(gw, cgws, { remoteSubnet: '172.80.64.0/33' })));

    expect(err.code).toBe('IllegalParam.RemoteSubnet');
  });

  it('requires LocalSubnet', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(client.createVpnConnection(dualRequest(gw, cgws, { localSubnet: undefined })));

    expect(err.code).toBe('MissingParameter');
    expect(err.message).toContain('"LocalSubnet"');
  });

  it('answers 404 for a tunnel customer gateway that does not exist', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(
      client.createVpnConnection(
        dualRequest(gw, cgws, {
          tunnelOptionsSpecification: [tunnelSpec('master', cgws[0]), tunnelSpec('slave', 'cgw-nope')],
        }),
      ),
    );

    expect(err.code).toBe('InvalidCustomerGatewayInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('rejects a second change while the gateway is updating and accepts it afterwards', async () => {
    const { client, gw, cgws } = await dualSetup();
    const more: [string, string] = [await createCgw(client, DUAL, '3.3.3.3'), await createCgw(client, DUAL, '3.3.3.4')];
    await createDualConnection(client, sim().sim, gw, cgws, { settle: false });

    const err = await sdkError(client.createVpnConnection(dualRequest(gw, more)));
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const retried = await client.createVpnConnection(dualRequest(gw, more));

    expect(err.code).toBe('VpnGateway.Configuring');
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('The specified service is configuring.');
    expect(retried.body?.vpnConnectionId).toMatch(/^vco-/);
  });

  it('replays a repeated ClientToken even while the gateway is updating', async () => {
    const { client, gw, cgws } = await dualSetup();

    const first = await client.createVpnConnection(dualRequest(gw, cgws, { clientToken: 'vco-tok' }));
    const again = await client.createVpnConnection(dualRequest(gw, cgws, { clientToken: 'vco-tok' }));
    advance(sim().sim, 'alibaba-vpc.list');
    const list = await client.describeVpnConnections(new DescribeVpnConnectionsRequest({ regionId: DUAL }));

    expect(again.body?.vpnConnectionId).toBe(first.body?.vpnConnectionId);
    expect(list.body?.totalCount).toBe(1);
  });

  it('validates a DryRun request without creating anything', async () => {
    const { client, gw, cgws } = await dualSetup();

    const err = await sdkError(client.createVpnConnection(dualRequest(gw, cgws, { dryRun: true })));
    const list = await client.describeVpnConnections(new DescribeVpnConnectionsRequest({ regionId: DUAL }));
    const gateway = await gatewayStatus(client, DUAL, gw);

    expect(err.code).toBe('DryRunOperation');
    expect(list.body?.totalCount).toBe(0);
    expect(gateway?.status).toBe('active');
  });

  it('refuses a connection on a gateway that is still provisioning', async () => {
    const client = sim().alibaba(DUAL);
    const gw = await createGateway(client, sim().sim, DUAL, { activate: false });
    const cgws: [string, string] = [await createCgw(client, DUAL, '3.3.3.1'), await createCgw(client, DUAL, '3.3.3.2')];

    const err = await sdkError(client.createVpnConnection(dualRequest(gw, cgws)));

    expect(err.code).toBe('IncorrectStatus.VpnGateway');
    expect(err.statusCode).toBe(400);
  });

  it('enforces 10 connections per gateway', async () => {
    const { client, gw } = await dualSetup();
    for (let i = 0; i < 10; i++) {
      const pair: [string, string] = [
        await createCgw(client, DUAL, `5.5.${i}.1`),
        await createCgw(client, DUAL, `5.5.${i}.2`),
      ];
      await createDualConnection(client, sim().sim, gw, pair);
    }
    const extra: [string, string] = [
      await createCgw(client, DUAL, '6.6.6.1'),
      await createCgw(client, DUAL, '6.6.6.2'),
    ];

    const err = await sdkError(client.createVpnConnection(dualRequest(gw, extra)));

    expect(err.code).toBe('Resource.QuotaFull');
  });
});

describe('CreateVpnConnection on a single-tunnel gateway', () => {
  it('reads IkeConfig/IpsecConfig JSON strings and keeps crypto at the top level', async () => {
    const { client, gw, cgw } = await singleSetup();
    const gateway = await gatewayStatus(client, SINGLE, gw);

    const created = await client.createVpnConnection(
      new CreateVpnConnectionRequest({
        regionId: SINGLE,
        vpnGatewayId: gw,
        customerGatewayId: cgw,
        localSubnet: '192.168.0.0/16',
        remoteSubnet: '172.80.64.0/19',
        effectImmediately: true,
        ikeConfig: JSON.stringify({ Psk: 'abc.def_123', IkeAuthAlg: 'sha1', IkeLifetime: 28800 }),
        ipsecConfig: JSON.stringify({ IpsecAuthAlg: 'sha1', IpsecLifetime: '3600' }),
        healthCheckConfig: JSON.stringify({ enable: true, dip: '172.80.64.10', sip: '192.168.1.10' }),
      }),
    );
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const d = await describeConn(client, SINGLE, created.body?.vpnConnectionId ?? '');
    const stored = (sim().sim.ctx.state.alibaba.regions[SINGLE] as AliRegionState).vpnConnections[
      created.body?.vpnConnectionId ?? ''
    ];

    expect(d?.customerGatewayId).toBe(cgw);
    expect(d?.state).toBe('active');
    expect(d?.effectImmediately).toBe(true);
    expect(d?.internetIp).toBe(gateway?.internetIp);
    expect(d?.ikeConfig).toMatchObject({
      psk: 'abc.def_123',
      ikeVersion: 'ikev1',
      ikeAuthAlg: 'sha1',
      ikeLifetime: 28800,
      ikePfs: 'group2',
      remoteId: '34.194.44.159',
    });
    expect(d?.ipsecConfig).toMatchObject({ ipsecAuthAlg: 'sha1', ipsecLifetime: 3600, ipsecEncAlg: 'aes' });
    expect(d?.vcoHealthCheck).toMatchObject({ enable: 'true', dip: '172.80.64.10', interval: 3, retry: 3 });
    expect(d?.tunnelOptionsSpecification).toBeUndefined();
    expect(stored?.Tunnels).toHaveLength(1);
    expect(stored?.Tunnels[0]).toMatchObject({
      Role: 'master',
      InternetIp: gateway?.internetIp,
      CustomerGatewayId: cgw,
    });
  });

  it('defaults the IKE settings to ikev1/md5/86400 when no IkeConfig is sent', async () => {
    const { client, gw, cgw } = await singleSetup();

    const created = await client.createVpnConnection(
      new CreateVpnConnectionRequest({
        regionId: SINGLE,
        vpnGatewayId: gw,
        customerGatewayId: cgw,
        localSubnet: '0.0.0.0/0',
        remoteSubnet: '0.0.0.0/0',
      }),
    );
    const d = await describeConn(client, SINGLE, created.body?.vpnConnectionId ?? '');

    expect(d?.ikeConfig).toMatchObject({ ikeVersion: 'ikev1', ikeAuthAlg: 'md5', ikeLifetime: 86400 });
    expect(d?.ipsecConfig).toMatchObject({ ipsecAuthAlg: 'md5', ipsecLifetime: 86400, ipsecPfs: 'group2' });
  });

  it('rejects TunnelOptionsSpecification with VpnConnection.InvalidCreateTunnelOptions', async () => {
    const { client, gw, cgw } = await singleSetup();

    const err = await sdkError(
      client.createVpnConnection(
        new CreateVpnConnectionRequest({
          regionId: SINGLE,
          vpnGatewayId: gw,
          localSubnet: '0.0.0.0/0',
          remoteSubnet: '0.0.0.0/0',
          tunnelOptionsSpecification: [tunnelSpec('master', cgw), tunnelSpec('slave', cgw)],
        }),
      ),
    );

    expect(err.code).toBe('VpnConnection.InvalidCreateTunnelOptions');
  });

  it('rejects an invalid IkeConfig value naming the field', async () => {
    const { client, gw, cgw } = await singleSetup();

    const err = await sdkError(
      client.createVpnConnection(
        new CreateVpnConnectionRequest({
          regionId: SINGLE,
          vpnGatewayId: gw,
          customerGatewayId: cgw,
          localSubnet: '0.0.0.0/0',
          remoteSubnet: '0.0.0.0/0',
          ikeConfig: JSON.stringify({ IkeEncAlg: 'rc4' }),
        }),
      ),
    );

    expect(err.code).toBe('IllegalParam.IkeEncAlg');
    expect(err.message).toContain('IkeConfig.IkeEncAlg');
  });

  it('refuses the same customer gateway twice on one gateway', async () => {
    const { client, gw, cgw } = await singleSetup();
    const req = new CreateVpnConnectionRequest({
      regionId: SINGLE,
      vpnGatewayId: gw,
      customerGatewayId: cgw,
      localSubnet: '0.0.0.0/0',
      remoteSubnet: '0.0.0.0/0',
    });
    await client.createVpnConnection(req);
    advance(sim().sim, 'alibaba.vpnGateway.update');

    const err = await sdkError(client.createVpnConnection(req));

    expect(err.code).toBe('InvalidVpnConnection.AlreadyExists');
  });
});

describe('DescribeVpnConnections', () => {
  it('filters by gateway and customer gateway, pages, and lists user tags under Tag.Tag', async () => {
    const { client, gw, cgws } = await dualSetup();
    const more: [string, string] = [await createCgw(client, DUAL, '3.3.3.3'), await createCgw(client, DUAL, '3.3.3.4')];
    const first = await client.createVpnConnection(
      dualRequest(gw, cgws, { tags: [new CreateVpnConnectionRequestTags({ key: 'env', value: 'test' })] }),
    );
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const second = await createDualConnection(client, sim().sim, gw, more);

    const byCgw = await client.describeVpnConnections(
      new DescribeVpnConnectionsRequest({ regionId: DUAL, customerGatewayId: more[1] }),
    );
    const page2 = await client.describeVpnConnections(
      new DescribeVpnConnectionsRequest({ regionId: DUAL, vpnGatewayId: gw, pageSize: 1, pageNumber: 2 }),
    );
    const page1 = await client.describeVpnConnections(
      new DescribeVpnConnectionsRequest({ regionId: DUAL, vpnGatewayId: gw, pageSize: 1 }),
    );
    const single = await describeConn(client, DUAL, first.body?.vpnConnectionId ?? '');

    expect(byCgw.body?.vpnConnections?.vpnConnection?.map((c) => c.vpnConnectionId)).toEqual([second]);
    expect(page2.body?.totalCount).toBe(2);
    expect(page2.body?.vpnConnections?.vpnConnection?.map((c) => c.vpnConnectionId)).toEqual([second]);
    const listed = page1.body?.vpnConnections?.vpnConnection?.[0];
    expect(listed?.tag?.tag?.map((t) => [t.key, t.value])).toEqual([['env', 'test']]);
    expect(listed?.tunnelOptionsSpecification?.tunnelOptions).toHaveLength(2);
    expect(listed?.localSubnet).toBe('0.0.0.0/0');
    expect(single?.tags?.tag?.map((t) => [t.key, t.value])).toEqual([['env', 'test']]);
  });
});

describe('ModifyVpnConnectionAttribute', () => {
  it('changes one dual-tunnel tunnel by TunnelId, echoes the connection, and serializes on the gateway', async () => {
    const { client, gw, cgws } = await dualSetup();
    const id = await createDualConnection(client, sim().sim, gw, cgws);
    const before = await describeConn(client, DUAL, id);
    const [master, slave] = before?.tunnelOptionsSpecification?.tunnelOptions ?? [];

    const r = await client.modifyVpnConnectionAttribute(
      new ModifyVpnConnectionAttributeRequest({
        regionId: DUAL,
        vpnConnectionId: id,
        effectImmediately: true,
        tunnelOptionsSpecification: [
          new ModifyVpnConnectionAttributeRequestTunnelOptionsSpecification({
            tunnelId: master?.tunnelId,
            tunnelIkeConfig: new ModifyVpnConnectionAttributeRequestTunnelOptionsSpecificationTunnelIkeConfig({
              ikeVersion: 'ikev2',
              ikeLifetime: 28800,
              psk: 'new.key_1',
            }),
          }),
        ],
      }),
    );
    const busy = await sdkError(
      client.modifyVpnConnectionAttribute(
        new ModifyVpnConnectionAttributeRequest({ regionId: DUAL, vpnConnectionId: id, name: 'later' }),
      ),
    );
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const after = await describeConn(client, DUAL, id);
    const [m2, s2] = after?.tunnelOptionsSpecification?.tunnelOptions ?? [];

    expect(r.body?.vpnConnectionId).toBe(id);
    expect(r.body?.effectImmediately).toBe(true);
    expect(r.body?.tunnelOptionsSpecification?.tunnelOptions?.[0]?.tunnelIkeConfig?.ikeLifetime).toBe(28800);
    expect(busy.code).toBe('VpnGateway.Configuring');
    expect(after?.state).toBe('active');
    expect(m2?.tunnelIkeConfig).toMatchObject({ ikeVersion: 'ikev2', ikeLifetime: '28800', psk: 'new.key_1' });
    expect(m2?.tunnelIkeConfig?.ikeAuthAlg).toBe('md5');
    expect(s2?.tunnelIkeConfig).toEqual(slave?.tunnelIkeConfig);
  });

  it('merges a partial single-tunnel IkeConfig over the current settings', async () => {
    const { client, gw, cgw } = await singleSetup();
    const created = await client.createVpnConnection(
      new CreateVpnConnectionRequest({
        regionId: SINGLE,
        vpnGatewayId: gw,
        customerGatewayId: cgw,
        localSubnet: '0.0.0.0/0',
        remoteSubnet: '0.0.0.0/0',
        ikeConfig: JSON.stringify({ Psk: 'keep.me_1', IkeAuthAlg: 'sha1' }),
      }),
    );
    const id = created.body?.vpnConnectionId ?? '';
    advance(sim().sim, 'alibaba.vpnGateway.update');

    const r = await client.modifyVpnConnectionAttribute(
      new ModifyVpnConnectionAttributeRequest({
        regionId: SINGLE,
        vpnConnectionId: id,
        ikeConfig: JSON.stringify({ IkeLifetime: 28800 }),
      }),
    );

    expect(r.body?.ikeConfig).toMatchObject({ psk: 'keep.me_1', ikeAuthAlg: 'sha1', ikeLifetime: 28800 });
  });

  it('rejects single-tunnel settings on a dual-tunnel connection', async () => {
    const { client, gw, cgws } = await dualSetup();
    const id = await createDualConnection(client, sim().sim, gw, cgws);

    const err = await sdkError(
      client.modifyVpnConnectionAttribute(
        new ModifyVpnConnectionAttributeRequest({
          regionId: DUAL,
          vpnConnectionId: id,
          ikeConfig: '{"IkeVersion":"ikev2"}',
        }),
      ),
    );

    expect(err.code).toBe('VpnConnection.InvalidCreateTunnelOptions');
  });

  it('refuses to swap tunnel roles', async () => {
    const { client, gw, cgws } = await dualSetup();
    const id = await createDualConnection(client, sim().sim, gw, cgws);
    const master = (await describeConn(client, DUAL, id))?.tunnelOptionsSpecification?.tunnelOptions?.[0];

    const err = await sdkError(
      client.modifyVpnConnectionAttribute(
        new ModifyVpnConnectionAttributeRequest({
          regionId: DUAL,
          vpnConnectionId: id,
          tunnelOptionsSpecification: [
            new ModifyVpnConnectionAttributeRequestTunnelOptionsSpecification({
              tunnelId: master?.tunnelId,
              role: 'slave',
            }),
          ],
        }),
      ),
    );

    expect(err.code).toBe('IllegalParam.Role');
  });
});

describe('DeleteVpnConnection', () => {
  it('shows the connection deleting until the gateway applied the change, then it is gone', async () => {
    const { client, gw, cgws } = await dualSetup();
    const id = await createDualConnection(client, sim().sim, gw, cgws);

    await client.deleteVpnConnection(new DeleteVpnConnectionRequest({ regionId: DUAL, vpnConnectionId: id }));
    const during = await describeConn(client, DUAL, id);
    const gwDuring = await gatewayStatus(client, DUAL, gw);
    advance(sim().sim, 'alibaba.vpnGateway.update');
    const err = await sdkError(describeConn(client, DUAL, id));

    expect(during?.state).toBe('deleting');
    expect(gwDuring?.status).toBe('updating');
    expect(err.code).toBe('InvalidVpnConnectionInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('is serialized like other gateway changes', async () => {
    const { client, gw, cgws } = await dualSetup();
    const id = await createDualConnection(client, sim().sim, gw, cgws, { settle: false });

    const err = await sdkError(
      client.deleteVpnConnection(new DeleteVpnConnectionRequest({ regionId: DUAL, vpnConnectionId: id })),
    );

    expect(err.code).toBe('VpnGateway.Configuring');
  });
});
