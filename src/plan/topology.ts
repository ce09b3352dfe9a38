// Topology and tunnel pairing (README.md, docs/sources.md#the-article-and-the-interoperability-guides-interop). Pure.
import { alibabaCidrsOf, awsCidrsOf, type ConnectionSpec } from '../spec/schema';
import { type CryptoProfile, resolveCrypto } from './crypto';
import { insideCidrs } from './naming';

export type GatewayKind = 'single-tunnel' | 'dual-tunnel';
export type AwsConnectionRole = 'vpn-1' | 'vpn-2';
export type AwsCgwRole = 'cgw-1' | 'cgw-2';
export type AlibabaCgwRole = 'alibaba-cgw-1' | 'alibaba-cgw-2';
export type AlibabaConnectionRole = 'ipsec-1' | 'ipsec-2';
export type AlibabaTunnelRole = 'master' | 'slave';
export type TunnelRole = 'active' | 'standby' | 'unused';

export interface AwsTunnelRef {
  connection: AwsConnectionRole;
  tunnel: 1 | 2;
}
/** Which of the Alibaba gateway's public IPs (DescribeVpnGateway field names). */
export type AlibabaIpSlot = 'InternetIp' | 'DisasterRecoveryInternetIp';

export interface AwsTunnelPlan {
  tunnel: 1 | 2;
  insideCidr: string;
  used: boolean;
}

export interface AlibabaTunnelPlan {
  alibabaRole: AlibabaTunnelRole;
  customerGateway: AlibabaCgwRole;
  sourceIp: AlibabaIpSlot;
  awsTunnel: AwsTunnelRef;
}

export interface PlannedTunnel {
  /** `<aws connection>/<tunnel>`, e.g. 'vpn-1/1' */
  id: string;
  role: TunnelRole;
  aws: AwsTunnelRef;
  alibaba?: { connection: AlibabaConnectionRole; alibabaRole: AlibabaTunnelRole; sourceIp: AlibabaIpSlot };
}

export interface Plan {
  name: string;
  topology: GatewayKind;
  crypto: CryptoProfile;
  pskMode: 'from-aws-config' | 'generated';
  awsCustomerGateways: Array<{ role: AwsCgwRole; alibabaIp: AlibabaIpSlot }>;
  awsVpnConnections: Array<{
    role: AwsConnectionRole;
    customerGateway: AwsCgwRole;
    tunnels: [AwsTunnelPlan, AwsTunnelPlan];
  }>;
  alibabaCustomerGateways: Array<{ role: AlibabaCgwRole; awsTunnel: AwsTunnelRef }>;
  alibabaConnections: Array<{
    role: AlibabaConnectionRole;
    mode: GatewayKind;
    tunnels: AlibabaTunnelPlan[];
    /** Alibaba VPN route entry Weight: 100 active, 0 standby (ignored on dual-tunnel gateways but required) */
    routeWeight: 100 | 0;
  }>;
  tunnels: PlannedTunnel[];
  routes: {
    awsRouteTableIds: string[] | 'main';
    /** the Alibaba CIDRs (`alibaba.cidr` or `alibaba.cidrs`): one route each in every AWS route table */
    awsDestinations: string[];
    alibabaRouteTableId: string | 'system';
    /** the AWS CIDRs (`aws.cidr` or `aws.cidrs`): one VPC route entry and one VPN route entry per connection each */
    alibabaDestinations: string[];
  };
}

export function tunnelId(ref: AwsTunnelRef): string {
  return `${ref.connection}/${ref.tunnel}`;
}

function sameRef(a: AwsTunnelRef, b: AwsTunnelRef): boolean {
  return a.connection === b.connection && a.tunnel === b.tunnel;
}

/**
 * The resources and pairing for one connection.
 * - single-tunnel gateway (2018 article, topology A): 1 AWS CGW -> vpn-1 with both tunnels used -> 2 Alibaba CGWs
 *   -> 2 single-tunnel IPsec connections (weights 100 / 0).
 * - dual-tunnel gateway (Alibaba's guide, topology B): 2 AWS CGWs -> vpn-1, vpn-2 (tunnel 1 of each used)
 *   -> 2 Alibaba CGWs -> 1 dual-tunnel connection, master on InternetIp, slave on DisasterRecoveryInternetIp.
 */
