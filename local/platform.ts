import { runJob } from '../functions/chatops/command';
import { type ChatJob, inProcessDispatcher, setJobDispatcher } from '../functions/chatops/plugs';
import { handler as notify } from '../functions/notify/execution-status';
import type { SfnRunner } from '../sim';
import { statusChangeEvent } from '../src/chatops/notify';
import type { JobDispatcher } from '../src/chatops/slack';
import { hosted } from './lambda-host';
import { localSfnRunner } from './sfn-runner';

// What AWS does around the Lambdas, done in this process: the Step Functions service runs the state
// machines (local runner), the EventBridge rule hands finished executions to the notifier, and the
// ChatOps endpoint's asynchronous invoke of the command worker becomes an in-process call. Each of those runs as
// its own function (its role), never in the caller's context.

type Log = (line: string) => void;

/** the notify function as the EventBridge rule invokes it */
export const hostedNotifier = hosted('notifyExecutionStatus', (event, context) => notify(event, context)) as (
  event: unknown,
) => Promise<{ sent: boolean; reason?: string }>;

/** the Lambda service's asynchronous invoke of the chat worker: runs the worker function, as itself */
export function chatWorkerDispatcher(onError?: (e: unknown) => void): JobDispatcher & { idle(): Promise<void> } {
  const worker = hosted('chatopsCommand', (job) => runJob(job as ChatJob));
  return inProcessDispatcher(async (job) => {
    await worker(job);
  }, onError);
}

/** the simulator's Step Functions runner, with finished executions sent to the notifier */
export function platformRunner(timeScale: () => number, log: Log): SfnRunner {
  return localSfnRunner({
    timeScale,
    onFinished: (arn, r) => {
      hostedNotifier(statusChangeEvent(arn, r))
        .then((x) => {
          if (x.sent) log(`notified: ${arn.slice(arn.lastIndexOf(':') + 1)} ${r.status}`);
        })
        .catch((e: unknown) => log(`notification failed: ${(e as Error).message}`));
    },
  });
}

/** chat commands run in this process, without holding up the Slack acknowledgement */
export function plugChatWorker(log: Log): void {
  setJobDispatcher(chatWorkerDispatcher((e) => log(`chat job failed: ${(e as Error).message}`)));
}
