import { runJob } from '../functions/chatops/command';
import { type ChatJob, inProcessDispatcher } from '../functions/chatops/plugs';
import { handler as notify } from '../functions/notify/execution-status';
import type { LambdaInvoker, SfnRunner } from '../sim';
import { statusChangeEvent } from '../src/chatops/notify';
import type { JobDispatcher } from '../src/chatops/slack';
import { functionNameOf, hosted } from './lambda-host';
import { lambdaHandlers } from './runner';
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

/** the simulator's Lambda service runs the deployment's functions by their deployed names, each as itself */
export function lambdaInvoker(): LambdaInvoker {
  const byName = new Map(Object.entries(lambdaHandlers()).map(([key, h]) => [functionNameOf(key), h]));
  return {
    has: (name) => byName.has(name),
    invoke: async (name, payload) => {
      const h = byName.get(name);
      if (!h) throw new Error(`no function ${name}`);
      return h(payload);
    },
  };
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
