import type { ServiceRequest, SimContext } from '../../core/context';
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

  /** DryRun=true: everything validated, nothing done */
  checkDryRun(): void {
    if (this.p.bool('DryRun') === true) throw dryRunPassed();
  }

  /**
   * ClientToken idempotency for create calls: the same (region, action, ClientToken) answers with the body
   * first returned, even when the other parameters differ (the token alone identifies the request; the real
   * API's behaviour for a same-token/different-params request is unconfirmed). A replay gets a fresh
   * RequestId. Only successful calls are remembered, so a rejected request can be retried with its token.
   * Without a token every call is new (the real API then uses the RequestId as the token).
   */
  idempotent(run: () => Body): Body {
    const token = this.p.str('ClientToken');
    if (token === undefined) return run();
    if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))
      throw illegal('ClientToken', token, 'at most 64 ASCII characters');
    const key = `${this.req.region}|${this.req.action}|${token}`;
    const store = this.ctx.state.alibaba.clientTokens;
    const first = store[key];
    if (first) return { ...first };
    const body = run();
    store[key] = body;
    return { ...body };
  }
}

export type Handler = (call: Call) => Body;

/** ISO 8601 without milliseconds, as the VPC API prints CreationTime */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
