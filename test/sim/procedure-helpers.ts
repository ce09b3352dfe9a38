import type VpcClient from '@alicloud/vpc20160428';
import {
  CreateCustomerGatewayRequest,
  CreateRouteEntryRequest,
  CreateVpnConnectionRequest,
  CreateVpnConnectionRequestTunnelOptionsSpecification,
  CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig,
  CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIpsecConfig,
  CreateVpnGatewayRequest,
  CreateVpnRouteEntryRequest,
  DescribeRouteTableListRequest,
  DescribeVpcsRequest,
  DescribeVpnConnectionRequest,
  DescribeVpnGatewayRequest,
  DescribeVpnRouteEntriesRequest,
  DescribeVSwitchesRequest,
} from '@alicloud/vpc20160428';
import {
  AttachVpnGatewayCommand,
  CreateCustomerGatewayCommand,
  CreateRouteCommand,
  CreateVpnConnectionCommand,
  CreateVpnConnectionRouteCommand,
  CreateVpnGatewayCommand,
  DescribeCustomerGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  DescribeVpnGatewaysCommand,
  type EC2Client,
  type VgwTelemetry,
  type VpnTunnelOptionsSpecification,
} from '@aws-sdk/client-ec2';
import { XMLParser } from 'fast-xml-parser';
import type { LatencyKey } from '../../sim';
import type { TunnelReport } from '../../sim/negotiation';
import type { SimClients } from '../helpers/sim';
import { DUAL, SINGLE } from './alibaba-fixtures';

// The 2018 article's procedure (docs/article-procedure.md) step by step through the real SDKs,
// for both Alibaba gateway kinds (README.md). Every wait polls the provider's own Describe call while
// simulated time moves forward, as a person following the article would refresh the console.

export const SINGLE_REGION = SINGLE;
export const DUAL_REGION = DUAL;

// ------------------------------------------------------------------ crypto profiles (docs/sources.md#the-article-and-the-interoperability-guides-interop)

/** the Alibaba side of one tunnel: IKE (phase 1) and IPsec (phase 2) settings, API spelling */
export interface AliCrypto {
  IkeVersion: string;
  IkeMode: string;
  IkeEncAlg: string;
  IkeAuthAlg: string;
  IkePfs: string;
  IkeLifetime: number;
  IpsecEncAlg: string;
  IpsecAuthAlg: string;
  IpsecPfs: string;
  IpsecLifetime: number;
}

/** the article's values (IKEv1 main, AES-128, SHA-1, DH2) with lifetimes aligned to AWS */
export const ARTICLE_ALI: AliCrypto = {
  IkeVersion: 'ikev1',
  IkeMode: 'main',
  IkeEncAlg: 'aes',
  IkeAuthAlg: 'sha1',
  IkePfs: 'group2',
  IkeLifetime: 28800,
  IpsecEncAlg: 'aes',
  IpsecAuthAlg: 'sha1',
  IpsecPfs: 'group2',
  IpsecLifetime: 3600,
};

export const ARTICLE_AWS: VpnTunnelOptionsSpecification = {
  IKEVersions: [{ Value: 'ikev1' }],
  Phase1EncryptionAlgorithms: [{ Value: 'AES128' }],
  Phase2EncryptionAlgorithms: [{ Value: 'AES128' }],
  Phase1IntegrityAlgorithms: [{ Value: 'SHA1' }],
  Phase2IntegrityAlgorithms: [{ Value: 'SHA1' }],
  Phase1DHGroupNumbers: [{ Value: 2 }],
  Phase2DHGroupNumbers: [{ Value: 2 }],
  Phase1LifetimeSeconds: 28800,
  Phase2LifetimeSeconds: 3600,
  StartupAction: 'start',
};

/** vpn-bridge's `recommended` profile (README.md) */
export const RECOMMENDED_ALI: AliCrypto = {
  IkeVersion: 'ikev2',
  IkeMode: 'main',
  IkeEncAlg: 'aes256',
  IkeAuthAlg: 'sha256',
  IkePfs: 'group14',
  IkeLifetime: 28800,
  IpsecEncAlg: 'aes256',
  IpsecAuthAlg: 'sha256',
  IpsecPfs: 'group14',
  IpsecLifetime: 3600,
};

