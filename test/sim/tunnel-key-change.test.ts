import {
  DescribeVpnConnectionRequest,
  ModifyTunnelAttributeRequest,
  ModifyTunnelAttributeRequestTunnelOptionsSpecification,
  ModifyTunnelAttributeRequestTunnelOptionsSpecificationTunnelIkeConfig,
  ModifyVpnConnectionAttributeRequest,
} from '@alicloud/vpc20160428';
import { DescribeVpnConnectionsCommand, ModifyVpnTunnelOptionsCommand } from '@aws-sdk/client-ec2';
import { useSimulator } from '../helpers/sim';
import { failure } from './ec2-fixtures';
import {
  alibabaStatus,
  articleProcedure,
  awsTelemetry,
  DUAL_REGION,
  dualTunnelProcedure,
  SINGLE_REGION,
  simTunnel,
} from './procedure-helpers';

// Changing one tunnel's pre-shared key on both clouds, by hand through the real SDKs, the way a key rotation does it:
// Alibaba's per-tunnel modify (ModifyTunnelAttribute on a dual-tunnel connection, ModifyVpnConnectionAttribute on a
// single-tunnel one), then AWS's ModifyVpnTunnelOptions, which replaces that tunnel's endpoint for
// `aws.vpnTunnel.replace` seconds. The other tunnel stays UP throughout; the changed one comes back with the new key.

const sim = useSimulator({ timeScale: 1 });
beforeEach(() => sim().sim.reset());

const advance = (seconds: number) => sim().sim.advance(seconds);
const latency = (key: 'tunnel.negotiation' | 'aws.vpnTunnel.replace' | 'alibaba.vpnGateway.update') =>
  sim().sim.ctx.latencies[key];
const NEW_KEY = 'Rotated.key_0123456789abcdefghij';

async function modifyAwsKey(vpnConnectionId: string, outsideIp: string, psk: string) {
  return sim()
    .ec2()
    .send(
      new ModifyVpnTunnelOptionsCommand({
        VpnConnectionId: vpnConnectionId,
        VpnTunnelOutsideIpAddress: outsideIp,
        TunnelOptions: { PreSharedKey: psk },
      }),
    );
}

describe('a dual-tunnel link: the slave tunnel gets a new key', () => {
  it('keeps the master UP while the slave is changed on Alibaba, then replaced on AWS, and brings the slave back', async () => {
    const s = sim();
    const link = await dualTunnelProcedure(s);
    advance(latency('tunnel.negotiation') + 1);
    const slaveVpn = link.vpns[1];
    const slaveTunnel = (
      await s
        .alibaba(DUAL_REGION)
        .describeVpnConnection(new DescribeVpnConnectionRequest({ regionId: DUAL_REGION, vpnConnectionId: link.ipsec }))
    ).body?.tunnelOptionsSpecification?.tunnelOptions?.find((t) => t.role === 'slave');

    // Alibaba first: the slave tunnel is updating, then its key no longer matches AWS's
    const ali = await s.alibaba(DUAL_REGION).modifyTunnelAttribute(
      new ModifyTunnelAttributeRequest({
        regionId: DUAL_REGION,
        vpnConnectionId: link.ipsec,
        tunnelId: slaveTunnel?.tunnelId,
        tunnelOptionsSpecification: new ModifyTunnelAttributeRequestTunnelOptionsSpecification({
          tunnelIkeConfig: new ModifyTunnelAttributeRequestTunnelOptionsSpecificationTunnelIkeConfig({ psk: NEW_KEY }),
        }),
      }),
    );
    expect(ali.body?.state).toBe('updating');
    expect(ali.body?.role).toBe('slave');
    advance(latency('alibaba.vpnGateway.update') + 1);
    expect((await simTunnel(s, slaveVpn.id, 1)).reason).toContain('pre-shared key mismatch');
    expect((await simTunnel(s, link.vpns[0].id, 1)).status).toBe('UP');

    // then AWS: the connection is modifying and the slave's endpoint is being replaced
    const aws = await modifyAwsKey(slaveVpn.id, slaveVpn.tunnels[0].outsideIp, NEW_KEY);
    expect(aws.VpnConnection?.State).toBe('modifying');
    const busy = await failure(modifyAwsKey(slaveVpn.id, slaveVpn.tunnels[0].outsideIp, NEW_KEY));
    expect(busy.name).toBe('IncorrectState');
    advance(latency('aws.vpnTunnel.replace') / 2);
    expect((await simTunnel(s, slaveVpn.id, 1)).reason).toContain('tunnel endpoint replacement');
    expect((await simTunnel(s, link.vpns[0].id, 1)).status).toBe('UP');

    advance(latency('aws.vpnTunnel.replace') / 2 + latency('tunnel.negotiation') + 1);
    const after = (await s.ec2().send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [slaveVpn.id] })))
      .VpnConnections?.[0];
    expect(after?.State).toBe('available');
    expect(after?.Options?.TunnelOptions?.[0]?.PreSharedKey).toBe(NEW_KEY);
    expect(after?.Options?.TunnelOptions?.[0]?.OutsideIpAddress).toBe(slaveVpn.tunnels[0].outsideIp);
    expect((await awsTelemetry(s, slaveVpn.id))[0]?.Status).toBe('UP');
    expect((await alibabaStatus(s, DUAL_REGION, link.ipsec)).tunnels).toEqual([
      { role: 'master', status: 'ipsec_sa_established' },
      { role: 'slave', status: 'ipsec_sa_established' },
    ]);
  });
});

