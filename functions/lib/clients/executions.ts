import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnExecutions } from '../../../src/clouds/aws/sfn-adapter';
import type { Executions } from '../../../src/service/executions';
import { awsClientConfig, homeRegion } from './aws-credentials';
import { perContainer } from './container';

// Step Functions: start / describe / list the operations' executions. Environment: AWS_REGION,
// AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SFN (optional), and the machines' ARNs (src/service/connections.ts).

export const executions = perContainer(
  ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SFN'],
  (): Executions => new SfnExecutions(new SFNClient(awsClientConfig(homeRegion()))),
);
