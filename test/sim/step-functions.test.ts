import { randomUUID } from 'node:crypto';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { AWS_ACCOUNT_ID, type SfnRunner } from '../../sim';
import { awaitExecution } from '../../sim/aws/step-functions';
import { useSimulator } from '../helpers/sim';

// ---------------------------------------------------------------- a small runner on aws-local-stepfunctions

// aws-local-stepfunctions is an ES module; this CommonJS test loads it with a dynamic import.
type Als = typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' }});
let loaded: Als | undefined;
beforeAll(async () => {
  loaded = await import('aws-local-stepfunctions');
});
function als(): Als {
  if (!loaded) throw new Error('aws-local-stepfunctions not loaded yet');
  return loaded;
}

type LocalMachine = InstanceType<Als['StateMachine']>;
type RunOptions = NonNullable<Parameters<LocalMachine['run']>[1]>;
type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonInput = Parameters<LocalMachine['run']>[0];

const TASK = { resourceType: 'lambda', resource: 'invoke' };
/** executions whose runner was told to abort */
const aborted = new Set<string>();

/** Runs definitions locally and reports SFN history events for each of aws-local-stepfunctions' event logs. */
function localRunner(handlers: Handlers): SfnRunner {
  return {
    start({ definition, input, executionArn, onEvent }) {
      // The simulator already checked the definition; skipping the library's validation keeps each start fast.
      const machine = new (als().StateMachine)(JSON.parse(definition), { validationOptions: { noValidate: true } });
      const ex = machine.run(input as JsonInput, {
        overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: { Sleep: 0 } },
      });
      const pump = (async () => {
        for await (const e of ex.eventLogs) {
          if (e.type === 'StateEntered') {
            onEvent(`${e.state.type}StateEntered`, {
              stateEnteredEventDetails: { name: e.state.name, input: JSON.stringify(e.state.input) },
            });
            if (e.state.type === 'Task')
              onEvent('TaskScheduled', {
                taskScheduledEventDetails: { ...TASK, region: 'us-east-1', parameters: JSON.stringify(e.state.input) },
              });
          } else if (e.type === 'StateExited') {
            const output = JSON.stringify(e.state.output ?? null);
            if (e.state.type === 'Task') onEvent('TaskSucceeded', { taskSucceededEventDetails: { ...TASK, output } });
            onEvent(`${e.state.type}StateExited`, { stateExitedEventDetails: { name: e.state.name, output } });
          } else if (e.type === 'StateFailed' && e.state.type === 'Task') {
            onEvent('TaskFailed', { taskFailedEventDetails: { ...TASK, error: e.Error, cause: String(e.Cause) } });
          }
        }
      })();
      const result = (async () => {
        try {
          return await ex.result;
        } finally {
          await pump;
        }
      })();
      return {
        result,
        abort: () => {
          aborted.add(executionArn);
          ex.abort();
        },
      };
    },
  };
}

// Gates let a test hold a Task until it says so: input {"gate": "<id>"} waits for gates.get(id).
const gates = new Map<string, { open: () => void; promise: Promise<void> }>();
function gate(): string {
  const id = randomUUID();
  let open!: () => void;
  const promise = new Promise<void>((r) => {
    open = r;
  });
  gates.set(id, { open, promise });
  return id;
}
const openGate = (id: string) => gates.get(id)?.open();

const handlers: Handlers = {
  Work: async (input) => {
    const i = (input ?? {}) as { gate?: string; fail?: boolean };
    if (i.gate) await gates.get(i.gate)?.promise;
    if (i.fail) throw Object.assign(new Error('the tunnel never came up'), { name: 'NotReady' });
    return { ...(input as Record<string, unknown>), done: true };
  },
};

const DEFINITION = JSON.stringify({
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.prep', Next: 'Sleep' },
    Sleep: { Type: 'Wait', Seconds: 5, Next: 'Work' },
    Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true },
  },
});
const ROLE = `arn:aws:iam::${AWS_ACCOUNT_ID}:role/vpn-bridge-sfn`;

const sim = useSimulator({ sfnRunner: localRunner(handlers) });
const bare = useSimulator();

// ---------------------------------------------------------------- helpers

interface AwsError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

async function failure(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (e) {
    return e as AwsError;
  }
  throw new Error('expected the call to fail');
}

