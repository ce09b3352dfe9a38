import { randomBytes } from 'node:crypto';
import { SimError } from '../core/errors';
import { SUPPORTED_OPERATORS } from './conditions';
import type { CheckResult } from './evaluate';
import { type Policy, type PolicyInput, parsePolicy } from './policy';

// The principals the simulator knows and what it logged about them. A request signed with a key that is not
// registered here keeps full access (so the AWS CLI and the SDKs work against the simulator with any key).

export const DEFAULT_ALIBABA_ACCOUNT_ID = '5123456789012345';

export interface AwsPrincipalInput {
  cloud: 'aws';
  accessKeyId: string;
  /** an IAM role (`arn:aws:iam::<account>:role/<name>`) or user ARN */
  arn: string;
  /** for a role: the session name shown in error messages (default: the access key id) */
  sessionName?: string;
  policies: PolicyInput[];
}

export interface AlibabaPrincipalInput {
  cloud: 'alibaba';
  accessKeyId: string;
  /** the RAM user, e.g. `acs:ram::<account>:user/vpn-bridge` (default: derived from the key) */
  arn?: string;
  accountId?: string;
  policies: PolicyInput[];
}

export type PrincipalInput = AwsPrincipalInput | AlibabaPrincipalInput;

export interface AlibabaRoleInput {
  /** `acs:ram::<account>:role/<name>` */
  arn: string;
  policies: PolicyInput[];
  /** the longest session AssumeRole may grant, 900-43200 s (default 3600, the RAM default) */
  maxSessionDuration?: number;
}

export interface Principal {
  cloud: 'aws' | 'alibaba';
  accessKeyId: string;
  arn: string;
  /** how error messages name the caller (an assumed-role ARN for roles) */
  displayArn: string;
  accountId: string;
  policies: Policy[];
  /** set for Alibaba STS credentials: the role and its session */
  session?: { roleArn: string; sessionName: string; securityToken: string; expiration: number };
}

export interface AlibabaRole {
  arn: string;
  accountId: string;
  policies: Policy[];
  maxSessionDuration: number;
}

export interface AuthLogEntry {
  seq: number;
  /** simulated time, ISO 8601 */
  time: string;
  cloud: 'aws' | 'alibaba';
  service: string;
  /** the API operation called */
  operation: string;
  principal: string;
  accessKeyId: string;
  decision: 'allow' | 'deny';
  /** the (action, resource) pairs evaluated, each with its decision and deciding statement */
  checks: CheckResult[];
  /** set when the entry is one item of a batch (BatchGetSecretValue's per-secret GetSecretValue) */
  partOf?: string;
}

const bad = (message: string): SimError => new SimError('InvalidRequest', message, 400);

function policiesOf(inputs: unknown, owner: string): Policy[] {
  if (!Array.isArray(inputs)) throw bad(`${owner}: policies must be a list of {name, document}`);
  const policies = inputs.map((p, i) => {
    if (typeof p !== 'object' || p === null) throw bad(`${owner}: policies[${i}] must be {name, document}`);
    const o = p as Record<string, unknown>;
    return parsePolicy(
      { name: typeof o.name === 'string' ? o.name : undefined, document: o.document },
      `${owner}/policy${i + 1}`,
    );
  });
  const supported = new Set(SUPPORTED_OPERATORS.map((o) => o.toLowerCase()));
  for (const p of policies)
    for (const s of p.statements)
      for (const op of Object.keys(s.condition)) {
        const base = op
          .toLowerCase()
          .replace(/^(foranyvalue|forallvalues):/, '')
          .replace(/ifexists$/, '');
        if (!supported.has(base)) throw bad(`${s.id}: the simulator does not evaluate the condition operator ${op}`);
      }
  return policies;
}

function need(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw bad(`${what}: ${key} is required`);
  return v;
}

