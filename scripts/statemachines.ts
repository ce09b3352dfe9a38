// Builds statemachine/*.asl.json (plain ASL, JSONPath). The JSON files are committed and are what
// serverless.yml deploys and the local runner executes; this script only keeps their many Retry/Catch
// blocks consistent. `npm run build:asl` rewrites them; a test fails when they are out of date.
//
// Every Task calls one Lambda through `arn:aws:states:::lambda:invoke` with FunctionName
// `${self:service}-${sls:stage}-<functionKey>` (serverless resolves it at package time; the local runner
// maps <functionKey> to the handler named in serverless.yml). Only `{ name }` travels to the steps.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

const TRANSIENT = {
  ErrorEquals: [
    'Throttled',
    'ProviderUnavailable',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  MaxAttempts: 6,
  JitterStrategy: 'FULL',
};
const BUSY = {
  ErrorEquals: ['GatewayBusy'],
  IntervalSeconds: 5,
  BackoffRate: 1.5,
  MaxDelaySeconds: 30,
  MaxAttempts: 12,
  JitterStrategy: 'FULL',
};
/**
 * How long the providers' listings may lag behind a create (docs/simulator-fidelity.md, "Eventual consistency"):
 * Terraform's AWS provider allows EC2 creations two minutes to propagate. A step whose create may have happened
 * (OutcomeUnknown) is retried only after this long, and a rollback or a teardown of a connection that was being
 * built starts only after it, so their lookups by tag and name see everything that was made.
 */
export const SETTLE_SECONDS = 120;
const SETTLE = {
  ErrorEquals: ['OutcomeUnknown'],
  IntervalSeconds: SETTLE_SECONDS,
  BackoffRate: 1,
  MaxAttempts: 6,
};
const NOT_VISIBLE = {
  ErrorEquals: ['NotYetVisible'],
  IntervalSeconds: 2,
  BackoffRate: 1.5,
  MaxDelaySeconds: 20,
  MaxAttempts: 8,
};

/** polling: NotReady retried with gentle backoff, bounded by MaxAttempts */
interface Poll {
  interval: number;
  maxDelay: number;
  attempts: number;
}
const POLL = {
  short: { interval: 3, maxDelay: 10, attempts: 40 },
  gateway: { interval: 5, maxDelay: 20, attempts: 40 },
  alibabaGateway: { interval: 10, maxDelay: 30, attempts: 40 },
  serialized: { interval: 5, maxDelay: 15, attempts: 40 },
  vpnConnection: { interval: 10, maxDelay: 30, attempts: 90 },
  tunnels: { interval: 10, maxDelay: 30, attempts: 40 },
} satisfies Record<string, Poll>;
/** a step that is not a poll may still meet a resource in a passing state */
const INCIDENTAL: Poll = { interval: 5, maxDelay: 30, attempts: 6 };

const fnName = (key: string) => `\${self:service}-\${sls:stage}-${key}`;

interface TaskOpts {
  fn: string;
  next?: string;
  payload?: Json;
  resultPath?: string | null;
  resultSelector?: Json;
  poll?: Poll;
  catchTo?: string;
  catchResultPath?: string;
  comment?: string;
}

function task(o: TaskOpts): Json {
  const poll = o.poll ?? INCIDENTAL;
  const t: Json = {
    Type: 'Task',
    ...(o.comment ? { Comment: o.comment } : {}),
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: fnName(o.fn), Payload: o.payload ?? { 'name.$': '$.conn.name' } },
    ResultSelector: o.resultSelector ?? { 'value.$': '$.Payload' },
    ResultPath: o.resultPath === undefined ? `$.results.${o.fn}` : o.resultPath,
    TimeoutSeconds: 120,
    Retry: [
      TRANSIENT,
      BUSY,
      NOT_VISIBLE,
      SETTLE,
      {
        ErrorEquals: ['NotReady'],
        IntervalSeconds: poll.interval,
        BackoffRate: 1.2,
        MaxDelaySeconds: poll.maxDelay,
        MaxAttempts: poll.attempts,
      },
    ],
  };
  if (o.catchTo)
    t.Catch = [{ ErrorEquals: ['States.ALL'], ResultPath: o.catchResultPath ?? '$.error', Next: o.catchTo }];
  if (o.next) t.Next = o.next;
  else t.End = true;
  return t;
}

