import type { Service, ServiceRequest, ServiceResponse } from '../core/context';
import { SimError } from '../core/errors';
import { authorizeAssumeRole } from '../iam/enforce';

// Alibaba Cloud STS (RPC, 2015-04-01): AssumeRole, as @alicloud/credentials' ram_role_arn provider calls it
// (POST, Action/Version/AccessKeyId/SecurityToken/Signature* in the query string, RoleArn, RoleSessionName,
// DurationSeconds and Policy in a form body) and as an ACS3-signed client would (x-acs-action AssumeRole,
// x-acs-version 2015-04-01). The role must be registered (POST /_sim/iam/roles); the session's temporary
// credentials then carry the role's policies. A registered caller needs sts:AssumeRole on the role ARN.
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole
// Not modelled: the role's trust policy (every caller of the account may assume it), the session Policy
// parameter (it is accepted and ignored), ExternalId.

const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' };
const SESSION_NAME = /^[\w.@-]{2,64}$/;

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function required(req: ServiceRequest, key: string): string {
  const v = req.params[key];
  if (!v)
    throw new SimError(
      `MissingParameter`,
      `The input parameter "${key}" that is mandatory for processing this request is not supplied.`,
      400,
    );
  return v;
}

export const alibabaStsService: Service = {
  name: 'alibaba-sts',
  handle: (ctx, req): ServiceResponse => {
    if (req.action !== 'AssumeRole')
      throw new SimError(
        'InvalidAction.NotFound',
        `Specified api "${req.action}" is not found, please check your url and method.`,
        404,
      );
    const roleArn = required(req, 'RoleArn');
    const sessionName = required(req, 'RoleSessionName');
    if (!SESSION_NAME.test(sessionName))
      throw new SimError('InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.', 400);
    const role = ctx.iam.role(roleArn);
    if (!role) throw new SimError('EntityNotExist.Role', `The role not exists: ${roleArn}.`, 404);
    authorizeAssumeRole(ctx, req, role.arn);
    const raw = req.params.DurationSeconds;
    const duration = raw === undefined ? 3600 : Number(raw);
    if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration)
      throw new SimError(
        'InvalidParameter.DurationSeconds',
        `The DurationSeconds must be between 900 and ${role.maxSessionDuration}.`,
        400,
      );
    const expiration = ctx.now() + duration * 1000;
    const p = ctx.iam.startSession(role, sessionName, expiration);
    const body = {
      RequestId: req.requestId,
      AssumedRoleUser: { Arn: p.arn, AssumedRoleId: `3${p.accessKeyId.slice(4, 21)}:${sessionName}` },
      Credentials: {
        AccessKeyId: p.accessKeyId,
        AccessKeySecret: `sim-${p.accessKeyId.slice(4)}`,
        SecurityToken: p.session?.securityToken,
        Expiration: isoSeconds(expiration),
      },
    };
    return { status: 200, body: JSON.stringify(body), headers: JSON_HEADERS };
  },
  renderError: (err, req) => ({
    status: err.status,
    body: JSON.stringify({
      RequestId: req.requestId,
      HostId: 'sts.aliyuncs.com',
      Code: err.code,
      Message: err.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}`,
      ...err.extra,
    }),
    headers: JSON_HEADERS,
  }),
  throttle: () => new SimError('Throttling.User', 'Request was denied due to user flow control.', 400),
  serverError: () =>
    new SimError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503),
};