describe('a single-tunnel link: AWS tunnel 2 gets a new key', () => {
  it('keeps tunnel 1 of the same AWS connection UP while tunnel 2 is replaced', async () => {
    const s = sim();
    const link = await articleProcedure(s);
    advance(latency('tunnel.negotiation') + 1);

    await s.alibaba(SINGLE_REGION).modifyVpnConnectionAttribute(
      new ModifyVpnConnectionAttributeRequest({
        regionId: SINGLE_REGION,
        vpnConnectionId: link.ipsec[1],
        ikeConfig: JSON.stringify({ Psk: NEW_KEY }),
      }),
    );
    await modifyAwsKey(link.vpn.id, link.vpn.tunnels[1].outsideIp, NEW_KEY);
    advance(latency('aws.vpnTunnel.replace') / 2);
    const during = await awsTelemetry(s, link.vpn.id);

    expect(during.map((t) => t.Status)).toEqual(['UP', 'DOWN']);
    advance(latency('aws.vpnTunnel.replace') / 2 + latency('tunnel.negotiation') + 1);
    expect((await awsTelemetry(s, link.vpn.id)).map((t) => t.Status)).toEqual(['UP', 'UP']);
    expect((await alibabaStatus(s, SINGLE_REGION, link.ipsec[1])).status).toBe('ipsec_sa_established');
  });

  it('refuses a tunnel the connection does not have, and an invalid key, changing nothing', async () => {
    const s = sim();
    const link = await articleProcedure(s, { stopAfterIpsec: true });
    advance(sim().sim.ctx.latencies['aws.vpnConnection.create'] + 1);

    const stranger = await failure(modifyAwsKey(link.vpn.id, '203.0.113.9', NEW_KEY));
    const badKey = await failure(modifyAwsKey(link.vpn.id, link.vpn.tunnels[0].outsideIp, '0starts-with-zero'));

    expect(stranger.name).toBe('InvalidParameterValue');
    expect(badKey.name).toBe('InvalidParameterValue');
    const conn = (await s.ec2().send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [link.vpn.id] })))
      .VpnConnections?.[0];
    expect(conn?.State).toBe('available');
    expect(conn?.Options?.TunnelOptions?.map((t) => t.PreSharedKey)).toEqual(link.vpn.tunnels.map((t) => t.psk));
  });
});
