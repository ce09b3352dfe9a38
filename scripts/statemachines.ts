// Builds statemachine/*.asl.json (plain ASL, JSONPath). The JSON files are committed and are what
// serverless.yml deploys and the local runner executes; this script only keeps their many Retry/Catch
// blocks consistent. `npm run build:asl` rewrites them; a test fails when they are out of date.
//
// Every Task calls one Lambda through `arn:aws:states:::lambda:invoke` with FunctionName
// `${self:service}-${sls:stage}-<functionKey>` (serverless resolves it at package time; the local runner
// maps <functionKey> to the handler named in serverless.yml). Only `{ name }` travels to the steps.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PollPlan } from '../functions/lib/poll';
import { PROVIDER_LATENCIES, type ProviderLatencyKey } from '../src/plan/latencies';

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
  IntervalSeconds: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  MaxAttempts: 8,
};

/** NotReady retried with gentle backoff, bounded by MaxAttempts */
interface Poll {
  interval: number;
  maxDelay: number;
  attempts: number;
}
/** a step that is not a wait may still meet a resource in a passing state */
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

// ------------------------------------------------------------------ waits
//
// A wait for an asynchronous provider change is a Wait state for most of the provider's typical latency
// (src/plan/latencies.ts, the table the simulator models too), then the task that checks. The task checks again
// every `every` seconds inside its own invocation while the step answers NotReady (functions/lib/poll.ts), for at
// most POLL_BUDGET seconds: a resource that is merely not ready yet is a normal result there, not a Lambda error or
// a TaskFailed event. Bounded waiting inside the task rather than a Choice loop (task -> Choice -> Wait -> task):
// for the same overshoot (one check interval) it costs one transition per wait instead of three per check, and it
// needs no counter in the state to stay bounded. Only a resource still not ready after the budget (slower than
// typical) leaves the task as NotReady, which the Retry repeats (each attempt checks for the budget again) up to
// `bound` seconds in all; the states that diagnose a timeout (WaitTunnelsUp -> DiagnoseTunnels) catch the last one.

/** seconds a task checks inside one invocation: below the functions' 60 s Lambda timeout, the calls included */
export const POLL_BUDGET = 40;
/** how often a wait checks, by default: the overshoot past the moment the resource is ready is at most this */
const CHECK_EVERY = 2;
/** backoff between attempts once a resource is slower than typical */
const SLOW_MAX_DELAY = 30;

export interface WaitOpts extends TaskOpts {
  /** the change waited for; absent: no Wait state, the task checks at once (e.g. it makes the change itself) */
  latency?: ProviderLatencyKey;
  /** seconds of that latency the states between the change and this wait already take */
  elapsed?: number;
  /** seconds between checks */
  every?: number;
  /** the whole wait at most, in seconds (Wait state, every attempt's checks, the backoff between attempts) */
  bound: number;
}

/** the seconds of `latency` spent in the Wait state: up to one check interval before the typical moment */
export function waitSeconds(o: Pick<WaitOpts, 'latency' | 'elapsed' | 'every'>): number {
  if (!o.latency) return 0;
  const every = o.every ?? CHECK_EVERY;
  const s = Math.round(PROVIDER_LATENCIES[o.latency] - (o.elapsed ?? 0) - every);
  // a Wait state shorter than two checks costs a transition and saves next to nothing
  return s >= 2 * every ? s : 0;
}

/**
 * The wait whose task state is `name`: `start` is the state to enter (the Wait state `<name>Typical` when there is
 * one, else the task) and `states` the one or two states. Every wait of every state machine is built here.
 */
export function wait(name: string, o: WaitOpts): { start: string; states: Record<string, Json> } {
  const every = o.every ?? CHECK_EVERY;
  const seconds = waitSeconds(o);
  const pollPlan: PollPlan = { everySeconds: every, forSeconds: POLL_BUDGET };
  const attempts = Math.max(1, Math.ceil((o.bound - seconds - POLL_BUDGET) / (POLL_BUDGET + SLOW_MAX_DELAY)));
  const t = task({
    ...o,
    payload: { ...(o.payload ?? { 'name.$': '$.conn.name' }), poll: pollPlan },
    poll: { interval: every, maxDelay: SLOW_MAX_DELAY, attempts },
  });
  if (seconds === 0 || !o.latency) return { start: name, states: { [name]: t } };
  const typical = `${name}Typical`;
  return {
    start: typical,
    states: {
      [typical]: {
        Type: 'Wait',
        Comment: `${o.latency} takes ${PROVIDER_LATENCIES[o.latency]} s typically: wait most of it, then check every ${every} s`,
        Seconds: seconds,
        Next: name,
      },
      [name]: t,
    },
  };
}

