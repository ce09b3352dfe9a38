import type { AccessKey } from './acs3';
import { mapAlibabaError } from './errors';
import type { AlibabaRpc } from './rpc-client';

// A RAM role's session through STS AssumeRole (API 2015-04-01, documented at
// https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole): the AccessKey only
// assumes the role; every VPC call signs with the session's temporary key and token. A session is reused until it
// is within REFRESH_BEFORE_MS of its Expiration. Not @alicloud/credentials' RAM-role provider: that one always talks
// HTTPS to STS (so the simulator cannot stand in for it) and brings its own HTTP stack; this is one call on the RPC
// client vpn-bridge already has.

const REFRESH_BEFORE_MS = 5 * 60_000;

export interface RoleSessionOptions {
  sts: AlibabaRpc;
  roleArn: string;
  /** shows in the role's ActionTrail records: which function assumed it */
  sessionName: string;
  durationSeconds: number;
  now?: () => number;
}

export function roleSession(o: RoleSessionOptions): () => Promise<AccessKey> {
  const now = o.now ?? Date.now;
  let current: { key: AccessKey; expiresAt: number } | undefined;
  let pending: Promise<AccessKey> | undefined;
  const assume = async (): Promise<AccessKey> => {
    let r: Record<string, unknown>;
    try {
      r = await o.sts.call('AssumeRole', {
        RoleArn: o.roleArn,
        RoleSessionName: o.sessionName,
        DurationSeconds: o.durationSeconds,
      });
    } catch (e) {
      throw mapAlibabaError(e, `AssumeRole ${o.roleArn}`);
    }
    const c = (r.credentials ?? {}) as {
      accessKeyId?: string;
      accessKeySecret?: string;
      securityToken?: string;
      expiration?: string;
    };
    if (!c.accessKeyId || !c.accessKeySecret || !c.securityToken || !c.expiration)
      throw mapAlibabaError(new Error('AssumeRole answered without credentials'), `AssumeRole ${o.roleArn}`);
    const key = { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken };
    current = { key, expiresAt: Date.parse(c.expiration) };
    return key;
  };
  return async () => {
    if (current && current.expiresAt - now() > REFRESH_BEFORE_MS) return current.key;
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
