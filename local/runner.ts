import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { StateMachine } from 'aws-local-stepfunctions';
import { readServerlessYaml } from './serverless-yaml';
import '../src/polyfills';
import { simulatedTimeScale } from '../functions/lib/poll';
import { hosted, type Invoke } from './lambda-host';

// The local runner (README.md): aws-local-stepfunctions executes the SAME statemachine/*.asl.json that
// is deployed, every Task state is mapped to the SAME Lambda handler serverless.yml names for its
// FunctionName, and Wait / Retry intervals are divided by the simulator's time scale so a 10-minute wait
// takes 6 real seconds at time scale 100.

export const PROJECT_ROOT = join(__dirname, '..');

export type LambdaHandler = (event: unknown) => Promise<unknown>;
export type Definition = Record<string, unknown>;

interface StateDef {
  Type?: string;
  Parameters?: { FunctionName?: unknown };
  Seconds?: number;
  Retry?: Array<{ IntervalSeconds?: number; MaxDelaySeconds?: number }>;
  Branches?: Array<{ States?: Record<string, StateDef> }>;
  Iterator?: { States?: Record<string, StateDef> };
  ItemProcessor?: { States?: Record<string, StateDef> };
  TimeoutSeconds?: number;
}

/** every state of a definition, including those inside Parallel branches and Map processors */
export function allStates(def: { States?: Record<string, StateDef> }): Array<[string, StateDef]> {
  const out: Array<[string, StateDef]> = [];
  for (const [name, s] of Object.entries(def.States ?? {})) {
    out.push([name, s]);
    for (const b of s.Branches ?? []) out.push(...allStates(b));
    if (s.Iterator) out.push(...allStates(s.Iterator));
    if (s.ItemProcessor) out.push(...allStates(s.ItemProcessor));
  }
  return out;
}

/** `${self:service}-${sls:stage}-alibabaCreateGateway` -> `alibabaCreateGateway` */
export function functionKeyOf(functionName: string): string {
  const i = functionName.lastIndexOf('-');
  return i >= 0 ? functionName.slice(i + 1) : functionName;
}

export function loadDefinition(file: string): Definition {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'statemachine', file), 'utf8')) as Definition;
}

export interface ServerlessFunctions {
  /** function key -> `functions/provision/validate-spec.handler` */
  handlers: Record<string, string>;
  /** function key -> its http events */
  http: Record<string, Array<{ method: string; path: string; iam?: boolean }>>;
  raw: Record<string, unknown>;
}

/** the functions (and their HTTP routes) serverless.yml declares: the one list, shared with the deployment */
export function readServerlessFunctions(file = join(PROJECT_ROOT, 'serverless.yml')): ServerlessFunctions {
  const doc = readServerlessYaml(file) as {
    functions?: Record<string, { handler?: string; events?: Array<Record<string, unknown>> }>;
  };
  const handlers: Record<string, string> = {};
  const http: Record<string, Array<{ method: string; path: string; iam?: boolean }>> = {};
  for (const [key, f] of Object.entries(doc.functions ?? {})) {
    if (!f.handler) continue;
    handlers[key] = f.handler;
    for (const e of f.events ?? []) {
      const h = (e.httpApi ?? e.http) as
        | { method?: string; path?: string; authorizer?: { type?: string } | string }
        | undefined;
      if (!h?.method || !h.path) continue;
      const routes = http[key] ?? [];
      const auth = h.authorizer;
      const iam = (typeof auth === 'string' ? auth : auth?.type)?.toLowerCase() === 'aws_iam';
      routes.push({ method: h.method.toUpperCase(), path: h.path, ...(iam ? { iam } : {}) });
      http[key] = routes;
    }
  }
  return { handlers, http, raw: doc.functions ?? {} };
}

function resolveHandler(spec: string): { modulePath: string; exportName: string } {
  const dot = spec.lastIndexOf('.');
  return { modulePath: join(PROJECT_ROOT, spec.slice(0, dot)), exportName: spec.slice(dot + 1) };
}

