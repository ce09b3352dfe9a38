import type {
  AliCustomerGateway,
  AliTunnel,
  AliVpnConnection,
  AliVpnGateway,
  AwsCustomerGateway,
  AwsTunnel,
  AwsVpnConnection,
} from '../clouds/types';
import type { Plan, PlannedTunnel } from '../plan';
import { awsEncryptionFromAlibaba, awsIntegrityFromAlibaba, dhGroupFromAlibaba } from '../plan/crypto';

// Per-tunnel health on both clouds (README.md, docs/sources.md#the-article-and-the-interoperability-guides-interop) and, for a tunnel that is not up, a
// diagnosis that names the reason. Pure: callers pass what they observed.

export interface Observed {
  awsConnections: Partial<Record<string, AwsVpnConnection>>;
  awsCustomerGateways: Partial<Record<string, AwsCustomerGateway>>;
  alibabaGateway?: AliVpnGateway;
  alibabaConnections: Partial<Record<string, AliVpnConnection>>;
  alibabaCustomerGateways: AliCustomerGateway[];
  /** the PSKs stored in the record, keyed by tunnel id */
  storedPsks: Record<string, string>;
}

export interface TunnelHealth {
  id: string;
  role: 'active' | 'standby' | 'unused';
  up: boolean;
  aws: {
    vpnConnectionId?: string;
    tunnel: 1 | 2;
    outsideIp?: string;
    status: string;
    statusMessage?: string;
    lastStatusChange?: string;
  };
  alibaba?: {
    vpnConnectionId?: string;
    tunnelId?: string;
    role: string;
    sourceIp?: string;
    status: string;
  };
  /** why a used tunnel is not up (undefined when up or unused) */
  reason?: string;
}