/** a loop: call `fn` (which makes one change) until it reports remaining = 0, waiting for the gateway in between */
function serializedLoop(prefix: string, fn: string, then: string | undefined, waitFn = 'alibabaWaitGateway'): Json {
  const check = `${prefix}WaitGateway`;
  const make = `${prefix}Next`;
  const more = `${prefix}More?`;
  // entered from outside: the gateway may be active already, the task checks at once; after each change the loop
  // waits the gateway's typical update first
  const after = wait(check, {
    fn: waitFn,
    comment: 'Alibaba serializes changes per gateway: wait until it is active again',
    latency: 'alibaba.vpnGateway.update',
    bound: 600,
    resultPath: null,
    next: make,
  });
  return {
    ...after.states,
    [make]: task({ fn, resultSelector: { 'remaining.$': '$.Payload.remaining' }, resultPath: `$.loop`, next: more }),
    [more]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.loop.remaining', NumericGreaterThan: 0, Next: after.start }],
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
        ...wait('AlibabaDeleteVpcRoute', {
          fn: 'alibabaDeleteVpcRoute',
          bound: 400,
          next: 'DeleteVpnRoutesWaitGateway',
        }).states,
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
        ...wait('AlibabaFinalGatewayWait', {
          fn: 'alibabaWaitGatewayIdle',
          bound: 600,
          resultPath: null,
          next: 'AlibabaDeleteCustomerGateways',
        }).states,
        AlibabaDeleteCustomerGateways: task({ fn: 'alibabaDeleteCustomerGateways', next: 'AlibabaDeleteGateway' }),
        ...wait('AlibabaDeleteGateway', { fn: 'alibabaDeleteGateway', bound: 1200 }).states,
      }),
      branch('AwsDeleteTunnelAlarms', {
        AwsDeleteTunnelAlarms: task({
          fn: 'awsDeleteTunnelAlarms',
          comment: 'the CloudWatch alarms on the tunnels, by the names provisioning gave them',
          next: 'AwsDeleteRoutes',
        }),
        AwsDeleteRoutes: task({ fn: 'awsDeleteRoutes', next: 'AwsDeleteTgwRoutes' }),
        AwsDeleteTgwRoutes: task({
          fn: 'awsDeleteTgwRoutes',
          comment:
            "on a transit gateway: this connection's static routes in its route table, before the attachments go",
          next: 'AwsDeleteVpnConnections',
        }),
        ...wait('AwsDeleteVpnConnections', {
          fn: 'awsDeleteVpnConnections',
          bound: 2700,
          next: 'AwsDeleteCustomerGateways',
        }).states,
        AwsDeleteCustomerGateways: task({ fn: 'awsDeleteCustomerGateways', next: 'AwsDetachVgw' }),
        ...wait('AwsDetachVgw', { fn: 'awsDetachVgw', bound: 800, next: 'AwsDeleteVgw' }).states,
        ...wait('AwsDeleteVgw', { fn: 'awsDeleteVgw', bound: 800 }).states,
      }),
    ],
    Next: next,
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: catchResultPath, Next: catchTo }],
  };
}

/** a connection on a transit gateway takes other AWS steps than one on a VGW (ValidateSpec says which) */
function attachChoice(transitGateway: string, vpnGateway: string): Json {
  return {
    Type: 'Choice',
    Choices: [{ Variable: '$.conn.attachKind', StringEquals: 'transit-gateway', Next: transitGateway }],
    Default: vpnGateway,
  };
}

