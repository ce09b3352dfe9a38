import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ChatJob, JobDispatcher } from '../../src/chatops/slack';
import { mapAwsError } from '../../src/clouds/aws/errors';

/** hands a chat job to the worker Lambda asynchronously (InvocationType Event: returns once queued) */
export function lambdaDispatcher(lambda: () => LambdaClient, functionName: string): JobDispatcher {
  return {
    async dispatch(job: ChatJob) {
      try {
        await lambda().send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify(job), 'utf8'),
          }),
        );
      } catch (e) {
        throw mapAwsError(e, `Invoke ${functionName}`);
      }
    },
  };
}
