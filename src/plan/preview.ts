// What `vpn-bridge plan` shows (like `terraform plan`): each resource the connection needs on each cloud, created
// or adopted (it exists already: a previous run made it), the crypto both sides will use, the tunnel pairing and the
// expected duration (the critical path under a latency table). Pure: the caller observes the clouds.
import { type ConnectionSpec, tgwAttachOf } from '../spec/schema';
import { criticalPathSeconds, scheduleSteps, sequentialSeconds } from './critical-path';
import { type CryptoDescription, describeCrypto } from './crypto';
import { type GatewayKind, type Plan, planConnection } from './topology';

export type PlanAction = 'create' | 'adopt';

export interface PlanItem {
  cloud: 'aws' | 'alibaba';
  /** what it is, in the cloud's own words */
  kind: string;
  /** its role in the connection (the tag or name suffix vpn-bridge gives it) */
  role: string;
  action: PlanAction;
  /** the existing resource adopted */
  id?: string;
  detail?: string;
}

/** what exists already, found by the connection's tags (AWS) and names (Alibaba); absent = not found */
export interface ObservedResources {
  awsVpnGateway?: string;
  awsCustomerGateways: Partial<Record<string, string>>;
  awsVpnConnections: Partial<Record<string, string>>;
  /** route tables that already route the Alibaba CIDR to the connection's VGW */
  awsRoutesPresent: string[];
  alibabaGateway?: { id: string; kind: GatewayKind };
  alibabaCustomerGateways: Partial<Record<string, string>>;
  alibabaConnections: Partial<Record<string, string>>;
  /** the VPN gateway's route entry to the AWS CIDR exists */
  alibabaVpnRoutePresent: boolean;
  /** the VPC route entry to the AWS CIDR through the VPN gateway exists */
  alibabaVpcRoutePresent: boolean;
}

export interface PlanPreview {
  name: string;
  /** ok: the plan can run; errors: preflight found problems (nothing would be created) */
  ok: boolean;
  /** something would be created (terraform's "changes") */
  changes: boolean;
  errors: Array<{ path: string; message: string }>;
  warnings: Array<{ path: string; message: string }>;
  topology?: GatewayKind;
  /** how the topology was decided: the existing gateway, the pinned gatewayMode, or the region's expected kind */
  topologyFrom?: 'existing-gateway' | 'gatewayMode' | 'expected';
  aws: PlanItem[];
  alibaba: PlanItem[];
  crypto?: { profile: string; psk: string; aws: CryptoDescription; alibaba: CryptoDescription };
  pairing: Array<{ tunnel: string; role: string; aws: string; alibaba?: string }>;
  duration?: {
    criticalPathSeconds: number;
    criticalPath: string[];
    sequentialSeconds: number;
    steps: Array<{ id: string; start: number; finish: number }>;
  };
  summary: { create: number; adopt: number };
}

const ALIBABA_IP = { InternetIp: 'gateway IP', DisasterRecoveryInternetIp: 'disaster-recovery IP' } as const;

function item(cloud: PlanItem['cloud'], kind: string, role: string, id: string | undefined, detail?: string): PlanItem {
  return { cloud, kind, role, action: id ? 'adopt' : 'create', ...(id ? { id } : {}), ...(detail ? { detail } : {}) };
}

function awsItems(spec: ConnectionSpec, plan: Plan, o: ObservedResources, routeTables: string[]): PlanItem[] {
  // through a transit gateway: the user's gateway (adopted, never created), a static route per Alibaba CIDR in its table
  const tgw = tgwAttachOf(spec);
  const out: PlanItem[] = tgw
    ? [
        item('aws', 'transit gateway (yours)', 'transit-gateway', tgw.transitGateway, tgw.routeTableId),
        ...plan.routes.awsDestinations.map((d) =>
          item(
            'aws',
            'transit gateway route',
            `tgw-route ${d}`,
            undefined,
            `${d} -> ${plan.awsVpnConnections[0]?.role}'s attachment in ${tgw.routeTableId}`,
          ),
        ),
      ]
    : [item('aws', 'VPN gateway (VGW), attached to the VPC', 'vgw', o.awsVpnGateway, spec.aws.vpcId)];
  for (const c of plan.awsCustomerGateways)
    out.push(
      item('aws', 'customer gateway', c.role, o.awsCustomerGateways[c.role], `Alibaba ${ALIBABA_IP[c.alibabaIp]}`),
    );
  for (const v of plan.awsVpnConnections) {
    const used = v.tunnels.filter((t) => t.used).map((t) => `tunnel ${t.tunnel}`);
    out.push(
      item(
        'aws',
        'VPN connection (static routes)',
        v.role,
        o.awsVpnConnections[v.role],
        `${v.customerGateway}; ${used.join(' and ')} used; static route ${spec.alibaba.cidr}`,
      ),
    );
  }
  for (const t of routeTables)
    out.push(
      item(
        'aws',
        'VPC route',
        `route ${t}`,
        o.awsRoutesPresent.includes(t) ? t : undefined,
        `${plan.routes.awsDestinations.join(', ')} -> ${tgw ? tgw.transitGateway : 'VGW'} in ${t}`,
      ),
    );
  return out;
}

