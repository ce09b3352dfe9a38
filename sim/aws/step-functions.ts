import { randomUUID } from 'node:crypto';
import type { Service, ServiceRequest, ServiceResponse, SimContext } from '../core/context';
import { SimError } from '../core/errors';
import type { SfnExecution, SfnExecutionStatus, SfnHistoryEvent, SfnStateMachine } from '../types';
import { checkDefinition } from './json/asl-check';
import {
  epochSeconds,
  JsonParams,
  type JsonProtocol,
  jsonError,
  jsonOk,
  page,
  unknownOperation,
} from './json/protocol';

// Step Functions, JSON 1.0 (docs/sources.md#aws-aws). The simulator does not interpret ASL: an injected
// `ctx.sfnRunner` runs each execution and reports history events; this module keeps the API view
// (machines, executions, history, idempotency, status) and closes executions when the runner settles.

const PROTOCOL: JsonProtocol = { version: '1.0', messageKey: 'message', validationCode: 'ValidationException' };

const DAY_MS = 86_400_000;
/** executions (and their names) are kept 90 days after they close */
const RETENTION_MS = 90 * DAY_MS;
/** Standard workflows fail when the history reaches 25,000 events (docs/sources.md#aws-aws) */
export const MAX_HISTORY_EVENTS = 25_000;
/** payload limit for execution input/output (docs/sources.md#aws-aws) */
const MAX_PAYLOAD_BYTES = 262_144;

const STATUSES: SfnExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
/** 1-80 chars; no whitespace, control characters or any of < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the rule forbids
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const MACHINE_ARN_RE = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([^:]+)$/;
const EXECUTION_ARN_RE = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(execution|express):([^:]+):([^:]+)(:[^:]+)?$/;
const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

// ---------------------------------------------------------------- errors

const err = (code: string, message: string) => new SimError(code, message, 400);
const invalidArn = (arn: string) => err('InvalidArn', `Invalid Arn: '${arn}'`);
const machineMissing = (arn: string) => err('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
const executionMissing = (arn: string) => err('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
const invalidToken = () => err('InvalidToken', 'Invalid Token: the nextToken is not one this service returned.');

function validName(name: string): boolean {
  return name.length >= 1 && name.length <= 80 && !FORBIDDEN_NAME_CHARS.test(name);
}

function checkedDefinition(definition: string): string {
  const problems = checkDefinition(definition);
  if (problems.length > 0)
    throw err('InvalidDefinition', `Invalid State Machine Definition: '${problems.slice(0, 5).join(', ')}'`);
  return definition;
}

function machineArnOf(p: JsonParams, key = 'stateMachineArn'): string {
  const arn = p.requiredStr(key);
  if (!MACHINE_ARN_RE.test(arn)) throw invalidArn(arn);
  return arn;
}

function executionArnOf(p: JsonParams): string {
  const arn = p.requiredStr('executionArn');
  if (!EXECUTION_ARN_RE.test(arn)) throw invalidArn(arn);
  return arn;
}

function mustMachine(ctx: SimContext, arn: string): SfnStateMachine {
  const sm = ctx.state.aws.stateMachines[arn];
  if (!sm) throw machineMissing(arn);
  return sm;
}

function mustExecution(ctx: SimContext, arn: string): SfnExecution {
  const ex = ctx.state.aws.executions[arn];
  if (!ex) throw executionMissing(arn);
  return ex;
}

/** SFN list pages: maxResults 0 (or absent) means the default of 100, at most 1000 */
function pageSize(p: JsonParams): number {
  const n = p.int('maxResults', { min: 0, max: 1000 });
  return n === undefined || n === 0 ? 100 : n;
}

// ---------------------------------------------------------------- execution lifecycle

interface LiveExecution {
  abort?: () => void;
  waiters: Array<(ex: SfnExecution) => void>;
}

/** runtime handles of running executions (kept out of the JSON-able world state) */
const LIVE = new WeakMap<SimContext, Map<string, LiveExecution>>();

function liveOf(ctx: SimContext): Map<string, LiveExecution> {
  let m = LIVE.get(ctx);
  if (!m) {
    m = new Map();
    LIVE.set(ctx, m);
  }
  return m;
}

/** event details as the SDK shapes them: input/output/parameters are JSON strings */
function normaliseDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const d: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      for (const f of ['input', 'output', 'parameters']) {
        if (d[f] !== undefined && typeof d[f] !== 'string') d[f] = JSON.stringify(d[f]);
      }
      out[k] = d;
    } else out[k] = v;
  }
  return out;
}

