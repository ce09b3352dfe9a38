import { runJob } from '../functions/chatops/command';
import { inProcessDispatcher, setJobDispatcher } from '../functions/chatops/plugs';
import { handler as notify } from '../functions/notify/execution-status';
import type { SfnRunner } from '../sim';
import { statusChangeEvent } from '../src/chatops/notify';
import { localSfnRunner } from './sfn-runner';

// What AWS does around the Lambdas, done in this process: the Step Functions service runs the state
// machines (local runner), the EventBridge rule hands finished executions to the notifier, and the
// ChatOps endpoint's asynchronous invoke of the command worker becomes an in-process call.

type Log = (line: string) => void;

/** the simulator's Step Functions runner, with finished executions sent to the notifier */
export function platformRunner(timeScale: () => number, log: Log): SfnRunner {
  return localSfnRunner({
    timeScale,
    onFinished: (arn, r) => {
      notify(statusChangeEvent(arn, r))
        .then((x) => {
          if (x.sent) log(`notified: ${arn.slice(arn.lastIndexOf(':') + 1)} ${r.status}`);
        })
        .catch((e: unknown) => log(`notification failed: ${(e as Error).message}`));
    },
  });
}

/** chat commands run in this process, without holding up the Slack acknowledgement */
export function plugChatWorker(log: Log): void {
  setJobDispatcher(inProcessDispatcher(runJob, (e) => log(`chat job failed: ${(e as Error).message}`)));
}