/** a loop: call `fn` (which makes one change) until it reports remaining = 0, waiting for the gateway in between */
function serializedLoop(prefix: string, fn: string, then: string | undefined, waitFn = 'alibabaWaitGateway'): Json {
  const wait = `${prefix}WaitGateway`;
  const make = `${prefix}Next`;
  const more = `${prefix}More?`;
  return {
    [wait]: task({
      fn: waitFn,
      comment: 'Alibaba serializes changes per gateway: wait until it is active again',
      poll: POLL.serialized,
      resultPath: null,
      next: make,
    }),
    [make]: task({ fn, resultSelector: { 'remaining.$': '$.Payload.remaining' }, resultPath: `$.loop`, next: more }),
    [more]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.loop.remaining', NumericGreaterThan: 0, Next: wait }],
      ...(then ? { Default: then } : { Default: `${prefix}Done` }),
    },
    ...(then ? {} : { [`${prefix}Done`]: { Type: 'Succeed' } }),
  };
}

function branch(startAt: string, states: Json): Json {
  return { StartAt: startAt, States: states };
}

/** the teardown chains, shared by the teardown state machine and provisioning rollback */
function teardownParallel(next: string, catchTo: string, catchResultPath: string): Json {
  return {
    Type: 'Parallel',
    Comment: 'both clouds in reverse order of creation; the chains are independent',
    ResultPath: null,
    Branches: [
      branch('AlibabaDeleteVpcRoute', {
        AlibabaDeleteVpcRoute: task({
          fn: 'alibabaDeleteVpcRoute',
          poll: POLL.short,
          next: 'DeleteVpnRoutesWaitGateway',
        }),
        ...serializedLoop(
          'DeleteVpnRoutes',
          'alibabaDeleteNextVpnRoute',
          'DeleteConnectionsWaitGateway',
          'alibabaWaitGatewayIdle',
        ),
        ...serializedLoop(
          'DeleteConnections',
          'alibabaDeleteNextConnection',
          'AlibabaFinalGatewayWait',
          'alibabaWaitGatewayIdle',
        ),
        AlibabaFinalGatewayWait: task({
          fn: 'alibabaWaitGatewayIdle',
          poll: POLL.serialized,
          resultPath: null,
          next: 'AlibabaDeleteCustomerGateways',
        }),
        AlibabaDeleteCustomerGateways: task({ fn: 'alibabaDeleteCustomerGateways', next: 'AlibabaDeleteGateway' }),
        AlibabaDeleteGateway: task({ fn: 'alibabaDeleteGateway', poll: POLL.alibabaGateway }),
      }),
      branch('AwsDeleteRoutes', {
        AwsDeleteRoutes: task({ fn: 'awsDeleteRoutes', next: 'AwsDeleteVpnConnections' }),
        AwsDeleteVpnConnections: task({
          fn: 'awsDeleteVpnConnections',
          poll: POLL.vpnConnection,
          next: 'AwsDeleteCustomerGateways',
        }),
        AwsDeleteCustomerGateways: task({ fn: 'awsDeleteCustomerGateways', next: 'AwsDetachVgw' }),
        AwsDetachVgw: task({ fn: 'awsDetachVgw', poll: POLL.gateway, next: 'AwsDeleteVgw' }),
        AwsDeleteVgw: task({ fn: 'awsDeleteVgw', poll: POLL.gateway }),
      }),
    ],
    Next: next,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: catchResultPath, Next: catchTo }],
  };
}

