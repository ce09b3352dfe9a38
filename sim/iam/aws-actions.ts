import { alarmArn } from '../aws/cloudwatch';
import { Params } from '../aws/ec2/params';
import { functionArn } from '../aws/lambda';
import { findSecret } from '../aws/secrets-manager';
import type { SimContext } from '../core/context';
import type { ServiceName } from '../core/faults';
import type { Tag } from '../types';
import type { Context } from './conditions';
import type { Check } from './evaluate';
import { ctxOf, merge, requestTagContext, tagContext } from './request-context';

// What IAM authorises for each AWS action the simulator implements: the (action, resource) pairs and the
// condition keys of each. One rule per API operation, each with its source. "Assumed" marks a choice the
// sources leave open. Sources:
const SAR_EC2 = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html';
const EC2_TAG_ON_CREATE = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html';
const SAR_SM = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html';
const SM_CREATE = 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html';
const SM_BATCH = 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html';
const SAR_SFN = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html';
const SAR_LAMBDA = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html';
const SAR_CW = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html';
const SFN_PASSROLE = 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html';

/** what a rule reads: the parsed request and the world (for the tags of existing resources) */
export interface AwsRequestView {
  ctx: SimContext;
  service: ServiceName;
  /** API operation, e.g. `AttachVpnGateway` */
  operation: string;
  region: string;
  params: Record<string, string>;
  json: Record<string, unknown>;
}

export interface AwsActionRule {
  /** where the resources and keys come from */
  source: string[];
  /** what the sources leave open and the simulator chooses */
  assumed?: string;
  checks: (r: AwsRequestView) => Check[];
}

// ---------------------------------------------------------------- EC2

type Ec2Type =
  | 'vpc'
  | 'subnet'
  | 'route-table'
  | 'vpn-gateway'
  | 'customer-gateway'
  | 'vpn-connection'
  | 'transit-gateway'
  | 'transit-gateway-route-table'
  | 'transit-gateway-attachment';

const PREFIX_TYPES: Record<string, Ec2Type> = {
  vpc: 'vpc',
  rtb: 'route-table',
  vgw: 'vpn-gateway',
  cgw: 'customer-gateway',
  vpn: 'vpn-connection',
  tgw: 'transit-gateway',
  'tgw-rtb': 'transit-gateway-route-table',
  'tgw-attach': 'transit-gateway-attachment',
};

/** the resource type an id names (`tgw-rtb-0…` before `tgw-0…`) */
function typeOfId(id: string): Ec2Type | undefined {
  const parts = id.split('-');
  return PREFIX_TYPES[`${parts[0]}-${parts[1]}`] ?? PREFIX_TYPES[parts[0] ?? ''];
}

function ec2Arn(r: AwsRequestView, type: string, id: string): string {
  return `arn:aws:ec2:${r.region}:${r.ctx.state.aws.accountId}:${type}/${id}`;
}

function ec2Tags(r: AwsRequestView, type: Ec2Type, id: string): Tag[] | undefined {
  const region = r.ctx.state.aws.regions[r.region];
  if (!region) return undefined;
  const maps: Record<Ec2Type, Record<string, { Tags: Tag[] }>> = {
    vpc: region.vpcs,
    subnet: {},
    'route-table': region.routeTables,
    'vpn-gateway': region.vpnGateways,
    'customer-gateway': region.customerGateways,
    'vpn-connection': region.vpnConnections,
    'transit-gateway': region.transitGateways,
    'transit-gateway-route-table': region.tgwRouteTables,
    'transit-gateway-attachment': region.tgwAttachments,
  };
  const map = maps[type];
  return Object.hasOwn(map, id) ? map[id]?.Tags : undefined;
}

/** request-level keys every EC2 action supports */
function ec2Request(r: AwsRequestView): Context {
  return ctxOf({ 'aws:RequestedRegion': r.region, 'ec2:Region': r.region, 'aws:SecureTransport': 'false' });
}

interface Target {
  resource: string;
  context: Context;
}

