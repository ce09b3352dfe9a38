import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AwsPrincipalInput } from '../sim';
import { PROJECT_ROOT } from './runner';
import { readServerlessYaml } from './serverless-yaml';

// Each Lambda function's IAM role as CloudFormation creates it from serverless.yml: the role name
// serverless-iam-roles-per-function gives it and its inline policy exactly as it lands in the packaged
// template, with every Serverless variable and CloudFormation intrinsic resolved for one stage, region and
// account. Derived from serverless.yml on every call (its statements change; nothing here is hard-coded).
//
// What serverless-iam-roles-per-function 3.2.0 does (dist/lib/index.js, createRoleForFunction):
//   - role name: the plugin's `<service>-<stage>-<fn>-<region>-lambdaRole` is removed again by
//     deploy/cloudformation-role-names.js, so CloudFormation names the role `<stack>-<logical id>-<random>` (at most
//     64 characters); here the random part is a hash of the rest, so local names are stable;
//   - logical id: the normalised function name + `IamRoleLambdaExecution`;
//   - policy: the global role's single inline policy (name `<service>-<stage>-lambda`) with its statements
//     replaced by: CloudWatch Logs (CreateLogStream, CreateLogGroup, PutLogEvents) on the function's own log
//     group `/aws/lambda/<function name>:*:*`, then (with iamRoleStatementsInherit) provider.iam.role.statements,
//     then the function's iamRoleStatements.
// Not modelled (vpn-bridge uses none): stream / SQS event statements, onError (SNS), permissions boundaries,
// custom.serverless-iam-roles-per-function.defaultInherit.

export interface PolicyDocument {
  Version: string;
  Statement: Array<Record<string, unknown>>;
}

export interface FunctionRole {
  /** the key under `functions:` */
  functionKey: string;
  /** the deployed Lambda name, `<service>-<stage>-<key>` unless `name:` is set */
  functionName: string;
  logicalId: string;
  roleName: string;
  roleArn: string;
  policyName: string;
  policyDocument: PolicyDocument;
}

export interface RoleTarget {
  stage: string;
  region: string;
  accountId: string;
  /** other `--opt` values for `${opt:...}` */
  options?: Record<string, string>;
  /** `--param` values, over serverless.yml's params */
  params?: Record<string, string>;
  file?: string;
}

type Json = unknown;

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

// ------------------------------------------------------------------ Serverless variables

interface VarScope {
  doc: Record<string, Json>;
  stage: string;
  region: string;
  options: Record<string, string>;
  params: Record<string, string>;
}

function getPath(obj: Json, path: string): Json {
  let cur: Json = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, Json>)[part];
  }
  return cur;
}

function literal(s: string): string | undefined {
  const m = /^\s*(['"])(.*)\1\s*$/.exec(s);
  return m ? (m[2] ?? '') : undefined;
}

/** one `${source:address, fallback}` expression, or undefined when it is not a Serverless variable we resolve */
function variable(scope: VarScope, expr: string): Json {
  const parts = expr.split(/,(?![^(]*\))/);
  for (const raw of parts) {
    const part = raw.trim();
    const lit = literal(part);
    if (lit !== undefined) return lit;
    const m = /^(param|sls|self|opt|env):(.*)$/.exec(part);
    if (!m) continue;
    const [, source, address = ''] = m;
    let v: Json;
    if (source === 'param') v = scope.params[address];
    else if (source === 'sls') v = address === 'stage' ? scope.stage : undefined;
    else if (source === 'opt')
      v = address === 'stage' ? scope.stage : address === 'region' ? scope.region : scope.options[address];
    else if (source === 'env') v = process.env[address];
    else
      v =
        address === 'provider.stage'
          ? scope.stage
          : address === 'provider.region'
            ? scope.region
            : getPath(scope.doc, address);
    if (v !== undefined && v !== null) return typeof v === 'string' ? resolveString(scope, v) : resolveVars(scope, v);
  }
  throw new Error(`serverless.yml: cannot resolve \${${expr}}`);
}

const VAR = /\$\{((?:param|sls|self|opt|env):[^{}]*)\}/g;

function resolveString(scope: VarScope, s: string): Json {
  const whole = /^\$\{((?:param|sls|self|opt|env):[^{}]*)\}$/.exec(s);
  if (whole?.[1]) return variable(scope, whole[1]);
  return s.replace(VAR, (_m, expr: string) => String(variable(scope, expr)));
}

function resolveVars(scope: VarScope, v: Json): Json {
  if (typeof v === 'string') return resolveString(scope, v);
  if (Array.isArray(v)) return v.map((x) => resolveVars(scope, x));
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v as Record<string, Json>).map(([k, x]) => [k, resolveVars(scope, x)]));
  return v;
}