export function provisionDefinition(): Json {
  const fail = 'RecordFailure';
  return {
    Comment:
      'vpn-bridge provisioning: the article\'s manual procedure as one Task per step (DESIGN.md §6). Input {"spec": {...}}. PSKs never enter state: handoffs live in the Secrets Manager record.',
    StartAt: 'ValidateSpec',
    TimeoutSeconds: 7200,
    States: {
      ValidateSpec: task({
        fn: 'validateSpec',
        comment: 'schema + preflight against both clouds; creates/updates the record (status PROVISIONING)',
        // the whole request: {spec, takeOver?}; takeOver is set by callers that checked Step Functions for running operations
        payload: { 'request.$': '$', 'executionName.$': '$$.Execution.Name' },
        resultSelector: {
          'name.$': '$.Payload.name',
          'topology.$': '$.Payload.topology',
          'onFailure.$': '$.Payload.onFailure',
          'everActive.$': '$.Payload.everActive',
          'warnings.$': '$.Payload.warnings',
        },
        resultPath: '$.conn',
        next: 'CreateGateways',
        // nothing was created yet and the record may belong to another running operation: fail directly
        catchTo: 'InvalidRequest',
      }),
      InvalidRequest: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
      CreateGateways: {
        Type: 'Parallel',
        Comment: 'independent paths: the Alibaba VPN gateway (1-5 min) and the AWS VGW + attachment + VPC routes',
        ResultPath: null,
        Branches: [
          branch('AlibabaCreateGateway', {
            AlibabaCreateGateway: task({ fn: 'alibabaCreateGateway', next: 'AlibabaWaitGateway' }),
            AlibabaWaitGateway: task({ fn: 'alibabaWaitGateway', poll: POLL.alibabaGateway, resultPath: null }),
          }),
          branch('AwsCreateVgw', {
            AwsCreateVgw: task({ fn: 'awsCreateVgw', next: 'AwsWaitVgw' }),
            AwsWaitVgw: task({ fn: 'awsWaitVgw', poll: POLL.gateway, resultPath: null, next: 'AwsAttachVgw' }),
            AwsAttachVgw: task({ fn: 'awsAttachVgw', next: 'AwsWaitAttached' }),
            AwsWaitAttached: task({
              fn: 'awsWaitAttached',
              poll: POLL.gateway,
              resultPath: null,
              next: 'AwsCreateRoutes',
            }),
            AwsCreateRoutes: task({ fn: 'awsCreateRoutes', comment: 'VPC route tables: Alibaba CIDR -> VGW' }),
          }),
        ],
        Next: 'AwsCreateCustomerGateways',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: fail }],
      },
      AwsCreateCustomerGateways: task({
        fn: 'awsCreateCustomerGateways',
        comment: 'one per Alibaba gateway IP; the IPs go to the record',
        next: 'AwsWaitCustomerGateways',
        catchTo: fail,
      }),
      AwsWaitCustomerGateways: task({
        fn: 'awsWaitCustomerGateways',
        poll: POLL.short,
        resultPath: null,
        next: 'AwsCreateVpnConnections',
        catchTo: fail,
      }),
      AwsCreateVpnConnections: task({
        fn: 'awsCreateVpnConnections',
        comment: 'static routes only, tunnel options pinned to the crypto profile',
        next: 'ReadAwsTunnelConfig',
        catchTo: fail,
      }),
      ReadAwsTunnelConfig: task({
        fn: 'awsReadTunnelConfig',
        comment: '"download configuration": tunnel outside IPs + PSKs into Secrets Manager',
        next: 'ConfigureBothSides',
        catchTo: fail,
      }),
      ConfigureBothSides: {
        Type: 'Parallel',
        Comment:
          'Alibaba customer gateways, IPsec connections and routes while the AWS VPN connections become available',
        ResultPath: null,
        Branches: [
          branch('AlibabaCreateCustomerGateways', {
            AlibabaCreateCustomerGateways: task({
              fn: 'alibabaCreateCustomerGateways',
              next: 'ConnectionsWaitGateway',
            }),
            ...serializedLoop('Connections', 'alibabaCreateNextConnection', 'VpnRoutesWaitGateway'),
            ...serializedLoop('VpnRoutes', 'alibabaCreateNextVpnRoute', 'AlibabaEnsureVpcRoute'),
            AlibabaEnsureVpcRoute: task({
              fn: 'alibabaEnsureVpcRoute',
              comment: 'VPC route: AWS CIDR -> VPN gateway',
              poll: POLL.short,
            }),
          }),
          branch('AwsWaitVpnConnections', {
            AwsWaitVpnConnections: task({
              fn: 'awsWaitVpnConnections',
              poll: POLL.vpnConnection,
              resultPath: null,
              next: 'AwsEnsureVpnConnectionRoutes',
            }),
            AwsEnsureVpnConnectionRoutes: task({
              fn: 'awsEnsureVpnConnectionRoutes',
              comment: 'the VPN connection static route',
              poll: POLL.short,
            }),
          }),
        ],
        Next: 'RecordResources',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: fail }],
      },
      RecordResources: task({ fn: 'recordResources', next: 'WaitTunnelsUp', catchTo: fail }),
      WaitTunnelsUp: {
        ...task({ fn: 'waitTunnelsUp', poll: POLL.tunnels, next: 'Finalize', catchTo: fail }),
        Catch: [
          { ErrorEquals: ['NotReady'], ResultPath: '$.error', Next: 'DiagnoseTunnels' },
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: fail },
        ],
      },
      DiagnoseTunnels: task({
        fn: 'diagnoseTunnels',
        comment: 'the bounded wait ran out: fails with TunnelsDown naming each DOWN tunnel and why',
        resultPath: null,
        next: 'Finalize',
        catchTo: fail,
      }),
      Finalize: task({
        fn: 'finalize',
        comment: 'record ACTIVE (only while this execution holds the connection)',
        payload: { 'name.$': '$.conn.name', 'executionName.$': '$$.Execution.Name' },
        catchTo: fail,
      }),
      RecordFailure: task({
        fn: 'recordFailure',
        payload: { 'name.$': '$.conn.name', 'error.$': '$.error', 'executionName.$': '$$.Execution.Name' },
        resultSelector: {
          'rollback.$': '$.Payload.rollback',
          'error.$': '$.Payload.error',
          'cause.$': '$.Payload.cause',
        },
        resultPath: '$.failure',
        next: 'RollbackWanted?',
        // the record could not be written (often the very failure being handled): still honour the spec
        catchTo: 'RollbackUnrecorded?',
        catchResultPath: '$.recordError',
      }),
      'RollbackUnrecorded?': {
        Type: 'Choice',
        Comment: 'RecordFailure failed: decide from the validated spec (never roll back a connection that once worked)',
        Choices: [
          {
            And: [
              { Variable: '$.conn.onFailure', StringEquals: 'rollback' },
              { Variable: '$.conn.everActive', BooleanEquals: false },
            ],
            Next: 'RollbackUnrecorded',
          },
        ],
        Default: 'ProvisioningFailed',
      },
      RollbackUnrecorded: {
        Type: 'Pass',
        Parameters: { rollback: true, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
        ResultPath: '$.failure',
        Next: 'RollbackSettle',
      },
      'RollbackWanted?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.failure.rollback', BooleanEquals: true, Next: 'RollbackSettle' }],
        Default: 'ProvisioningFailed',
      },
      RollbackSettle: {
        Type: 'Wait',
        Comment:
          "what the run just made may not be in the providers' listings yet: wait until they settled, so the rollback finds it all",
        Seconds: SETTLE_SECONDS,
        Next: 'Rollback',
      },
      Rollback: teardownParallel('RollbackFinish', 'RollbackIncomplete', '$.rollbackError'),
      RollbackFinish: task({
        fn: 'rollbackFinish',
        payload: { 'name.$': '$.conn.name', 'cause.$': '$.failure.cause', 'executionName.$': '$$.Execution.Name' },
        resultPath: null,
        next: 'ProvisioningFailed',
        // the clouds are clean by now; only the record could not say so: fail with the original error
        catchTo: 'ProvisioningFailed',
        catchResultPath: '$.recordError',
      }),
      RollbackIncomplete: {
        Type: 'Fail',
        Comment: 'the rollback itself failed: the record says what is left',
        Error: 'RollbackIncomplete',
        CausePath: '$.rollbackError.Cause',
      },
      ProvisioningFailed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