/** an existing EC2 resource named by a parameter: its ARN and aws:/ec2:ResourceTag keys */
function existing(r: AwsRequestView, type: Ec2Type, id: string | undefined, extra: Context = {}): Target {
  const tags = id ? (ec2Tags(r, type, id) ?? []) : [];
  return {
    resource: ec2Arn(r, type, id ?? ''),
    context: merge(ec2Request(r), tagContext(['aws:ResourceTag', 'ec2:ResourceTag'], tags), extra),
  };
}

function check(action: string, target: Target): Check {
  return { action, ...target };
}

/** `TagSpecification.N.Tag.M` tags of a create call */
function tagSpecTags(r: AwsRequestView): Tag[] {
  const p = new Params(r.params);
  const out: Tag[] = [];
  for (const { params } of p.members('TagSpecification'))
    for (const { params: t } of params.members('Tag')) {
      const Key = t.str('Key');
      if (Key !== undefined) out.push({ Key, Value: t.str('Value') ?? '' });
    }
  return out;
}

/** a create action on a new resource (`type/*`), plus ec2:CreateTags with ec2:CreateAction when tagged */
function createWithTags(r: AwsRequestView, type: Ec2Type, others: Check[] = []): Check[] {
  const tags = tagSpecTags(r);
  const request = merge(ec2Request(r), requestTagContext(tags));
  const arn = ec2Arn(r, type, '*');
  const out: Check[] = [...others.map((c) => ({ ...c, context: merge(c.context, requestTagContext(tags)) }))];
  out.push({ action: `ec2:${r.operation}`, resource: arn, context: request });
  if (tags.length > 0)
    out.push({
      action: 'ec2:CreateTags',
      resource: arn,
      context: merge(request, ctxOf({ 'ec2:CreateAction': r.operation })),
    });
  return out;
}

const param = (r: AwsRequestView, key: string): string | undefined => r.params[key];

/** Describe* and other actions with no resource-level permissions: the action on `*` */
function noResource(r: AwsRequestView, action: string): Check[] {
  return [{ action, resource: '*', context: ec2Request(r) }];
}

function one(type: Ec2Type, key: string): AwsActionRule {
  return {
    source: [SAR_EC2],
    checks: (r) => [check(`ec2:${r.operation}`, existing(r, type, param(r, key)))],
  };
}

const describe: AwsActionRule = { source: [SAR_EC2], checks: (r) => noResource(r, `ec2:${r.operation}`) };

/** an action on a transit gateway route table and (when the request names one) an attachment */
function tableAndAttachment(): AwsActionRule {
  return {
    source: [SAR_EC2],
    checks: (r) => [
      check(`ec2:${r.operation}`, existing(r, 'transit-gateway-route-table', param(r, 'TransitGatewayRouteTableId'))),
      ...(param(r, 'TransitGatewayAttachmentId')
        ? [
            check(
              `ec2:${r.operation}`,
              existing(r, 'transit-gateway-attachment', param(r, 'TransitGatewayAttachmentId')),
            ),
          ]
        : []),
    ],
  };
}

function tagsOf(r: AwsRequestView): Tag[] {
  const p = new Params(r.params);
  return p.members('Tag').flatMap(({ params }) => {
    const Key = params.str('Key');
    return Key === undefined ? [] : [{ Key, Value: params.str('Value') ?? '' }];
  });
}

const tagging: AwsActionRule = {
  source: [SAR_EC2, EC2_TAG_ON_CREATE],
  assumed: 'IDs with an unknown prefix are checked as `*`',
  checks: (r) => {
    const p = new Params(r.params);
    const request = requestTagContext(tagsOf(r));
    return p.list('ResourceId').map((id) => {
      const type = typeOfId(id);
      if (!type) return { action: `ec2:${r.operation}`, resource: '*', context: merge(ec2Request(r), request) };
      return check(`ec2:${r.operation}`, existing(r, type, id, request));
    });
  },
};

