// The slice of Step Functions the service needs, behind a small interface (no SDK here): the AWS adapter is
// src/clouds/aws/sfn-adapter.ts; tests and the local server use the same adapter against the simulator.

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate?: Date;
  stopDate?: Date;
}

export interface ExecutionDetail extends ExecutionSummary {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

/**
 * `started`: a new execution, or (Standard workflows) the running one with the same name and input.
 * `name-taken`: StartExecution answered ExecutionAlreadyExists (closed, or running with another input).
 */
export type StartOutcome = { kind: 'started'; executionArn: string } | { kind: 'name-taken' };

export interface Executions {
  start(stateMachineArn: string, name: string, input: string): Promise<StartOutcome>;
  /** undefined when the execution does not exist */
  describe(executionArn: string): Promise<ExecutionDetail | undefined>;
  /** every RUNNING execution of a state machine (all pages) */
  listRunning(stateMachineArn: string): Promise<ExecutionSummary[]>;
}

const MACHINE_ARN = /^(arn:[a-z-]+:states:[a-z0-9-]+:\d{12}):stateMachine:([^:]+)$/;

/** the ARN a Standard execution of this machine gets under this name */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const m = MACHINE_ARN.exec(stateMachineArn);
  if (!m) throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return `${m[1]}:execution:${m[2]}:${name}`;
}

/** the state machine ARN an execution ARN belongs to */
export function machineArnOfExecution(executionArn: string): string | undefined {
  const m = /^(arn:[a-z-]+:states:[a-z0-9-]+:\d{12}):execution:([^:]+):[^:]+$/.exec(executionArn);
  return m ? `${m[1]}:stateMachine:${m[2]}` : undefined;
}
