import type { Service, ServiceRequest, ServiceResponse, SimContext } from '../core/context';
import { SimError } from '../core/errors';
import type { MetricAlarm } from '../types';
import {
  epochSeconds,
  JsonParams,
  type JsonProtocol,
  jsonError,
  jsonOk,
  page,
  unknownOperation,
} from './json/protocol';

// CloudWatch metric alarms (PutMetricAlarm, DescribeAlarms, DeleteAlarms): what vpn-bridge uses to watch each used
// tunnel's AWS/VPN TunnelState. The service's API is documented as the Query protocol; the current SDK
// (@aws-sdk/client-cloudwatch) speaks its AWS JSON 1.0 form with query-compatible error codes
// (X-Amz-Target: GraniteServiceVersion20100801.<Action>), which is what this serves. Alarms are region-scoped,
// keyed by name. Sources: docs/sources.md#aws-aws (CloudWatch API reference).

const PROTOCOL: JsonProtocol = { version: '1.0', messageKey: 'message', validationCode: 'InvalidParameterValue' };

const NAME_MAX = 255;
const MAX_RECORDS = 100;
const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
];
const MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];

const missing = (key: string) => new SimError('MissingParameter', `The parameter ${key} is required.`, 400);
const invalid = (message: string) => new SimError('InvalidParameterValue', message, 400);

function alarmsOf(ctx: SimContext, region: string): Record<string, MetricAlarm> {
  ctx.state.aws.alarms ??= {};
  ctx.state.aws.alarms[region] ??= {};
  return ctx.state.aws.alarms[region];
}

