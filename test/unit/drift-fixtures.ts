import type {
  AliCustomerGateway,
  AliRouteEntry,
  AliTunnel,
  AliVpnConnection,
  AliVpnGateway,
  AliVpnRouteEntry,
  AwsCustomerGateway,
  AwsRouteTable,
  AwsTunnel,
  AwsVpnConnection,
  AwsVpnGateway,
  GatewayKind,
} from '../../src/clouds/types';
import type { AlibabaRegionSnapshot, AwsRegionSnapshot, ObservedConnection } from '../../src/drift/types';
import {
  alibabaIkeConfig,
  alibabaIpsecConfig,
  type CryptoProfile,
  type Plan,
  planConnection,
  type ResourceRole,
  resourceName,
  TAG_CONNECTION,
  TAG_MANAGED,
  TAG_ROLE,
  TAG_STAGE,
  tunnelId,
} from '../../src/plan';
import { type ConnectionRecord, newRecord } from '../../src/registry/record';
import { parseSpec } from '../../src/spec';

// Small builders for the drift unit tests: a connection exactly as provisioning leaves it (record + plan +
// what both clouds show), which each test then bends in one place.

export interface Fresh {
  record: ConnectionRecord;
  plan: Plan;
  observed: ObservedConnection;
}

export interface FreshOptions {
  topology: GatewayKind;
  profile: 'recommended' | 'article-2018';
  /** distinguishes ids and addresses when several connections share a snapshot */
  n?: number;
  name?: string;
  /** include the gateway's VPN route entries (fetched only for anomalous connections) */
  vpnRoutes?: boolean;
}

/** the stage of every fixture record */
export const STAGE = 'dev';
const key = (name: string) => ({ stage: STAGE, name });

const awsTags = (name: string, role: ResourceRole) => ({
  [TAG_CONNECTION]: name,
  [TAG_STAGE]: STAGE,
  [TAG_ROLE]: role,
  [TAG_MANAGED]: 'true',
  Name: resourceName(key(name), role),
});

function awsTunnel(crypto: CryptoProfile, insideCidr: string, outsideIp: string, psk: string, up: boolean): AwsTunnel {
  return {
    outsideIp,
    insideCidr,
    psk,
    phase1LifetimeSeconds: crypto.phase1.lifetimeSeconds,
    phase2LifetimeSeconds: crypto.phase2.lifetimeSeconds,
    phase1Encryption: [crypto.phase1.encryption],
    phase2Encryption: [crypto.phase2.encryption],
    phase1Integrity: [crypto.phase1.integrity],
    phase2Integrity: [crypto.phase2.integrity],
    phase1DhGroups: [crypto.phase1.dhGroup],
    phase2DhGroups: [crypto.phase2.dhGroup],
    ikeVersions: [crypto.ikeVersion],
    startupAction: crypto.startupAction,
    dpdTimeoutSeconds: crypto.dpdTimeoutSeconds,
    dpdTimeoutAction: crypto.dpdTimeoutAction,
    telemetry: up ? { status: 'UP', message: 'IPSEC IS UP' } : { status: 'DOWN', message: 'IPSEC IS DOWN' },
  };
}

