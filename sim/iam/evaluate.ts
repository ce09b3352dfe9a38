import { type Context, conditionsHold } from './conditions';
import type { Policy, Statement } from './policy';
import { wildcardMatch } from './wildcard';

// Identity-based policy evaluation for one principal, as the IAM User Guide's evaluation logic describes it
// for a request within one account with no resource-based policies, boundaries, session policies or SCPs:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//   1. an explicit Deny that applies ends the evaluation: denied;
//   2. otherwise an Allow that applies: allowed;
//   3. otherwise: implicitly denied.
// A request authorises one (action, resource) pair per resource the service checks for it; each pair is
// evaluated on its own (with that resource's context) and every one must be allowed. RAM documents the same
// order (Deny first, then Allow, default deny):
// https://www.alibabacloud.com/help/en/ram/user-guide/policy-evaluation-process

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** one (action, resource) pair to authorise */
export interface Check {
  /** `service:Action` as policies name it */
  action: string;
  /** the resource ARN, or `*` for actions with no resource-level permissions */
  resource: string;
  context: Context;
}

export interface CheckResult extends Check {
  decision: Decision;
  /** the statement that decided it (the Deny, or the first Allow); absent for an implicit deny */
  statement?: string;
  /** every statement that applied (Allows and Denies), for the log's coverage view */
  matched: string[];
}

function actionApplies(s: Statement, action: string): boolean {
  const hit = (patterns: string[]) => patterns.some((p) => wildcardMatch(p, action, { ignoreCase: true }));
  return s.action ? hit(s.action) : !hit(s.notAction ?? []);
}

function resourceApplies(s: Statement, resource: string): boolean {
  // case-sensitive, `*`/`?` anywhere in the ARN (assumed: the guide gives wildcards per segment as examples)
  const hit = (patterns: string[]) => patterns.some((p) => p === '*' || wildcardMatch(p, resource));
  return s.resource ? hit(s.resource) : !hit(s.notResource ?? []);
}

/** the decision for one check against all of a principal's policies */
export function evaluateCheck(policies: readonly Policy[], check: Check): CheckResult {
  const matched: Statement[] = [];
  for (const p of policies)
    for (const s of p.statements)
      if (
        actionApplies(s, check.action) &&
        resourceApplies(s, check.resource) &&
        conditionsHold(s.condition, check.context)
      )
        matched.push(s);
  const deny = matched.find((s) => s.effect === 'Deny');
  const allow = matched.find((s) => s.effect === 'Allow');
  const decision: Decision = deny ? 'explicit-deny' : allow ? 'allow' : 'implicit-deny';
  return { ...check, decision, statement: (deny ?? allow)?.id, matched: matched.map((s) => s.id) };
}

/** every check in order; the request is allowed only if all are */
export function evaluateAll(policies: readonly Policy[], checks: readonly Check[]): CheckResult[] {
  return checks.map((c) => evaluateCheck(policies, c));
}