// ------------------------------------------------------------------ CloudFormation intrinsics

export interface Pseudo {
  partition: string;
  region: string;
  accountId: string;
}

function pseudoValue(p: Pseudo, name: string): string {
  switch (name) {
    case 'AWS::Partition':
      return p.partition;
    case 'AWS::Region':
      return p.region;
    case 'AWS::AccountId':
      return p.accountId;
    case 'AWS::URLSuffix':
      return p.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    default:
      throw new Error(`cannot resolve the pseudo parameter ${name}`);
  }
}

/**
 * Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::Equals, Fn::If (with the template's Conditions) and Ref to pseudo
 * parameters, resolved to plain values (anything else is an error)
 */
export function resolveIntrinsics(
  v: Json,
  p: Pseudo,
  conditions: Record<string, Json> = {},
  parameters: Record<string, string> = {},
): Json {
  const again = (x: Json) => resolveIntrinsics(x, p, conditions, parameters);
  const named = (name: string) =>
    Object.hasOwn(parameters, name) ? (parameters[name] as string) : pseudoValue(p, name);
  if (Array.isArray(v)) return v.map(again);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, Json>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    if ('Ref' in o) return named(String(o.Ref));
    if ('Fn::If' in o) {
      const [name, yes, no] = o['Fn::If'] as [string, Json, Json];
      if (!(name in conditions)) throw new Error(`Fn::If names an unknown condition ${name}`);
      return again(again(conditions[name]) === true ? yes : no);
    }
    if ('Fn::Equals' in o) {
      const [a, b] = again(o['Fn::Equals']) as [Json, Json];
      return JSON.stringify(a) === JSON.stringify(b);
    }
    if ('Fn::Split' in o) {
      const [delim, text] = o['Fn::Split'] as [string, Json];
      return String(again(text)).split(delim);
    }
    if ('Fn::Select' in o) {
      const [index, list] = o['Fn::Select'] as [Json, Json];
      const items = again(list) as Json[];
      const i = Number(again(index));
      if (!Array.isArray(items) || i < 0 || i >= items.length) throw new Error('Fn::Select index out of range');
      return items[i];
    }
    if ('Fn::Join' in o) {
      const [delim, list] = o['Fn::Join'] as [string, Json[]];
      return (again(list) as Json[]).map(String).join(delim);
    }
    if ('Fn::Sub' in o) {
      const arg = o['Fn::Sub'];
      const [template, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [arg as string, {}];
      const values = again(vars) as Record<string, Json>;
      return template.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) =>
        Object.hasOwn(values, name) ? String(values[name]) : named(name),
      );
    }
    if (keys[0]?.startsWith('Fn::')) throw new Error(`cannot resolve ${keys[0]}`);
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, again(x)]));
}

// ------------------------------------------------------------------ the roles

