import { EC2Client } from '@aws-sdk/client-ec2';
import { Ec2Adapter } from '../../../src/clouds/aws/ec2-adapter';
import type { AwsCloud } from '../../../src/clouds/types';
import { awsClientConfig } from './aws-credentials';
import { perContainer } from './container';

// EC2, one adapter per region the connections use. Two clients each: reads and idempotent calls let the SDK
// retry transport blips; the creates EC2 does not make idempotent get a single attempt, so a response lost after
// the action happened reaches the state machine, whose retry finds the resource by tag instead of making a
// second one (src/clouds/aws/ec2-adapter.ts). Environment: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 (optional).

const adapters = perContainer(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_EC2'], () => new Map<string, AwsCloud>());

/** the EC2 adapter of a region */
export function awsCloud(region: string): AwsCloud {
  const byRegion = adapters();
  let a = byRegion.get(region);
  if (!a) {
    a = new Ec2Adapter(
      region,
      new EC2Client(awsClientConfig(region)),
      new EC2Client(awsClientConfig(region, { maxAttempts: 1 })),
    );
    byRegion.set(region, a);
  }
  return a;
}