export const RECOMMENDED_AWS: VpnTunnelOptionsSpecification = {
  IKEVersions: [{ Value: 'ikev2' }],
  Phase1EncryptionAlgorithms: [{ Value: 'AES256' }],
  Phase2EncryptionAlgorithms: [{ Value: 'AES256' }],
  Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
  Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
  Phase1DHGroupNumbers: [{ Value: 14 }],
  Phase2DHGroupNumbers: [{ Value: 14 }],
  Phase1LifetimeSeconds: 28800,
  Phase2LifetimeSeconds: 3600,
  StartupAction: 'start',
};

const ikeOf = (c: AliCrypto, psk: string) => ({
  Psk: psk,
  IkeVersion: c.IkeVersion,
  IkeMode: c.IkeMode,
  IkeEncAlg: c.IkeEncAlg,
  IkeAuthAlg: c.IkeAuthAlg,
  IkePfs: c.IkePfs,
  IkeLifetime: c.IkeLifetime,
});

const ipsecOf = (c: AliCrypto) => ({
  IpsecEncAlg: c.IpsecEncAlg,
  IpsecAuthAlg: c.IpsecAuthAlg,
  IpsecPfs: c.IpsecPfs,
  IpsecLifetime: c.IpsecLifetime,
});

// ------------------------------------------------------------------ clients

// One client per cloud and region for the whole file: a client per call would open a connection per call.
const ec2Clients = new WeakMap<SimClients, EC2Client>();
const aliClients = new WeakMap<SimClients, Map<string, VpcClient>>();

function ec2(s: SimClients): EC2Client {
  let c = ec2Clients.get(s);
  if (!c) {
    c = s.ec2();
    ec2Clients.set(s, c);
  }
  return c;
}

function alibaba(s: SimClients, regionId: string): VpcClient {
  let byRegion = aliClients.get(s);
  if (!byRegion) {
    byRegion = new Map();
    aliClients.set(s, byRegion);
  }
  let c = byRegion.get(regionId);
  if (!c) {
    c = s.alibaba(regionId);
    byRegion.set(regionId, c);
  }
  return c;
}

// ------------------------------------------------------------------ waiting

/** simulated "now" in epoch ms */
export function simNow(s: SimClients): number {
  return s.sim.ctx.clock.now();
}

function isNotFound(e: unknown): boolean {
  const name = e instanceof Error ? e.name : '';
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return /NotFound/.test(name) || (typeof code === 'string' && /NotFound/.test(code));
}

/**
 * Poll `probe` (a provider read) until it returns a value, moving simulated time between polls in steps of a
 * quarter of the latency `key`; a NotFound answer (eventual consistency) counts as "not yet".
 */
export async function waitFor<T>(
  s: SimClients,
  key: LatencyKey,
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const latency = s.sim.ctx.latencies[key];
  const step = Math.max(1, Math.ceil(latency / 4));
  for (let waited = 0; waited <= latency * 3 + 10; waited += step) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    s.sim.advance(step);
  }
  throw new Error(`gave up waiting for ${what}`);
}

// ------------------------------------------------------------------ the seeded networks

export interface Networks {
  aws: { vpcId: string; cidr: string; mainRouteTableId: string };
  alibaba: { vpcId: string; cidr: string; vswitches: Array<{ id: string; zone: string }>; systemTableId: string };
}

/** the article's two VPCs, found with DescribeVpcs on both clouds */
export async function findVpcs(s: SimClients, regionId: string): Promise<Networks> {
  const awsVpc = (await ec2(s).send(new DescribeVpcsCommand({}))).Vpcs?.[0];
  const rtb = await ec2(s).send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [awsVpc?.VpcId ?? ''] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  const ali = alibaba(s, regionId);
  const aliVpc = (await ali.describeVpcs(new DescribeVpcsRequest({ regionId }))).body?.vpcs?.vpc?.[0];
  const vpcId = aliVpc?.vpcId ?? '';
  const vsws = (await ali.describeVSwitches(new DescribeVSwitchesRequest({ regionId, vpcId }))).body?.vSwitches
    ?.vSwitch;
  const tables = (
    await ali.describeRouteTableList(new DescribeRouteTableListRequest({ regionId, vpcId, routeTableType: 'System' }))
  ).body?.routerTableList?.routerTableListType;
  return {
    aws: {
      vpcId: awsVpc?.VpcId ?? '',
      cidr: awsVpc?.CidrBlock ?? '',
      mainRouteTableId: rtb.RouteTables?.[0]?.RouteTableId ?? '',
    },
    alibaba: {
      vpcId,
      cidr: aliVpc?.cidrBlock ?? '',
      vswitches: (vsws ?? []).map((v) => ({ id: v.vSwitchId ?? '', zone: v.zoneId ?? '' })),
      systemTableId: tables?.[0]?.routeTableId ?? '',
    },
  };
}