const EC2_RULES: Record<string, AwsActionRule> = {
  CreateVpnGateway: { source: [SAR_EC2, EC2_TAG_ON_CREATE], checks: (r) => createWithTags(r, 'vpn-gateway') },
  CreateCustomerGateway: { source: [SAR_EC2, EC2_TAG_ON_CREATE], checks: (r) => createWithTags(r, 'customer-gateway') },
  CreateVpnConnection: {
    source: [SAR_EC2, EC2_TAG_ON_CREATE],
    checks: (r) =>
      createWithTags(r, 'vpn-connection', [
        check('ec2:CreateVpnConnection', existing(r, 'customer-gateway', param(r, 'CustomerGatewayId'))),
        ...(param(r, 'VpnGatewayId')
          ? [check('ec2:CreateVpnConnection', existing(r, 'vpn-gateway', param(r, 'VpnGatewayId')))]
          : []),
        ...(param(r, 'TransitGatewayId')
          ? [check('ec2:CreateVpnConnection', existing(r, 'transit-gateway', param(r, 'TransitGatewayId')))]
          : []),
      ]),
  },
  ModifyVpnTunnelOptions: one('vpn-connection', 'VpnConnectionId'),
  AssociateVpcCidrBlock: one('vpc', 'VpcId'),
  CreateTransitGateway: {
    source: [SAR_EC2, EC2_TAG_ON_CREATE],
    checks: (r) => createWithTags(r, 'transit-gateway'),
  },
  DeleteTransitGateway: one('transit-gateway', 'TransitGatewayId'),
  CreateTransitGatewayRouteTable: {
    source: [SAR_EC2, EC2_TAG_ON_CREATE],
    checks: (r) =>
      createWithTags(r, 'transit-gateway-route-table', [
        check('ec2:CreateTransitGatewayRouteTable', existing(r, 'transit-gateway', param(r, 'TransitGatewayId'))),
      ]),
  },
  DeleteTransitGatewayRouteTable: one('transit-gateway-route-table', 'TransitGatewayRouteTableId'),
  CreateTransitGatewayVpcAttachment: {
    source: [SAR_EC2, EC2_TAG_ON_CREATE],
    assumed: 'the subnets are checked as subnet/<id> without tags (subnets are not simulated)',
    checks: (r) =>
      createWithTags(r, 'transit-gateway-attachment', [
        check('ec2:CreateTransitGatewayVpcAttachment', existing(r, 'transit-gateway', param(r, 'TransitGatewayId'))),
        check('ec2:CreateTransitGatewayVpcAttachment', existing(r, 'vpc', param(r, 'VpcId'))),
        ...new Params(r.params)
          .list('SubnetIds')
          .map((id) => check('ec2:CreateTransitGatewayVpcAttachment', existing(r, 'subnet', id))),
      ]),
  },
  DeleteTransitGatewayVpcAttachment: one('transit-gateway-attachment', 'TransitGatewayAttachmentId'),
  AssociateTransitGatewayRouteTable: tableAndAttachment(),
  DisassociateTransitGatewayRouteTable: tableAndAttachment(),
  EnableTransitGatewayRouteTablePropagation: tableAndAttachment(),
  DisableTransitGatewayRouteTablePropagation: tableAndAttachment(),
  GetTransitGatewayRouteTableAssociations: one('transit-gateway-route-table', 'TransitGatewayRouteTableId'),
  GetTransitGatewayRouteTablePropagations: one('transit-gateway-route-table', 'TransitGatewayRouteTableId'),
  CreateTransitGatewayRoute: tableAndAttachment(),
  ReplaceTransitGatewayRoute: tableAndAttachment(),
  DeleteTransitGatewayRoute: one('transit-gateway-route-table', 'TransitGatewayRouteTableId'),
  SearchTransitGatewayRoutes: one('transit-gateway-route-table', 'TransitGatewayRouteTableId'),
  DescribeTransitGateways: describe,
  DescribeTransitGatewayRouteTables: describe,
  DescribeTransitGatewayAttachments: describe,
  DescribeTransitGatewayVpcAttachments: describe,
  AttachVpnGateway: {
    source: [SAR_EC2],
    checks: (r) => [
      check('ec2:AttachVpnGateway', existing(r, 'vpc', param(r, 'VpcId'))),
      check('ec2:AttachVpnGateway', existing(r, 'vpn-gateway', param(r, 'VpnGatewayId'))),
    ],
  },
  DetachVpnGateway: {
    source: [SAR_EC2],
    checks: (r) => [
      check('ec2:DetachVpnGateway', existing(r, 'vpc', param(r, 'VpcId'))),
      check('ec2:DetachVpnGateway', existing(r, 'vpn-gateway', param(r, 'VpnGatewayId'))),
    ],
  },
  DeleteVpnGateway: one('vpn-gateway', 'VpnGatewayId'),
  DeleteCustomerGateway: one('customer-gateway', 'CustomerGatewayId'),
  DeleteVpnConnection: one('vpn-connection', 'VpnConnectionId'),
  CreateVpnConnectionRoute: one('vpn-connection', 'VpnConnectionId'),
  DeleteVpnConnectionRoute: one('vpn-connection', 'VpnConnectionId'),
  CreateRoute: {
    ...one('route-table', 'RouteTableId'),
    assumed: 'the route target (GatewayId) is not checked as a second resource',
  },
  DeleteRoute: one('route-table', 'RouteTableId'),
  EnableVgwRoutePropagation: {
    ...one('route-table', 'RouteTableId'),
    assumed: 'only the route table is checked (the gateway is not)',
  },
  DisableVgwRoutePropagation: {
    ...one('route-table', 'RouteTableId'),
    assumed: 'only the route table is checked (the gateway is not)',
  },
  CreateTags: tagging,
  DeleteTags: tagging,
  DescribeVpnGateways: describe,
  DescribeCustomerGateways: describe,
  DescribeVpnConnections: describe,
  DescribeVpcs: describe,
  DescribeRouteTables: describe,
  DescribeTags: describe,
};

