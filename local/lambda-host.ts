import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { invocationRole } from '../functions/lib/clients/aws-credentials';
import { AWS_ACCOUNT_ID } from '../sim';
import { LOCAL_REGION, LOCAL_STAGE } from './constants';
import { roleCredentials } from './roles';

// What the Lambda service does around a function, for the functions this process hosts (the local runner,
// `serve`, the in-process chat worker and notifier): each invocation gets a Lambda context and runs with its own
// role's credentials (functions/lib/clients/aws-credentials.ts), so the simulator, which knows every function's
// role from the packaged template (local/iam-roles.ts), can authorise each call as AWS would.

export type Invoke = (event: unknown, context?: Context) => Promise<unknown>;

/** the deployed function's name: `<service>-<stage>-<key>` */
export const functionNameOf = (key: string): string => `vpn-bridge-${LOCAL_STAGE}-${key}`;

function lambdaContext(key: string): Context {
  const functionName = functionNameOf(key);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${AWS_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** `handler` as the Lambda service runs function `key`: its context, and its role for every AWS SDK call */
export function hosted(key: string, handler: Invoke): (event: unknown) => Promise<unknown> {
  const credentials = roleCredentials(key);
  return (event) => invocationRole.run(credentials, () => handler(event, lambdaContext(key)));
}
