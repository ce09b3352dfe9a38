import type { ConditionBlock } from './policy';
import { wildcardMatch } from './wildcard';

// Condition operators, evaluated as the IAM User Guide describes them:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
//   - every operator of a Condition block, and every key under an operator, must match (AND); the values
//     listed for one key are alternatives (OR);
//   - a key absent from the request context makes a positive operator false and a negated one
//     (StringNotEquals, StringNotLike, ArnNotLike, ...) true; `...IfExists` makes an absent key true;
//     `Null` tests presence;
//   - `ForAnyValue:` is true when at least one context value matches (false when the key is absent);
//     `ForAllValues:` when every context value matches (true when the key is absent or empty);
//   - without a set qualifier a multi-valued key behaves like ForAnyValue for positive operators, and a
//     negated operator is the negation of its positive form (assumed where the guide is silent).
// Condition key names are case-insensitive: contexts are keyed by the lower-cased name.

/** condition key (lower-cased) -> its values in this request, for this resource */
export type Context = Record<string, string[]>;

type Compare = (policyValue: string, contextValue: string) => boolean;

function arnLike(pattern: string, arn: string): boolean {
  // each of the six colon-delimited parts is matched on its own (the resource part keeps its colons)
  const p = pattern.split(':');
  const a = arn.split(':');
  if (p.length < 6 || a.length < 6) return wildcardMatch(pattern, arn);
  const head = (x: string[]) => [...x.slice(0, 5), x.slice(5).join(':')];
  const ph = head(p);
  const ah = head(a);
  return ph.every((seg, i) => wildcardMatch(seg, ah[i] ?? ''));
}

function num(s: string): number | undefined {
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

function date(s: string): number | undefined {
  const n = /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s);
  return Number.isFinite(n) ? n : undefined;
}

function numeric(test: (a: number, b: number) => boolean): Compare {
  return (p, c) => {
    const a = num(c);
    const b = num(p);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

function dated(test: (a: number, b: number) => boolean): Compare {
  return (p, c) => {
    const a = date(c);
    const b = date(p);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

/** the positive form of each operator, and whether the named operator negates it */
const OPERATORS: Record<string, { compare: Compare; negated: boolean }> = {
  stringequals: { compare: (p, c) => p === c, negated: false },
  stringnotequals: { compare: (p, c) => p === c, negated: true },
  stringequalsignorecase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: true },
  stringlike: { compare: (p, c) => wildcardMatch(p, c), negated: false },
  stringnotlike: { compare: (p, c) => wildcardMatch(p, c), negated: true },
  arnequals: { compare: (p, c) => arnLike(p, c), negated: false },
  arnlike: { compare: (p, c) => arnLike(p, c), negated: false },
  arnnotequals: { compare: (p, c) => arnLike(p, c), negated: true },
  arnnotlike: { compare: (p, c) => arnLike(p, c), negated: true },
  bool: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  numericequals: { compare: numeric((a, b) => a === b), negated: false },
  numericnotequals: { compare: numeric((a, b) => a === b), negated: true },
  numericlessthan: { compare: numeric((a, b) => a < b), negated: false },
  numericlessthanequals: { compare: numeric((a, b) => a <= b), negated: false },
  numericgreaterthan: { compare: numeric((a, b) => a > b), negated: false },
  numericgreaterthanequals: { compare: numeric((a, b) => a >= b), negated: false },
  dateequals: { compare: dated((a, b) => a === b), negated: false },
  datenotequals: { compare: dated((a, b) => a === b), negated: true },
  datelessthan: { compare: dated((a, b) => a < b), negated: false },
  datelessthanequals: { compare: dated((a, b) => a <= b), negated: false },
  dategreaterthan: { compare: dated((a, b) => a > b), negated: false },
  dategreaterthanequals: { compare: dated((a, b) => a >= b), negated: false },
};

export class UnsupportedOperator extends Error {}

interface ParsedOperator {
  set: 'any' | 'all' | undefined;
  ifExists: boolean;
  name: string;
}

function parseOperator(raw: string): ParsedOperator {
  let rest = raw;
  let set: ParsedOperator['set'];
  const lower = raw.toLowerCase();
  if (lower.startsWith('foranyvalue:')) {
    set = 'any';
    rest = raw.slice('ForAnyValue:'.length);
  } else if (lower.startsWith('forallvalues:')) {
    set = 'all';
    rest = raw.slice('ForAllValues:'.length);
  }
  let name = rest.toLowerCase();
  const ifExists = name.endsWith('ifexists') && name !== 'ifexists';
  if (ifExists) name = name.slice(0, -'ifexists'.length);
  return { set, ifExists, name };
}

function keyMatches(op: ParsedOperator, policyValues: string[], values: string[] | undefined): boolean {
  const present = values !== undefined && values.length > 0;
  if (op.name === 'null') {
    const wantAbsent = policyValues.some((v) => v.toLowerCase() === 'true');
    const wantPresent = policyValues.some((v) => v.toLowerCase() === 'false');
    return (wantAbsent && !present) || (wantPresent && present);
  }
  const def = OPERATORS[op.name];
  if (!def) throw new UnsupportedOperator(op.name);
  const matchesOne = (c: string) => policyValues.some((p) => def.compare(p, c));
  if (op.set === 'all') {
    if (!present) return true;
    return values.every((c) => (def.negated ? !matchesOne(c) : matchesOne(c)));
  }
  if (op.set === 'any') {
    if (!present) return false;
    return values.some((c) => (def.negated ? !matchesOne(c) : matchesOne(c)));
  }
  if (!present) return op.ifExists || def.negated;
  const any = values.some(matchesOne);
  return def.negated ? !any : any;
}

/** true when every operator and key of the block holds in `context` */
export function conditionsHold(block: ConditionBlock, context: Context): boolean {
  for (const [rawOp, keys] of Object.entries(block)) {
    const op = parseOperator(rawOp);
    for (const [key, policyValues] of Object.entries(keys)) {
      if (!keyMatches(op, policyValues, context[key.toLowerCase()])) return false;
    }
  }
  return true;
}

/** the operator names this module evaluates (for validation messages and the docs) */
export const SUPPORTED_OPERATORS = ['Null', ...Object.keys(OPERATORS)];
