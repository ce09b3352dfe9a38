import type { ServiceRequest, SimContext } from '../../core/context';
import { SimError } from '../../core/errors';
import type { AliRegionState } from '../../types';
import { dryRunPassed, illegal } from './errors';
import { Params } from './params';

/** JSON body of a successful response, without RequestId (the service adds it) */
export type Body = Record<string, unknown>;

/** one handled call: the context, the request, its parameters and (lazily) its region */
export class Call {
  readonly p: Params;
  constructor(
    readonly ctx: SimContext,
    readonly req: ServiceRequest,
  ) {
    this.p = new Params(req.params);
  }

  /** the RegionId's state; unknown region -> InvalidRegionId.NotFound */
  region(): AliRegionState {
    return this.ctx.aliRegion(this.req.region);
  }

  now(): number {
    return this.ctx.now();
  }

  /** a listing (DescribeVpnGateways, ...) sees an object created at `createdAt` (undefined = seeded) only after the lag */
  listed(createdAt: number | undefined): boolean {
    return this.ctx.seen('alibaba-vpc.list', createdAt);
  }

  /** a describe by id (DescribeVpnGateway, ...) finds an object created at `createdAt` only after the lag */
  visibleById(createdAt: number | undefined): boolean {
    return this.ctx.seen('alibaba-vpc.byId', createdAt);
  }

  /** DryRun=true: everything validated, nothing done */
  checkDryRun(): void {
    if (this.p.bool('DryRun') === true) throw dryRunPassed();
  }

  /**
   * ClientToken idempotency for create calls, as the VPC API documents it ("How to ensure idempotence",
   * docs/simulator-fidelity.md): the same token with the same other parameters answers with the body first returned
   * and changes nothing, even when the resource has been deleted since; the same token with different parameters
   * answers IdempotentParameterMismatch. The token is kept per (region, action); a replay gets a fresh RequestId.
   * Only successful calls are remembered, so a rejected request can be retried with its token. Tokens never expire
   * here (the documentation gives no validity period). Without a token every call is new (the real API then uses
   * the RequestId as the token).
   */
  idempotent(run: () => Body): Body {
    const token = this.p.str('ClientToken');
    if (token === undefined) return run();
    if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))
      throw illegal('ClientToken', token, 'at most 64 ASCII characters');
    const key = `${this.req.region}|${this.req.action}|${token}`;
    const store = this.ctx.state.alibaba.clientTokens;
    const request = fingerprint(this.req.params);
    const first = store[key];
    if (first) {
      if (first.request !== request)
        throw new SimError(
          'IdempotentParameterMismatch',
          `The ClientToken "${token}" was used before with other request parameters; use another ClientToken.`,
          400,
        );
      return { ...first.body };
    }
    const body = run();
    store[key] = { body, request };
    return { ...body };
  }
}

/** parameters that change on every send of the same request (signature v2 and transport), not its content */
const PER_SEND = new Set([
  'ClientToken',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'SecurityToken',
  'Timestamp',
  'Format',
  'Version',
  'Action',
]);

/** what identifies a request for ClientToken purposes: every other parameter, in a canonical order */
function fingerprint(params: Record<string, string>): string {
  return JSON.stringify(
    Object.entries(params)
      .filter(([k]) => !PER_SEND.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

export type Handler = (call: Call) => Body;

/** ISO 8601 without milliseconds, as the VPC API prints CreationTime */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
