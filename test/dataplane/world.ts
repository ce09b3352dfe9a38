import { CreateVpnConnectionRequest } from '@alicloud/vpc20160428';
import { CreateVpnConnectionCommand, type VpnTunnelOptionsSpecification } from '@aws-sdk/client-ec2';
import { readTunnelPairs, simulatorClouds, type TunnelPair } from '../../local/dataplane/cloud-state';
import type { SimClients } from '../helpers/sim';
import {
  createAlibabaCustomerGateway,
  createAlibabaVpnGateway,
  createAndAttachVgw,
  createAwsCustomerGateway,
  downloadConfiguration,
  findVpcs,
  SINGLE_REGION,
  simTunnel,
  waitAlibabaGatewayActive,
  waitAwsVpnAvailable,
} from '../sim/procedure-helpers';

// One conformance case in the simulator: an AWS VPN connection and a single-tunnel Alibaba IPsec connection on
// AWS tunnel 1, built by hand through the real SDKs with exactly the case's settings (the product's plan would
// refuse most of them). Returns the simulator's verdict and the tunnel pair as the harness reads it back from
// the two clouds' APIs.

export interface AlibabaSide {
  IkeVersion: string;
  IkeMode: string;
  IkeEncAlg: string;
  IkeAuthAlg: string;
  IkePfs: string;
  IkeLifetime: number;
  /** undefined = Alibaba's default */
  LocalId?: string;
  RemoteId?: string;
  IpsecEncAlg: string;
  IpsecAuthAlg: string;
  IpsecPfs: string;
  IpsecLifetime: number;
}

export interface CaseWorld {
  aws: VpnTunnelOptionsSpecification;
  awsLocalCidr?: string;
  awsRemoteCidr?: string;
  alibaba: AlibabaSide;
  /** identities as the product now sets them: LocalId = gateway IP, RemoteId = AWS outside IP */
  explicitIds: boolean;
  pskMismatch: boolean;
  localSubnet: string;
  remoteSubnet: string;
  effectImmediately: boolean;
  enableDpd: boolean;
  /** once UP, the two ends stop hearing each other for this long (the simulator: forced down, then released) */
  outageSeconds?: number;
}

export type Verdict = 'UP' | 'DOWN' | 'FLAPPING';

export interface SimOutcome {
  verdict: Verdict;
  reason: string;
  pair: TunnelPair;
}

export async function buildCase(s: SimClients, w: CaseWorld): Promise<SimOutcome> {
  const region = SINGLE_REGION;
  const net = await findVpcs(s, region);
  const gateway = await createAlibabaVpnGateway(s, region, net);
  const vgw = await createAndAttachVgw(s, net.aws.vpcId);
  const cgw = await createAwsCustomerGateway(s, gateway.internetIp);
  const ec2 = s.ec2();
  const created = await ec2.send(
    new CreateVpnConnectionCommand({
      Type: 'ipsec.1',
      VpnGatewayId: vgw,
      CustomerGatewayId: cgw,
      Options: {
        StaticRoutesOnly: true,
        LocalIpv4NetworkCidr: w.awsLocalCidr,
        RemoteIpv4NetworkCidr: w.awsRemoteCidr,
        TunnelOptions: [{ ...w.aws }, { ...w.aws }],
      },
    }),
  );
  ec2.destroy();
  const vpnId = created.VpnConnection?.VpnConnectionId ?? '';
  const [t1] = downloadConfiguration(created.VpnConnection?.CustomerGatewayConfiguration ?? '');
  const aliCgw = await createAlibabaCustomerGateway(s, region, t1.outsideIp);
  await waitAlibabaGatewayActive(s, region, gateway.id);
  const { LocalId, RemoteId, ...crypto } = w.alibaba;
  const ids = w.explicitIds ? { LocalId: gateway.internetIp, RemoteId: t1.outsideIp } : {};
  await s.alibaba(region).createVpnConnection(
    new CreateVpnConnectionRequest({
      regionId: region,
      vpnGatewayId: gateway.id,
      customerGatewayId: aliCgw,
      localSubnet: w.localSubnet,
      remoteSubnet: w.remoteSubnet,
      effectImmediately: w.effectImmediately,
      enableDpd: w.enableDpd,
      ikeConfig: JSON.stringify({
        Psk: w.pskMismatch ? `${t1.psk}x` : t1.psk,
        IkeVersion: crypto.IkeVersion,
        IkeMode: crypto.IkeMode,
        IkeEncAlg: crypto.IkeEncAlg,
        IkeAuthAlg: crypto.IkeAuthAlg,
        IkePfs: crypto.IkePfs,
        IkeLifetime: crypto.IkeLifetime,
        ...ids,
        ...(LocalId !== undefined ? { LocalId } : {}),
        ...(RemoteId !== undefined ? { RemoteId } : {}),
      }),
      ipsecConfig: JSON.stringify({
        IpsecEncAlg: crypto.IpsecEncAlg,
        IpsecAuthAlg: crypto.IpsecAuthAlg,
        IpsecPfs: crypto.IpsecPfs,
        IpsecLifetime: crypto.IpsecLifetime,
      }),
    }),
  );
  await waitAwsVpnAvailable(s, vpnId);
  await waitAlibabaGatewayActive(s, region, gateway.id);
  s.sim.advance(s.sim.ctx.latencies['tunnel.negotiation'] + 1);
  if (w.outageSeconds !== undefined) {
    const tunnel = { cloud: 'aws', vpnConnectionId: vpnId, tunnel: 1 };
    await s.admin('POST', '/_sim/tunnels/down', tunnel);
    s.sim.advance(w.outageSeconds);
    await s.admin('POST', '/_sim/tunnels/up', tunnel);
    s.sim.advance(s.sim.ctx.latencies['tunnel.negotiation'] + 1);
  }
  const line = await simTunnel(s, vpnId, 1);
  const verdict: Verdict = line.status === 'UP' ? (line.flapping ? 'FLAPPING' : 'UP') : 'DOWN';
  const clouds = simulatorClouds(s.sim.url, 'us-east-1', region);
  try {
    const pairs = await readTunnelPairs(clouds.aws, clouds.alibaba, {
      vpnConnectionIds: [vpnId],
      alibabaGatewayId: gateway.id,
    });
    const pair = pairs.find((p) => p.awsTunnel === 1);
    if (!pair?.alibaba) throw new Error(`case world: AWS tunnel 1 of ${vpnId} is not paired`);
    return { verdict, reason: line.reason, pair };
  } finally {
    clouds.close();
  }
}
