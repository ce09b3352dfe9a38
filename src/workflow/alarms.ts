import { type AlarmsApi, alarmActionsFor, sameAlarm, tunnelAlarms } from '../monitoring/tunnel-alarms';
import { AWS_TUNNEL_IDS, tunnelAlarmName } from '../plan/naming';
import type { ConnRef, RecordDeps } from './deps';
import { loadRecord } from './load';

// The tunnel alarms (src/monitoring/tunnel-alarms.ts) as two steps: PutTunnelAlarms near the end of provisioning
// (after the tunnels are UP, so the VPN connections and their outside IPs exist), DeleteTunnelAlarms first in the
// AWS chain of teardown and rollback. Both go by the names tunnelAlarmName gives, so a re-run, a rollback of a
// half-built connection and a teardown all find the same alarms.

export interface AlarmDeps extends RecordDeps {
  /** CloudWatch in a region (the connection's AWS region: the AWS/VPN metrics live there) */
  alarms(region: string): AlarmsApi;
  /** the stack's SNS topic for alarm notifications, if any */
  alarmTopicArn?: string;
}

export async function putTunnelAlarms(deps: AlarmDeps, ref: ConnRef): Promise<{ alarms: string[] }> {
  const { record, plan } = await loadRecord(deps, ref);
  const region = record.spec.aws.region;
  const specs = tunnelAlarms(
    { stage: record.stage, name: record.name },
    plan,
    {
      vpnConnections: record.resources.aws.vpnConnections,
      tunnelOutsideIps: Object.fromEntries(
        Object.entries(record.handoffs.awsTunnels).map(([id, t]) => [id, t.outsideIp]),
      ),
    },
    alarmActionsFor(region, deps.alarmTopicArn),
  );
  // Only what is missing or different is put (PutMetricAlarm replaces an alarm of the same name): a re-run on a
  // connection whose alarms are in place changes nothing. A connection's topology is fixed by its Alibaba region, and
  // teardown deletes every name, so no alarm of another topology can be left.
  const cw = deps.alarms(region);
  const existing = await cw.describe(specs.map((a) => a.name));
  for (const a of specs) if (!existing.some((e) => sameAlarm(e, a))) await cw.put(a);
  return { alarms: specs.map((a) => a.name) };
}

export async function deleteTunnelAlarms(deps: AlarmDeps, ref: ConnRef): Promise<{ deleted: string[] }> {
  const got = await deps.registry.get(ref.name);
  if (!got?.record.spec) return { deleted: [] };
  const key = { stage: got.record.stage, name: got.record.name };
  const cw = deps.alarms(got.record.spec.aws.region);
  const found = (await cw.describe(AWS_TUNNEL_IDS.map((t) => tunnelAlarmName(key, t)))).map((a) => a.name);
  if (found.length > 0) await cw.delete(found);
  return { deleted: found };
}
