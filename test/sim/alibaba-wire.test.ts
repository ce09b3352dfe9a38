import { $OpenApiUtil, ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import VpcClient, { DescribeVpcsRequest, DescribeVpnConnectionRequest } from '@alicloud/vpc20160428';
import { useSimulator } from '../helpers/sim';
import { createCgw, createGateway, DUAL, sdkError } from './alibaba-fixtures';

// The wire protocol around the handlers: error bodies, faults, the legacy signature-v2 path, form bodies.
const sim = useSimulator({ timeScale: 1 });

beforeEach(() => sim().sim.reset());

describe('Alibaba VPC errors on the wire', () => {
  it('surfaces injected throttling as the SDK ThrottlingError (Throttling.User, 400)', async () => {
    sim().sim.faults.add({ service: 'alibaba-vpc', action: 'DescribeVpcs', kind: 'throttle' });

    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .describeVpcs(new DescribeVpcsRequest({ regionId: DUAL })),
    );

    expect(err).toBeInstanceOf(ThrottlingError);
    expect(err.name).toBe('ThrottlingError');
    expect(err.code).toBe('Throttling.User');
    expect(err.statusCode).toBe(400);
  });

  it('surfaces an injected server error as ServerError ServiceUnavailable 503', async () => {
    sim().sim.faults.add({ service: 'alibaba-vpc', action: 'DescribeVpcs', kind: 'error' });

    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .describeVpcs(new DescribeVpcsRequest({ regionId: DUAL })),
    );

    expect(err).toBeInstanceOf(ServerError);
    expect(err.code).toBe('ServiceUnavailable');
    expect(err.statusCode).toBe(503);
  });

  it('renders provider errors as ClientError with the documented JSON body', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .describeVpnConnection(new DescribeVpnConnectionRequest({ regionId: DUAL, vpnConnectionId: 'vco-nope' })),
    );

    expect(err).toBeInstanceOf(ClientError);
    expect(err.code).toBe('InvalidVpnConnectionInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
    expect(err.data).toEqual({
      RequestId: expect.any(String),
      HostId: 'vpc.aliyuncs.com',
      Code: 'InvalidVpnConnectionInstanceId.NotFound',
      Message: expect.stringContaining('vco-nope'),
      Recommend: 'https://api.aliyun.com/troubleshoot?q=InvalidVpnConnectionInstanceId.NotFound',
    });
  });

  it('answers an unknown region with InvalidRegionId.NotFound', async () => {
    const err = await sdkError(
      sim()
        .alibaba('ap-nowhere-1')
        .describeVpcs(new DescribeVpcsRequest({ regionId: 'ap-nowhere-1' })),
    );

    expect(err.code).toBe('InvalidRegionId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('answers an unknown action with 404 InvalidAction.NotFound', async () => {
    const res = await fetch(`${sim().sim.url}/?RegionId=${DUAL}`, {
      method: 'POST',
      headers: { 'x-acs-action': 'DescribeNothing', 'x-acs-version': '2016-04-28' },
    });
    const body = (await res.json()) as Record<string, unknown>;

    expect(res.status).toBe(404);
    expect(body.Code).toBe('InvalidAction.NotFound');
    expect(body.RequestId).toBe(res.headers.get('x-acs-request-id'));
  });
});

describe('Alibaba VPC legacy and form-body requests', () => {
  it('serves a raw legacy GET with Action and Version in the query string', async () => {
    const q = new URLSearchParams({
      Action: 'DescribeVpcs',
      Version: '2016-04-28',
      RegionId: DUAL,
      Format: 'JSON',
      AccessKeyId: 'LTAItest',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'n-1',
      Timestamp: '2026-01-01T00:00:00Z',
      Signature: 'c2lnbmF0dXJl',
    });

    const res = await fetch(`${sim().sim.url}/?${q.toString()}`);
    const body = (await res.json()) as {
      Vpcs: { Vpc: Array<{ VpcId: string; CidrBlock: string }> };
      TotalCount: number;
    };

    expect(res.status).toBe(200);
    expect(body.TotalCount).toBe(1);
    expect(body.Vpcs.Vpc[0]?.CidrBlock).toBe('192.168.0.0/16');
  });

  it('serves the SDK configured for signature v2', async () => {
    const client = new VpcClient(
      new $OpenApiUtil.Config({
        accessKeyId: 'LTAItest',
        accessKeySecret: 'test-secret',
        regionId: DUAL,
        endpoint: sim().sim.url.replace(/^http:\/\//, ''),
        protocol: 'http',
        signatureAlgorithm: 'v2',
      }),
    );

    const r = await client.describeVpcs(new DescribeVpcsRequest({ regionId: DUAL }));

    expect(r.body?.vpcs?.vpc?.[0]?.vpcId).toMatch(/^vpc-/);
  });

  it('rebuilds TunnelOptionsSpecification from a form-encoded CreateVpnConnection body', async () => {
    const client = sim().alibaba(DUAL);
    const gw = await createGateway(client, sim().sim, DUAL);
    const [c1, c2] = [await createCgw(client, DUAL, '3.3.3.1'), await createCgw(client, DUAL, '3.3.3.2')];
    const query = new URLSearchParams({
      RegionId: DUAL,
      VpnGatewayId: gw,
      LocalSubnet: '0.0.0.0/0',
      RemoteSubnet: '0.0.0.0/0',
      EffectImmediately: 'true',
    });
    const form = new URLSearchParams({
      'TunnelOptionsSpecification.1.CustomerGatewayId': c1,
      'TunnelOptionsSpecification.1.Role': 'master',
      'TunnelOptionsSpecification.1.TunnelIkeConfig.IkeVersion': 'ikev2',
      'TunnelOptionsSpecification.1.TunnelIkeConfig.IkeLifetime': '28800',
      'TunnelOptionsSpecification.1.TunnelIkeConfig.Psk': 'key.one_1',
      'TunnelOptionsSpecification.1.TunnelIpsecConfig.IpsecPfs': 'group14',
      'TunnelOptionsSpecification.2.CustomerGatewayId': c2,
      'TunnelOptionsSpecification.2.Role': 'slave',
      'TunnelOptionsSpecification.2.EnableDpd': 'false',
    });

    const res = await fetch(`${sim().sim.url}/?${query.toString()}`, {
      method: 'POST',
      headers: {
        'x-acs-action': 'CreateVpnConnection',
        'x-acs-version': '2016-04-28',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    });
    const created = (await res.json()) as { VpnConnectionId: string };
    const d = await client.describeVpnConnection(
      new DescribeVpnConnectionRequest({ regionId: DUAL, vpnConnectionId: created.VpnConnectionId }),
    );
    const [master, slave] = d.body?.tunnelOptionsSpecification?.tunnelOptions ?? [];

    expect(res.status).toBe(200);
    expect(d.body?.effectImmediately).toBe(true);
    expect(master?.customerGatewayId).toBe(c1);
    expect(master?.tunnelIkeConfig?.ikeVersion).toBe('ikev2');
    expect(master?.tunnelIkeConfig?.ikeLifetime).toBe('28800');
    expect(master?.tunnelIkeConfig?.psk).toBe('key.one_1');
    expect(master?.tunnelIpsecConfig?.ipsecPfs).toBe('group14');
    expect(slave?.customerGatewayId).toBe(c2);
    expect(slave?.enableDpd).toBe('false');
    expect(slave?.tunnelIkeConfig?.ikeVersion).toBe('ikev1');
  });
});