// ------------------------------------------------------------------ step 1 (Alibaba): the VPN gateway

export interface AlibabaGateway {
  id: string;
  /** the gateway's public IP (master tunnel on dual-tunnel gateways) */
  internetIp: string;
  /** dual-tunnel gateways only */
  disasterRecoveryInternetIp: string;
}

async function describeAlibabaGateway(s: SimClients, regionId: string, vpnGatewayId: string) {
  return (await alibaba(s, regionId).describeVpnGateway(new DescribeVpnGatewayRequest({ regionId, vpnGatewayId })))
    .body;
}

/** wait until the Alibaba VPN gateway is `active` (it is `updating` after each change) */
export async function waitAlibabaGatewayActive(s: SimClients, regionId: string, vpnGatewayId: string) {
  return waitFor(s, 'alibaba.vpnGateway.update', `Alibaba gateway ${vpnGatewayId} active`, async () => {
    const gw = await describeAlibabaGateway(s, regionId, vpnGatewayId);
    return gw?.status === 'active' ? gw : undefined;
  });
}

/** step 1: a pay-as-you-go VPN gateway with IPsec in the VPC's region; waits until active, returns its IP(s) */
export async function createAlibabaVpnGateway(s: SimClients, regionId: string, net: Networks): Promise<AlibabaGateway> {
  const [a, b] = net.alibaba.vswitches;
  const dual = regionId === DUAL_REGION;
  const created = await alibaba(s, regionId).createVpnGateway(
    new CreateVpnGatewayRequest({
      regionId,
      vpcId: net.alibaba.vpcId,
      bandwidth: 10,
      instanceChargeType: 'POSTPAY',
      autoPay: true,
      enableIpsec: true,
      name: 'to-aws',
      ...(dual ? { vSwitchId: a?.id, disasterRecoveryVSwitchId: b?.id } : {}),
    }),
  );
  const id = created.body?.vpnGatewayId ?? '';
  const gw = await waitFor(s, 'alibaba.vpnGateway.create', `Alibaba gateway ${id} active`, async () => {
    const g = await describeAlibabaGateway(s, regionId, id);
    return g?.status === 'active' ? g : undefined;
  });
  return { id, internetIp: gw.internetIp ?? '', disasterRecoveryInternetIp: gw.disasterRecoveryInternetIp ?? '' };
}

// ------------------------------------------------------------------ steps 2-3 (AWS): the VGW, attached

export async function createAndAttachVgw(s: SimClients, vpcId: string): Promise<string> {
  const client = ec2(s);
  const created = await client.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
  const id = created.VpnGateway?.VpnGatewayId ?? '';
  await waitFor(s, 'aws.vpnGateway.create', `VGW ${id} available`, async () => {
    const gw = (await client.send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [id] }))).VpnGateways?.[0];
    return gw?.State === 'available' ? gw : undefined;
  });
  await client.send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: id }));
  await waitFor(s, 'aws.vpnGateway.attach', `VGW ${id} attached`, async () => {
    const gw = (await client.send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [id] }))).VpnGateways?.[0];
    return gw?.VpcAttachments?.some((x) => x.VpcId === vpcId && x.State === 'attached') ? gw : undefined;
  });
  return id;
}

// ------------------------------------------------------------------ step 4 (AWS): customer gateway