export function alarmArn(ctx: SimContext, region: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${ctx.state.aws.accountId}:alarm:${name}`;
}

function alarmName(p: JsonParams, key = 'AlarmName'): string {
  const name = p.str(key);
  if (name === undefined || name === '') throw missing(key);
  if (name.length > NAME_MAX) throw invalid(`${key} must be at most ${NAME_MAX} characters.`);
  return name;
}

function oneOf(p: JsonParams, key: string, allowed: string[], required: boolean): string | undefined {
  const v = p.str(key);
  if (v === undefined) {
    if (required) throw missing(key);
    return undefined;
  }
  if (!allowed.includes(v)) throw invalid(`${key} must be one of ${allowed.join(', ')}; got ${v}.`);
  return v;
}

function putMetricAlarm(ctx: SimContext, p: JsonParams, region: string): object {
  const name = alarmName(p);
  const metricName = p.str('MetricName');
  const namespace = p.str('Namespace');
  if (!metricName) throw missing('MetricName');
  if (!namespace) throw missing('Namespace');
  const statistic = oneOf(p, 'Statistic', STATISTICS, true) as string;
  const comparison = oneOf(p, 'ComparisonOperator', COMPARISONS, true) as string;
  const evaluationPeriods = p.int('EvaluationPeriods', { min: 1, max: 1000 });
  if (evaluationPeriods === undefined) throw missing('EvaluationPeriods');
  const period = p.int('Period', { min: 1, max: 86_400 });
  if (period === undefined) throw missing('Period');
  if (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period))
    throw invalid('Period must be 10, 20, 30 or a multiple of 60.');
  const threshold = p.num('Threshold');
  if (threshold === undefined) throw missing('Threshold');
  const dimensions = (p.objList('Dimensions') ?? []).map((d) => {
    const c = p.child(d);
    const Name = c.str('Name');
    const Value = c.str('Value');
    if (!Name || Value === undefined) throw invalid('Each dimension needs a Name and a Value.');
    return { Name, Value };
  });
  if (dimensions.length > 30) throw invalid('At most 30 dimensions.');
  const alarms = alarmsOf(ctx, region);
  const now = epochSeconds(ctx.clock.now());
  const before = alarms[name];
  alarms[name] = {
    AlarmName: name,
    AlarmArn: alarmArn(ctx, region, name),
    AlarmDescription: p.str('AlarmDescription'),
    ActionsEnabled: p.bool('ActionsEnabled') ?? true,
    AlarmActions: p.strList('AlarmActions') ?? [],
    OKActions: p.strList('OKActions') ?? [],
    InsufficientDataActions: p.strList('InsufficientDataActions') ?? [],
    MetricName: metricName,
    Namespace: namespace,
    Statistic: statistic,
    Dimensions: dimensions,
    Period: period,
    EvaluationPeriods: evaluationPeriods,
    DatapointsToAlarm: p.int('DatapointsToAlarm', { min: 1, max: evaluationPeriods }),
    Threshold: threshold,
    ComparisonOperator: comparison,
    TreatMissingData: oneOf(p, 'TreatMissingData', MISSING, false),
    // a new alarm has seen no data yet; an update keeps the state it had
    StateValue: before?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: before?.StateReason ?? 'Unchecked: Initial alarm creation',
    StateUpdatedTimestamp: before?.StateUpdatedTimestamp ?? now,
    AlarmConfigurationUpdatedTimestamp: now,
  };
  return {};
}

function describeAlarms(ctx: SimContext, p: JsonParams, region: string): object {
  const names = p.strList('AlarmNames');
  const prefix = p.str('AlarmNamePrefix');
  if (names && prefix !== undefined)
    throw new SimError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be used together.', 400);
  if (names && names.length > MAX_RECORDS) throw invalid(`At most ${MAX_RECORDS} AlarmNames.`);
  const max = p.int('MaxRecords', { min: 1, max: MAX_RECORDS }) ?? 50;
  const all = Object.values(alarmsOf(ctx, region))
    .filter((a) => (names ? names.includes(a.AlarmName) : prefix === undefined || a.AlarmName.startsWith(prefix)))
    .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0));
  const got = page(all, max, p.str('NextToken'), () => new SimError('InvalidNextToken', 'The token is invalid.', 400));
  return { MetricAlarms: got.items, CompositeAlarms: [], NextToken: got.nextToken };
}

function deleteAlarms(ctx: SimContext, p: JsonParams, region: string): object {
  const names = p.strList('AlarmNames');
  if (!names || names.length === 0) throw missing('AlarmNames');
  if (names.length > MAX_RECORDS) throw invalid(`At most ${MAX_RECORDS} AlarmNames.`);
  const alarms = alarmsOf(ctx, region);
  // all or nothing: a name that does not exist fails the call and deletes none
  const absent = names.filter((n) => !Object.hasOwn(alarms, n));
  if (absent.length > 0) throw new SimError('ResourceNotFound', `Alarms not found: ${absent.join(', ')}`, 404);
  for (const n of names) delete alarms[n];
  return {};
}

type Handler = (ctx: SimContext, p: JsonParams, region: string) => object;

const HANDLERS: Record<string, Handler> = {
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DeleteAlarms: deleteAlarms,
};

export const CLOUDWATCH_ACTIONS = Object.keys(HANDLERS);

export const cloudWatchService: Service = {
  name: 'cloudwatch',
  handle(ctx: SimContext, req: ServiceRequest): ServiceResponse {
    const handler = Object.hasOwn(HANDLERS, req.action) ? HANDLERS[req.action] : undefined;
    if (!handler) throw unknownOperation(req.action);
    return jsonOk(PROTOCOL.version, handler(ctx, new JsonParams(req.json, PROTOCOL), req.region));
  },
  renderError: (err) => {
    const r = jsonError(PROTOCOL, err);
    // the query-compatible code and fault the SDK reads before __type
    return {
      ...r,
      headers: { ...r.headers, 'x-amzn-query-error': `${err.code};${err.status >= 500 ? 'Receiver' : 'Sender'}` },
    };
  },
  throttle: () => new SimError('Throttling', 'Rate exceeded', 400),
  serverError: () => new SimError('InternalServiceError', 'An internal error occurred.', 500),
};
