import {
  type CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { NotReady } from '../../errors';
import { type AlarmsApi, TUNNEL_ALARM_RULE, type TunnelAlarmSpec } from '../../monitoring/tunnel-alarms';
import { awsErrorCode, mapAwsError } from './errors';

// CloudWatch metric alarms for the tunnel alarms (src/monitoring/tunnel-alarms.ts). Every call here is idempotent
// (PutMetricAlarm replaces, DescribeAlarms reads, DeleteAlarms is given only names that exist), so the SDK's retries
// are safe.

const MAX_NAMES = 100;

export class CloudWatchAlarms implements AlarmsApi {
  constructor(private readonly client: CloudWatchClient) {}

  async put(a: TunnelAlarmSpec): Promise<void> {
    const r = TUNNEL_ALARM_RULE;
    try {
      await this.client.send(
        new PutMetricAlarmCommand({
          AlarmName: a.name,
          AlarmDescription: a.description,
          Namespace: r.namespace,
          MetricName: r.metricName,
          Dimensions: [
            { Name: 'VpnId', Value: a.vpnConnectionId },
            { Name: 'TunnelIpAddress', Value: a.tunnelOutsideIp },
          ],
          Statistic: r.statistic,
          Period: r.period,
          EvaluationPeriods: r.evaluationPeriods,
          Threshold: r.threshold,
          ComparisonOperator: r.comparison,
          TreatMissingData: r.treatMissingData,
          ActionsEnabled: a.actions.length > 0,
          AlarmActions: a.actions,
          OKActions: a.actions,
        }),
      );
    } catch (e) {
      throw mapAwsError(e, `PutMetricAlarm ${a.name}`);
    }
  }

  async describe(names: string[]): Promise<TunnelAlarmSpec[]> {
    const found: TunnelAlarmSpec[] = [];
    for (let i = 0; i < names.length; i += MAX_NAMES) {
      const chunk = names.slice(i, i + MAX_NAMES);
      let token: string | undefined;
      do {
        try {
          const out = await this.client.send(
            new DescribeAlarmsCommand({ AlarmNames: chunk, AlarmTypes: ['MetricAlarm'], NextToken: token }),
          );
          for (const m of out.MetricAlarms ?? []) {
            if (!m.AlarmName) continue;
            const dim = (n: string) => m.Dimensions?.find((d) => d.Name === n)?.Value ?? '';
            found.push({
              name: m.AlarmName,
              description: m.AlarmDescription ?? '',
              vpnConnectionId: dim('VpnId'),
              tunnelOutsideIp: dim('TunnelIpAddress'),
              actions: m.AlarmActions ?? [],
            });
          }
          token = out.NextToken;
        } catch (e) {
          throw mapAwsError(e, 'DescribeAlarms');
        }
      } while (token);
    }
    return found;
  }

  async delete(names: string[]): Promise<void> {
    for (let i = 0; i < names.length; i += MAX_NAMES) {
      try {
        await this.client.send(new DeleteAlarmsCommand({ AlarmNames: names.slice(i, i + MAX_NAMES) }));
      } catch (e) {
        // one of them went in the meantime (nothing was deleted): the step runs again and finds the rest
        if (awsErrorCode(e) === 'ResourceNotFound')
          throw new NotReady(`DeleteAlarms: an alarm went while deleting; looking again`, { cloud: 'aws' });
        throw mapAwsError(e, 'DeleteAlarms');
      }
    }
  }
}