/** step 4: static routing, IP = the Alibaba gateway IP */
export async function createAwsCustomerGateway(s: SimClients, ipAddress: string): Promise<string> {
  const client = ec2(s);
  const out = await client.send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: ipAddress }));
  const id = out.CustomerGateway?.CustomerGatewayId ?? '';
  await waitFor(s, 'aws.customerGateway.create', `CGW ${id} available`, async () => {
    const c = (await client.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [id] })))
      .CustomerGateways?.[0];
    return c?.State === 'available' ? c : undefined;
  });
  return id;
}

// ------------------------------------------------------------------ step 5 / 5b (AWS): VPN connection

export interface AwsTunnelConfig {
  outsideIp: string;
  psk: string;
}

export interface AwsVpn {
  id: string;
  /** tunnel 1, tunnel 2 as the downloaded configuration lists them */
  tunnels: [AwsTunnelConfig, AwsTunnelConfig];
}

function text(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** step 5b: each tunnel's outside IP and PSK from the CustomerGatewayConfiguration XML */
export function downloadConfiguration(xml: string): [AwsTunnelConfig, AwsTunnelConfig] {
  const doc: unknown = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'ipsec_tunnel' }).parse(xml);
  const tunnels = (doc as { vpn_connection?: { ipsec_tunnel?: unknown[] } }).vpn_connection?.ipsec_tunnel ?? [];
  const read = (t: unknown): AwsTunnelConfig => {
    const x = t as {
      vpn_gateway?: { tunnel_outside_address?: { ip_address?: unknown } };
      ike?: { pre_shared_key?: unknown };
    };
    return { outsideIp: text(x.vpn_gateway?.tunnel_outside_address?.ip_address), psk: text(x.ike?.pre_shared_key) };
  };
  if (tunnels.length !== 2) throw new Error(`the configuration lists ${tunnels.length} tunnels, expected 2`);
  return [read(tunnels[0]), read(tunnels[1])];
}

/** step 5: static-routing VPN connection with the same options on both tunnels; returns the step 5b values */
export async function createAwsVpnConnection(
  s: SimClients,
  vpnGatewayId: string,
  customerGatewayId: string,
  tunnel: VpnTunnelOptionsSpecification,
): Promise<AwsVpn> {
  const out = await ec2(s).send(
    new CreateVpnConnectionCommand({
      Type: 'ipsec.1',
      VpnGatewayId: vpnGatewayId,
      CustomerGatewayId: customerGatewayId,
      Options: { StaticRoutesOnly: true, TunnelOptions: [{ ...tunnel }, { ...tunnel }] },
    }),
  );
  const vpn = out.VpnConnection;
  return { id: vpn?.VpnConnectionId ?? '', tunnels: downloadConfiguration(vpn?.CustomerGatewayConfiguration ?? '') };
}

export async function describeAwsVpn(s: SimClients, vpnConnectionId: string) {
  const out = await ec2(s).send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnConnectionId] }));
  const vpn = out.VpnConnections?.[0];
  if (!vpn) throw new Error(`no VPN connection ${vpnConnectionId}`);
  return vpn;
}

export async function waitAwsVpnAvailable(s: SimClients, vpnConnectionId: string): Promise<void> {
  await waitFor(s, 'aws.vpnConnection.create', `VPN ${vpnConnectionId} available`, async () => {
    const vpn = await describeAwsVpn(s, vpnConnectionId);
    return vpn.State === 'available' ? vpn : undefined;
  });
}

/** the tunnels' telemetry, tunnel 1 first */
export async function awsTelemetry(s: SimClients, vpnConnectionId: string): Promise<VgwTelemetry[]> {
  return (await describeAwsVpn(s, vpnConnectionId)).VgwTelemetry ?? [];
}

// ------------------------------------------------------------------ steps 6-7, 9 (Alibaba)

/** step 6: an Alibaba customer gateway naming an AWS tunnel outside IP */
export async function createAlibabaCustomerGateway(s: SimClients, regionId: string, ipAddress: string) {
  const r = await alibaba(s, regionId).createCustomerGateway(new CreateCustomerGatewayRequest({ regionId, ipAddress }));
  return r.body?.customerGatewayId ?? '';
}

export interface IpsecOptions {
  psk: string;
  crypto?: AliCrypto;
  effectImmediately?: boolean;
}

