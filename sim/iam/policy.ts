import { SimError } from '../core/errors';

// Policy documents as IAM (Version 2012-10-17) and RAM (Version 1) write them: a Statement (one or a list)
// of Effect, Action | NotAction, Resource | NotResource and an optional Condition block. Single strings and
// lists are both accepted wherever the languages accept them; documents are normalised once when registered.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// https://www.alibabacloud.com/help/en/ram/user-guide/policy-structure-and-syntax

export type Effect = 'Allow' | 'Deny';

/** operator -> condition key -> values (a single value is stored as a one-element list) */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  /** the policy it belongs to and its position there, to name it in the log (`name#index` or `name#Sid`) */
  id: string;
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition: ConditionBlock;
}

export interface PolicyInput {
  /** a name for the log (e.g. the inline policy name); defaults to `policy<N>` */
  name?: string;
  document: unknown;
}

export interface Policy {
  name: string;
  document: unknown;
  statements: Statement[];
}

const invalid = (message: string): SimError => new SimError('MalformedPolicyDocument', message, 400);

function strings(v: unknown, where: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw invalid(`${where}: expected a string or a list of strings`);
}

/** condition values: strings, numbers and booleans are compared as their string forms (as IAM does) */
function conditionValues(v: unknown, where: string): string[] {
  const one = (x: unknown): string => {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw invalid(`${where}: condition values are strings, numbers or booleans`);
  };
  return Array.isArray(v) ? v.map(one) : [one(v)];
}

function asRecord(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${where}: expected an object`);
  return v as Record<string, unknown>;
}

function parseCondition(v: unknown, where: string): ConditionBlock {
  if (v === undefined) return {};
  const out: ConditionBlock = {};
  for (const [op, keys] of Object.entries(asRecord(v, where))) {
    const block: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(asRecord(keys, `${where}.${op}`)))
      block[key] = conditionValues(values, `${where}.${op}.${key}`);
    out[op] = block;
  }
  return out;
}

function parseStatement(raw: unknown, policyName: string, index: number): Statement {
  const where = `${policyName} Statement[${index}]`;
  const s = asRecord(raw, where);
  const effect = s.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') throw invalid(`${where}.Effect: Allow or Deny`);
  if ((s.Action === undefined) === (s.NotAction === undefined))
    throw invalid(`${where}: exactly one of Action and NotAction`);
  if (s.Resource !== undefined && s.NotResource !== undefined)
    throw invalid(`${where}: Resource and NotResource cannot both be given`);
  if (s.Principal !== undefined || s.NotPrincipal !== undefined)
    throw invalid(`${where}: identity-based policies have no Principal`);
  const sid = typeof s.Sid === 'string' ? s.Sid : undefined;
  return {
    id: `${policyName}#${sid ?? index}`,
    sid,
    effect,
    action: s.Action === undefined ? undefined : strings(s.Action, `${where}.Action`),
    notAction: s.NotAction === undefined ? undefined : strings(s.NotAction, `${where}.NotAction`),
    // IAM requires Resource in identity policies; RAM treats a missing Resource as "*" (assumed for both)
    resource:
      s.Resource === undefined && s.NotResource === undefined
        ? ['*']
        : s.Resource === undefined
          ? undefined
          : strings(s.Resource, `${where}.Resource`),
    notResource: s.NotResource === undefined ? undefined : strings(s.NotResource, `${where}.NotResource`),
    condition: parseCondition(s.Condition, `${where}.Condition`),
  };
}

/** a policy document (object or JSON text) -> its statements, or MalformedPolicyDocument */
export function parsePolicy(input: PolicyInput, fallbackName: string): Policy {
  const name = input.name ?? fallbackName;
  let doc = input.document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc) as unknown;
    } catch {
      throw invalid(`${name}: the policy document is not JSON`);
    }
  }
  const d = asRecord(doc, name);
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17' && d.Version !== '1')
    throw invalid(`${name}.Version: 2012-10-17 (IAM) or 1 (RAM)`);
  const list = Array.isArray(d.Statement) ? d.Statement : d.Statement === undefined ? [] : [d.Statement];
  return { name, document: doc, statements: list.map((s, i) => parseStatement(s, name, i)) };
}
