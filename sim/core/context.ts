import type { IncomingHttpHeaders } from 'node:http';
import type { LambdaInvoker } from '../aws/lambda';
import { IamModel } from '../iam/registry';
import type { AliRegionState, AwsRegionState, Secret, WorldState } from '../types';
import type { Scheduler, SimClock } from './clock';
import { DEFAULT_LAG, type Lag, type LagKey, visible } from './consistency';
import { SimError } from './errors';
import type { ServiceName } from './faults';
import type { IdGen } from './ids';
import type { Latencies, LatencyKey } from './latencies';
import { emptyAwsRegion } from './world';

/** One parsed request to a simulated provider API. */
export interface ServiceRequest {
  service: ServiceName;
  action: string;
  /** AWS: the region of the SigV4 credential scope; Alibaba: the RegionId parameter ('' if absent) */
  region: string;
  /** Query-protocol services (EC2, Alibaba RPC): query string and form body merged, flat dotted keys */
  params: Record<string, string>;
  /** JSON-protocol services (Secrets Manager, Step Functions): the parsed body */
  json: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  requestId: string;
  /**
   * Set when the caller is a registered IAM principal: authorises one secret inside a batch operation
   * (BatchGetSecretValue's GetSecretValue on each secret). Returns the access error, or undefined if allowed.
   */
  authorizeSecret?: (action: string, secretId: string) => SimError | undefined;
}

export interface ServiceResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A simulated provider API speaking one wire protocol. */
export interface Service {
  name: ServiceName;
  handle(ctx: SimContext, req: ServiceRequest): ServiceResponse | Promise<ServiceResponse>;
  /** the provider's error format for `err` */
  renderError(err: SimError, req: ServiceRequest): ServiceResponse;
  /** the provider's throttling error */
  throttle(): SimError;
  /** the provider's generic server error */
  serverError(): SimError;
}

/**
 * Runs a state machine definition for the simulated Step Functions service. The simulator does not
 * know how tasks run: whoever starts it injects a runner (vpn-bridge's local runner maps Task states
 * to its Lambda handlers).
 */
export interface SfnRunner {
  start(args: {
    definition: string;
    input: unknown;
    executionArn: string;
    onEvent: (type: string, details: Record<string, unknown>) => void;
  }): { result: Promise<unknown>; abort: () => void };
}

/** Everything a service handler needs. */
export class SimContext {
  sfnRunner: SfnRunner | undefined;
  /** runs functions for the simulated Lambda service (injected like sfnRunner) */
  lambdaInvoker: LambdaInvoker | undefined;
  /** where handlers report what happens after their answer (default: nowhere) */
  log: ((line: string) => void) | undefined;
  /** principals, policies and the authorization log (sim/iam) */
  iam: IamModel = new IamModel();
  /** called after every applied event and before every request, with the simulated time */
  readonly tickHooks: Array<(now: number) => void> = [];
  /**
   * Counts the changes to the world that derived state (tunnel status) may depend on: every applied event, every
   * request that is not a read, every admin change. Code that edits `state` directly calls `touch()`.
   */
  version = 0;
  /** how long a new resource stays out of each kind of read (sim/core/consistency.ts) */
  lag: Lag = { ...DEFAULT_LAG };
  /**
   * 'unknown': every error code the simulator answers that no provider document gives for that case (the
   * "assumed" rows of docs/error-codes.md) is answered as an unknown code instead, to prove the product does not
   * depend on it (sim/core/error-codes.ts)
   */
  assumedErrorCodes: 'as-is' | 'unknown' = 'as-is';

  constructor(
    public state: WorldState,
    public readonly clock: SimClock,
    public readonly scheduler: Scheduler,
    public latencies: Latencies,
    public ids: IdGen,
  ) {}

  /** simulated now (epoch ms); inside an applied event, the event's instant */
  now(): number {
    return this.scheduler.now();
  }

  /** run `fn` once the latency `key` has elapsed from now */
  after(key: LatencyKey, label: string, fn: () => void): void {
    this.scheduler.at(this.now() + this.latencies[key] * 1000, label, fn);
  }

  /** is a resource created at `createdAt` (epoch ms; undefined = seeded) visible to reads of kind `key` now? */
  seen(key: LagKey, createdAt: number | undefined): boolean {
    return visible(this.lag, key, this.now(), createdAt);
  }

  /** the world changed outside an event or a request (see `version`) */
  touch(): void {
    this.version++;
  }

  /** apply due events, then recompute derived state (tunnel status) at the current instant */
  tick(): void {
    const runHooks = (at: number) => {
      for (const h of this.tickHooks) h(at);
    };
    this.scheduler.runDue(this.clock.now(), (at) => {
      this.touch();
      runHooks(at);
    });
    runHooks(this.clock.now());
  }

  awsRegion(region: string): AwsRegionState {
    const regions = this.state.aws.regions;
    let r = regions[region];
    if (!r) {
      r = emptyAwsRegion();
      regions[region] = r;
    }
    return r;
  }

  /** Alibaba region state; unknown regions answer as the real API does */
  aliRegion(regionId: string | undefined): AliRegionState {
    if (!regionId) throw new SimError('MissingRegionId', 'RegionId is mandatory for this action.', 400);
    const r = this.state.alibaba.regions[regionId];
    if (!r) throw new SimError('InvalidRegionId.NotFound', `The specified region ${regionId} does not exist.`, 404);
    return r;
  }

  secrets(region: string): Record<string, Secret> {
    const all = this.state.aws.secrets;
    let r = all[region];
    if (!r) {
      r = {};
      all[region] = r;
    }
    return r;
  }
}
