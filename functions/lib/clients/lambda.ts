import { LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientConfig, homeRegion } from './aws-credentials';
import { perContainer } from './container';

// Lambda: the Slack endpoint hands a chat command to the worker function (asynchronous invoke).

export const lambda = perContainer(
  ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_LAMBDA'],
  () => new LambdaClient(awsClientConfig(homeRegion())),
);
