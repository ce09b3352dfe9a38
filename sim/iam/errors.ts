import { SimError } from '../core/errors';
import type { CheckResult } from './evaluate';
import type { IamModel, Principal } from './registry';

// The errors a denied request gets, in each service's own words.
//   EC2: UnauthorizedOperation, HTTP 403, with an encoded authorization failure message
//     https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
//     https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
//   Secrets Manager, Step Functions: AccessDeniedException (HTTP 400, the JSON protocols' client-error status)
//   The "User: ... is not authorized to perform: ... on resource: ... because no identity-based policy allows
//   the ... action" / "with an explicit deny in an identity-based policy" wording:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
//   Alibaba: Forbidden.RAM, HTTP 403, with AccessDeniedDetail (NoPermissionType ImplicitDeny / ExplicitDeny)
//     https://www.alibabacloud.com/help/en/ecs/announcement-of-changes-to-the-authentication-mechanism-for-alibaba-cloud-ecs-query-type-apis
//     https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-decodediagnosticmessage
//   Alibaba STS AssumeRole without permission: NoPermission, HTTP 403 (assumed status)

function reason(r: CheckResult): string {
  return r.decision === 'explicit-deny'
    ? 'with an explicit deny in an identity-based policy'
    : `because no identity-based policy allows the ${r.action} action`;
}

function conditionItems(r: CheckResult): unknown {
  return {
    items: Object.entries(r.context).map(([key, values]) => ({
      key,
      values: { items: values.map((value) => ({ value })) },
    })),
  };
}

/** the JSON `sts decode-authorization-message` would print for this failure */
export function decodedAwsMessage(p: Principal, r: CheckResult): unknown {
  return {
    allowed: false,
    explicitDeny: r.decision === 'explicit-deny',
    matchedStatements: { items: r.matched.map((id) => ({ statementId: id })) },
    failures: { items: [] },
    context: {
      principal: { id: p.accessKeyId, arn: p.displayArn },
      action: r.action,
      resource: r.resource,
      conditions: conditionItems(r),
    },
  };
}

export function ec2Unauthorized(iam: IamModel, p: Principal, r: CheckResult): SimError {
  const token = iam.encode(decodedAwsMessage(p, r));
  return new SimError(
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. User: ${p.displayArn} is not authorized to perform: ${r.action} on resource: ${r.resource} ${reason(r)}. Encoded authorization failure message: ${token}`,
    403,
  );
}

/** Secrets Manager and Step Functions answer 400 (assumed from their JSON protocol); Lambda documents 403 */
export function accessDeniedException(p: Principal, r: CheckResult, status = 400): SimError {
  return new SimError(
    'AccessDeniedException',
    `User: ${p.displayArn} is not authorized to perform: ${r.action} on resource: ${r.resource} ${reason(r)}`,
    status,
  );
}

function accessDeniedDetail(iam: IamModel, p: Principal, r: CheckResult): Record<string, string> {
  const decoded = {
    AuthPrincipalType: p.session ? 'AssumedRoleUser' : 'SubUser',
    AuthPrincipalDisplayName: p.arn,
    AuthPrincipalOwnerId: p.accountId,
    AuthAction: r.action,
    AuthResource: r.resource,
    NoPermissionType: r.decision === 'explicit-deny' ? 'ExplicitDeny' : 'ImplicitDeny',
    PolicyType: 'AccountLevelIdentityBasedPolicy',
    MatchedStatements: r.matched,
    Context: r.context,
  };
  return {
    AuthAction: r.action,
    AuthPrincipalType: decoded.AuthPrincipalType,
    AuthPrincipalOwnerId: p.accountId,
    AuthPrincipalDisplayName: p.arn,
    NoPermissionType: decoded.NoPermissionType,
    PolicyType: decoded.PolicyType,
    EncodedDiagnosticMessage: iam.encode(decoded),
  };
}

export function ramForbidden(iam: IamModel, p: Principal, r: CheckResult): SimError {
  return new SimError(
    'Forbidden.RAM',
    "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
    403,
    { AccessDeniedDetail: accessDeniedDetail(iam, p, r) },
  );
}

export function stsNoPermission(iam: IamModel, p: Principal, r: CheckResult): SimError {
  return new SimError(
    'NoPermission',
    'You are not authorized to do this action. You should be authorized by RAM.',
    403,
    {
      AccessDeniedDetail: accessDeniedDetail(iam, p, r),
    },
  );
}