export function planConnection(spec: ConnectionSpec, gatewayKind: GatewayKind): Plan {
  const resolved = resolveCrypto(spec.tunnels.profile, spec.tunnels.overrides);
  if (!resolved.ok) {
    throw new Error(
      `the spec's crypto settings are invalid: ${resolved.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  const [v1t1, v1t2, v2t1, v2t2] = insideCidrs(spec.name);
  const routes: Plan['routes'] = {
    awsRouteTableIds: spec.aws.routeTableIds ? [...spec.aws.routeTableIds] : 'main',
    awsDestinations: alibabaCidrsOf(spec),
    alibabaRouteTableId: spec.alibaba.routeTableId ?? 'system',
    alibabaDestinations: awsCidrsOf(spec),
  };
  const common = { name: spec.name, crypto: resolved.crypto, pskMode: spec.tunnels.psk, routes };

  if (gatewayKind === 'single-tunnel') {
    const t1: AwsTunnelRef = { connection: 'vpn-1', tunnel: 1 };
    const t2: AwsTunnelRef = { connection: 'vpn-1', tunnel: 2 };
    return {
      ...common,
      topology: 'single-tunnel',
      awsCustomerGateways: [{ role: 'cgw-1', alibabaIp: 'InternetIp' }],
      awsVpnConnections: [
        {
          role: 'vpn-1',
          customerGateway: 'cgw-1',
          tunnels: [
            { tunnel: 1, insideCidr: v1t1, used: true },
            { tunnel: 2, insideCidr: v1t2, used: true },
          ],
        },
      ],
      alibabaCustomerGateways: [
        { role: 'alibaba-cgw-1', awsTunnel: t1 },
        { role: 'alibaba-cgw-2', awsTunnel: t2 },
      ],
      alibabaConnections: [
        {
          role: 'ipsec-1',
          mode: 'single-tunnel',
          tunnels: [{ alibabaRole: 'master', customerGateway: 'alibaba-cgw-1', sourceIp: 'InternetIp', awsTunnel: t1 }],
          routeWeight: 100,
        },
        {
          role: 'ipsec-2',
          mode: 'single-tunnel',
          tunnels: [{ alibabaRole: 'master', customerGateway: 'alibaba-cgw-2', sourceIp: 'InternetIp', awsTunnel: t2 }],
          routeWeight: 0,
        },
      ],
      tunnels: [
        {
          id: tunnelId(t1),
          role: 'active',
          aws: t1,
          alibaba: { connection: 'ipsec-1', alibabaRole: 'master', sourceIp: 'InternetIp' },
        },
        {
          id: tunnelId(t2),
          role: 'standby',
          aws: t2,
          alibaba: { connection: 'ipsec-2', alibabaRole: 'master', sourceIp: 'InternetIp' },
        },
      ],
    };
  }

  const m: AwsTunnelRef = { connection: 'vpn-1', tunnel: 1 };
  const s: AwsTunnelRef = { connection: 'vpn-2', tunnel: 1 };
  const u1: AwsTunnelRef = { connection: 'vpn-1', tunnel: 2 };
  const u2: AwsTunnelRef = { connection: 'vpn-2', tunnel: 2 };
  return {
    ...common,
    topology: 'dual-tunnel',
    awsCustomerGateways: [
      { role: 'cgw-1', alibabaIp: 'InternetIp' },
      { role: 'cgw-2', alibabaIp: 'DisasterRecoveryInternetIp' },
    ],
    awsVpnConnections: [
      {
        role: 'vpn-1',
        customerGateway: 'cgw-1',
        tunnels: [
          { tunnel: 1, insideCidr: v1t1, used: true },
          { tunnel: 2, insideCidr: v1t2, used: false },
        ],
      },
      {
        role: 'vpn-2',
        customerGateway: 'cgw-2',
        tunnels: [
          { tunnel: 1, insideCidr: v2t1, used: true },
          { tunnel: 2, insideCidr: v2t2, used: false },
        ],
      },
    ],
    alibabaCustomerGateways: [
      { role: 'alibaba-cgw-1', awsTunnel: m },
      { role: 'alibaba-cgw-2', awsTunnel: s },
    ],
    alibabaConnections: [
      {
        role: 'ipsec-1',
        mode: 'dual-tunnel',
        tunnels: [
          { alibabaRole: 'master', customerGateway: 'alibaba-cgw-1', sourceIp: 'InternetIp', awsTunnel: m },
          {
            alibabaRole: 'slave',
            customerGateway: 'alibaba-cgw-2',
            sourceIp: 'DisasterRecoveryInternetIp',
            awsTunnel: s,
          },
        ],
        routeWeight: 100,
      },
    ],
    tunnels: [
      {
        id: tunnelId(m),
        role: 'active',
        aws: m,
        alibaba: { connection: 'ipsec-1', alibabaRole: 'master', sourceIp: 'InternetIp' },
      },
      { id: tunnelId(u1), role: 'unused', aws: u1 },
      {
        id: tunnelId(s),
        role: 'standby',
        aws: s,
        alibaba: { connection: 'ipsec-1', alibabaRole: 'slave', sourceIp: 'DisasterRecoveryInternetIp' },
      },
      { id: tunnelId(u2), role: 'unused', aws: u2 },
    ],
  };
}

/**
 * The pairing rule on the plan's structure (README.md, docs/sources.md#the-article-and-the-interoperability-guides-interop): every Alibaba tunnel leaves from the
 * IP that the AWS customer gateway behind its AWS connection names, and its Alibaba customer gateway is that AWS
 * tunnel. Also checks that the plan is internally consistent (used tunnels paired exactly once, roles, modes).
 * Returns one message per violation; empty = the plan pairs correctly.
 */
export function checkPairing(plan: Plan): string[] {
  const problems: string[] = [];
  const awsCgw = new Map(plan.awsCustomerGateways.map((c) => [c.role, c]));
  const awsConn = new Map(plan.awsVpnConnections.map((c) => [c.role, c]));
  const aliCgw = new Map(plan.alibabaCustomerGateways.map((c) => [c.role, c]));
  const pairedCount = new Map<string, number>();

  for (const conn of plan.alibabaConnections) {
    if (conn.mode !== plan.topology) {
      problems.push(`${conn.role} is a ${conn.mode} connection on a ${plan.topology} gateway`);
    }
    const expectedTunnels = conn.mode === 'dual-tunnel' ? 2 : 1;
    if (conn.tunnels.length !== expectedTunnels) {
      problems.push(
        `${conn.role} has ${conn.tunnels.length} tunnel(s); a ${conn.mode} connection has ${expectedTunnels}`,
      );
    }
    for (const t of conn.tunnels) {
      const where = `${conn.role} ${t.alibabaRole} tunnel`;
      const id = tunnelId(t.awsTunnel);
      pairedCount.set(id, (pairedCount.get(id) ?? 0) + 1);
      if (plan.topology === 'single-tunnel' && t.sourceIp !== 'InternetIp') {
        problems.push(`${where} leaves from ${t.sourceIp}, which a single-tunnel gateway does not have`);
      }
      const aws = awsConn.get(t.awsTunnel.connection);
      if (!aws) {
        problems.push(`${where} pairs with ${id}, but the plan has no AWS connection ${t.awsTunnel.connection}`);
        continue;
      }
      const cgw = awsCgw.get(aws.customerGateway);
      if (!cgw) {
        problems.push(`${aws.role} uses customer gateway ${aws.customerGateway}, which the plan does not create`);
      } else if (cgw.alibabaIp !== t.sourceIp) {
        problems.push(
          `${where} leaves from ${t.sourceIp}, but ${aws.role}'s customer gateway ${cgw.role} names ${cgw.alibabaIp}`,
        );
      }
      const awsTunnel = aws.tunnels.find((x) => x.tunnel === t.awsTunnel.tunnel);
      if (!awsTunnel?.used) problems.push(`${where} pairs with ${id}, which the plan marks unused`);
      const ali = aliCgw.get(t.customerGateway);
      if (!ali) {
        problems.push(`${where} uses Alibaba customer gateway ${t.customerGateway}, which the plan does not create`);
      } else if (!sameRef(ali.awsTunnel, t.awsTunnel)) {
        problems.push(
          `${where} pairs with ${id}, but its customer gateway ${ali.role} is the outside IP of ${tunnelId(ali.awsTunnel)}`,
        );
      }
    }
  }

  for (const aws of plan.awsVpnConnections) {
    for (const t of aws.tunnels) {
      const id = tunnelId({ connection: aws.role, tunnel: t.tunnel });
      const count = pairedCount.get(id) ?? 0;
      if (t.used && count === 0) problems.push(`${id} is used but no Alibaba tunnel pairs with it`);
      if (count > 1) problems.push(`${id} is paired with ${count} Alibaba tunnels`);
    }
  }

  for (const t of plan.tunnels) {
    const aws = awsConn.get(t.aws.connection)?.tunnels.find((x) => x.tunnel === t.aws.tunnel);
    if (!aws) {
      problems.push(`tunnel ${t.id} refers to an AWS tunnel the plan does not create`);
      continue;
    }
    if ((t.role === 'unused') !== !aws.used) {
      problems.push(`tunnel ${t.id} has role ${t.role} but the AWS tunnel is ${aws.used ? 'used' : 'unused'}`);
    }
    if (t.role !== 'unused') {
      const conn = plan.alibabaConnections.find((c) => c.role === t.alibaba?.connection);
      const match = conn?.tunnels.find((x) => x.alibabaRole === t.alibaba?.alibabaRole && sameRef(x.awsTunnel, t.aws));
      if (!t.alibaba || !match || match.sourceIp !== t.alibaba.sourceIp) {
        problems.push(`tunnel ${t.id} (${t.role}) does not match an Alibaba tunnel of the plan`);
      }
    }
  }
  return problems;
}