async function createMachine(sfn: SFNClient, name = `sm-${randomUUID().slice(0, 8)}`, definition = DEFINITION) {
  const out = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
  return out.stateMachineArn ?? '';
}

async function settled(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return out;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function allEvents(sfn: SFNClient, executionArn: string, maxResults?: number): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults, nextToken }));
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return events;
}

// ---------------------------------------------------------------- state machines

describe('Step Functions simulator: state machines', () => {
  it('creates a state machine with an ARN in the request region and describes it', async () => {
    // Prepare
    const sfn = sim().sfn('us-east-1');
    const name = `provision-${randomUUID().slice(0, 8)}`;

    // Act
    const created = await sfn.send(new CreateStateMachineCommand({ name, definition: DEFINITION, roleArn: ROLE }));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));

    // Assert
    expect(created.stateMachineArn).toBe(`arn:aws:states:us-east-1:${AWS_ACCOUNT_ID}:stateMachine:${name}`);
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({
      name,
      definition: DEFINITION,
      roleArn: ROLE,
      type: 'STANDARD',
      status: 'ACTIVE',
    });
  });

  it('returns the existing machine for the same name and definition, and refuses another definition', async () => {
    // Prepare
    const sfn = sim().sfn();
    const name = `idem-${randomUUID().slice(0, 8)}`;
    const arn = await createMachine(sfn, name);
    const other = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

    // Act
    const again = await createMachine(sfn, name);
    const err = await failure(sfn.send(new CreateStateMachineCommand({ name, definition: other, roleArn: ROLE })));

    // Assert
    expect(again).toBe(arn);
    expect(err.name).toBe('StateMachineAlreadyExists');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses a definition that is not JSON or names a missing state', async () => {
    // Prepare
    const sfn = sim().sfn();
    const broken = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });

    // Act
    const notJson = await failure(
      sfn.send(new CreateStateMachineCommand({ name: 'bad-json', definition: '{"StartAt":', roleArn: ROLE })),
    );
    const missing = await failure(
      sfn.send(new CreateStateMachineCommand({ name: 'bad-target', definition: broken, roleArn: ROLE })),
    );

    // Assert
    expect(notJson.name).toBe('InvalidDefinition');
    expect(notJson.message).toContain('INVALID_JSON_DESCRIPTION');
    expect(missing.name).toBe('InvalidDefinition');
    expect(missing.message).toContain('MISSING_TRANSITION_TARGET');
  });

  it('refuses a machine name with forbidden characters and a role that is not an IAM role ARN', async () => {
    // Prepare
    const sfn = sim().sfn();

    // Act
    const badName = await failure(
      sfn.send(new CreateStateMachineCommand({ name: 'has space', definition: DEFINITION, roleArn: ROLE })),
    );
    const badRole = await failure(
      sfn.send(new CreateStateMachineCommand({ name: 'ok-name', definition: DEFINITION, roleArn: 'role' })),
    );

    // Assert
    expect(badName.name).toBe('InvalidName');
    expect(badRole.name).toBe('InvalidArn');
  });

  it('names the missing field when a required parameter is absent', async () => {
    // Act
    const err = await failure(
      sim()
        .sfn()
        .send(new CreateStateMachineCommand({ name: 'x', definition: DEFINITION, roleArn: '' })),
    );

    // Assert
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('roleArn');
  });

  it('lists the machines of the region, updates a definition and deletes a machine', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const updated = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

    // Act
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    const elsewhere = await sim().sfn('eu-west-1').send(new ListStateMachinesCommand({}));
    const update = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: updated }));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    const gone = await failure(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })));

    // Assert
    expect(listed.stateMachines?.map((m) => m.stateMachineArn)).toContain(arn);
    expect(elsewhere.stateMachines?.map((m) => m.stateMachineArn)).not.toContain(arn);
    expect(update.updateDate).toBeInstanceOf(Date);
    expect(described.definition).toBe(updated);
    expect(gone.name).toBe('StateMachineDoesNotExist');
  });
});

// ---------------------------------------------------------------- executions