// ---------------------------------------------------------------- Secrets Manager

function smRequest(r: AwsRequestView): Context {
  return ctxOf({ 'aws:RequestedRegion': r.region, 'aws:SecureTransport': 'false' });
}

const str = (r: AwsRequestView, key: string): string | undefined =>
  typeof r.json[key] === 'string' ? (r.json[key] as string) : undefined;

function jsonTags(r: AwsRequestView, key: string): Tag[] {
  const v = r.json[key];
  if (!Array.isArray(v)) return [];
  return v.flatMap((t) => {
    const o = t as Record<string, unknown>;
    return typeof o.Key === 'string' ? [{ Key: o.Key, Value: typeof o.Value === 'string' ? o.Value : '' }] : [];
  });
}

/** the ARN of an existing secret (tags as resource keys); an unknown id is checked as `secret:<name>` (assumed) */
export function secretTarget(ctx: SimContext, region: string, secretId: string): { arn: string; tags: Tag[] } {
  const s = findSecret(ctx, region, secretId);
  if (s) return { arn: s.ARN, tags: s.Tags };
  const arn = secretId.startsWith('arn:')
    ? secretId
    : `arn:aws:secretsmanager:${region}:${ctx.state.aws.accountId}:secret:${secretId}`;
  return { arn, tags: [] };
}

export function secretCheck(
  r: Pick<AwsRequestView, 'ctx' | 'region'>,
  action: string,
  secretId: string,
  extra: Context = {},
): Check {
  const t = secretTarget(r.ctx, r.region, secretId);
  return {
    action,
    resource: t.arn,
    context: merge(
      ctxOf({ 'aws:RequestedRegion': r.region, 'aws:SecureTransport': 'false', 'secretsmanager:SecretId': t.arn }),
      tagContext(['aws:ResourceTag', 'secretsmanager:ResourceTag'], t.tags),
      extra,
    ),
  };
}

function onSecret(extra: (r: AwsRequestView) => Context = () => ({})): AwsActionRule {
  return {
    source: [SAR_SM],
    checks: (r) => [secretCheck(r, `secretsmanager:${r.operation}`, str(r, 'SecretId') ?? '', extra(r))],
  };
}

/** the placeholder suffix of a secret not created yet (the real one is random) */
const NEW_SECRET_SUFFIX = '-??????';