/** Concrete values of one paired tunnel, as the drift check reads them from both clouds. */
export interface ActualTunnelPairing {
  /** e.g. 'vpn-1/1' */
  id: string;
  /** the Alibaba gateway IP this tunnel leaves from (Alibaba TunnelOptions[i].InternetIp / the gateway IP) */
  alibabaSourceIp?: string | undefined;
  /** IpAddress of the Alibaba customer gateway of this tunnel */
  alibabaCustomerGatewayIp?: string | undefined;
  /** IpAddress of the AWS customer gateway behind the AWS VPN connection */
  awsCustomerGatewayIp?: string | undefined;
  /** OutsideIpAddress of the AWS tunnel */
  awsTunnelOutsideIp?: string | undefined;
}

export interface PairingViolation {
  tunnel: string;
  rule: 'source-ip' | 'customer-gateway';
  expected: string;
  actual: string;
  message: string;
}

/** The pairing rule over concrete values; a missing value is itself a violation (it cannot be shown to pair). */
export function checkPairingActual(actual: readonly ActualTunnelPairing[]): PairingViolation[] {
  const out: PairingViolation[] = [];
  const show = (v: string | undefined) => (v ? v : '(unknown)');
  for (const t of actual) {
    if (!t.alibabaSourceIp || !t.awsCustomerGatewayIp || t.alibabaSourceIp !== t.awsCustomerGatewayIp) {
      out.push({
        tunnel: t.id,
        rule: 'source-ip',
        expected: show(t.awsCustomerGatewayIp),
        actual: show(t.alibabaSourceIp),
        message: `tunnel ${t.id}: the Alibaba side leaves from ${show(t.alibabaSourceIp)}, but the AWS customer gateway names ${show(t.awsCustomerGatewayIp)}`,
      });
    }
    if (!t.alibabaCustomerGatewayIp || !t.awsTunnelOutsideIp || t.alibabaCustomerGatewayIp !== t.awsTunnelOutsideIp) {
      out.push({
        tunnel: t.id,
        rule: 'customer-gateway',
        expected: show(t.awsTunnelOutsideIp),
        actual: show(t.alibabaCustomerGatewayIp),
        message: `tunnel ${t.id}: the Alibaba customer gateway is ${show(t.alibabaCustomerGatewayIp)}, but the AWS tunnel's outside IP is ${show(t.awsTunnelOutsideIp)}`,
      });
    }
  }
  return out;
}