function appendEvent(ex: SfnExecution, at: number, type: string, details: Record<string, unknown>): void {
  const id = ex.history.length + 1;
  ex.history.push({ timestamp: at, type, id, previousEventId: id - 1, details: normaliseDetails(details) });
}

interface Outcome {
  status: Exclude<SfnExecutionStatus, 'RUNNING'>;
  output?: string;
  error?: string;
  cause?: string;
}

function truncate(s: string | undefined, max: number): string | undefined {
  return s === undefined || s.length <= max ? s : s.slice(0, max);
}

/** close a running execution: status, terminal history event, waiters, retention */
function finish(ctx: SimContext, ex: SfnExecution, outcome: Outcome): void {
  if (ex.status !== 'RUNNING') return;
  const now = ctx.clock.now();
  const error = truncate(outcome.error, 256);
  const cause = truncate(outcome.cause, 32_768);
  ex.status = outcome.status;
  ex.stopDate = now;
  switch (outcome.status) {
    case 'SUCCEEDED':
      ex.output = outcome.output;
      appendEvent(ex, now, 'ExecutionSucceeded', {
        executionSucceededEventDetails: { output: outcome.output, outputDetails: { truncated: false } },
      });
      break;
    case 'FAILED':
      ex.error = error;
      ex.cause = cause;
      appendEvent(ex, now, 'ExecutionFailed', { executionFailedEventDetails: { error, cause } });
      break;
    case 'TIMED_OUT':
      ex.error = error;
      ex.cause = cause;
      appendEvent(ex, now, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error, cause } });
      break;
    case 'ABORTED':
      ex.error = error;
      ex.cause = cause;
      appendEvent(ex, now, 'ExecutionAborted', { executionAbortedEventDetails: { error, cause } });
      break;
  }
  const arn = ex.executionArn;
  ctx.scheduler.at(now + RETENTION_MS, `execution ${arn} expires`, () => {
    if (ctx.state.aws.executions[arn] === ex) delete ctx.state.aws.executions[arn];
  });
  const live = liveOf(ctx);
  const entry = live.get(arn);
  live.delete(arn);
  for (const w of entry?.waiters ?? []) w(ex);
}

function errorLike(e: unknown): { name: string; message: string } | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { name, message } = e as { name?: unknown; message?: unknown };
  return typeof name === 'string' && typeof message === 'string' ? { name, message } : undefined;
}

/** how a rejected runner result closes the execution */
function outcomeOfRejection(e: unknown): Outcome {
  const top = errorLike(e);
  if (!top) return { status: 'FAILED', error: 'States.Runtime', cause: String(e) };
  if (top.name === 'ExecutionTimeoutError')
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out (TimeoutSeconds).' };
  if (top.name === 'ExecutionAbortedError') return { status: 'ABORTED' };
  // aws-local-stepfunctions' ExecutionError carries the state's error in `cause`.
  const inner = errorLike((e as { cause?: unknown }).cause) ?? top;
  return { status: 'FAILED', error: inner.name, cause: inner.message };
}

function outcomeOfResult(value: unknown): Outcome {
  const output = JSON.stringify(value ?? null);
  if (Buffer.byteLength(output, 'utf8') > MAX_PAYLOAD_BYTES)
    return {
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: `The execution output exceeds the maximum of ${MAX_PAYLOAD_BYTES} bytes.`,
    };
  return { status: 'SUCCEEDED', output };
}

function onRunnerEvent(ctx: SimContext, ex: SfnExecution, type: string, details: Record<string, unknown>): void {
  if (ex.status !== 'RUNNING') return; // late events of a closed (e.g. aborted) execution are dropped
  if (ex.history.length + 1 >= MAX_HISTORY_EVENTS) {
    const abort = liveOf(ctx).get(ex.executionArn)?.abort;
    finish(ctx, ex, {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
    });
    abort?.();
    return;
  }
  appendEvent(ex, ctx.clock.now(), type, details);
}