export function teardownDefinition(): Json {
  return {
    Comment: 'vpn-bridge teardown (DESIGN.md §8). Input {"name": "..."}. Idempotent; safe on a half-built connection.',
    StartAt: 'TeardownStart',
    TimeoutSeconds: 7200,
    States: {
      TeardownStart: task({
        fn: 'teardownStart',
        payload: { 'request.$': '$', 'executionName.$': '$$.Execution.Name' },
        resultSelector: { 'name.$': '$.Payload.name', 'settle.$': '$.Payload.settle' },
        resultPath: '$.conn',
        next: 'Settle?',
        catchTo: 'TeardownFailed',
      }),
      'Settle?': {
        Type: 'Choice',
        Comment: 'a connection that never reached ACTIVE may have parts the listings do not show yet',
        Choices: [{ Variable: '$.conn.settle', BooleanEquals: true, Next: 'TeardownSettle' }],
        Default: 'DeleteBothSides',
      },
      TeardownSettle: { Type: 'Wait', Seconds: SETTLE_SECONDS, Next: 'DeleteBothSides' },
      DeleteBothSides: teardownParallel('TeardownFinish', 'RecordTeardownFailure', '$.error'),
      TeardownFinish: task({
        fn: 'teardownFinish',
        comment: 'record DELETED, secret scheduled for deletion (only while this execution holds the connection)',
        payload: { 'name.$': '$.conn.name', 'executionName.$': '$$.Execution.Name' },
        catchTo: 'RecordTeardownFailure',
      }),
      RecordTeardownFailure: task({
        fn: 'recordTeardownFailure',
        comment: 'the record says FAILED and why; a second teardown finishes the job',
        payload: { 'name.$': '$.conn.name', 'error.$': '$.error', 'executionName.$': '$$.Execution.Name' },
        resultPath: null,
        next: 'TeardownFailed',
        catchTo: 'TeardownFailed',
        catchResultPath: '$.recordError',
      }),
      TeardownFailed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

/** what CollectDrift / Recheck put into state (DriftCheckState, src/drift/types.ts) */
const CHECK_SELECTOR = Object.fromEntries(
  ['at', 'repair', 'repairCount', 'repairNames', 'repairTargets', 'summary', 'results', 'unmanaged', 'truncated'].map(
    (k) => [`${k}.$`, `$.Payload.${k}`],
  ),
);
/** the execution output (DriftReportOutput) */
const REPORT_SELECTOR = Object.fromEntries(
  ['at', 'summary', 'results', 'unmanaged', 'truncated', 'written', 'repairErrors'].map((k) => [
    `${k}.$`,
    `$.Payload.${k}`,
  ]),
);
/** the drift tasks describe whole regions: give them longer than a provisioning step (Lambda timeout 300 s) */
const DRIFT_TASK_TIMEOUT = 330;

/** one connection's repair: only the route-owning provisioning steps its repairable rows name, in order */
function repairIterator(): Json {
  const failed = 'RepairFailed';
  const choice = (flag: string, yes: string, no: string): Json => ({
    Type: 'Choice',
    Choices: [{ Variable: `$.fix.${flag}`, BooleanEquals: true, Next: yes }],
    Default: no,
  });
  const states: Record<string, Json> = {
    'RepairAwsVpcRoutes?': choice('awsVpcRoute', 'AwsCreateRoutes', 'RepairAwsVpnConnectionRoutes?'),
    AwsCreateRoutes: task({
      fn: 'awsCreateRoutes',
      comment: 'VPC route tables: Alibaba CIDR -> VGW (existing routes are left alone)',
      resultPath: null,
      next: 'RepairAwsVpnConnectionRoutes?',
    }),
    'RepairAwsVpnConnectionRoutes?': choice(
      'awsVpnConnectionRoute',
      'AwsEnsureVpnConnectionRoutes',
      'RepairAlibabaVpnRoutes?',
    ),
    AwsEnsureVpnConnectionRoutes: task({
      fn: 'awsEnsureVpnConnectionRoutes',
      poll: POLL.short,
      resultPath: null,
      next: 'RepairAlibabaVpnRoutes?',
    }),
    'RepairAlibabaVpnRoutes?': choice('alibabaVpnRoute', 'VpnRoutesWaitGateway', 'RepairAlibabaVpcRoute?'),
    ...(serializedLoop('VpnRoutes', 'alibabaCreateNextVpnRoute', 'RepairAlibabaVpcRoute?') as Record<string, Json>),
    'RepairAlibabaVpcRoute?': choice('alibabaVpcRoute', 'VpcRouteWaitGateway', 'Repaired'),
    VpcRouteWaitGateway: task({
      fn: 'alibabaWaitGateway',
      poll: POLL.serialized,
      resultPath: null,
      next: 'AlibabaEnsureVpcRoute',
    }),
    AlibabaEnsureVpcRoute: task({
      fn: 'alibabaEnsureVpcRoute',
      comment: 'VPC route: AWS CIDR -> VPN gateway',
      poll: POLL.short,
      resultPath: null,
      next: 'Repaired',
    }),
    Repaired: { Type: 'Pass', Parameters: { 'name.$': '$.conn.name', ok: true }, End: true },
    [failed]: {
      Type: 'Pass',
      Comment: 'one connection failing to repair must not stop the others: the report names it',
      Parameters: { 'name.$': '$.conn.name', ok: false, 'error.$': '$.error' },
      End: true,
    },
  };
  // every Task of the iteration (the serialized loop's too) hands its failure to RepairFailed
  for (const s of Object.values(states))
    if (s.Type === 'Task') s.Catch = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failed }];
  return states;
}

export function driftCheckDefinition(): Json {
  const failed = 'DriftCheckFailed';
  return {
    Comment:
      'vpn-bridge drift re-check (DESIGN.md §8). Input {"repair": false} (the schedule) or {"repair": true, "names": [...]}. Each region is described once for all its connections; only deleted routes are repaired, by the provisioning steps that own them; the output holds drift rows, never a key.',
    StartAt: 'NamesGiven?',
    TimeoutSeconds: 3600,
    States: {
      // input defaults without intrinsics: absent "names" = every connection, absent "repair" = report only
      'NamesGiven?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.names', IsPresent: true, Next: 'RepairGiven?' }],
        Default: 'AllConnections',
      },
      AllConnections: { Type: 'Pass', Result: [], ResultPath: '$.names', Next: 'RepairGiven?' },
      'RepairGiven?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.repair', IsPresent: true, Next: 'CollectDrift' }],
        Default: 'ReportOnly',
      },
      // (Parameters, not `Result: false`: the local runner mistakes a false Result for none)
      ReportOnly: { Type: 'Pass', Parameters: { repair: false, 'names.$': '$.names' }, Next: 'CollectDrift' },
      CollectDrift: {
        ...task({
          fn: 'collectDrift',
          comment: 'every managed connection: expected (record + plan) vs both clouds; rows of drifted ones',
          payload: { 'repair.$': '$.repair', 'names.$': '$.names' },
          resultSelector: CHECK_SELECTOR,
          resultPath: '$.check',
          next: 'RepairWanted?',
          catchTo: failed,
        }),
        TimeoutSeconds: DRIFT_TASK_TIMEOUT,
      },
      'RepairWanted?': {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.repair', BooleanEquals: true },
              { Variable: '$.check.repairCount', NumericGreaterThan: 0 },
            ],
            Next: 'Repair',
          },
        ],
        Default: 'NoRepair',
      },
      NoRepair: { Type: 'Pass', Result: { items: [] }, ResultPath: '$.repaired', Next: 'Report' },
      Repair: {
        Type: 'Map',
        Comment: 'connections with repairable rows: re-run the idempotent route steps of provisioning',
        ItemsPath: '$.check.repairTargets',
        ItemSelector: { conn: { 'name.$': '$$.Map.Item.Value.name' }, 'fix.$': '$$.Map.Item.Value.fix' },
        MaxConcurrency: 3,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'RepairAwsVpcRoutes?',
          States: repairIterator(),
        },
        ResultPath: '$.repaired.items',
        Next: 'Recheck',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.repaired', Next: 'Report' }],
      },
      Recheck: {
        ...task({
          fn: 'recheckDrift',
          comment: 'the repaired connections, checked again',
          payload: { 'names.$': '$.check.repairNames' },
          resultSelector: CHECK_SELECTOR,
          resultPath: '$.repaired.recheck',
          next: 'Report',
          catchTo: 'Report',
          catchResultPath: '$.repaired.recheckError',
        }),
        TimeoutSeconds: DRIFT_TASK_TIMEOUT,
      },
      Report: {
        ...task({
          fn: 'reportDrift',
          comment: 'lastDrift into the records whose drift changed; the summary and rows become the output',
          payload: { 'check.$': '$.check', 'repaired.$': '$.repaired' },
          resultSelector: REPORT_SELECTOR,
          resultPath: '$.report',
          catchTo: failed,
        }),
        // the report alone is the execution output (ResultPath "$" would do the same on AWS, but the local
        // runner stores it under a "$" key)
        OutputPath: '$.report',
        TimeoutSeconds: DRIFT_TASK_TIMEOUT,
      },
      [failed]: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