const SM_RULES: Record<string, AwsActionRule> = {
  CreateSecret: {
    source: [SAR_SM, SM_CREATE],
    assumed: `the new secret's ARN is checked with the suffix "${NEW_SECRET_SUFFIX}" (the real suffix is not known yet)`,
    checks: (r) => {
      const name = str(r, 'Name') ?? '';
      const arn = `arn:aws:secretsmanager:${r.region}:${r.ctx.state.aws.accountId}:secret:${name}${NEW_SECRET_SUFFIX}`;
      const tags = jsonTags(r, 'Tags');
      const context = merge(smRequest(r), ctxOf({ 'secretsmanager:Name': name }), requestTagContext(tags));
      const out: Check[] = [{ action: 'secretsmanager:CreateSecret', resource: arn, context }];
      if (tags.length > 0) out.push({ action: 'secretsmanager:TagResource', resource: arn, context });
      return out;
    },
  },
  GetSecretValue: onSecret((r) =>
    ctxOf({ 'secretsmanager:VersionId': str(r, 'VersionId'), 'secretsmanager:VersionStage': str(r, 'VersionStage') }),
  ),
  DescribeSecret: onSecret(),
  PutSecretValue: onSecret(),
  UpdateSecretVersionStage: onSecret(),
  DeleteSecret: onSecret(),
  RestoreSecret: onSecret(),
  TagResource: onSecret((r) => requestTagContext(jsonTags(r, 'Tags'))),
  UntagResource: onSecret((r) => {
    const keys = Array.isArray(r.json.TagKeys) ? r.json.TagKeys.filter((k) => typeof k === 'string') : [];
    return keys.length > 0 ? ctxOf({ 'aws:TagKeys': keys as string[] }) : {};
  }),
  ListSecrets: {
    source: [SAR_SM],
    checks: (r) => [{ action: 'secretsmanager:ListSecrets', resource: '*', context: smRequest(r) }],
  },
  BatchGetSecretValue: {
    source: [SAR_SM, SM_BATCH],
    assumed:
      'a secret the caller may not read is reported in Errors as AccessDeniedException (the call itself succeeds)',
    checks: (r) => [
      { action: 'secretsmanager:BatchGetSecretValue', resource: '*', context: smRequest(r) },
      ...(r.json.Filters !== undefined
        ? [{ action: 'secretsmanager:ListSecrets', resource: '*', context: smRequest(r) }]
        : []),
    ],
  },
};

// ---------------------------------------------------------------- Step Functions

function sfnArn(r: AwsRequestView, key: string): string {
  return str(r, key) ?? '';
}

function sfnCheck(r: AwsRequestView, resource: string, extra: Context = {}): Check {
  return {
    action: `states:${r.operation}`,
    resource,
    context: merge(ctxOf({ 'aws:RequestedRegion': r.region, 'aws:SecureTransport': 'false' }), extra),
  };
}

function passRole(r: AwsRequestView): Check[] {
  const role = str(r, 'roleArn');
  if (!role) return [];
  return [
    {
      action: 'iam:PassRole',
      resource: role,
      context: ctxOf({ 'aws:RequestedRegion': r.region, 'iam:PassedToService': 'states.amazonaws.com' }),
    },
  ];
}