function run(ctx: SimContext, sm: SfnStateMachine, ex: SfnExecution): void {
  const runner = ctx.sfnRunner;
  if (!runner) {
    finish(ctx, ex, {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'No state machine runner is attached to the simulator (SimulatorOptions.sfnRunner), so nothing can run.',
    });
    return;
  }
  const entry: LiveExecution = { waiters: [] };
  liveOf(ctx).set(ex.executionArn, entry);
  let handle: ReturnType<typeof runner.start>;
  try {
    handle = runner.start({
      definition: sm.definition,
      input: JSON.parse(ex.input) as unknown,
      executionArn: ex.executionArn,
      onEvent: (type, details) => onRunnerEvent(ctx, ex, type, details),
    });
  } catch (e) {
    finish(ctx, ex, { status: 'FAILED', error: 'States.Runtime', cause: errorLike(e)?.message ?? String(e) });
    return;
  }
  entry.abort = handle.abort;
  // Close on the next macrotask, so events the runner forwards in the same turn land before the terminal one.
  handle.result.then(
    (value) => setImmediate(() => finish(ctx, ex, outcomeOfResult(value))),
    (e: unknown) => setImmediate(() => finish(ctx, ex, outcomeOfRejection(e))),
  );
}

/** Resolves with the execution once it is no longer RUNNING (for in-process callers). */
export function awaitExecution(ctx: SimContext, executionArn: string): Promise<SfnExecution> {
  const ex = ctx.state.aws.executions[executionArn];
  if (!ex) return Promise.reject(executionMissing(executionArn));
  if (ex.status !== 'RUNNING') return Promise.resolve(ex);
  return new Promise((resolve) => {
    const live = liveOf(ctx);
    let entry = live.get(executionArn);
    if (!entry) {
      entry = { waiters: [] };
      live.set(executionArn, entry);
    }
    entry.waiters.push(resolve);
  });
}

// ---------------------------------------------------------------- rendering

function machineOut(sm: SfnStateMachine): Record<string, unknown> {
  return {
    stateMachineArn: sm.stateMachineArn,
    name: sm.name,
    status: 'ACTIVE',
    definition: sm.definition,
    roleArn: sm.roleArn,
    type: sm.type,
    creationDate: epochSeconds(sm.creationDate),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
    revisionId: sm.revisionId,
  };
}

function executionItem(ex: SfnExecution): Record<string, unknown> {
  return {
    executionArn: ex.executionArn,
    stateMachineArn: ex.stateMachineArn,
    name: ex.name,
    status: ex.status,
    startDate: epochSeconds(ex.startDate),
    stopDate: ex.stopDate === undefined ? undefined : epochSeconds(ex.stopDate),
  };
}

/** with includeExecutionData=false the data fields are left out (docs/sources.md#aws-aws) */
function stripData(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const { input: _i, output: _o, parameters: _p, ...rest } = v as Record<string, unknown>;
      out[k] = rest;
    } else out[k] = v;
  }
  return out;
}

function eventOut(e: SfnHistoryEvent, includeData: boolean): Record<string, unknown> {
  return {
    timestamp: epochSeconds(e.timestamp),
    type: e.type,
    id: e.id,
    previousEventId: e.previousEventId,
    ...(includeData ? e.details : stripData(e.details)),
  };
}

// ---------------------------------------------------------------- operations

type Handler = (ctx: SimContext, p: JsonParams, region: string) => Record<string, unknown>;