/**
 * One tunnel's key change: both clouds, then UP with the new key; any failure sets the previous key back and goes to
 * RotateFailed. `tunnelPath` is where the state holds the tunnel id; `then` follows a tunnel that rotated.
 */
function rotateTunnelStates(prefix: string, tunnelPath: string, then: string): Record<string, Json> {
  const payload = (key: 'next' | 'previous') => ({ 'name.$': '$.conn.name', 'tunnel.$': tunnelPath, key });
  const rollback = `${prefix}AlibabaSetPreviousKey`;
  const toRollback = { catchTo: rollback };
  const rollbackFailed = { catchTo: `${prefix}RollbackIncomplete`, catchResultPath: '$.rollbackError' };
  return {
    [`${prefix}AlibabaSetNextKey`]: task({
      fn: 'alibabaSetTunnelKey',
      comment: "Alibaba's end first: its change is applied in seconds, AWS's endpoint replacement takes minutes",
      payload: payload('next'),
      poll: POLL.serialized,
      resultPath: null,
      next: `${prefix}AwsSetNextKey`,
      ...toRollback,
    }),
    [`${prefix}AwsSetNextKey`]: task({
      fn: 'awsSetTunnelKey',
      comment:
        'ModifyVpnTunnelOptions: this tunnel is down while its endpoint is replaced; the other one carries traffic',
      payload: payload('next'),
      poll: POLL.vpnConnection,
      resultPath: null,
      next: `${prefix}WaitNextKeyUp`,
      ...toRollback,
    }),
    [`${prefix}WaitNextKeyUp`]: task({
      fn: 'waitTunnelKey',
      comment: 'bounded: UP on both clouds with the new key before anything else starts',
      payload: payload('next'),
      poll: POLL.tunnels,
      resultPath: null,
      next: then,
      ...toRollback,
    }),
    [rollback]: task({
      fn: 'alibabaSetTunnelKey',
      comment: 'the tunnel did not come back: its previous key on both clouds',
      payload: payload('previous'),
      poll: POLL.serialized,
      resultPath: null,
      next: `${prefix}AwsSetPreviousKey`,
      ...rollbackFailed,
    }),
    [`${prefix}AwsSetPreviousKey`]: task({
      fn: 'awsSetTunnelKey',
      payload: payload('previous'),
      poll: POLL.vpnConnection,
      resultPath: null,
      next: `${prefix}WaitPreviousKeyUp`,
      ...rollbackFailed,
    }),
    [`${prefix}WaitPreviousKeyUp`]: task({
      fn: 'waitTunnelKey',
      payload: payload('previous'),
      poll: POLL.tunnels,
      resultPath: null,
      next: 'RotateFailed',
      ...rollbackFailed,
    }),
    [`${prefix}RollbackIncomplete`]: {
      Type: 'Pass',
      Comment: 'setting the previous key back failed too: RotateFailed says so (the record keeps both keys)',
      Parameters: { Error: 'RollbackIncomplete', 'Cause.$': '$.rollbackError.Cause' },
      ResultPath: '$.error',
      Next: 'RotateFailed',
    },
  };
}