const SFN_RULES: Record<string, AwsActionRule> = {
  CreateStateMachine: {
    source: [SAR_SFN, SFN_PASSROLE],
    checks: (r) => [
      sfnCheck(r, `arn:aws:states:${r.region}:${r.ctx.state.aws.accountId}:stateMachine:${str(r, 'name') ?? ''}`),
      ...passRole(r),
    ],
  },
  UpdateStateMachine: {
    source: [SAR_SFN, SFN_PASSROLE],
    checks: (r) => [sfnCheck(r, sfnArn(r, 'stateMachineArn')), ...passRole(r)],
  },
  DescribeStateMachine: { source: [SAR_SFN], checks: (r) => [sfnCheck(r, sfnArn(r, 'stateMachineArn'))] },
  DeleteStateMachine: { source: [SAR_SFN], checks: (r) => [sfnCheck(r, sfnArn(r, 'stateMachineArn'))] },
  StartExecution: { source: [SAR_SFN], checks: (r) => [sfnCheck(r, sfnArn(r, 'stateMachineArn'))] },
  ListExecutions: {
    source: [SAR_SFN],
    assumed: 'a mapRunArn listing is checked on the map run ARN',
    checks: (r) => [sfnCheck(r, sfnArn(r, 'stateMachineArn') || sfnArn(r, 'mapRunArn'))],
  },
  DescribeExecution: { source: [SAR_SFN], checks: (r) => [sfnCheck(r, sfnArn(r, 'executionArn'))] },
  GetExecutionHistory: { source: [SAR_SFN], checks: (r) => [sfnCheck(r, sfnArn(r, 'executionArn'))] },
  StopExecution: { source: [SAR_SFN], checks: (r) => [sfnCheck(r, sfnArn(r, 'executionArn'))] },
  ListStateMachines: { source: [SAR_SFN], checks: (r) => [sfnCheck(r, '*')] },
};

// ---------------------------------------------------------------- Lambda

const LAMBDA_RULES: Record<string, AwsActionRule> = {
  Invoke: {
    source: [SAR_LAMBDA],
    assumed: 'a qualified ARN (`:alias` or `:version`) is checked as given',
    checks: (r) => [
      {
        action: 'lambda:InvokeFunction',
        resource: functionArn(r.ctx, r.region, r.params.FunctionName ?? ''),
        context: ctxOf({ 'aws:RequestedRegion': r.region, 'aws:SecureTransport': 'false' }),
      },
    ],
  },
};

// ---------------------------------------------------------------- CloudWatch

function cwRequest(r: AwsRequestView): Context {
  return ctxOf({ 'aws:RequestedRegion': r.region, 'aws:SecureTransport': 'false' });
}

/** one check per alarm the request names (`alarm:<name>`) */
function alarmChecks(r: AwsRequestView, names: unknown): Check[] {
  const list = Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  return list.map((n) => ({
    action: `cloudwatch:${r.operation}`,
    resource: alarmArn(r.ctx, r.region, n),
    context: cwRequest(r),
  }));
}

const CW_RULES: Record<string, AwsActionRule> = {
  PutMetricAlarm: {
    source: [SAR_CW],
    checks: (r) => alarmChecks(r, [r.json.AlarmName]),
  },
  DeleteAlarms: {
    source: [SAR_CW],
    checks: (r) => alarmChecks(r, r.json.AlarmNames),
  },
  DescribeAlarms: {
    source: [SAR_CW],
    assumed:
      'named alarms are checked each on its ARN; a listing without AlarmNames (all, or by prefix) on `*`, since the sources do not say how a prefix is authorised',
    checks: (r) =>
      Array.isArray(r.json.AlarmNames)
        ? alarmChecks(r, r.json.AlarmNames)
        : [{ action: 'cloudwatch:DescribeAlarms', resource: '*', context: cwRequest(r) }],
  },
};

// ---------------------------------------------------------------- lookup

const SERVICE_PREFIX: Partial<Record<ServiceName, string>> = {
  ec2: 'ec2',
  secretsmanager: 'secretsmanager',
  stepfunctions: 'states',
  lambda: 'lambda',
  cloudwatch: 'cloudwatch',
};

export const AWS_ACTION_RULES: Partial<Record<ServiceName, Record<string, AwsActionRule>>> = {
  ec2: EC2_RULES,
  secretsmanager: SM_RULES,
  stepfunctions: SFN_RULES,
  lambda: LAMBDA_RULES,
  cloudwatch: CW_RULES,
};

/** the checks of one AWS request; an operation with no rule is checked as its action on `*` (assumed) */
export function awsChecks(r: AwsRequestView): Check[] {
  const rule = AWS_ACTION_RULES[r.service]?.[r.operation];
  if (rule) return rule.checks(r);
  const prefix = SERVICE_PREFIX[r.service] ?? r.service;
  return [{ action: `${prefix}:${r.operation}`, resource: '*', context: ctxOf({ 'aws:RequestedRegion': r.region }) }];
}
