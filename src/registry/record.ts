import type { GatewayKind } from '../clouds/types';
import type { ConnectionSpec } from '../spec';

// The connection record (README.md): one Secrets Manager secret per connection, `vpn-bridge/<name>`,
// tagged vpn-bridge:managed=true. It is the single source of truth handed between steps: resource ids,
// gateway and tunnel IPs, PSKs. Only sequential workflow steps write it (never two Parallel branches).

export type ConnectionStatus = 'PROVISIONING' | 'ACTIVE' | 'FAILED' | 'DELETING' | 'DELETED';
export type Operation = 'provision' | 'teardown' | 'drift' | 'rotate';

/** the idempotent provisioning step that puts a repairable drift row right (a deleted route) */
export type RepairStep = 'awsVpcRoute' | 'awsVpnConnectionRoute' | 'alibabaVpnRoute' | 'alibabaVpcRoute';

export interface DriftRow {
  connection: string;
  cloud: 'aws' | 'alibaba';
  resource: string;
  attribute: string;
  expected: string;
  actual: string;
  kind: 'MISSING' | 'CHANGED' | 'UNMANAGED' | 'DOWN';
  severity: 'critical' | 'high' | 'medium' | 'low';
  repairable: boolean;
  /** why (e.g. the diagnosis of a DOWN tunnel) or what to do; never a secret */
  note?: string;
  /** with repairable: which provisioning step re-creates it */
  repairStep?: RepairStep;
}

export interface TunnelHandoff {
  outsideIp: string;
  insideCidr: string;
  /** secret */
  psk: string;
}

/** one tunnel's key change during a rotation: secrets both */
export interface KeyRotation {
  previous: string;
  next: string;
  /** UP on both clouds with `next`: awsTunnels holds it now */
  done?: boolean;
}

/** an operation replaced by a take-over, and what was known about its execution then */
export interface TakenOver {
  kind: Operation;
  executionName?: string;
  executionArn?: string;
  startedAt: string;
  /** its execution's status (SUCCEEDED, FAILED, ABORTED, TIMED_OUT), NOT_STARTED, or FORCED (taken over by request) */
  status: string;
}

export interface ConnectionRecord {
  schemaVersion: 1;
  /** the deployment stage that owns it (with `name`, the ConnectionKey of every name and tag) */
  stage: string;
  name: string;
  /** changes each time the connection is created anew: part of every ClientToken */
  generation: string;
  /** changes with every operation that may create (provisioning run, drift repair): namespaces its ClientTokens */
  tokenEpoch?: string;
  status: ConnectionStatus;
  statusReason?: string;
  spec: ConnectionSpec;
  /**
   * the topology the plan follows: the created Alibaba gateway's kind once it exists (`gatewayKind`), until then the
   * one preflight expects from the vSwitches it chose (src/plan/gateway-kind.ts)
   */
  topology?: GatewayKind;
  /** what the created Alibaba VPN gateway is (dual-tunnel: it has a disaster-recovery IP), once seen */
  gatewayKind?: GatewayKind;
  /** defaults resolved against the live clouds by preflight */
  resolved?: { awsRouteTableIds: string[]; alibabaVSwitchIds: string[]; alibabaRouteTableId: string };
  /** reached ACTIVE at least once: a failed re-run does not roll a working link back */
  everActive: boolean;
  createdAt: string;
  updatedAt: string;
  /** operations that finished (either way): execution names of the next one derive from it */
  completedOperations?: number;
  /**
   * The connection's operation, and its lock (src/registry/lock.ts): a provisioning or teardown without
   * `finishedAt` holds the connection; only its own execution writes `finishedAt`, or another one takes it over.
   */
  operation?: {
    kind: Operation;
    executionName?: string;
    /** set when the execution runs in Step Functions (started through the API or chat); absent for a local run */
    executionArn?: string;
    startedAt: string;
    finishedAt?: string;
    result?: 'SUCCEEDED' | 'FAILED';
    /** identifies the request (a hash of the execution input): an identical submission joins this operation */
    requestHash?: string;
    /** the operation this one took over: its execution had stopped, failed or crashed without finishing */
    replaces?: TakenOver;
  };
  resources: {
    aws: {
      vpnGatewayId?: string;
      /** whether vpn-bridge created the VGW (its last user's teardown deletes it) or adopted the user's (never deleted) */
      vpnGatewayOrigin?: 'created' | 'adopted';
      customerGateways: Record<string, string>;
      vpnConnections: Record<string, string>;
      routeTableIds: string[];
    };
    alibaba: {
      vpnGatewayId?: string;
      customerGateways: Record<string, string>;
      connections: Record<string, string>;
      routeTableId?: string;
      routeEntryId?: string;
    };
  };
  handoffs: {
    alibabaGatewayIps?: { InternetIp: string; DisasterRecoveryInternetIp?: string };
    /** keyed by plan tunnel id, e.g. 'vpn-1/1' */
    awsTunnels: Record<string, TunnelHandoff>;
    /** psk=generated: keys chosen before the VPN connections are created, keyed like awsTunnels */
    generatedPsks?: Record<string, string>;
    /**
     * a key rotation in progress (src/workflow/rotate.ts), keyed like awsTunnels: the key each tunnel had and the key
     * it gets. Both stay here (and so in the secret's versions) until the rotation ends; then only `awsTunnels` holds
     * the key in use.
     */
    rotation?: Record<string, KeyRotation>;
  };
  failure?: { at: string; error: string; cause: string };
  /** the last key rotation that finished (either way); no key material */
  lastRotation?: { at: string; result: 'SUCCEEDED' | 'FAILED'; tunnels: string[]; note?: string };
  /** the drift check's last result; written only when it changes, so `at` is when this result was first seen */
  lastDrift?: { at: string; clean: boolean; rows: DriftRow[] };
}

export function newRecord(spec: ConnectionSpec, stage: string, generation: string, now: string): ConnectionRecord {
  return {
    schemaVersion: 1,
    stage,
    name: spec.name,
    generation,
    status: 'PROVISIONING',
    spec,
    everActive: false,
    createdAt: now,
    updatedAt: now,
    resources: {
      aws: { customerGateways: {}, vpnConnections: {}, routeTableIds: [] },
      alibaba: { customerGateways: {}, connections: {} },
    },
    handoffs: { awsTunnels: {} },
  };
}

/** every secret value held by a record (for redaction and leak scans) */
export function secretsOf(r: ConnectionRecord): string[] {
  return [
    ...Object.values(r.handoffs.awsTunnels).map((t) => t.psk),
    ...Object.values(r.handoffs.generatedPsks ?? {}),
    ...Object.values(r.handoffs.rotation ?? {}).flatMap((k) => [k.previous, k.next]),
  ].filter(Boolean);
}

/** the record as API responses, chat and the CLI may show it: no key material */
export function publicView(r: ConnectionRecord): Omit<ConnectionRecord, 'handoffs'> & {
  handoffs: {
    alibabaGatewayIps?: ConnectionRecord['handoffs']['alibabaGatewayIps'];
    awsTunnels: Record<string, Omit<TunnelHandoff, 'psk'> & { psk: '(stored)' }>;
  };
} {
  const { handoffs, ...rest } = r;
  return {
    ...rest,
    handoffs: {
      alibabaGatewayIps: handoffs.alibabaGatewayIps,
      awsTunnels: Object.fromEntries(
        Object.entries(handoffs.awsTunnels).map(([k, t]) => [
          k,
          { outsideIp: t.outsideIp, insideCidr: t.insideCidr, psk: '(stored)' as const },
        ]),
      ),
    },
  };
}
