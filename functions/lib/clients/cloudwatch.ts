import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchAlarms } from '../../../src/clouds/aws/cloudwatch-adapter';
import type { AlarmsApi } from '../../../src/monitoring/tunnel-alarms';
import { awsClientConfig } from './aws-credentials';
import { perContainer } from './container';

// CloudWatch (the tunnel alarms), one client per region the connections use. Environment: AWS_ENDPOINT_URL /
// AWS_ENDPOINT_URL_CLOUDWATCH (optional), ALARM_TOPIC_ARN (the stack's SNS topic for alarm actions).

const byRegion = perContainer(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_CLOUDWATCH'], () => new Map<string, AlarmsApi>());

export function cloudWatchAlarms(region: string): AlarmsApi {
  const m = byRegion();
  let a = m.get(region);
  if (!a) {
    a = new CloudWatchAlarms(new CloudWatchClient(awsClientConfig(region)));
    m.set(region, a);
  }
  return a;
}

export function alarmTopicArn(): string | undefined {
  return process.env.ALARM_TOPIC_ARN || undefined;
}
