import type { SfnRunner } from '../sim';
import { type Definition, lambdaHandlers, type RunEvent, startLocalExecution } from './runner';

// Lets the simulator's Step Functions service run vpn-bridge's state machines: StartExecution there
// executes the ASL with the local runner (the same handlers), and the runner's events become the
// execution history, in the real service's event vocabulary. Handlers that call Step Functions
// (the HTTP API, ChatOps) then work unchanged against the simulator.

const ENTERED: Record<string, string> = {
  Task: 'TaskStateEntered',
  Parallel: 'ParallelStateEntered',
  Choice: 'ChoiceStateEntered',
  Wait: 'WaitStateEntered',
  Pass: 'PassStateEntered',
  Fail: 'FailStateEntered',
  Succeed: 'SucceedStateEntered',
  Map: 'MapStateEntered',
};
const EXITED: Record<string, string> = {
  Task: 'TaskStateExited',
  Parallel: 'ParallelStateExited',
  Choice: 'ChoiceStateExited',
  Wait: 'WaitStateExited',
  Pass: 'PassStateExited',
  Succeed: 'SucceedStateExited',
  Map: 'MapStateExited',
};

const json = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** a Lambda task attempt (the first, and each retry) */
function scheduled(e: RunEvent): [string, Record<string, unknown>] {
  return [
    'TaskScheduled',
    {
      taskScheduledEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke',
        region: 'us-east-1',
        parameters: json(e.input),
      },
    },
  ];
}

/** one local-runner event as Step Functions history events (type, details) */
export function historyEventsOf(e: RunEvent): Array<[string, Record<string, unknown>]> {
  const type = e.stateType ?? '';
  switch (e.type) {
    case 'StateEntered': {
      const t = ENTERED[type];
      if (!t) return [];
      const out: Array<[string, Record<string, unknown>]> = [
        [t, { stateEnteredEventDetails: { name: e.state, input: json(e.input) } }],
      ];
      if (type === 'Task') out.push(scheduled(e));
      return out;
    }
    case 'StateExited': {
      const t = EXITED[type];
      if (!t) return [];
      const out: Array<[string, Record<string, unknown>]> = [];
      if (type === 'Task')
        out.push([
          'TaskSucceeded',
          { taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke', output: json(e.output) } },
        ]);
      out.push([t, { stateExitedEventDetails: { name: e.state, output: json(e.output) } }]);
      return out;
    }
    case 'StateFailed':
      return type === 'Task'
        ? [
            [
              'TaskFailed',
              {
                taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: e.error, cause: e.cause },
              },
            ],
          ]
        : [];
    case 'StateRetried':
      return type === 'Task' ? [scheduled(e)] : [];
    default:
      return [];
  }
}

export interface SfnRunnerOptions {
  /** the simulator's current time scale */
  timeScale: () => number;
  /** also told about every run event (e.g. to notify when executions finish) */
  onRunEvent?: (executionArn: string, e: RunEvent) => void;
  /** told when an execution finishes (the deployment's EventBridge rule -> notify function) */
  onFinished?: (
    executionArn: string,
    result: { status: string; error?: string; cause?: string; output?: unknown },
  ) => void;
}

export function localSfnRunner(opts: SfnRunnerOptions): SfnRunner {
  const handlers = lambdaHandlers();
  return {
    start({ definition, input, executionArn, onEvent }) {
      const name = executionArn.slice(executionArn.lastIndexOf(':') + 1);
      const exec = startLocalExecution({
        definition: JSON.parse(definition) as Definition,
        input,
        name,
        timeScale: opts.timeScale(),
        handlers,
        onEvent: (e) => {
          for (const [type, details] of historyEventsOf(e)) onEvent(type, details);
          opts.onRunEvent?.(executionArn, e);
        },
      });
      const result = exec.result.then((r) => {
        opts.onFinished?.(executionArn, r);
        if (r.status === 'SUCCEEDED') return r.output;
        // the simulator maps ExecutionTimeoutError to TIMED_OUT
        const name = r.status === 'TIMED_OUT' ? 'ExecutionTimeoutError' : (r.error ?? 'Error');
        throw Object.assign(new Error(r.cause ?? ''), { name });
      });
      return { result, abort: () => exec.abort() };
    },
  };
}