const createStateMachine: Handler = (ctx, p, region) => {
  const name = p.requiredStr('name');
  if (!validName(name)) throw err('InvalidName', `Invalid Name: '${name}'`);
  const definition = checkedDefinition(p.requiredStr('definition'));
  const roleArn = p.requiredStr('roleArn');
  if (!ROLE_ARN_RE.test(roleArn)) throw err('InvalidArn', `Invalid Role Arn: '${roleArn}'`);
  const type = p.str('type') ?? 'STANDARD';
  if (type !== 'STANDARD' && type !== 'EXPRESS')
    throw p.invalid(`Value '${type}' at 'type' failed to satisfy constraint: Member must be STANDARD or EXPRESS`);
  const arn = `arn:aws:states:${region}:${ctx.state.aws.accountId}:stateMachine:${name}`;
  const existing = ctx.state.aws.stateMachines[arn];
  if (existing) {
    // Idempotent on name + definition + type; roleArn differences are ignored, as the service does.
    if (existing.definition === definition && existing.type === type)
      return { stateMachineArn: arn, creationDate: epochSeconds(existing.creationDate) };
    throw err('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
  }
  const sm: SfnStateMachine = { stateMachineArn: arn, name, definition, roleArn, type, creationDate: ctx.now() };
  ctx.state.aws.stateMachines[arn] = sm;
  return { stateMachineArn: arn, creationDate: epochSeconds(sm.creationDate) };
};

const describeStateMachine: Handler = (ctx, p) => machineOut(mustMachine(ctx, machineArnOf(p)));

const listStateMachines: Handler = (ctx, p, region) => {
  const size = pageSize(p);
  const machines = Object.values(ctx.state.aws.stateMachines)
    .filter((sm) => MACHINE_ARN_RE.exec(sm.stateMachineArn)?.[1] === region)
    .sort((a, b) => a.creationDate - b.creationDate || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pg = page(machines, size, p.str('nextToken'), invalidToken);
  return {
    stateMachines: pg.items.map((sm) => ({
      stateMachineArn: sm.stateMachineArn,
      name: sm.name,
      type: sm.type,
      creationDate: epochSeconds(sm.creationDate),
    })),
    nextToken: pg.nextToken,
  };
};

const updateStateMachine: Handler = (ctx, p) => {
  const sm = mustMachine(ctx, machineArnOf(p));
  const definition = p.str('definition');
  const roleArn = p.str('roleArn');
  if (
    definition === undefined &&
    roleArn === undefined &&
    !p.has('loggingConfiguration') &&
    !p.has('tracingConfiguration')
  )
    throw err(
      'MissingRequiredParameter',
      'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    );
  if (definition !== undefined) checkedDefinition(definition);
  if (roleArn !== undefined && !ROLE_ARN_RE.test(roleArn)) throw err('InvalidArn', `Invalid Role Arn: '${roleArn}'`);
  if (definition !== undefined) sm.definition = definition;
  if (roleArn !== undefined) sm.roleArn = roleArn;
  sm.updateDate = ctx.now();
  sm.revisionId = randomUUID();
  // Running executions keep the definition they started with.
  return { updateDate: epochSeconds(sm.updateDate), revisionId: sm.revisionId };
};

const deleteStateMachine: Handler = (ctx, p) => {
  const arn = machineArnOf(p);
  const sm = ctx.state.aws.stateMachines[arn];
  // Deleting a machine that does not exist succeeds (unconfirmed). The real service marks the machine DELETING
  // and stops its executions at their next transition; here they are aborted and the machine goes at once.
  if (sm) {
    for (const ex of Object.values(ctx.state.aws.executions)) {
      if (ex.stateMachineArn !== arn || ex.status !== 'RUNNING') continue;
      const abort = liveOf(ctx).get(ex.executionArn)?.abort;
      finish(ctx, ex, { status: 'ABORTED', cause: 'The state machine was deleted.' });
      abort?.();
    }
    delete ctx.state.aws.stateMachines[arn];
  }
  return {};
};

const startExecution: Handler = (ctx, p, region) => {
  const sm = mustMachine(ctx, machineArnOf(p));
  const name = p.str('name') ?? randomUUID();
  if (!validName(name)) throw err('InvalidName', `Invalid Name: '${name}'`);
  const input = p.str('input') ?? '{}';
  if (Buffer.byteLength(input, 'utf8') > MAX_PAYLOAD_BYTES)
    throw p.invalid(
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
    );
  try {
    JSON.parse(input);
  } catch (e) {
    throw err(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${e instanceof Error ? e.message : String(e)}'`,
    );
  }
  const account = ctx.state.aws.accountId;
  const executionArn =
    sm.type === 'EXPRESS'
      ? `arn:aws:states:${region}:${account}:express:${sm.name}:${name}:${randomUUID()}`
      : `arn:aws:states:${region}:${account}:execution:${sm.name}:${name}`;
  const existing = ctx.state.aws.executions[executionArn];
  if (existing) {
    // STANDARD: same name + same input while RUNNING is the same request; otherwise the name is taken.
    if (existing.status === 'RUNNING' && existing.input === input)
      return { executionArn, startDate: epochSeconds(existing.startDate) };
    throw err('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
  }
  const now = ctx.now();
  const ex: SfnExecution = {
    executionArn,
    stateMachineArn: sm.stateMachineArn,
    name,
    status: 'RUNNING',
    startDate: now,
    input,
    traceHeader: p.str('traceHeader'),
    history: [],
  };
  ctx.state.aws.executions[executionArn] = ex;
  appendEvent(ex, now, 'ExecutionStarted', {
    executionStartedEventDetails: { input, inputDetails: { truncated: false }, roleArn: sm.roleArn },
  });
  run(ctx, sm, ex);
  return { executionArn, startDate: epochSeconds(now) };
};

const describeExecution: Handler = (ctx, p) => {
  const ex = mustExecution(ctx, executionArnOf(p));
  const includedData = p.str('includedData') ?? 'ALL_DATA';
  if (includedData !== 'ALL_DATA' && includedData !== 'METADATA_ONLY')
    throw p.invalid(`Value '${includedData}' at 'includedData' failed to satisfy constraint`);
  const data = includedData === 'ALL_DATA';
  return {
    ...executionItem(ex),
    input: data ? ex.input : undefined,
    inputDetails: { included: data },
    output: data ? ex.output : undefined,
    outputDetails: ex.output === undefined ? undefined : { included: data },
    error: ex.error,
    cause: ex.cause,
    traceHeader: ex.traceHeader,
  };
};

const listExecutions: Handler = (ctx, p) => {
  if (!p.has('stateMachineArn')) throw p.invalid('Must provide a StateMachine ARN or MapRun ARN');
  const arn = machineArnOf(p);
  const sm = mustMachine(ctx, arn);
  if (sm.type === 'EXPRESS')
    throw err('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  const statusFilter = p.str('statusFilter');
  if (statusFilter !== undefined && !STATUSES.includes(statusFilter as SfnExecutionStatus))
    throw p.invalid(`Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint`);
  const size = pageSize(p);
  // Most recent first (ties: the later start first).
  const all = Object.values(ctx.state.aws.executions);
  const matching = all
    .map((ex, i) => ({ ex, i }))
    .filter(({ ex }) => ex.stateMachineArn === arn && (statusFilter === undefined || ex.status === statusFilter))
    .sort((a, b) => b.ex.startDate - a.ex.startDate || b.i - a.i)
    .map(({ ex }) => ex);
  const pg = page(matching, size, p.str('nextToken'), invalidToken);
  return { executions: pg.items.map(executionItem), nextToken: pg.nextToken };
};

const getExecutionHistory: Handler = (ctx, p) => {
  const ex = mustExecution(ctx, executionArnOf(p));
  const size = pageSize(p);
  const reverse = p.bool('reverseOrder') ?? false;
  const includeData = p.bool('includeExecutionData') ?? true;
  const events = reverse ? [...ex.history].reverse() : ex.history;
  const pg = page(events, size, p.str('nextToken'), invalidToken);
  return { events: pg.items.map((e) => eventOut(e, includeData)), nextToken: pg.nextToken };
};

const stopExecution: Handler = (ctx, p) => {
  const ex = mustExecution(ctx, executionArnOf(p));
  const error = p.str('error');
  const cause = p.str('cause');
  if (error !== undefined && error.length > 256) throw p.invalid('error must be at most 256 characters long.');
  if (cause !== undefined && cause.length > 32_768) throw p.invalid('cause must be at most 32768 characters long.');
  if (ex.status === 'RUNNING') {
    const abort = liveOf(ctx).get(ex.executionArn)?.abort;
    finish(ctx, ex, { status: 'ABORTED', error, cause });
    try {
      abort?.();
    } catch {
      // the runner's own trouble stopping is not the caller's
    }
  }
  // Stopping an execution that already closed answers with its stop date (unconfirmed).
  return { stopDate: epochSeconds(ex.stopDate ?? ctx.now()) };
};

const HANDLERS: Record<string, Handler> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachine,
  ListStateMachines: listStateMachines,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  StartExecution: startExecution,
  DescribeExecution: describeExecution,
  ListExecutions: listExecutions,
  GetExecutionHistory: getExecutionHistory,
  StopExecution: stopExecution,
};

export const stepFunctionsService: Service = {
  name: 'stepfunctions',
  handle(ctx: SimContext, req: ServiceRequest): ServiceResponse {
    const handler = HANDLERS[req.action];
    if (!handler) throw unknownOperation(req.action);
    return jsonOk(PROTOCOL.version, handler(ctx, new JsonParams(req.json, PROTOCOL), req.region));
  },
  renderError: (e) => jsonError(PROTOCOL, e),
  throttle: () => new SimError('ThrottlingException', 'Rate exceeded', 400),
  // The SDK models no server-side SFN error; InternalFailure is the AWS common 500 error.
  serverError: () =>
    new SimError('InternalFailure', 'The request processing has failed because of an unknown error.', 500),
};