describe('Step Functions simulator: executions', () => {
  it('runs an execution to SUCCEEDED with the runner output', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);

    // Act
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'first-run', input: '{"vpc":"vpc-1"}' }),
    );
    const done = await settled(sfn, started.executionArn ?? '');

    // Assert
    expect(started.executionArn).toBe(`${arn.replace(':stateMachine:', ':execution:')}:first-run`);
    expect(started.startDate).toBeInstanceOf(Date);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({ vpc: 'vpc-1', prep: 'prepared', done: true });
    expect(done.input).toBe('{"vpc":"vpc-1"}');
    expect(done.stopDate).toBeInstanceOf(Date);
  });

  it('records the history events in order with ids and previous ids', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    await settled(sfn, executionArn);

    // Act
    const events = await allEvents(sfn, executionArn);

    // Assert
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events.map((e) => e.previousEventId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events[0]?.executionStartedEventDetails).toMatchObject({ input: '{}', roleArn: ROLE });
    expect(events[1]?.stateEnteredEventDetails).toEqual({ name: 'Prepare', input: '{}' });
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    expect(JSON.parse(events[9]?.executionSucceededEventDetails?.output ?? 'null')).toMatchObject({ done: true });
  });

  it('pages the history, reverses it, and leaves data out when includeExecutionData is false', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"psk":"x"}' }),
    );
    await settled(sfn, executionArn);
    const full = await allEvents(sfn, executionArn);

    // Act
    const firstPage = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
    const paged = await allEvents(sfn, executionArn, 3);
    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }),
    );
    const noData = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));

    // Assert
    expect(firstPage.events).toHaveLength(3);
    expect(firstPage.nextToken).toEqual(expect.any(String));
    expect(paged).toEqual(full);
    expect(reversed.events?.[0]?.type).toBe('ExecutionSucceeded');
    const entered = noData.events?.find((e) => e.type === 'PassStateEntered');
    expect(entered?.stateEnteredEventDetails?.name).toBe('Prepare');
    expect(entered?.stateEnteredEventDetails?.input).toBeUndefined();
    expect(noData.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
    expect(noData.events?.at(-1)?.executionSucceededEventDetails?.output).toBeUndefined();
    expect(JSON.stringify(noData.events)).not.toContain('psk');
  });

  it('returns the same execution for the same name and input while it runs, and refuses other reuses', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const g = gate();
    const input = JSON.stringify({ gate: g });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'conn-a', input }));

    // Act
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'conn-a', input }));
    const otherInput = await failure(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'conn-a', input: '{"other":true}' })),
    );
    openGate(g);
    await settled(sfn, first.executionArn ?? '');
    const afterClose = await failure(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'conn-a', input })),
    );

    // Assert
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(otherInput.name).toBe('ExecutionAlreadyExists');
    expect(otherInput.$metadata.httpStatusCode).toBe(400);
    expect(afterClose.name).toBe('ExecutionAlreadyExists');
  });

  it('shows RUNNING while the runner is still working', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const g = gate();
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ gate: g }) }),
    );

    // Act
    const running = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    openGate(g);
    const done = await settled(sfn, executionArn);

    // Assert
    expect(running.status).toBe('RUNNING');
    expect(running.stopDate).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
  });

  it('fails the execution with the task error and cause when a task throws', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);

    // Act
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: '{"fail":true}' }),
    );
    const done = await settled(sfn, executionArn);
    const events = await allEvents(sfn, executionArn);

    // Assert
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('NotReady');
    expect(done.cause).toBe('the tunnel never came up');
    expect(events.map((e) => e.type).slice(-2)).toEqual(['TaskFailed', 'ExecutionFailed']);
    expect(events.at(-1)?.executionFailedEventDetails).toEqual({
      error: 'NotReady',
      cause: 'the tunnel never came up',
    });
  });

  it('aborts a running execution with StopExecution and calls the runner abort', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const g = gate();
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ gate: g }) }),
    );

    // Act
    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'down requested' }),
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    openGate(g);
    await new Promise((r) => setTimeout(r, 50));
    const later = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await allEvents(sfn, executionArn);

    // Assert
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'down requested' });
    expect(aborted.has(executionArn)).toBe(true);
    expect(later.status).toBe('ABORTED');
    expect(events.at(-1)?.type).toBe('ExecutionAborted');
    expect(events.at(-1)?.executionAbortedEventDetails).toEqual({ error: 'Operator', cause: 'down requested' });
  });

  it('lists the executions of a machine, newest first, filtered by status', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'ok', input: '{}' }));
    const bad = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'bad', input: '{"fail":true}' }),
    );
    await settled(sfn, ok.executionArn ?? '');
    await settled(sfn, bad.executionArn ?? '');
    const g = gate();
    const running = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'running', input: JSON.stringify({ gate: g }) }),
    );

    // Act
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    const succeeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED' }));
    const failed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'FAILED' }));
    const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }));
    const page2 = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: page1.nextToken }),
    );
    openGate(g);
    await settled(sfn, running.executionArn ?? '');

    // Assert
    expect(all.executions?.map((e) => e.name)).toEqual(['running', 'bad', 'ok']);
    expect(succeeded.executions?.map((e) => e.name)).toEqual(['ok']);
    expect(failed.executions?.map((e) => e.name)).toEqual(['bad']);
    expect([...(page1.executions ?? []), ...(page2.executions ?? [])].map((e) => e.name)).toEqual([
      'running',
      'bad',
      'ok',
    ]);
    expect(page2.nextToken).toBeUndefined();
  });

  it('refuses an invalid execution name, input that is not JSON, and an unknown machine', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);

    // Act
    const badName = await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'a:b' })));
    const longName = await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'x'.repeat(81) })));
    const badInput = await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{nope' })));
    const noMachine = await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}-missing` })));

    // Assert
    expect(badName.name).toBe('InvalidName');
    expect(longName.name).toBe('InvalidName');
    expect(badInput.name).toBe('InvalidExecutionInput');
    expect(noMachine.name).toBe('StateMachineDoesNotExist');
    expect(noMachine.$metadata.httpStatusCode).toBe(400);
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    // Act
    const err = await failure(
      sim()
        .sfn()
        .send(
          new DescribeExecutionCommand({
            executionArn: `arn:aws:states:us-east-1:${AWS_ACCOUNT_ID}:execution:nope:nothing`,
          }),
        ),
    );

    // Assert
    expect(err.name).toBe('ExecutionDoesNotExist');
  });

  it('lets in-process callers await the end of an execution', async () => {
    // Prepare
    const sfn = sim().sfn();
    const arn = await createMachine(sfn);
    const g = gate();
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ gate: g }) }),
    );

    // Act
    const waiting = awaitExecution(sim().sim.ctx, executionArn);
    openGate(g);
    const ex = await waiting;

    // Assert
    expect(ex.status).toBe('SUCCEEDED');
    expect(ex.executionArn).toBe(executionArn);
  });
});

describe('Step Functions simulator: without a runner', () => {
  it('starts the execution and fails it at once with States.Runtime', async () => {
    // Prepare
    const sfn = bare().sfn();
    const arn = await createMachine(sfn);

    // Act
    const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await allEvents(sfn, executionArn);

    // Assert
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('States.Runtime');
    expect(described.cause).toContain('runner');
    expect(described.input).toBe('{}');
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionFailed']);
  });
});

describe('Step Functions simulator: protocol errors and faults', () => {
  afterEach(async () => {
    await sim().admin('DELETE', '/_sim/faults');
  });

  it('throttles with ThrottlingException (400) when a throttle fault fires', async () => {
    // Prepare
    await sim().admin('POST', '/_sim/faults', {
      service: 'stepfunctions',
      action: 'ListStateMachines',
      kind: 'throttle',
    });

    // Act
    const err = await failure(sim().sfn().send(new ListStateMachinesCommand({})));

    // Assert
    expect(err.name).toBe('ThrottlingException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('fails with a 500 server error when an error fault fires', async () => {
    // Prepare
    await sim().admin('POST', '/_sim/faults', { service: 'stepfunctions', action: 'ListStateMachines', kind: 'error' });

    // Act
    const err = await failure(sim().sfn().send(new ListStateMachinesCommand({})));

    // Assert
    expect(err.name).toBe('InternalFailure');
    expect(err.$metadata.httpStatusCode).toBe(500);
  });

  it('answers UnknownOperationException for an operation it does not simulate', async () => {
    // Act
    const res = await fetch(sim().sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.SendTaskSuccess' },
      body: '{}',
    });
    const body = (await res.json()) as Record<string, unknown>;

    // Assert
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.message).toEqual(expect.stringContaining('SendTaskSuccess'));
  });
});
