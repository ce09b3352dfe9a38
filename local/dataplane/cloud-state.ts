import { EC2Client } from '@aws-sdk/client-ec2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { vpcRpcClient } from '../../src/clouds/alibaba/rpc-client';
import { VpcAdapter } from '../../src/clouds/alibaba/vpc-adapter';
import { Ec2Adapter } from '../../src/clouds/aws/ec2-adapter';
import type { AlibabaCloud, AliTunnel, AliVpnConnection, AwsCloud, AwsTunnel } from '../../src/clouds/types';
import type { AlibabaTunnelState, AwsTunnelState } from '../../src/ike';
import { resourceName } from '../../src/plan/naming';
import { SecretsRegistry } from '../../src/registry/secrets-registry';
import { LOCAL_REGION, LOCAL_STAGE, OPERATOR_ALIBABA, OPERATOR_AWS } from '../constants';
import { DataplaneFailed } from './errors';

// What the two clouds' APIs hold for a connection's tunnels, paired by the IP rule (interop: an Alibaba tunnel
// pairs with the AWS tunnel whose outside IP is its customer gateway, when it leaves from the IP the AWS
// customer gateway names). Everything here is read from the clouds through the product's adapters, not from
// vpn-bridge's plan: the harness checks what was actually configured.

export interface TunnelPair {
  /** `<AWS VPN connection id>/<tunnel>` */
  id: string;
  role: 'active' | 'standby' | 'unused';
  awsVpnConnectionId: string;
  awsTunnel: 1 | 2;
  aws: AwsTunnelState;
  alibaba?: { vpnConnectionId: string; tunnelId: string; role: string; state: AlibabaTunnelState };
}

export interface ConnectionState {
  awsVpcCidr: string;
  alibabaVpcCidr: string;
  pairs: TunnelPair[];
}

function awsState(t: AwsTunnel, cgwIp: string, local: string | undefined, remote: string | undefined): AwsTunnelState {
  return {
    outsideIp: t.outsideIp,
    customerGatewayIp: cgwIp,
    psk: t.psk,
    ikeVersions: t.ikeVersions,
    phase1Encryption: t.phase1Encryption,
    phase1Integrity: t.phase1Integrity,
    phase1DhGroups: t.phase1DhGroups,
    phase2Encryption: t.phase2Encryption,
    phase2Integrity: t.phase2Integrity,
    phase2DhGroups: t.phase2DhGroups,
    phase1LifetimeSeconds: t.phase1LifetimeSeconds,
    phase2LifetimeSeconds: t.phase2LifetimeSeconds,
    rekeyMarginTimeSeconds: t.rekeyMarginTimeSeconds ?? 270,
    rekeyFuzzPercentage: t.rekeyFuzzPercentage ?? 100,
    dpdTimeoutSeconds: t.dpdTimeoutSeconds,
    dpdTimeoutAction: t.dpdTimeoutAction,
    startupAction: t.startupAction,
    localIpv4NetworkCidr: local || '0.0.0.0/0',
    remoteIpv4NetworkCidr: remote || '0.0.0.0/0',
  };
}

function alibabaState(c: AliVpnConnection, t: AliTunnel, sourceIp: string, cgwIp: string): AlibabaTunnelState {
  return {
    sourceIp,
    customerGatewayIp: cgwIp,
    psk: t.ike.Psk,
    ikeVersion: t.ike.IkeVersion,
    ikeMode: t.ike.IkeMode,
    ikeEncAlg: t.ike.IkeEncAlg,
    ikeAuthAlg: t.ike.IkeAuthAlg,
    ikePfs: t.ike.IkePfs,
    ikeLifetime: t.ike.IkeLifetime,
    localId: t.ike.LocalId ?? '',
    remoteId: t.ike.RemoteId ?? '',
    ipsecEncAlg: t.ipsec.IpsecEncAlg,
    ipsecAuthAlg: t.ipsec.IpsecAuthAlg,
    ipsecPfs: t.ipsec.IpsecPfs,
    ipsecLifetime: t.ipsec.IpsecLifetime,
    enableDpd: t.enableDpd,
    enableNatTraversal: t.enableNatTraversal !== false,
    localSubnet: c.localSubnet,
    remoteSubnet: c.remoteSubnet,
    effectImmediately: c.effectImmediately,
  };
}

