import type { Server } from 'node:http';
import { alibabaStsService } from './alibaba/sts';
import { alibabaVpcService } from './alibaba/vpc';
import { cloudWatchService } from './aws/cloudwatch';
import { ec2Service } from './aws/ec2';
import { type LambdaInvoker, lambdaService } from './aws/lambda';
import { secretsManagerService } from './aws/secrets-manager';
import { stepFunctionsService } from './aws/step-functions';
import { adminHandler } from './core/admin';
import { Scheduler, SimClock } from './core/clock';
import { resolveLag } from './core/consistency';
import { type Service, type SfnRunner, SimContext } from './core/context';
import { FaultInjector, type ServiceName } from './core/faults';
import { IdGen } from './core/ids';
import { resolveLatencies } from './core/latencies';
import { Metrics } from './core/metrics';
import { listen } from './core/server';
import { seedWorld } from './core/world';
import { buildWorld, type WorldDefinition } from './core/world-definition';
import { type AlibabaRoleInput, IamModel, type PrincipalInput } from './iam/registry';
import { NegotiationModel } from './negotiation';

export type { LambdaInvoker } from './aws/lambda';
export { DEFAULT_LAG, type Lag, type LagKey } from './core/consistency';
export type { SfnRunner } from './core/context';
export type { FaultRuleInput } from './core/faults';
export { DEFAULT_LATENCIES, type Latencies, type LatencyKey } from './core/latencies';
export * from './core/world';
export * from './core/world-definition';
export type {
  AlibabaPrincipalInput,
  AlibabaRoleInput,
  AuthLogEntry,
  AwsPrincipalInput,
  PrincipalInput,
} from './iam/registry';
export { DEFAULT_ALIBABA_ACCOUNT_ID } from './iam/registry';
export type * from './types';

export interface SimulatorOptions {
  /** 0 (default) = a free port */
  port?: number;
  /** always loopback unless told otherwise */
  host?: string;
  /** simulated seconds per real second (default 100) */
  timeScale?: number;
  latencies?: Partial<Record<string, number>>;
  /**
   * eventual consistency after creates, per service and kind of read (sim/core/consistency.ts): e.g.
   * `{ 'ec2.list': 30 }` keeps a new VGW out of tag-filtered DescribeVpnGateways for 30 simulated seconds
   */
  lag?: Partial<Record<string, number>>;
  /** 'unknown': answer every assumed error code (docs/error-codes.md) as an unknown one (default 'as-is') */
  assumedErrorCodes?: 'as-is' | 'unknown';
  /** seed for ids and addresses (default: fixed, so a fresh world is reproducible) */
  seed?: number;
  /** runs state machines for the simulated Step Functions service */
  sfnRunner?: SfnRunner;
  /** runs functions for the simulated Lambda service (Invoke) */
  lambdaInvoker?: LambdaInvoker;
  /** where the simulator reports handler crashes (default: stderr) */
  log?: (line: string) => void;
  /**
   * IAM / RAM: principals (access keys with their policies), assumable Alibaba RAM roles, and whether
   * requests signed with a registered key are evaluated (`enforce`, default true). See docs/permissions.md.
   */
  iam?: IamOptions;
  /** a world of one's own instead of the seeded one (parseWorldDefinition); reset returns to it */
  world?: WorldDefinition;
}

export interface IamOptions {
  enforce?: boolean;
  principals?: PrincipalInput[];
  roles?: AlibabaRoleInput[];
}

/** what can change while the simulator runs (`PUT /_sim/config`); resources are untouched */
export interface SimConfig {
  timeScale?: number;
  latencies?: Partial<Record<string, number>>;
  lag?: Partial<Record<string, number>>;
  assumedErrorCodes?: 'as-is' | 'unknown';
}

export { DEFAULT_TIME_SCALE } from './core/defaults';

import { DEFAULT_TIME_SCALE } from './core/defaults';

export class Simulator {
  readonly ctx: SimContext;
  readonly faults = new FaultInjector();
  readonly metrics = new Metrics();
  readonly negotiation: NegotiationModel;
  metricsSince: number;
  url = '';
  port = 0;
  private server: Server | undefined;
  private readonly seed: number;

