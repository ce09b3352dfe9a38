import { runJob } from '../functions/chatops/command';
import { inProcessDispatcher, setJobDispatcher } from '../functions/chatops/plugs';
import { handler as notify } from '../functions/notify/execution-status';
import type { SfnRunner } from '../sim';
import { statusChangeEvent } from '../src/chatops/notify';
import { hosted } from './lambda-host';
import { localSfnRunner } from './sfn-runner';

const hostedNotify = hosted('notifyExecutionStatus', (event, context) => notify(event, context)) as (
  event: unknown,
) => Promise<{ sent: boolean }>;

// What AWS does around the Lambdas, done in this process: the Step Functions service runs the state
// machines (local runner), the EventBridge rule hands finished executions to the notifier, and the
// ChatOps endpoint's asynchronous invoke of the command worker becomes an in-process call.

type Log = (line: string) => void;

/** the simulator's Step Functions runner, with finished executions sent to the notifier */
export function platformRunner(timeScale: () => number, log: Log): SfnRunner {
  return localSfnRunner({
    timeScale,
    onFinished: (arn, r) => {
      hostedNotify(statusChangeEvent(arn, r))
        .then((x) => {
          if (x.sent) log(`notified: ${arn.slice(arn.lastIndexOf(':') + 1)} ${r.status}`);
        })
        .catch((e: unknown) => log(`notification failed: ${(e as Error).message}`));
    },
  });
}

/** chat commands run in this process, without holding up the Slack acknowledgement */
export function plugChatWorker(log: Log): void {
  // what the Lambda service does with the async invoke: run the worker function, as itself
  const worker = hosted('chatopsCommand', (job) => runJob(job as Parameters<typeof runJob>[0]));
  setJobDispatcher(
    inProcessDispatcher(
      async (job) => {
        await worker(job);
      },
      (e) => log(`chat job failed: ${(e as Error).message}`),
    ),
  );
}