/** load every handler module now (TypeScript compiles on first load: keep that out of timed runs) */
export function preloadHandlers(fns: ServerlessFunctions = readServerlessFunctions()): void {
  for (const spec of Object.values(fns.handlers)) require(resolveHandler(spec).modulePath);
}

/** a handler module's export, required the way the Lambda runtime loads `file.export` */
export function loadHandler(spec: string): Invoke {
  const { modulePath, exportName } = resolveHandler(spec);
  const fn = (require(modulePath) as Record<string, unknown>)[exportName];
  if (typeof fn !== 'function') throw new Error(`${spec}: no exported function ${exportName}`);
  return fn as Invoke;
}

/** every function, required lazily and run as the Lambda service runs it (its context, its role) */
export function lambdaHandlers(fns: ServerlessFunctions = readServerlessFunctions()): Record<string, LambdaHandler> {
  const out: Record<string, LambdaHandler> = {};
  for (const [key, spec] of Object.entries(fns.handlers))
    out[key] = hosted(key, (event, context) => loadHandler(spec)(event, context));
  return out;
}

/** a copy with Wait and Retry intervals (and the execution timeout) divided by the time scale */
export function scaleDefinition(def: Definition, timeScale: number): Definition {
  // a JSON round trip, not structuredClone: under jest's VM the clone's objects come from another realm
  // and aws-local-stepfunctions no longer sees them as plain objects
  const copy = JSON.parse(JSON.stringify(def)) as Definition & {
    TimeoutSeconds?: number;
    States?: Record<string, StateDef>;
  };
  for (const [, s] of allStates(copy)) {
    if (s.Type === 'Wait' && typeof s.Seconds === 'number') s.Seconds /= timeScale;
    for (const r of s.Retry ?? []) {
      if (typeof r.IntervalSeconds === 'number') r.IntervalSeconds /= timeScale;
      if (typeof r.MaxDelaySeconds === 'number') r.MaxDelaySeconds /= timeScale;
    }
  }
  // the simulated bound, plus real time for the handlers themselves
  if (typeof copy.TimeoutSeconds === 'number') copy.TimeoutSeconds = copy.TimeoutSeconds / timeScale + 600;
  return copy;
}

const validated = new WeakSet<Definition>();
const validatedText = new Set<string>();
const VALIDATOR_VERSION = (
  JSON.parse(readFileSync(require.resolve('asl-validator/package.json'), 'utf8')) as { version: string }
).version;

/** where a definition that passed is remembered across processes (an empty file named by the text's hash) */
export function validatedMark(text: string): string {
  const sha = createHash('sha256').update(`asl-validator ${VALIDATOR_VERSION}\n${text}`).digest('hex');
  return join(PROJECT_ROOT, '.vpn-bridge', 'cache', 'asl-validated', sha);
}

/**
 * asl-validator (as serverless-step-functions runs it at package time), each definition once: compiling its JSON
 * schema costs about half a second of CPU in every process, so a definition that passed is remembered on disk under
 * the hash of its text and the validator's version (any change to either validates again).
 */
export function validateDefinition(def: Definition): void {
  if (validated.has(def)) return;
  const text = JSON.stringify(def);
  if (!validatedText.has(text)) {
    const mark = validatedMark(text);
    if (!existsSync(mark)) {
      const r = aslValidator(structuredClone(def), { checkPaths: true, checkArn: true });
      if (!r.isValid) throw new Error(`invalid state machine definition: ${r.errorsText('; ')}`);
      try {
        mkdirSync(join(mark, '..'), { recursive: true });
        writeFileSync(mark, '');
      } catch {
        // a read-only checkout validates every time
      }
    }
    validatedText.add(text);
  }
  validated.add(def);
}