/** serverless' getNormalizedFunctionName: first letter upper-cased, `-` -> Dash, `_` -> Underscore */
function normalizedName(key: string): string {
  const s = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** a role name the way CloudFormation makes one when the template gives none: `<stack>-<logical id>-<suffix>`, at
 * most 64 characters (the stack and logical id parts are shortened first); the suffix is a hash here, random there */
export function roleNameFor(stackName: string, logicalId: string): string {
  const suffix = createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex').slice(0, 12).toUpperCase();
  return `${`${stackName}-${logicalId}`.slice(0, 64 - suffix.length - 1)}-${suffix}`;
}

interface FunctionDef {
  name?: string;
  iamRoleStatements?: Json[];
  iamRoleStatementsInherit?: boolean;
  iamRoleStatementsName?: string;
}

/** every function's role for one stage, region and account */
export function functionRoles(target: RoleTarget): FunctionRole[] {
  const file = target.file ?? join(PROJECT_ROOT, 'serverless.yml');
  const doc = readServerlessYaml(file) as Record<string, Json>;
  const paramsDoc = (doc.params ?? {}) as Record<string, Record<string, string> | undefined>;
  const scope: VarScope = {
    doc,
    stage: target.stage,
    region: target.region,
    options: target.options ?? {},
    params: { ...(paramsDoc.default ?? {}), ...(paramsDoc[target.stage] ?? {}), ...(target.params ?? {}) },
  };
  const service = String(resolveVars(scope, doc.service));
  const pseudo: Pseudo = { partition: partitionOf(target.region), region: target.region, accountId: target.accountId };
  const provider = (doc.provider ?? {}) as Record<string, Json>;
  const resources = resolveVars(scope, doc.resources ?? {});
  const conditions = (getPath(resources, 'Conditions') ?? {}) as Record<string, Json>;
  // the template's parameters at their defaults (what `serverless deploy` passes unless told otherwise)
  const parameters = Object.fromEntries(
    Object.entries((getPath(resources, 'Parameters') ?? {}) as Record<string, { Default?: unknown }>).map(([k, d]) => [
      k,
      String(d.Default ?? ''),
    ]),
  );
  const providerStatements = (getPath(provider, 'iam.role.statements') ?? provider.iamRoleStatements ?? []) as Json[];
  const out: FunctionRole[] = [];
  for (const [key, raw] of Object.entries((doc.functions ?? {}) as Record<string, FunctionDef | null>)) {
    const fn = (resolveVars(scope, raw ?? {}) ?? {}) as FunctionDef;
    if (fn.iamRoleStatements === undefined) continue; // uses the framework's shared role, not a per-function one
    const functionName = fn.name ?? `${service}-${target.stage}-${key}`;
    const statements: Json[] = [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
        Resource: [
          {
            'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionName}:*:*`,
          },
        ],
      },
      ...(fn.iamRoleStatementsInherit ? (resolveVars(scope, providerStatements) as Json[]) : []),
      ...fn.iamRoleStatements,
    ];
    const logicalId = `${normalizedName(key)}IamRoleLambdaExecution`;
    const roleName = fn.iamRoleStatementsName ?? roleNameFor(`${service}-${target.stage}`, logicalId);
    out.push({
      functionKey: key,
      functionName,
      logicalId,
      roleName,
      roleArn: `arn:${pseudo.partition}:iam::${target.accountId}:role/${roleName}`,
      policyName: `${service}-${target.stage}-lambda`,
      policyDocument: resolveIntrinsics(
        { Version: '2012-10-17', Statement: statements },
        pseudo,
        conditions,
        parameters,
      ) as PolicyDocument,
    });
  }
  return out;
}

/**
 * The simulator principals for these roles: one access key per function (`accessKeyIdOf`), the role ARN,
 * the Lambda function name as the session name (as Lambda names its sessions), and the role's policy.
 * Register them with `new Simulator({ iam: { principals } })` or POST /_sim/iam/principals.
 */
export function simulatorPrincipals(
  roles: FunctionRole[],
  accessKeyIdOf: (role: FunctionRole) => string,
): AwsPrincipalInput[] {
  return roles.map((r) => ({
    cloud: 'aws',
    accessKeyId: accessKeyIdOf(r),
    arn: r.roleArn,
    sessionName: r.functionName,
    policies: [{ name: r.policyName, document: r.policyDocument }],
  }));
}