/** every tunnel of the AWS VPN connections, paired with the Alibaba tunnel of the gateway that targets it */
export async function readTunnelPairs(
  aws: AwsCloud,
  alibaba: AlibabaCloud,
  q: { vpnConnectionIds: string[]; alibabaGatewayId: string },
): Promise<TunnelPair[]> {
  // the region-wide listings the product's drift check reads too (no call beyond what vpn-bridge's roles may make)
  const [inventory, gateways, aliConns, aliCgws, routes] = await Promise.all([
    aws.listAll(),
    alibaba.listVpnGateways(),
    alibaba.listVpnConnections(q.alibabaGatewayId),
    alibaba.listCustomerGateways(),
    alibaba.listVpnRouteEntries(q.alibabaGatewayId),
  ]);
  const vpns = inventory.vpnConnections.filter((v) => q.vpnConnectionIds.includes(v.id));
  const gateway = gateways.find((g) => g.id === q.alibabaGatewayId);
  if (!gateway) throw new DataplaneFailed(`no Alibaba VPN gateway ${q.alibabaGatewayId}`);
  const awsCgws = inventory.customerGateways;
  const aliTunnels = aliConns.flatMap((c) =>
    c.tunnels.map((t) => ({
      c,
      t,
      sourceIp: t.sourceIp || gateway.internetIp,
      cgwIp: aliCgws.find((g) => g.id === t.customerGatewayId)?.ipAddress ?? '',
    })),
  );
  const pairs: TunnelPair[] = [];
  for (const v of [...vpns].sort((a, b) => q.vpnConnectionIds.indexOf(a.id) - q.vpnConnectionIds.indexOf(b.id))) {
    const cgwIp = awsCgws.find((g) => g.id === v.customerGatewayId)?.ipAddress ?? '';
    v.tunnels.forEach((t, i) => {
      const peer = aliTunnels.find((a) => a.cgwIp === t.outsideIp && a.sourceIp === cgwIp);
      let role: TunnelPair['role'] = 'unused';
      if (peer) {
        if (peer.t.role === 'slave') role = 'standby';
        else if (peer.c.tunnels.length > 1) role = 'active';
        else {
          // single-tunnel gateways: the VPN route entry with Weight 100 is active (interop §2.2)
          const weight = routes.find((r) => r.nextHop === peer.c.id)?.weight;
          role = weight === 0 ? 'standby' : 'active';
        }
      }
      pairs.push({
        id: `${v.id}/${i + 1}`,
        role,
        awsVpnConnectionId: v.id,
        awsTunnel: (i + 1) as 1 | 2,
        aws: awsState(t, cgwIp, v.localCidr, v.remoteCidr),
        ...(peer
          ? {
              alibaba: {
                vpnConnectionId: peer.c.id,
                tunnelId: peer.t.tunnelId,
                role: peer.t.role,
                state: alibabaState(peer.c, peer.t, peer.sourceIp, peer.cgwIp),
              },
            }
          : {}),
      });
    });
  }
  // one active at most: on a single-tunnel gateway with both weights 100, the first stays active
  let seenActive = false;
  for (const p of pairs) {
    if (p.role !== 'active') continue;
    if (seenActive) p.role = 'standby';
    seenActive = true;
  }
  return pairs;
}

export interface Clouds {
  aws: AwsCloud;
  alibaba: AlibabaCloud;
  close(): void;
}

/** the product's adapters over SDK clients pointed at a simulator (explicit endpoints, as local/environment.ts) */
export function simulatorClouds(url: string, awsRegion: string, alibabaRegion: string): Clouds {
  // the operator's keys: the harness reads the clouds as the operator does, not as one of the functions
  const ec2 = new EC2Client({ endpoint: url, region: awsRegion, credentials: OPERATOR_AWS, maxAttempts: 3 });
  const rpc = vpcRpcClient({
    regionId: alibabaRegion,
    credentials: async () => OPERATOR_ALIBABA,
    endpoint: url.replace(/^https?:\/\//, '').replace(/\/+$/, ''),
    protocol: 'http',
  });
  return {
    aws: new Ec2Adapter(awsRegion, ec2),
    alibaba: new VpcAdapter(alibabaRegion, rpc),
    close: () => ec2.destroy(),
  };
}

/** a vpn-bridge connection by name: its regions and VPCs from the record, everything else from the clouds */
export async function readConnection(url: string, name: string): Promise<ConnectionState> {
  const sm = new SecretsManagerClient({ endpoint: url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
  let spec: { aws: { region: string; vpcId: string }; alibaba: { region: string; vpcId: string } };
  try {
    const stored = await new SecretsRegistry(sm, LOCAL_STAGE).get(name);
    if (!stored) throw new DataplaneFailed(`no connection named ${name} in the simulator at ${url}`);
    spec = stored.record.spec;
  } finally {
    sm.destroy();
  }
  const key = { stage: LOCAL_STAGE, name };
  const clouds = simulatorClouds(url, spec.aws.region, spec.alibaba.region);
  try {
    const [vpns, gateway, awsVpc, aliVpc] = await Promise.all([
      clouds.aws.findVpnConnections(key),
      clouds.alibaba.findVpnGateway(spec.alibaba.vpcId, resourceName(key, 'alibaba-gateway')),
      clouds.aws.describeVpc(spec.aws.vpcId),
      clouds.alibaba.describeVpc(spec.alibaba.vpcId),
    ]);
    if (!gateway) throw new DataplaneFailed(`connection ${name} has no Alibaba VPN gateway`);
    if (vpns.length === 0) throw new DataplaneFailed(`connection ${name} has no AWS VPN connection`);
    const roleOf = (tags: Record<string, string>) => tags['vpn-bridge:role'] ?? '';
    const ids = [...vpns].sort((a, b) => roleOf(a.tags).localeCompare(roleOf(b.tags))).map((v) => v.id);
    return {
      awsVpcCidr: awsVpc?.cidrs[0] ?? '',
      alibabaVpcCidr: aliVpc?.cidr ?? '',
      pairs: await readTunnelPairs(clouds.aws, clouds.alibaba, { vpnConnectionIds: ids, alibabaGatewayId: gateway.id }),
    };
  } finally {
    clouds.close();
  }
}