function alibabaItems(spec: ConnectionSpec, plan: Plan, o: ObservedResources, routeTable: string): PlanItem[] {
  const out: PlanItem[] = [
    item(
      'alibaba',
      `VPN gateway (${plan.topology})`,
      'alibaba-gateway',
      o.alibabaGateway?.id,
      `${spec.alibaba.vpcId}, ${spec.alibaba.bandwidthMbps} Mbps ${spec.alibaba.chargeType}`,
    ),
  ];
  for (const c of plan.alibabaCustomerGateways)
    out.push(
      item(
        'alibaba',
        'customer gateway',
        c.role,
        o.alibabaCustomerGateways[c.role],
        `AWS ${c.awsTunnel.connection} tunnel ${c.awsTunnel.tunnel}`,
      ),
    );
  for (const c of plan.alibabaConnections)
    out.push(
      item(
        'alibaba',
        `IPsec connection (${c.mode})`,
        c.role,
        o.alibabaConnections[c.role],
        c.tunnels.map((t) => `${t.alibabaRole} via ${t.customerGateway}`).join(', '),
      ),
    );
  out.push(
    item(
      'alibaba',
      'VPN gateway route entry',
      'vpn-route',
      o.alibabaVpnRoutePresent ? spec.aws.cidr : undefined,
      `${spec.aws.cidr} -> IPsec connection(s)`,
    ),
  );
  out.push(
    item(
      'alibaba',
      'VPC route entry',
      'vpc-route',
      o.alibabaVpcRoutePresent ? routeTable : undefined,
      `${spec.aws.cidr} -> VPN gateway in ${routeTable}`,
    ),
  );
  return out;
}

export interface PreviewInput {
  spec: ConnectionSpec;
  errors: Array<{ path: string; message: string }>;
  warnings: Array<{ path: string; message: string }>;
  /** the kind preflight expects (undefined when it could not tell) */
  expectedKind?: GatewayKind;
  resolved?: { awsRouteTableIds: string[]; alibabaRouteTableId: string };
  observed: ObservedResources;
  /** seconds per provider change (the simulator's table: typical durations from the providers' documentation) */
  latencies: Readonly<Record<string, number>>;
}

export function previewPlan(i: PreviewInput): PlanPreview {
  const { spec, observed } = i;
  const mode = spec.alibaba.gatewayMode ?? 'auto';
  const topology: GatewayKind | undefined = observed.alibabaGateway?.kind ?? (mode !== 'auto' ? mode : i.expectedKind);
  const topologyFrom: PlanPreview['topologyFrom'] = observed.alibabaGateway
    ? 'existing-gateway'
    : mode !== 'auto'
      ? 'gatewayMode'
      : 'expected';
  const base = { name: spec.name, errors: i.errors, warnings: i.warnings };
  if (i.errors.length > 0 || !topology || !i.resolved)
    return {
      ...base,
      ok: false,
      changes: false,
      aws: [],
      alibaba: [],
      pairing: [],
      summary: { create: 0, adopt: 0 },
    };
  const plan = planConnection(spec, topology);
  const aws = awsItems(spec, plan, observed, i.resolved.awsRouteTableIds);
  const alibaba = alibabaItems(spec, plan, observed, i.resolved.alibabaRouteTableId);
  const all = [...aws, ...alibaba];
  const create = all.filter((x) => x.action === 'create').length;
  const cp = criticalPathSeconds(plan, i.latencies);
  // what is adopted takes no time: the schedule is the plan's, so the critical path is an upper bound for a repair
  return {
    ...base,
    ok: true,
    changes: create > 0,
    topology,
    topologyFrom,
    aws,
    alibaba,
    crypto: {
      profile: spec.tunnels.profile,
      psk: spec.tunnels.psk,
      aws: describeCrypto(plan.crypto, 'aws'),
      alibaba: describeCrypto(plan.crypto, 'alibaba'),
    },
    pairing: plan.tunnels.map((t) => ({
      tunnel: t.id,
      role: t.role,
      aws: `${t.aws.connection} tunnel ${t.aws.tunnel}`,
      ...(t.alibaba
        ? { alibaba: `${t.alibaba.connection} ${t.alibaba.alibabaRole} from its ${ALIBABA_IP[t.alibaba.sourceIp]}` }
        : {}),
    })),
    duration: {
      criticalPathSeconds: cp.seconds,
      criticalPath: cp.path,
      sequentialSeconds: sequentialSeconds(plan, i.latencies),
      steps: scheduleSteps(plan, i.latencies, 'parallel'),
    },
    summary: { create, adopt: all.length - create },
  };
}

/** terraform plan -detailed-exitcode: 0 nothing to do, 1 error, 2 changes */
export function planExitCode(p: Pick<PlanPreview, 'ok' | 'changes'>): 0 | 1 | 2 {
  if (!p.ok) return 1;
  return p.changes ? 2 : 0;
}
