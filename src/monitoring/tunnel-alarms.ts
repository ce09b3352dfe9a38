// CloudWatch alarms on the AWS side of each USED tunnel (metric AWS/VPN TunnelState, 1 = up, 0 = down, per
// dimensions VpnId + TunnelIpAddress; docs/monitoring.md). Which tunnels are used is the plan's decision
// (src/plan/topology.ts): both tunnels of vpn-1 on a single-tunnel Alibaba gateway, tunnel 1 of vpn-1 and vpn-2 on a
// dual-tunnel one; a tunnel the topology leaves unused is DOWN by design and never gets an alarm. Pure: the adapter
// (src/clouds/aws/cloudwatch-adapter.ts) makes the calls.
import type { Plan } from '../plan';
import { type AwsTunnelId, type ConnectionKey, tunnelAlarmName } from '../plan/naming';

export interface TunnelAlarmSpec {
  name: string;
  description: string;
  vpnConnectionId: string;
  tunnelOutsideIp: string;
  /** SNS topics notified on ALARM and back to OK (same region as the alarm, or none) */
  actions: string[];
}

/** what vpn-bridge needs from CloudWatch */
export interface AlarmsApi {
  /** create or replace (PutMetricAlarm is an upsert: re-running the step is harmless) */
  put(alarm: TunnelAlarmSpec): Promise<void>;
  /** those of these alarms that exist, as they are */
  describe(names: string[]): Promise<TunnelAlarmSpec[]>;
  /** delete these (all exist) */
  delete(names: string[]): Promise<void>;
}

/** the metric and the rule every tunnel alarm uses: DOWN for 3 consecutive minutes, missing data counts as DOWN */
export const TUNNEL_ALARM_RULE = {
  namespace: 'AWS/VPN',
  metricName: 'TunnelState',
  statistic: 'Maximum',
  period: 60,
  evaluationPeriods: 3,
  threshold: 1,
  comparison: 'LessThanThreshold',
  treatMissingData: 'breaching',
} as const;

export interface TunnelEndpoints {
  vpnConnections: Record<string, string>;
  tunnelOutsideIps: Record<string, string | undefined>;
}

/** the alarms of a connection's used tunnels; throws if a used tunnel's VPN connection or outside IP is not known */
export function tunnelAlarms(
  key: ConnectionKey,
  plan: Plan,
  endpoints: TunnelEndpoints,
  actions: string[],
): TunnelAlarmSpec[] {
  return plan.tunnels
    .filter((t) => t.role !== 'unused')
    .map((t) => {
      const vpnConnectionId = endpoints.vpnConnections[t.aws.connection];
      const tunnelOutsideIp = endpoints.tunnelOutsideIps[t.id];
      if (!vpnConnectionId || !tunnelOutsideIp)
        throw new Error(`tunnel ${t.id} of ${key.name} has no recorded VPN connection or outside IP`);
      return {
        name: tunnelAlarmName(key, t.id as AwsTunnelId),
        description: `vpn-bridge ${key.stage}/${key.name}: AWS tunnel ${t.id} (${t.role}) of ${vpnConnectionId} is DOWN`,
        vpnConnectionId,
        tunnelOutsideIp,
        actions,
      };
    });
}

/** an existing alarm already is this one (PutMetricAlarm would change nothing) */
export function sameAlarm(a: TunnelAlarmSpec, b: TunnelAlarmSpec): boolean {
  return (
    a.name === b.name &&
    a.description === b.description &&
    a.vpnConnectionId === b.vpnConnectionId &&
    a.tunnelOutsideIp === b.tunnelOutsideIp &&
    [...a.actions].sort().join(',') === [...b.actions].sort().join(',')
  );
}

/**
 * The alarm actions for a connection in `region`: CloudWatch notifies only SNS topics of the alarm's own region, so
 * the stack's topic is used when the connection's AWS region is the stack's; elsewhere the alarm has no action (it
 * still shows on the dashboard, and the scheduled drift check reports a DOWN tunnel).
 */
export function alarmActionsFor(region: string, topicArn: string | undefined): string[] {
  if (!topicArn) return [];
  const topicRegion = topicArn.split(':')[3];
  return topicRegion === region ? [topicArn] : [];
}
