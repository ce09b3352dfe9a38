import type { ServiceRequest, SimContext } from '../core/context';
import { SimError } from '../core/errors';
import { type AliRequestView, alibabaChecks } from './alibaba-actions';
import { type AwsRequestView, awsChecks, secretCheck } from './aws-actions';
import { alibabaCaller, awsAccessKeyId } from './credentials';
import { accessDeniedException, ec2Unauthorized, ramForbidden, stsNoPermission } from './errors';
import { type Check, type CheckResult, evaluateAll } from './evaluate';
import type { Principal } from './registry';

// Enforcement: before a request reaches its service, find the principal that signed it, work out what IAM or
// RAM checks for the operation, evaluate, log, and answer with the service's access error when denied.
// Requests signed with unregistered keys, and every request while enforcement is off, pass unchecked.

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function denialOf(results: CheckResult[]): CheckResult | undefined {
  return results.find((r) => r.decision === 'explicit-deny') ?? results.find((r) => r.decision !== 'allow');
}

function run(
  ctx: SimContext,
  p: Principal,
  req: ServiceRequest,
  checks: Check[],
  partOf?: string,
): CheckResult | undefined {
  const results = evaluateAll(p.policies, checks);
  const denied = denialOf(results);
  ctx.iam.record({
    time: isoSeconds(ctx.now()),
    cloud: p.cloud,
    service: req.service,
    operation: req.action,
    principal: p.displayArn,
    accessKeyId: p.accessKeyId,
    decision: denied ? 'deny' : 'allow',
    checks: results,
    ...(partOf ? { partOf } : {}),
  });
  return denied;
}

/** the principal behind an Alibaba request: a RAM user, or an STS session whose token must match and be live */
export function alibabaPrincipal(ctx: SimContext, req: ServiceRequest): Principal | undefined {
  const caller = alibabaCaller(req.headers, req.params);
  const p = ctx.iam.alibaba(caller?.accessKeyId);
  if (!p?.session) return p;
  if (caller?.securityToken !== p.session.securityToken)
    throw new SimError(
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
      400,
    );
  if (ctx.now() >= p.session.expiration)
    throw new SimError('InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.', 400);
  return p;
}

function authorizeAws(ctx: SimContext, req: ServiceRequest): void {
  const p = ctx.iam.aws(awsAccessKeyId(req.headers, req.params));
  if (!p) return;
  const view: AwsRequestView = {
    ctx,
    service: req.service,
    operation: req.action,
    region: req.region,
    params: req.params,
    json: req.json,
  };
  const denied = run(ctx, p, req, awsChecks(view));
  if (denied)
    throw req.service === 'ec2'
      ? ec2Unauthorized(ctx.iam, p, denied)
      : accessDeniedException(p, denied, req.service === 'lambda' ? 403 : 400);
  if (req.service === 'secretsmanager')
    req.authorizeSecret = (action, secretId) => {
      const d = run(ctx, p, req, [secretCheck(view, action, secretId)], req.action);
      return d ? accessDeniedException(p, d) : undefined;
    };
}

function authorizeAlibabaVpc(ctx: SimContext, req: ServiceRequest): void {
  const p = alibabaPrincipal(ctx, req);
  if (!p) return;
  const view: AliRequestView = {
    ctx,
    operation: req.action,
    regionId: req.region,
    accountId: p.accountId,
    params: req.params,
  };
  const denied = run(ctx, p, req, alibabaChecks(view));
  if (denied) throw ramForbidden(ctx.iam, p, denied);
}

/** check `req` (throws the service's access error when denied); sets `req.authorizeSecret` where it applies */
export function authorize(ctx: SimContext, req: ServiceRequest): void {
  if (!ctx.iam.enforce) return;
  if (req.service === 'alibaba-vpc') authorizeAlibabaVpc(ctx, req);
  else if (req.service === 'alibaba-sts')
    return; // the STS service authorises AssumeRole itself
  else authorizeAws(ctx, req);
}

/** sts:AssumeRole on the role, for a registered caller (the STS service calls this) */
export function authorizeAssumeRole(ctx: SimContext, req: ServiceRequest, roleArn: string): void {
  if (!ctx.iam.enforce) return;
  const p = alibabaPrincipal(ctx, req);
  if (!p) return;
  const denied = run(ctx, p, req, [{ action: 'sts:AssumeRole', resource: roleArn, context: {} }]);
  if (denied) throw stsNoPermission(ctx.iam, p, denied);
}