  constructor(private readonly opts: SimulatorOptions = {}) {
    this.seed = opts.seed ?? 20181212;
    const clock = new SimClock(opts.timeScale ?? DEFAULT_TIME_SCALE);
    const ids = new IdGen(this.seed);
    this.ctx = new SimContext(
      this.initialWorld(ids, clock.now()),
      clock,
      new Scheduler(clock),
      resolveLatencies(opts.latencies),
      ids,
    );
    this.ctx.sfnRunner = opts.sfnRunner;
    this.ctx.lambdaInvoker = opts.lambdaInvoker;
    this.ctx.log = opts.log ?? ((l) => process.stderr.write(`${l}\n`));
    this.ctx.iam = new IamModel(opts.iam);
    this.ctx.lag = resolveLag(opts.lag);
    this.ctx.assumedErrorCodes = opts.assumedErrorCodes ?? 'as-is';
    this.negotiation = new NegotiationModel(this.ctx);
    this.ctx.tickHooks.push((now) => this.negotiation.refresh(now));
    this.metricsSince = clock.now();
  }

  private initialWorld(ids: IdGen, now: number) {
    return this.opts.world ? buildWorld(this.opts.world, ids, now) : seedWorld(ids, now);
  }

  get services(): Record<ServiceName, Service> {
    return {
      ec2: ec2Service,
      secretsmanager: secretsManagerService,
      stepfunctions: stepFunctionsService,
      'alibaba-vpc': alibabaVpcService,
      'alibaba-sts': alibabaStsService,
      lambda: lambdaService,
      cloudwatch: cloudWatchService,
    };
  }

  async start(): Promise<this> {
    const host = this.opts.host ?? '127.0.0.1';
    const { server, port } = await listen(
      {
        ctx: this.ctx,
        services: this.services,
        faults: this.faults,
        metrics: this.metrics,
        admin: adminHandler(this),
        log: this.opts.log ?? ((l) => process.stderr.write(`${l}\n`)),
      },
      this.opts.port ?? 0,
      host,
    );
    this.server = server;
    this.port = port;
    this.url = `http://${host}:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    this.ctx.sfnRunner = undefined;
    this.ctx.lambdaInvoker = undefined;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  /** back to the seeded world: resources, faults, metrics, forced tunnels, pending events */
  reset(opts: { timeScale?: number } = {}): void {
    if (opts.timeScale !== undefined) this.ctx.clock.setTimeScale(opts.timeScale);
    const ids = new IdGen(this.seed);
    this.ctx.ids = ids;
    this.ctx.scheduler.clear();
    this.ctx.state = this.initialWorld(ids, this.ctx.clock.now());
    this.faults.clear();
    this.metrics.reset();
    this.negotiation.reset();
    // principals, roles and the enforcement switch are configuration and stay; the log starts afresh
    this.ctx.iam.clearLog();
    this.metricsSince = this.ctx.clock.now();
  }

  configure(opts: SimConfig): void {
    if (opts.timeScale !== undefined) this.ctx.clock.setTimeScale(opts.timeScale);
    if (opts.latencies) this.ctx.latencies = resolveLatencies({ ...this.ctx.latencies, ...opts.latencies });
    if (opts.lag) this.ctx.lag = resolveLag({ ...this.ctx.lag, ...opts.lag });
    if (opts.assumedErrorCodes !== undefined) {
      if (opts.assumedErrorCodes !== 'as-is' && opts.assumedErrorCodes !== 'unknown')
        throw new Error(`assumedErrorCodes must be 'as-is' or 'unknown'`);
      this.ctx.assumedErrorCodes = opts.assumedErrorCodes;
    }
  }

  /** the configuration `configure` sets (GET /_sim/config) */
  config(): Required<SimConfig> {
    return {
      timeScale: this.ctx.clock.timeScale,
      latencies: { ...this.ctx.latencies },
      lag: { ...this.ctx.lag },
      assumedErrorCodes: this.ctx.assumedErrorCodes,
    };
  }

  /** jump simulated time forward and apply what became due */
  advance(seconds: number): void {
    this.ctx.clock.advance(seconds);
    this.ctx.tick();
  }
}

/** Start the simulator on loopback; stop it with `await sim.stop()`. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  return new Simulator(opts).start();
}
