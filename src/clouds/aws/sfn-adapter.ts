import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type {
  ExecutionDetail,
  ExecutionStatus,
  ExecutionSummary,
  Executions,
  StartOutcome,
} from '../../service/executions';
import { awsErrorCode, mapAwsError } from './errors';

// Step Functions through SDK v3 (docs/sources.md#aws-aws). StartExecution on a STANDARD machine is idempotent for the same
// name + input while the execution runs; any other reuse of a name is `ExecutionAlreadyExists`, which this
// adapter reports as `name-taken` for the service to decide (same slot closed -> next slot; running -> 409).

export class SfnExecutions implements Executions {
  constructor(private readonly sfn: SFNClient) {}

  async start(stateMachineArn: string, name: string, input: string): Promise<StartOutcome> {
    try {
      const r = await this.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      return { kind: 'started', executionArn: r.executionArn ?? '' };
    } catch (e) {
      if (awsErrorCode(e) === 'ExecutionAlreadyExists') return { kind: 'name-taken' };
      throw mapAwsError(e, `StartExecution ${name}`);
    }
  }

  async describe(executionArn: string): Promise<ExecutionDetail | undefined> {
    try {
      const r = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return {
        executionArn: r.executionArn ?? executionArn,
        stateMachineArn: r.stateMachineArn ?? '',
        name: r.name ?? '',
        status: (r.status ?? 'RUNNING') as ExecutionStatus,
        startDate: r.startDate,
        stopDate: r.stopDate,
        input: r.input,
        output: r.output,
        error: r.error,
        cause: r.cause,
      };
    } catch (e) {
      if (awsErrorCode(e) === 'ExecutionDoesNotExist') return undefined;
      throw mapAwsError(e, `DescribeExecution ${executionArn}`);
    }
  }

  async listRunning(stateMachineArn: string): Promise<ExecutionSummary[]> {
    const out: ExecutionSummary[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const r = await this.sfn.send(
          new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }),
        );
        for (const x of r.executions ?? []) {
          out.push({
            executionArn: x.executionArn ?? '',
            stateMachineArn: x.stateMachineArn ?? stateMachineArn,
            name: x.name ?? '',
            status: (x.status ?? 'RUNNING') as ExecutionStatus,
            startDate: x.startDate,
            stopDate: x.stopDate,
          });
        }
        nextToken = r.nextToken;
      } while (nextToken);
    } catch (e) {
      throw mapAwsError(e, `ListExecutions ${stateMachineArn}`);
    }
    return out;
  }
}