/** `arn:aws:iam::123:role/x` -> `arn:aws:sts::123:assumed-role/x/<session>`, the form AWS error messages use */
function awsDisplayArn(arn: string, session: string): string {
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${session}` : arn;
}

export function parsePrincipal(raw: unknown): Principal {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('a principal is a JSON object');
  const o = raw as Record<string, unknown>;
  const accessKeyId = need(o, 'accessKeyId', 'principal');
  if (o.cloud === 'aws') {
    const arn = need(o, 'arn', `principal ${accessKeyId}`);
    const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
    if (!account) throw bad(`principal ${accessKeyId}: arn must be an IAM role or user ARN`);
    const session = typeof o.sessionName === 'string' ? o.sessionName : accessKeyId;
    return {
      cloud: 'aws',
      accessKeyId,
      arn,
      displayArn: awsDisplayArn(arn, session),
      accountId: account,
      policies: policiesOf(o.policies, arn),
    };
  }
  if (o.cloud === 'alibaba') {
    const accountId = typeof o.accountId === 'string' ? o.accountId : DEFAULT_ALIBABA_ACCOUNT_ID;
    const arn = typeof o.arn === 'string' ? o.arn : `acs:ram::${accountId}:user/${accessKeyId}`;
    const fromArn = /^acs:ram::(\d+):/.exec(arn)?.[1] ?? accountId;
    return {
      cloud: 'alibaba',
      accessKeyId,
      arn,
      displayArn: arn,
      accountId: fromArn,
      policies: policiesOf(o.policies, arn),
    };
  }
  throw bad(`principal ${accessKeyId}: cloud must be "aws" or "alibaba"`);
}

export function parseRole(raw: unknown): AlibabaRole {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('a role is a JSON object');
  const o = raw as Record<string, unknown>;
  const arn = need(o, 'arn', 'role');
  const m = /^acs:ram::(\d+):role\/[^/]+$/.exec(arn);
  if (!m?.[1]) throw bad(`role ${arn}: expected acs:ram::<account>:role/<name>`);
  const max = o.maxSessionDuration === undefined ? 3600 : o.maxSessionDuration;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 900 || max > 43200)
    throw bad(`role ${arn}: maxSessionDuration is 900-43200 seconds`);
  return { arn, accountId: m[1], policies: policiesOf(o.policies, arn), maxSessionDuration: max };
}

/** the authorisation log keeps this many entries (the least-privilege run of every function makes about 11,000) */
const MAX_LOG = 30_000;
const MAX_MESSAGES = 2_000;

export class IamModel {
  enforce: boolean;
  private readonly principals = new Map<string, Principal>();
  private readonly roles = new Map<string, AlibabaRole>();
  private readonly sessions = new Map<string, Principal>();
  private readonly messages = new Map<string, unknown>();
  private log: AuthLogEntry[] = [];
  private seq = 0;

  constructor(opts: { enforce?: boolean; principals?: PrincipalInput[]; roles?: AlibabaRoleInput[] } = {}) {
    this.enforce = opts.enforce ?? true;
    for (const p of opts.principals ?? []) this.putPrincipal(p);
    for (const r of opts.roles ?? []) this.putRole(r);
  }

  putPrincipal(raw: unknown): Principal {
    const p = parsePrincipal(raw);
    this.principals.set(`${p.cloud}:${p.accessKeyId}`, p);
    return p;
  }

  putRole(raw: unknown): AlibabaRole {
    const r = parseRole(raw);
    this.roles.set(r.arn.toLowerCase(), r);
    return r;
  }

  removePrincipal(accessKeyId: string): boolean {
    const a = this.principals.delete(`aws:${accessKeyId}`);
    const b = this.principals.delete(`alibaba:${accessKeyId}`);
    const c = this.sessions.delete(accessKeyId);
    return a || b || c;
  }

  /** every principal, role and session forgotten */
  clear(): void {
    this.principals.clear();
    this.roles.clear();
    this.sessions.clear();
  }

  aws(accessKeyId: string | undefined): Principal | undefined {
    return accessKeyId ? this.principals.get(`aws:${accessKeyId}`) : undefined;
  }

  alibaba(accessKeyId: string | undefined): Principal | undefined {
    if (!accessKeyId) return undefined;
    return this.principals.get(`alibaba:${accessKeyId}`) ?? this.sessions.get(accessKeyId);
  }

  role(arn: string): AlibabaRole | undefined {
    return this.roles.get(arn.toLowerCase());
  }

  /** a session of `role` with fresh temporary credentials */
  startSession(role: AlibabaRole, sessionName: string, expiration: number): Principal {
    const accessKeyId = `STS.${randomBytes(12).toString('hex').toUpperCase()}`;
    const securityToken = `CAIS${randomBytes(48).toString('base64url')}`;
    const roleName = role.arn.slice(role.arn.indexOf(':role/') + ':role/'.length);
    const p: Principal = {
      cloud: 'alibaba',
      accessKeyId,
      arn: `acs:ram::${role.accountId}:assumed-role/${roleName}/${sessionName}`,
      displayArn: `acs:ram::${role.accountId}:assumed-role/${roleName}/${sessionName}`,
      accountId: role.accountId,
      policies: role.policies,
      session: { roleArn: role.arn, sessionName, securityToken, expiration },
    };
    this.sessions.set(accessKeyId, p);
    return p;
  }

  list(): { enforce: boolean; principals: unknown[]; roles: unknown[]; sessions: unknown[] } {
    const show = (p: Principal) => ({
      cloud: p.cloud,
      accessKeyId: p.accessKeyId,
      arn: p.arn,
      accountId: p.accountId,
      policies: p.policies.map((x) => ({ name: x.name, document: x.document })),
    });
    return {
      enforce: this.enforce,
      principals: [...this.principals.values()].map(show),
      roles: [...this.roles.values()].map((r) => ({
        arn: r.arn,
        maxSessionDuration: r.maxSessionDuration,
        policies: r.policies.map((x) => ({ name: x.name, document: x.document })),
      })),
      sessions: [...this.sessions.values()].map((p) => ({
        accessKeyId: p.accessKeyId,
        arn: p.arn,
        roleArn: p.session?.roleArn,
        expiration: p.session ? new Date(p.session.expiration).toISOString() : undefined,
      })),
    };
  }

  record(entry: Omit<AuthLogEntry, 'seq'>): AuthLogEntry {
    const e = { seq: ++this.seq, ...entry };
    this.log.push(e);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    return e;
  }

  entries(): AuthLogEntry[] {
    return this.log;
  }

  clearLog(): void {
    this.log = [];
  }

  /** keep a decoded authorization message; returns the opaque token that stands for it */
  encode(decoded: unknown): string {
    const token = randomBytes(32).toString('base64url');
    this.messages.set(token, decoded);
    if (this.messages.size > MAX_MESSAGES) {
      const first = this.messages.keys().next().value;
      if (first !== undefined) this.messages.delete(first);
    }
    return token;
  }

  decode(token: string): unknown {
    return this.messages.get(token);
  }
}