export interface RunEvent {
  type: string;
  /** real epoch ms */
  timestamp: number;
  state?: string;
  stateType?: string;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  attempt?: number;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface LocalExecution {
  name: string;
  result: Promise<ExecutionResult>;
  events: RunEvent[];
  /** Lambda invocations of the Task states, and those that ended in an error (by error name) */
  invocations: { count: number; errors: Record<string, number> };
  abort(): void;
}

export interface StartOptions {
  definition: Definition;
  input: unknown;
  name: string;
  timeScale: number;
  handlers: Record<string, LambdaHandler>;
  onEvent?: (e: RunEvent) => void;
}

function errorParts(e: unknown): { error: string; cause: string } {
  const err = e as { name?: string; message?: string; cause?: unknown };
  const inner = err?.cause as { name?: string; message?: string } | undefined;
  if (inner && typeof inner === 'object' && inner.name) return { error: inner.name, cause: inner.message ?? '' };
  return { error: err?.name ?? 'Error', cause: err?.message ?? String(e) };
}

export function startLocalExecution(o: StartOptions): LocalExecution {
  validateDefinition(o.definition);
  const scaled = scaleDefinition(o.definition, o.timeScale);
  const invocations: LocalExecution['invocations'] = { count: 0, errors: {} };
  const taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [stateName, s] of allStates(scaled as { States?: Record<string, StateDef> })) {
    if (s.Type !== 'Task') continue;
    const fnName = s.Parameters?.FunctionName;
    if (typeof fnName !== 'string') throw new Error(`Task ${stateName} has no Parameters.FunctionName`);
    const key = functionKeyOf(fnName);
    const handler = o.handlers[key];
    if (!handler) throw new Error(`Task ${stateName} calls ${key}, which serverless.yml does not declare`);
    // lambda:invoke wraps the function's result in Payload (docs/sources.md#aws-aws); the function's own pauses (a wait's
    // checks, functions/lib/poll.ts) run on the simulator's clock, as the Wait states do
    taskHandlers[stateName] = async (input) => {
      invocations.count++;
      try {
        return {
          Payload: await simulatedTimeScale.run(o.timeScale, () => handler((input as { Payload?: unknown }).Payload)),
        };
      } catch (e) {
        const name = errorParts(e).error;
        invocations.errors[name] = (invocations.errors[name] ?? 0) + 1;
        throw e;
      }
    };
  }
  const machine = new StateMachine(scaled as never, { validationOptions: { noValidate: true } });
  const run = machine.run(o.input as never, {
    overrides: { taskResourceLocalHandlers: taskHandlers as never },
    context: { Execution: { Name: o.name, Input: o.input as never, StartTime: new Date().toISOString() } } as never,
  });
  const events: RunEvent[] = [];
  const pump = (async () => {
    for await (const ev of run.eventLogs) {
      const e = ev as unknown as {
        type: string;
        timestamp: number;
        state?: { name: string; type: string; input?: unknown; output?: unknown };
        Error?: string;
        Cause?: unknown;
        retry?: { attempt: number };
      };
      const out: RunEvent = {
        type: e.type,
        timestamp: e.timestamp,
        state: e.state?.name,
        stateType: e.state?.type,
        input: e.state?.input,
        output: e.state?.output,
        error: e.Error,
        cause: e.Cause === undefined ? undefined : String(e.Cause),
        attempt: e.retry?.attempt,
      };
      events.push(out);
      o.onEvent?.(out);
    }
  })();
  const result = (async (): Promise<ExecutionResult> => {
    try {
      const output = await run.result;
      await pump.catch(() => undefined);
      return { status: 'SUCCEEDED', output };
    } catch (e) {
      await pump.catch(() => undefined);
      const name = (e as { name?: string }).name;
      const { error, cause } = errorParts(e);
      if (name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT', error: 'States.Timeout', cause };
      if (name === 'ExecutionAbortedError') return { status: 'ABORTED', error, cause };
      return { status: 'FAILED', error, cause };
    }
  })();
  return { name: o.name, result, events, invocations, abort: () => run.abort() };
}