/** step 7: a single-tunnel IPsec connection (IkeConfig/IpsecConfig JSON strings); waits for the gateway first */
export async function createSingleTunnelIpsecConnection(
  s: SimClients,
  regionId: string,
  vpnGatewayId: string,
  customerGatewayId: string,
  o: IpsecOptions,
): Promise<string> {
  await waitAlibabaGatewayActive(s, regionId, vpnGatewayId);
  const crypto = o.crypto ?? ARTICLE_ALI;
  const r = await alibaba(s, regionId).createVpnConnection(
    new CreateVpnConnectionRequest({
      regionId,
      vpnGatewayId,
      customerGatewayId,
      localSubnet: '0.0.0.0/0',
      remoteSubnet: '0.0.0.0/0',
      effectImmediately: o.effectImmediately ?? true,
      ikeConfig: JSON.stringify(ikeOf(crypto, o.psk)),
      ipsecConfig: JSON.stringify(ipsecOf(crypto)),
    }),
  );
  return r.body?.vpnConnectionId ?? '';
}

export interface TunnelSide {
  customerGatewayId: string;
  psk: string;
}

/** the dual-tunnel variant of step 7: one connection, master and slave tunnels */
export async function createDualTunnelIpsecConnection(
  s: SimClients,
  vpnGatewayId: string,
  master: TunnelSide,
  slave: TunnelSide,
  o: { crypto?: AliCrypto; effectImmediately?: boolean } = {},
): Promise<string> {
  await waitAlibabaGatewayActive(s, DUAL_REGION, vpnGatewayId);
  const crypto = o.crypto ?? RECOMMENDED_ALI;
  const tunnel = (role: 'master' | 'slave', side: TunnelSide) =>
    new CreateVpnConnectionRequestTunnelOptionsSpecification({
      role,
      customerGatewayId: side.customerGatewayId,
      enableDpd: true,
      enableNatTraversal: true,
      tunnelIkeConfig: new CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig({
        psk: side.psk,
        ikeVersion: crypto.IkeVersion,
        ikeMode: crypto.IkeMode,
        ikeEncAlg: crypto.IkeEncAlg,
        ikeAuthAlg: crypto.IkeAuthAlg,
        ikePfs: crypto.IkePfs,
        ikeLifetime: crypto.IkeLifetime,
      }),
      tunnelIpsecConfig: new CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIpsecConfig({
        ipsecEncAlg: crypto.IpsecEncAlg,
        ipsecAuthAlg: crypto.IpsecAuthAlg,
        ipsecPfs: crypto.IpsecPfs,
        ipsecLifetime: crypto.IpsecLifetime,
      }),
    });
  const r = await alibaba(s, DUAL_REGION).createVpnConnection(
    new CreateVpnConnectionRequest({
      regionId: DUAL_REGION,
      vpnGatewayId,
      localSubnet: '0.0.0.0/0',
      remoteSubnet: '0.0.0.0/0',
      effectImmediately: o.effectImmediately ?? true,
      tunnelOptionsSpecification: [tunnel('master', master), tunnel('slave', slave)],
    }),
  );
  return r.body?.vpnConnectionId ?? '';
}

export interface AlibabaConnectionStatus {
  status: string;
  /** per tunnel (dual-tunnel connections): role and status */
  tunnels: Array<{ role: string; status: string }>;
}

export async function alibabaStatus(
  s: SimClients,
  regionId: string,
  vpnConnectionId: string,
): Promise<AlibabaConnectionStatus> {
  const body = (
    await alibaba(s, regionId).describeVpnConnection(new DescribeVpnConnectionRequest({ regionId, vpnConnectionId }))
  ).body;
  return {
    status: body?.status ?? '',
    tunnels: (body?.tunnelOptionsSpecification?.tunnelOptions ?? []).map((t) => ({
      role: t.role ?? '',
      status: t.status ?? '',
    })),
  };
}

// ------------------------------------------------------------------ steps 10-11: routes