const AWS_ALL = {
  enc: ['AES128', 'AES256', 'AES128-GCM-16', 'AES256-GCM-16'],
  integ: ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'],
  dh1: ['2', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24'],
  dh2: ['2', '5', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24'],
  ike: ['ikev1', 'ikev2'],
};

function alibabaTunnelOf(conn: AliVpnConnection | undefined, role: string): AliTunnel | undefined {
  if (!conn) return undefined;
  return conn.tunnels.length === 1 ? conn.tunnels[0] : conn.tunnels.find((t) => t.role === role);
}

function awsTunnelOf(conn: AwsVpnConnection | undefined, n: 1 | 2): AwsTunnel | undefined {
  return conn?.tunnels[n - 1];
}

export function tunnelHealth(plan: Plan, o: Observed): TunnelHealth[] {
  return plan.tunnels.map((t) => one(plan, t, o));
}

function one(plan: Plan, t: PlannedTunnel, o: Observed): TunnelHealth {
  const awsConn = o.awsConnections[t.aws.connection];
  const awsTunnel = awsTunnelOf(awsConn, t.aws.tunnel);
  const aws: TunnelHealth['aws'] = {
    vpnConnectionId: awsConn?.id,
    tunnel: t.aws.tunnel,
    outsideIp: awsTunnel?.outsideIp,
    status: awsConn ? (awsTunnel?.telemetry?.status ?? 'DOWN') : 'MISSING',
    statusMessage: awsTunnel?.telemetry?.message,
    lastStatusChange: awsTunnel?.telemetry?.lastStatusChange,
  };
  if (!t.alibaba) return { id: t.id, role: t.role, up: false, aws };
  const aliConn = o.alibabaConnections[t.alibaba.connection];
  const aliTunnel = alibabaTunnelOf(aliConn, t.alibaba.alibabaRole);
  const sourceIp =
    aliTunnel?.sourceIp ||
    (o.alibabaGateway
      ? o.alibabaGateway[t.alibaba.sourceIp === 'InternetIp' ? 'internetIp' : 'disasterRecoveryInternetIp']
      : undefined);
  const alibaba: TunnelHealth['alibaba'] = {
    vpnConnectionId: aliConn?.id,
    tunnelId: aliTunnel?.tunnelId,
    role: t.alibaba.alibabaRole,
    sourceIp,
    status: aliConn ? (aliTunnel?.status ?? 'unknown') : 'MISSING',
  };
  const up = aws.status === 'UP' && alibaba.status === 'ipsec_sa_established';
  const health: TunnelHealth = { id: t.id, role: t.role, up, aws, alibaba };
  if (!up) health.reason = diagnose(plan, t, o, awsConn, awsTunnel, aliConn, aliTunnel, sourceIp);
  return health;
}

function diagnose(
  plan: Plan,
  t: PlannedTunnel,
  o: Observed,
  awsConn: AwsVpnConnection | undefined,
  aws: AwsTunnel | undefined,
  aliConn: AliVpnConnection | undefined,
  ali: AliTunnel | undefined,
  sourceIp: string | undefined,
): string {
  const status = `AWS says ${aws?.telemetry?.status ?? 'nothing'}${aws?.telemetry?.message ? ` (${aws.telemetry.message})` : ''}, Alibaba says ${ali?.status ?? 'nothing'}`;
  const why = (reason: string) => `${reason} [${status}]`;
  if (!awsConn) return why(`the AWS VPN connection ${t.aws.connection} does not exist`);
  if (awsConn.state !== 'available') return why(`the AWS VPN connection ${awsConn.id} is ${awsConn.state}`);
  if (!aws) return why(`the AWS VPN connection ${awsConn.id} has no tunnel ${t.aws.tunnel}`);
  if (!aliConn || !ali) return why(`the Alibaba IPsec connection ${t.alibaba?.connection ?? '?'} does not exist`);
  if (aliConn.state && aliConn.state !== 'active')
    return why(`the Alibaba IPsec connection ${aliConn.id} is ${aliConn.state}`);
  const awsCgw =
    o.awsCustomerGateways[plan.awsVpnConnections.find((c) => c.role === t.aws.connection)?.customerGateway ?? ''];
  const aliCgw = o.alibabaCustomerGateways.find((c) => c.id === ali.customerGatewayId);
  if (awsCgw && sourceIp && awsCgw.ipAddress !== sourceIp)
    return why(
      `wrong pairing: the Alibaba tunnel leaves from ${sourceIp} but the AWS customer gateway is ${awsCgw.ipAddress}`,
    );
  if (aliCgw && aliCgw.ipAddress !== aws.outsideIp)
    return why(
      `wrong pairing: the Alibaba customer gateway is ${aliCgw.ipAddress} but the AWS tunnel's outside IP is ${aws.outsideIp}`,
    );
  const stored = o.storedPsks[t.id];
  const aliPsk = ali.ike.Psk && !/^\*+$/.test(ali.ike.Psk) ? ali.ike.Psk : undefined;
  if (aliPsk !== undefined && aws.psk && aliPsk !== aws.psk)
    return why('pre-shared key mismatch between the two clouds');
  if (stored && aws.psk && stored !== aws.psk) return why('the AWS pre-shared key differs from the stored one');
  const ikeOk = aws.ikeVersions.length ? aws.ikeVersions : AWS_ALL.ike;
  if (!ikeOk.includes(ali.ike.IkeVersion))
    return why(`IKE version ${ali.ike.IkeVersion} is not allowed by AWS (${ikeOk.join(', ')})`);
  if (ali.ike.IkeVersion === 'ikev1' && ali.ike.IkeMode && ali.ike.IkeMode !== 'main')
    return why(`IKEv1 ${ali.ike.IkeMode} mode: AWS accepts main mode only`);
  const check = (label: string, value: string, allowed: string[], all: string[]) => {
    const ok = allowed.length ? allowed : all;
    return ok.includes(value) ? undefined : `${label} ${value} is not accepted by AWS (${ok.join(', ')})`;
  };
  const mismatch =
    check('phase 1 encryption', awsEncryptionFromAlibaba(ali.ike.IkeEncAlg), aws.phase1Encryption, AWS_ALL.enc) ??
    check('phase 1 integrity', awsIntegrityFromAlibaba(ali.ike.IkeAuthAlg), aws.phase1Integrity, AWS_ALL.integ) ??
    check('phase 1 DH group', dhGroupFromAlibaba(ali.ike.IkePfs), aws.phase1DhGroups.map(String), AWS_ALL.dh1) ??
    check('phase 2 encryption', awsEncryptionFromAlibaba(ali.ipsec.IpsecEncAlg), aws.phase2Encryption, AWS_ALL.enc) ??
    check('phase 2 integrity', awsIntegrityFromAlibaba(ali.ipsec.IpsecAuthAlg), aws.phase2Integrity, AWS_ALL.integ) ??
    check('phase 2 DH group', dhGroupFromAlibaba(ali.ipsec.IpsecPfs), aws.phase2DhGroups.map(String), AWS_ALL.dh2);
  if (mismatch) return why(`no common proposal: Alibaba ${mismatch}`);
  if (aws.startupAction !== 'start' && !aliConn.effectImmediately)
    return why('no side initiates: AWS StartupAction=add and Alibaba EffectImmediately=false');
  if (ali.ike.IkeLifetime > aws.phase1LifetimeSeconds || ali.ipsec.IpsecLifetime > aws.phase2LifetimeSeconds)
    return why(
      `lifetime mismatch: Alibaba ${ali.ike.IkeLifetime}/${ali.ipsec.IpsecLifetime} s vs AWS ${aws.phase1LifetimeSeconds}/${aws.phase2LifetimeSeconds} s (rekeys fail)`,
    );
  return why('configuration matches on both sides; still negotiating');
}

/** used tunnels that are not up, as one line each */
export function downSummary(rows: TunnelHealth[]): string {
  return rows
    .filter((r) => r.role !== 'unused' && !r.up)
    .map((r) => `tunnel ${r.id} (${r.role}): ${r.reason ?? 'down'}`)
    .join('; ');
}