export function fresh(o: FreshOptions): Fresh {
  const n = o.n ?? 1;
  const name = o.name ?? `conn-${n}`;
  const dual = o.topology === 'dual-tunnel';
  const parsed = parseSpec({
    name,
    aws: { region: 'us-east-1', vpcId: `vpc-${String(n).padStart(8, '0')}`, cidr: `172.${16 + n}.0.0/16` },
    alibaba: {
      region: dual ? 'eu-central-1' : 'me-east-1',
      vpcId: `vpc-ali${String(n).padStart(8, '0')}`,
      cidr: `192.168.${n}.0/24`,
    },
    tunnels: { profile: o.profile, psk: 'from-aws-config' },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const spec = parsed.spec;
  const [awsCidr = '', aliCidr = ''] = [spec.aws.cidr, spec.alibaba.cidr];
  const plan = planConnection(spec, o.topology);
  const rtb = `rtb-${n}`;
  const vtb = `vtb-${n}`;
  plan.routes.awsRouteTableIds = [rtb];
  plan.routes.alibabaRouteTableId = vtb;
  const crypto = plan.crypto;

  // ---- Alibaba gateway and the IPs it hands to AWS
  const gwIps = { InternetIp: `47.0.${n}.1`, DisasterRecoveryInternetIp: dual ? `47.0.${n}.2` : undefined };
  const gateway: AliVpnGateway = {
    id: `vpn-gw${n}`,
    name: resourceName(key(name), 'alibaba-gateway'),
    vpcId: spec.alibaba.vpcId,
    status: 'active',
    internetIp: gwIps.InternetIp,
    disasterRecoveryInternetIp: gwIps.DisasterRecoveryInternetIp ?? '',
    kind: o.topology,
  };

  // ---- AWS
  const vgw: AwsVpnGateway = {
    id: `vgw-${n}`,
    state: 'available',
    attachments: [{ vpcId: spec.aws.vpcId, state: 'attached' }],
    tags: awsTags(name, 'vgw'),
  };
  const table: AwsRouteTable = {
    id: rtb,
    vpcId: spec.aws.vpcId,
    main: true,
    routes: [
      { destination: awsCidr, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' },
      { destination: aliCidr, gatewayId: vgw.id, state: 'active', origin: 'CreateRoute' },
    ],
    propagatingVgws: [],
  };
  const awsCgws: Partial<Record<string, AwsCustomerGateway>> = {};
  for (const cg of plan.awsCustomerGateways)
    awsCgws[cg.role] = {
      id: `cgw-${n}${cg.role.slice(-1)}`,
      state: 'available',
      ipAddress: gwIps[cg.alibabaIp] ?? '',
      bgpAsn: '65000',
      tags: awsTags(name, cg.role),
    };
  const handoffs: ConnectionRecord['handoffs'] = { alibabaGatewayIps: gwIps, awsTunnels: {} };
  const awsConns: Partial<Record<string, AwsVpnConnection>> = {};
  plan.awsVpnConnections.forEach((vc, i) => {
    const tunnels = vc.tunnels.map((tp) => {
      const id = tunnelId({ connection: vc.role, tunnel: tp.tunnel });
      const outsideIp = `3.${n}.${i}.${10 + tp.tunnel}`;
      const psk = `Key${n}x${vc.role.slice(-1)}x${tp.tunnel}abcdefgh`;
      handoffs.awsTunnels[id] = { outsideIp, insideCidr: tp.insideCidr, psk };
      return awsTunnel(crypto, tp.insideCidr, outsideIp, psk, tp.used);
    });
    awsConns[vc.role] = {
      id: `vpn-${n}${vc.role.slice(-1)}`,
      state: 'available',
      customerGatewayId: awsCgws[vc.customerGateway]?.id ?? '',
      vpnGatewayId: vgw.id,
      staticRoutesOnly: true,
      tunnels,
      routes: [{ destination: aliCidr, state: 'available' }],
      tags: awsTags(name, vc.role),
    };
  });

  // ---- Alibaba customer gateways (the AWS tunnel outside IPs), IPsec connections, routes
  const aliCgws: Partial<Record<string, AliCustomerGateway>> = {};
  for (const cg of plan.alibabaCustomerGateways)
    aliCgws[cg.role] = {
      id: `cgw-ali${n}${cg.role.slice(-1)}`,
      ipAddress: handoffs.awsTunnels[tunnelId(cg.awsTunnel)]?.outsideIp ?? '',
      name: resourceName(key(name), cg.role),
    };
  const aliConns: Partial<Record<string, AliVpnConnection>> = {};
  for (const ac of plan.alibabaConnections) {
    const tunnels: AliTunnel[] = ac.tunnels.map((tp, k) => ({
      tunnelId: `tun-${n}${ac.role.slice(-1)}${k}`,
      role: tp.alibabaRole,
      customerGatewayId: aliCgws[tp.customerGateway]?.id ?? '',
      // single-tunnel connections do not report a source IP (the adapter leaves it empty)
      sourceIp: ac.mode === 'dual-tunnel' ? (gwIps[tp.sourceIp] ?? '') : '',
      status: 'ipsec_sa_established',
      state: 'active',
      ike: alibabaIkeConfig(crypto, handoffs.awsTunnels[tunnelId(tp.awsTunnel)]?.psk ?? ''),
      ipsec: alibabaIpsecConfig(crypto),
      enableDpd: true,
    }));
    aliConns[ac.role] = {
      id: `vco-${n}${ac.role.slice(-1)}`,
      name: resourceName(key(name), ac.role),
      vpnGatewayId: gateway.id,
      status: 'ipsec_sa_established',
      state: 'active',
      localSubnet: '0.0.0.0/0',
      remoteSubnet: '0.0.0.0/0',
      effectImmediately: true,
      tunnels,
    };
  }
  const routeEntry: AliRouteEntry = {
    id: `rte-${n}`,
    routeTableId: vtb,
    destination: awsCidr,
    nextHopType: 'VpnGateway',
    nextHopId: gateway.id,
    status: 'Available',
  };
  const vpnRoutes: AliVpnRouteEntry[] = plan.alibabaConnections.map((ac) => ({
    routeDest: awsCidr,
    nextHop: aliConns[ac.role]?.id ?? '',
    weight: ac.routeWeight,
    state: 'normal',
  }));

  const record: ConnectionRecord = {
    ...newRecord(spec, STAGE, `gen-${n}`, '2024-01-01T00:00:00.000Z'),
    status: 'ACTIVE',
    everActive: true,
    topology: o.topology,
    resolved: { awsRouteTableIds: [rtb], alibabaVSwitchIds: [`vsw-${n}a`, `vsw-${n}b`], alibabaRouteTableId: vtb },
    resources: {
      aws: {
        vpnGatewayId: vgw.id,
        customerGateways: Object.fromEntries(Object.entries(awsCgws).map(([k, v]) => [k, v?.id ?? ''])),
        vpnConnections: Object.fromEntries(Object.entries(awsConns).map(([k, v]) => [k, v?.id ?? ''])),
        routeTableIds: [rtb],
      },
      alibaba: {
        vpnGatewayId: gateway.id,
        customerGateways: Object.fromEntries(Object.entries(aliCgws).map(([k, v]) => [k, v?.id ?? ''])),
        connections: Object.fromEntries(Object.entries(aliConns).map(([k, v]) => [k, v?.id ?? ''])),
        routeTableId: vtb,
      },
    },
    handoffs,
  };

  const observed: ObservedConnection = {
    awsVpnGateway: vgw,
    awsRouteTables: { [rtb]: table },
    awsCustomerGateways: awsCgws,
    awsConnections: awsConns,
    alibabaGateway: gateway,
    alibabaConnections: aliConns,
    alibabaCustomerGateways: Object.values(aliCgws).filter((c): c is AliCustomerGateway => !!c),
    alibabaOwnCustomerGateways: aliCgws,
    alibabaRouteEntries: [routeEntry],
    ...(o.vpnRoutes ? { alibabaVpnRouteEntries: vpnRoutes } : {}),
    storedPsks: Object.fromEntries(Object.entries(handoffs.awsTunnels).map(([k, t]) => [k, t.psk])),
    duplicates: [],
  };
  return { record, plan, observed };
}

const defined = <T>(xs: Array<T | undefined>): T[] => xs.filter((x): x is T => x !== undefined);

/** the region-wide lists a drift check would read, holding every given connection */
export function snapshotsOf(conns: Fresh[]): {
  aws: AwsRegionSnapshot;
  alibaba: Record<string, AlibabaRegionSnapshot>;
} {
  const aws: AwsRegionSnapshot = {
    region: 'us-east-1',
    inventory: { vpnGateways: [], customerGateways: [], vpnConnections: [] },
    routeTables: [],
  };
  const alibaba: Record<string, AlibabaRegionSnapshot> = {};
  for (const { record, observed: o } of conns) {
    aws.inventory.vpnGateways.push(...defined([o.awsVpnGateway]));
    aws.inventory.customerGateways.push(...defined(Object.values(o.awsCustomerGateways)));
    aws.inventory.vpnConnections.push(...defined(Object.values(o.awsConnections)));
    aws.routeTables.push(...defined(Object.values(o.awsRouteTables)));
    const region = record.spec.alibaba.region;
    const snap = alibaba[region] ?? {
      region,
      gateways: [],
      connections: [],
      customerGateways: [],
      routeEntries: {},
      missingRouteTables: [],
    };
    alibaba[region] = snap;
    snap.gateways.push(...defined([o.alibabaGateway]));
    snap.connections.push(...defined(Object.values(o.alibabaConnections)));
    snap.customerGateways.push(...o.alibabaCustomerGateways);
    const vtb = record.resolved?.alibabaRouteTableId ?? '';
    snap.routeEntries[vtb] = [...(snap.routeEntries[vtb] ?? []), ...(o.alibabaRouteEntries ?? [])];
  }
  return { aws, alibaba };
}