/** step 10: VPN route entries (Weight 100 for the first connection, 0 for the others) and the VPC route */
export async function routeAlibabaToAws(
  s: SimClients,
  regionId: string,
  net: Networks,
  vpnGatewayId: string,
  connectionIds: string[],
): Promise<void> {
  const ali = alibaba(s, regionId);
  for (const [i, nextHop] of connectionIds.entries()) {
    await waitAlibabaGatewayActive(s, regionId, vpnGatewayId);
    await ali.createVpnRouteEntry(
      new CreateVpnRouteEntryRequest({
        regionId,
        vpnGatewayId,
        routeDest: net.aws.cidr,
        nextHop,
        weight: i === 0 ? 100 : 0,
        publishVpc: false,
        overlayMode: 'Ipsec',
      }),
    );
  }
  await waitAlibabaGatewayActive(s, regionId, vpnGatewayId);
  await ali.createRouteEntry(
    new CreateRouteEntryRequest({
      regionId,
      routeTableId: net.alibaba.systemTableId,
      destinationCidrBlock: net.aws.cidr,
      nextHopType: 'VpnGateway',
      nextHopId: vpnGatewayId,
    }),
  );
}

/** the gateway's VPN route entries as (next hop, weight) */
export async function alibabaVpnRoutes(s: SimClients, regionId: string, vpnGatewayId: string) {
  const r = await alibaba(s, regionId).describeVpnRouteEntries(
    new DescribeVpnRouteEntriesRequest({ regionId, vpnGatewayId }),
  );
  return (r.body?.vpnRouteEntries?.vpnRouteEntry ?? []).map((e) => ({
    routeDest: e.routeDest,
    nextHop: e.nextHop,
    weight: e.weight,
  }));
}

/** step 11 plus the static route the article leaves out: VPC route to the VGW, VPN connection routes */
export async function routeAwsToAlibaba(
  s: SimClients,
  net: Networks,
  vpnGatewayId: string,
  vpnConnectionIds: string[],
): Promise<void> {
  const client = ec2(s);
  await client.send(
    new CreateRouteCommand({
      RouteTableId: net.aws.mainRouteTableId,
      DestinationCidrBlock: net.alibaba.cidr,
      GatewayId: vpnGatewayId,
    }),
  );
  for (const id of vpnConnectionIds)
    await client.send(
      new CreateVpnConnectionRouteCommand({ VpnConnectionId: id, DestinationCidrBlock: net.alibaba.cidr }),
    );
}

// ------------------------------------------------------------------ the simulator's own view

export async function simTunnels(s: SimClients): Promise<TunnelReport[]> {
  return (await s.admin<{ tunnels: TunnelReport[] }>('GET', '/_sim/tunnels')).tunnels;
}

/** the report line of an AWS tunnel */
export async function simTunnel(s: SimClients, vpnConnectionId: string, tunnel: 1 | 2): Promise<TunnelReport> {
  const line = (await simTunnels(s)).find((t) => t.aws?.vpnConnectionId === vpnConnectionId && t.aws.tunnel === tunnel);
  if (!line) throw new Error(`no /_sim/tunnels line for ${vpnConnectionId} tunnel ${tunnel}`);
  return line;
}

// ------------------------------------------------------------------ whole procedures

export interface SingleTunnelOptions {
  aws?: VpnTunnelOptionsSpecification;
  /** Alibaba crypto of connection 1 and 2 */
  crypto?: [AliCrypto, AliCrypto];
  /** PSKs to give Alibaba instead of the downloaded ones */
  psks?: [string | undefined, string | undefined];
  effectImmediately?: boolean;
  /** the IP given to the AWS customer gateway instead of the Alibaba gateway IP */
  awsCustomerGatewayIp?: string;
  /** stop before waiting for the AWS VPN connection and creating routes */
  stopAfterIpsec?: boolean;
}

export interface SingleTunnelLink {
  net: Networks;
  gateway: AlibabaGateway;
  vgw: string;
  awsCgw: string;
  vpn: AwsVpn;
  aliCgws: [string, string];
  /** Alibaba IPsec connection paired with AWS tunnel 1, then tunnel 2 */
  ipsec: [string, string];
}