export function provisionDefinition(): Json {
  const fail = 'RecordFailure';
  const aliGateway = wait('AlibabaWaitGateway', {
    fn: 'alibabaWaitGateway',
    latency: 'alibaba.vpnGateway.create',
    every: 1,
    bound: 1200,
    resultPath: null,
  });
  const vgw = wait('AwsWaitVgw', {
    fn: 'awsWaitVgw',
    latency: 'aws.vpnGateway.create',
    bound: 800,
    resultPath: null,
    next: 'AwsAttachVgw',
  });
  const attached = wait('AwsWaitAttached', {
    fn: 'awsWaitAttached',
    latency: 'aws.vpnGateway.attach',
    bound: 800,
    resultPath: null,
    next: 'AwsCreateRoutes',
  });
  const cgws = wait('AwsWaitCustomerGateways', {
    fn: 'awsWaitCustomerGateways',
    latency: 'aws.customerGateway.create',
    every: 1,
    bound: 400,
    resultPath: null,
    next: 'AwsCreateVpnConnections',
    catchTo: fail,
  });
  const vpnConnections = wait('AwsWaitVpnConnections', {
    fn: 'awsWaitVpnConnections',
    latency: 'aws.vpnConnection.create',
    every: 1,
    bound: 2700,
    resultPath: null,
    next: 'AwsStaticRoutes?',
  });
  // the tunnels negotiate from the moment the VPN connections are available; the static route (awaited before,
  // checked every second) takes part of that
  const tunnels = wait('WaitTunnelsUp', {
    fn: 'waitTunnelsUp',
    latency: 'tunnel.negotiation',
    elapsed: PROVIDER_LATENCIES['aws.vpnConnectionRoute.create'] + 1,
    every: 1,
    bound: 1200,
    next: 'PutTunnelAlarms',
    catchTo: fail,
  });
  return {
    Comment:
      'vpn-bridge provisioning: the article\'s manual procedure as one Task per step (README.md). Input {"spec": {...}}. PSKs never enter state: handoffs live in the Secrets Manager record.',
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
          'attachKind.$': '$.Payload.attachKind',
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
            AlibabaCreateGateway: task({ fn: 'alibabaCreateGateway', next: aliGateway.start }),
            ...aliGateway.states,
          }),
          branch('AwsAttachPoint?', {
            'AwsAttachPoint?': attachChoice('AwsCheckTransitGateway', 'AwsCreateVgw'),
            ...wait('AwsCheckTransitGateway', {
              fn: 'awsCheckTransitGateway',
              comment: "the user's transit gateway, its route table and (vpcRoutes) the VPC attachment are available",
              bound: 800,
              resultPath: null,
              next: 'AwsCreateRoutes',
            }).states,
            AwsCreateVgw: task({ fn: 'awsCreateVgw', next: vgw.start }),
            ...vgw.states,
            AwsAttachVgw: task({ fn: 'awsAttachVgw', next: attached.start }),
            ...attached.states,
            AwsCreateRoutes: task({
              fn: 'awsCreateRoutes',
              comment: 'VPC route tables: Alibaba CIDR -> VGW (or -> transit gateway with vpcRoutes)',
            }),
          }),
        ],
        Next: 'AwsCreateCustomerGateways',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: fail }],
      },
      AwsCreateCustomerGateways: task({
        fn: 'awsCreateCustomerGateways',
        comment: 'one per Alibaba gateway IP; the IPs go to the record',
        next: cgws.start,
        catchTo: fail,
      }),
      ...cgws.states,
      AwsCreateVpnConnections: task({
        fn: 'awsCreateVpnConnections',
        comment: 'static routes only, tunnel options pinned to the crypto profile',
        next: 'ConfigureBothSides',
        catchTo: fail,
      }),
      ConfigureBothSides: {
        Type: 'Parallel',
        Comment:
          'the tunnel configuration, Alibaba customer gateways, IPsec connections and routes while the AWS VPN connections become available (their wait starts right after their create)',
        ResultPath: null,
        Branches: [
          branch('ReadAwsTunnelConfig', {
            ReadAwsTunnelConfig: task({
              fn: 'awsReadTunnelConfig',
              comment: '"download configuration": tunnel outside IPs + PSKs into Secrets Manager',
              next: 'AlibabaCreateCustomerGateways',
            }),
            AlibabaCreateCustomerGateways: task({
              fn: 'alibabaCreateCustomerGateways',
              next: 'ConnectionsWaitGateway',
            }),
            ...serializedLoop('Connections', 'alibabaCreateNextConnection', 'VpnRoutesWaitGateway'),
            ...serializedLoop('VpnRoutes', 'alibabaCreateNextVpnRoute', 'AlibabaEnsureVpcRoute'),
            ...wait('AlibabaEnsureVpcRoute', {
              fn: 'alibabaEnsureVpcRoute',
              comment: 'VPC route: AWS CIDR -> VPN gateway',
              bound: 400,
            }).states,
          }),
          branch(vpnConnections.start, {
            ...vpnConnections.states,
            'AwsStaticRoutes?': attachChoice('AwsAssociateTgwRouteTable', 'AwsEnsureVpnConnectionRoutes'),
            ...wait('AwsAssociateTgwRouteTable', {
              fn: 'awsAssociateTgwRouteTable',
              comment: 'on a transit gateway: the VPN attachments available and associated with the route table',
              every: 1,
              bound: 400,
              resultPath: null,
              next: 'AwsEnsureTgwRoutes',
            }).states,
            ...wait('AwsEnsureTgwRoutes', {
              fn: 'awsEnsureTgwRoutes',
              comment: 'transit gateway route table: Alibaba CIDR -> the active VPN attachment',
              bound: 400,
            }).states,
            ...wait('AwsEnsureVpnConnectionRoutes', {
              fn: 'awsEnsureVpnConnectionRoutes',
              comment: 'the VPN connection static route',
              every: 1,
              bound: 400,
            }).states,
          }),
        ],
        Next: 'RecordResources',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: fail }],
      },
      RecordResources: task({ fn: 'recordResources', next: tunnels.start, catchTo: fail }),
      ...tunnels.states,
      WaitTunnelsUp: {
        ...tunnels.states.WaitTunnelsUp,
        Catch: [
          { ErrorEquals: ['NotReady'], ResultPath: '$.error', Next: 'DiagnoseTunnels' },
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: fail },
        ],
      },
      PutTunnelAlarms: task({
        fn: 'awsPutTunnelAlarms',
        comment: 'a CloudWatch alarm on AWS/VPN TunnelState for each used tunnel (none on unused ones)',
        next: 'Finalize',
        catchTo: fail,
      }),
      DiagnoseTunnels: task({
        fn: 'diagnoseTunnels',
        comment: 'the bounded wait ran out: fails with TunnelsDown naming each DOWN tunnel and why',
        resultPath: null,
        next: 'PutTunnelAlarms',
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
    Comment: 'vpn-bridge teardown (README.md). Input {"name": "..."}. Idempotent; safe on a half-built connection.',
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
    ...wait('AwsEnsureVpnConnectionRoutes', {
      fn: 'awsEnsureVpnConnectionRoutes',
      every: 1,
      bound: 400,
      resultPath: null,
      next: 'RepairAlibabaVpnRoutes?',
    }).states,
    'RepairAlibabaVpnRoutes?': choice('alibabaVpnRoute', 'VpnRoutesWaitGateway', 'RepairAlibabaVpcRoute?'),
    ...(serializedLoop('VpnRoutes', 'alibabaCreateNextVpnRoute', 'RepairAlibabaVpcRoute?') as Record<string, Json>),
    'RepairAlibabaVpcRoute?': choice('alibabaVpcRoute', 'VpcRouteWaitGateway', 'Repaired'),
    ...wait('VpcRouteWaitGateway', {
      fn: 'alibabaWaitGateway',
      bound: 600,
      resultPath: null,
      next: 'AlibabaEnsureVpcRoute',
    }).states,
    ...wait('AlibabaEnsureVpcRoute', {
      fn: 'alibabaEnsureVpcRoute',
      comment: 'VPC route: AWS CIDR -> VPN gateway',
      bound: 400,
      resultPath: null,
      next: 'Repaired',
    }).states,
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
      'vpn-bridge drift re-check (README.md). Input {"repair": false} (the schedule) or {"repair": true, "names": [...]}. Each region is described once for all its connections; only deleted routes are repaired, by the provisioning steps that own them; the output holds drift rows, never a key.',
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
function rotateTunnelStates(
  prefix: string,
  tunnelPath: string,
  then: string,
  failTo = 'RotateFailed',
): Record<string, Json> {
  const payload = (key: 'next' | 'previous') => ({
    'name.$': '$.conn.name',
    'tunnel.$': tunnelPath,
    key,
    'executionName.$': '$$.Execution.Name',
  });
  const rollback = `${prefix}AlibabaSetPreviousKey`;
  const toRollback = { catchTo: rollback };
  const rollbackFailed = { catchTo: `${prefix}RollbackIncomplete`, catchResultPath: '$.rollbackError' };
  // the key changes go through wait(): Alibaba answers NotReady while its gateway is busy with another change, AWS
  // while the VPN connection is still modifying; the UP waits plan around the endpoint replacement AWS makes
  const upAfterReplace = (
    key: 'next' | 'previous',
    next: string,
    catches: Pick<TaskOpts, 'catchTo' | 'catchResultPath'>,
  ) =>
    wait(`${prefix}Wait${key === 'next' ? 'Next' : 'Previous'}KeyUp`, {
      fn: 'waitTunnelKey',
      comment: 'bounded: UP on both clouds with this key before anything else starts',
      latency: 'aws.vpnTunnel.replace',
      payload: payload(key),
      every: 2,
      bound: 1800,
      resultPath: null,
      next,
      ...catches,
    });
  const nextUp = upAfterReplace('next', then, toRollback);
  const previousUp = upAfterReplace('previous', failTo, rollbackFailed);
  return {
    ...wait(`${prefix}AlibabaSetNextKey`, {
      fn: 'alibabaSetTunnelKey',
      comment: "Alibaba's end first: its change is applied in seconds, AWS's endpoint replacement takes minutes",
      payload: payload('next'),
      bound: 600,
      resultPath: null,
      next: `${prefix}AwsSetNextKey`,
      ...toRollback,
    }).states,
    ...wait(`${prefix}AwsSetNextKey`, {
      fn: 'awsSetTunnelKey',
      comment:
        'ModifyVpnTunnelOptions: this tunnel is down while its endpoint is replaced; the other one carries traffic',
      payload: payload('next'),
      bound: 2700,
      resultPath: null,
      next: nextUp.start,
      ...toRollback,
    }).states,
    ...nextUp.states,
    ...wait(rollback, {
      fn: 'alibabaSetTunnelKey',
      comment: 'the tunnel did not come back: its previous key on both clouds',
      payload: payload('previous'),
      bound: 600,
      resultPath: null,
      next: `${prefix}AwsSetPreviousKey`,
      ...rollbackFailed,
    }).states,
    ...wait(`${prefix}AwsSetPreviousKey`, {
      fn: 'awsSetTunnelKey',
      payload: payload('previous'),
      bound: 2700,
      resultPath: null,
      next: previousUp.start,
      ...rollbackFailed,
    }).states,
    ...previousUp.states,
    [`${prefix}RollbackIncomplete`]: {
      Type: 'Pass',
      Comment: 'setting the previous key back failed too: RotateFailed says so (the record keeps both keys)',
      Parameters: { Error: 'RollbackIncomplete', 'Cause.$': '$.rollbackError.Cause' },
      ResultPath: '$.error',
      Next: failTo,
    },
  };
}

export function rotateDefinition(): Json {
  return takenOverFails({
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
      ...rotateTunnelStates('Standby', '$.conn.standby', 'RotateSteerAway'),
      // through a transit gateway (dual-tunnel) the table routes the Alibaba CIDRs to one VPN connection: off the
      // active one while its endpoint is replaced, back afterwards (a no-op for every other connection)
      RotateSteerAway: task({
        fn: 'awsSteerTgwRoutes',
        comment:
          'transit gateway (dual-tunnel): the routes to the standby VPN connection (UP with its new key) before the active one is changed',
        payload: { 'name.$': '$.conn.name', avoid: 'vpn-1' },
        resultPath: null,
        next: 'ActiveAlibabaSetNextKey',
        catchTo: 'RotateSteerAwayFailed',
      }),
      // whatever stopped the move (the standby not UP, or a call past its retries), the active tunnel was not touched:
      // RotateFailed reports it as SteerRefused with the error that stopped it
      RotateSteerAwayFailed: {
        Type: 'Pass',
        Parameters: { Error: 'SteerRefused', 'Cause.$': "States.Format('{}: {}', $.error.Error, $.error.Cause)" },
        ResultPath: '$.error',
        Next: 'RotateFailedSteerBack',
      },
      ...rotateTunnelStates('Active', '$.conn.active', 'RotateSteerBack', 'RotateFailedSteerBack'),
      RotateSteerBack: task({
        fn: 'awsSteerTgwRoutes',
        comment:
          'transit gateway (dual-tunnel): the routes back to the active VPN connection, UP with its new key; if this fails the failover watcher moves them within its period',
        payload: { 'name.$': '$.conn.name' },
        resultPath: null,
        next: 'RotateFinish',
        catchTo: 'RotateFinish',
        catchResultPath: '$.steerError',
      }),
      RotateFailedSteerBack: task({
        fn: 'awsSteerTgwRoutes',
        comment: 'transit gateway (dual-tunnel): the routes to whichever VPN connection is UP, the active one first',
        payload: { 'name.$': '$.conn.name' },
        resultPath: null,
        next: 'RotateFailed',
        catchTo: 'RotateFailed',
        catchResultPath: '$.steerError',
      }),
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
      // another execution took the connection over: nothing more is changed or recorded, the holder decides
      RotationTakenOver: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
      RotationFailedUnrecorded: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  });
}

/** a wait that finds the lock taken over (LockLost) fails at once: no rollback of the keys the new holder owns */
function takenOverFails(def: Json): Json {
  for (const st of Object.values(def.States as Record<string, Json>)) {
    const fn = (st.Parameters as { FunctionName?: string } | undefined)?.FunctionName;
    if (st.Type !== 'Task' || fn !== fnName('waitTunnelKey')) continue;
    const lost = { ErrorEquals: ['LockLost'], ResultPath: '$.error', Next: 'RotationTakenOver' };
    st.Catch = [lost, ...((st.Catch as Json[] | undefined) ?? [])];
  }
  return def;
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