export function rotateDefinition(): Json {
  return {
    Comment:
      'vpn-bridge key rotation (docs/key-rotation.md). Input {"name": "..."}. The two used tunnels one after the other, the standby first (a sequence, not a Map: nothing of the second may start once the first failed); the keys live only in the record, the state carries tunnel ids.',
    StartAt: 'RotateStart',
    TimeoutSeconds: 7200,
    States: {
      RotateStart: task({
        fn: 'rotateStart',
        comment: 'takes the connection; the new keys go into the record (previous and next per tunnel)',
        payload: { 'request.$': '$', 'executionName.$': '$$.Execution.Name' },
        resultSelector: {
          'name.$': '$.Payload.name',
          'standby.$': '$.Payload.standby',
          'active.$': '$.Payload.active',
        },
        resultPath: '$.conn',
        next: 'StandbyAlibabaSetNextKey',
        catchTo: 'RotationRefused',
      }),
      RotationRefused: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
      ...rotateTunnelStates('Standby', '$.conn.standby', 'ActiveAlibabaSetNextKey'),
      ...rotateTunnelStates('Active', '$.conn.active', 'RotateFinish'),
      RotateFinish: task({
        fn: 'rotateFinish',
        comment: 'only the new keys stay in the record; the connection is free again',
        payload: { 'name.$': '$.conn.name', 'executionName.$': '$$.Execution.Name' },
        resultSelector: { 'rotated.$': '$.Payload.rotated' },
        resultPath: '$.result',
        catchTo: 'RotateFailed',
      }),
      RotateFailed: task({
        fn: 'rotateFailed',
        payload: { 'name.$': '$.conn.name', 'error.$': '$.error', 'executionName.$': '$$.Execution.Name' },
        resultSelector: { 'error.$': '$.Payload.error', 'cause.$': '$.Payload.cause' },
        resultPath: '$.failure',
        next: 'RotationFailed',
        catchTo: 'RotationFailedUnrecorded',
        catchResultPath: '$.recordError',
      }),
      RotationFailed: { Type: 'Fail', ErrorPath: '$.failure.error', CausePath: '$.failure.cause' },
      RotationFailedUnrecorded: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

export const DEFINITIONS: Record<string, () => Json> = {
  'provision.asl.json': provisionDefinition,
  'teardown.asl.json': teardownDefinition,
  'drift-check.asl.json': driftCheckDefinition,
  'rotate.asl.json': rotateDefinition,
};

export function render(def: Json): string {
  return `${JSON.stringify(def, null, 2)}\n`;
}

if (require.main === module) {
  for (const [file, make] of Object.entries(DEFINITIONS)) {
    const path = join(__dirname, '..', 'statemachine', file);
    writeFileSync(path, render(make()));
    process.stdout.write(`wrote ${path}\n`);
  }
}