/** the article's procedure (steps 1-11) against a single-tunnel Alibaba gateway */
export async function articleProcedure(s: SimClients, o: SingleTunnelOptions = {}): Promise<SingleTunnelLink> {
  const region = SINGLE_REGION;
  const net = await findVpcs(s, region);
  const gateway = await createAlibabaVpnGateway(s, region, net); // 1
  const vgw = await createAndAttachVgw(s, net.aws.vpcId); // 2, 3
  const awsCgw = await createAwsCustomerGateway(s, o.awsCustomerGatewayIp ?? gateway.internetIp); // 4
  const vpn = await createAwsVpnConnection(s, vgw, awsCgw, o.aws ?? ARTICLE_AWS); // 5, 5b
  const aliCgws: [string, string] = [
    await createAlibabaCustomerGateway(s, region, vpn.tunnels[0].outsideIp), // 6
    await createAlibabaCustomerGateway(s, region, vpn.tunnels[1].outsideIp), // 9
  ];
  const ipsecFor = (i: 0 | 1) =>
    createSingleTunnelIpsecConnection(s, region, gateway.id, aliCgws[i], {
      psk: o.psks?.[i] ?? vpn.tunnels[i].psk,
      crypto: o.crypto?.[i],
      effectImmediately: o.effectImmediately,
    });
  const ipsec: [string, string] = [await ipsecFor(0), await ipsecFor(1)]; // 7 (tunnel 1), 9 (tunnel 2)
  const link = { net, gateway, vgw, awsCgw, vpn, aliCgws, ipsec };
  if (o.stopAfterIpsec) return link;
  await waitAwsVpnAvailable(s, vpn.id);
  await routeAwsToAlibaba(s, net, vgw, [vpn.id]); // 11
  await routeAlibabaToAws(s, region, net, gateway.id, ipsec); // 10
  return link;
}

export interface DualTunnelOptions {
  aws?: VpnTunnelOptionsSpecification;
  crypto?: AliCrypto;
  /** point the master at connection 2's tunnel 1 and the slave at connection 1's (a wrong pairing) */
  crossed?: boolean;
}

export interface DualTunnelLink {
  net: Networks;
  gateway: AlibabaGateway;
  vgw: string;
  awsCgws: [string, string];
  vpns: [AwsVpn, AwsVpn];
  aliCgws: [string, string];
  ipsec: string;
}

/** the same procedure against a dual-tunnel gateway (docs/sources.md#the-article-and-the-interoperability-guides-interop): 2 CGWs, 2 VPNs, 1 dual-tunnel connection */
export async function dualTunnelProcedure(s: SimClients, o: DualTunnelOptions = {}): Promise<DualTunnelLink> {
  const region = DUAL_REGION;
  const net = await findVpcs(s, region);
  const gateway = await createAlibabaVpnGateway(s, region, net);
  const vgw = await createAndAttachVgw(s, net.aws.vpcId);
  const awsCgws: [string, string] = [
    await createAwsCustomerGateway(s, gateway.internetIp),
    await createAwsCustomerGateway(s, gateway.disasterRecoveryInternetIp),
  ];
  const options = o.aws ?? RECOMMENDED_AWS;
  const vpns: [AwsVpn, AwsVpn] = [
    await createAwsVpnConnection(s, vgw, awsCgws[0], options),
    await createAwsVpnConnection(s, vgw, awsCgws[1], options),
  ];
  // tunnel 1 of each connection is used; tunnel 2 stays unused (docs/sources.md#the-article-and-the-interoperability-guides-interop)
  const [first, second] = [vpns[0].tunnels[0], vpns[1].tunnels[0]];
  const aliCgws: [string, string] = [
    await createAlibabaCustomerGateway(s, region, first.outsideIp),
    await createAlibabaCustomerGateway(s, region, second.outsideIp),
  ];
  const sides: [TunnelSide, TunnelSide] = [
    { customerGatewayId: aliCgws[0], psk: first.psk },
    { customerGatewayId: aliCgws[1], psk: second.psk },
  ];
  const [master, slave] = o.crossed ? [sides[1], sides[0]] : sides;
  const ipsec = await createDualTunnelIpsecConnection(s, gateway.id, master, slave, { crypto: o.crypto });
  for (const v of vpns) await waitAwsVpnAvailable(s, v.id);
  await routeAwsToAlibaba(
    s,
    net,
    vgw,
    vpns.map((v) => v.id),
  );
  await routeAlibabaToAws(s, region, net, gateway.id, [ipsec]);
  return { net, gateway, vgw, awsCgws, vpns, aliCgws, ipsec };
}
