import '../src/polyfills';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIME_SCALE, startSimulator } from '../sim';
import { driftExitCode, driftText } from '../src/drift/render';
import { describeError, isVpnBridgeError } from '../src/errors';
import { formatIssues, parseSpec, parseSpecText } from '../src/spec';
import { runDriftCheck } from '../src/workflow/drift';
import { dataplaneCommand } from './dataplane/command';
import { demoSpec } from './demo';
import { configureEnvironment, connectSimulator, logTo, type SimAccess, seedCredentials } from './environment';
import { provisionLocally, type RunReport, rotateLocally, teardownLocally } from './operations';
import { operatorDeps, operatorService } from './operator';
import { lambdaInvoker, platformRunner } from './platform';
import { progressPrinter, reportText, tunnelTable } from './render';
import { PROJECT_ROOT, preloadHandlers, type RunEvent } from './runner';
import { serve } from './serve';
import { ensureStateMachines } from './state-machines';

// `vpn-bridge` — the command line. Every command that talks to clouds runs the same handlers and state
// machines as the deployment, against the simulator (`--local` starts one in this process, `--sim URL`
// uses a running `vpn-bridge sim`). `--json` prints one JSON document and nothing else on stdout.

export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number > 0');
  return n;
};
const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
};

interface SimTarget {
  local?: boolean;
  sim?: string;
  timeScale?: number;
  logs?: string;
  /** false with --no-iam: the simulator allows every call (IAM and RAM are enforced by default) */
  iam?: boolean;
}

function logFile(opts: SimTarget, label: string): string {
  return (
    opts.logs ??
    join(PROJECT_ROOT, '.vpn-bridge', 'logs', `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`)
  );
}

async function attach(
  opts: SimTarget,
  label: string,
  platform?: (line: string) => void,
): Promise<{ access: SimAccess; logs: string }> {
  if (!opts.local && !opts.sim)
    throw new CliError(
      'say where to run: --local (a simulator in this process) or --sim URL (a running `vpn-bridge sim`)',
    );
  if (opts.local && opts.sim) throw new CliError('--local and --sim are exclusive');
  const logs = logFile(opts, label);
  logTo(logs);
  // load every handler before the simulated clock starts (TypeScript compiles on first load)
  preloadHandlers();
  let scale = opts.timeScale ?? DEFAULT_TIME_SCALE;
  const access = await connectSimulator({
    url: opts.sim,
    timeScale: opts.timeScale,
    // an in-process simulator runs state machines for the HTTP API and chat (serve) as AWS would
    sfnRunner: platform && !opts.sim ? platformRunner(() => scale, platform) : undefined,
    // ... and the Lambda service runs the chat worker the Slack endpoint invokes
    lambdaInvoker: platform && !opts.sim ? lambdaInvoker() : undefined,
    iam: opts.iam,
  });
  scale = access.sim?.ctx.clock.timeScale ?? scale;
  return { access, logs };
}

/** the same command against the same simulator, plus --force (what takes over a connection a dead run holds) */
function forceCommand(verb: string, opts: SimTarget): string {
  const target = opts.sim ? ` --sim ${opts.sim}` : opts.local ? ' --local' : '';
  return `vpn-bridge ${verb}${target} --force`;
}

/** a run refused because another operation holds the connection: say how to take it over */
function withNext(report: RunReport, command: string): RunReport {
  return report.execution.error === 'OperationInProgress' ? { ...report, next: command } : report;
}

function emit(report: RunReport, json: boolean, out: (s: string) => void, logs: string): void {
  if (json) out(JSON.stringify(report, null, 2));
  else {
    out(reportText(report));
    out(`  logs: ${logs}`);
  }
}

async function run(
  spec: unknown,
  opts: SimTarget & { json?: boolean },
  io: Io,
  label: string,
  takeOver = false,
  more: {
    /** runs against the same simulator after a successful provisioning (demo --dataplane) */
    after?: (access: SimAccess, name: string, provision: RunReport) => Promise<number>;
    /** `up -f <file>`: the command that resumes this run (with --force) */
    resume?: string;
  } = {},
): Promise<number> {
  const parsed = parseSpec(spec);
  if (!parsed.ok) throw new CliError(`the connection spec is invalid:\n${formatIssues(parsed.errors)}`);
  const { access, logs } = await attach(opts, label);
  try {
    let start = await access.simNow();
    let simNow = start;
    const tick = setInterval(() => {
      void access.simNow().then((t) => {
        simNow = t;
      });
    }, 100);
    const elapsed = () => ((access.sim ? access.sim.ctx.clock.now() : simNow) - start) / 1000;
    if (!opts.json) {
      io.err(
        `provisioning ${parsed.spec.name} against the simulator at ${access.url} (time scale ${access.sim?.ctx.clock.timeScale ?? '?'}x)`,
      );
      for (const w of parsed.warnings) io.err(`  warning: ${w.path}: ${w.message}`);
    }
    try {
      const report = await provisionLocally(access, parsed.spec, {
        takeOver,
        onEvent: (() => {
          const print = opts.json ? undefined : progressPrinter({ write: io.err, elapsed });
          let first = true;
          return (e: RunEvent) => {
            if (first && access.sim) start = access.sim.ctx.clock.now();
            first = false;
            print?.(e);
          };
        })(),
      });
      const { after, resume } = more;
      const shown = resume ? withNext(report, forceCommand(resume, opts)) : report;
      // with --json and a follow-up, the follow-up prints one document holding both
      if (!(after && opts.json && report.status === 'ACTIVE')) emit(shown, opts.json === true, io.out, logs);
      if (report.status !== 'ACTIVE') return 1;
      return after ? await after(access, parsed.spec.name, report) : 0;
    } finally {
      clearInterval(tick);
    }
  } finally {
    await access.stop();
  }
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
};

export function buildCli(
  io: Io = defaultIo,
  setExit: (code: number) => void = (c) => {
    process.exitCode = c;
  },
): Command {
  const program = new Command('vpn-bridge')
    .description("Connect an AWS VPC and an Alibaba Cloud VPC through both clouds' managed IPsec VPN services.")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const simTarget = (c: Command) =>
    c
      .option('--local', 'run against a simulator started in this process')
      .option('--sim <url>', 'run against a running simulator (`vpn-bridge sim`)')
      .option('--time-scale <n>', 'simulated seconds per real second for --local', positiveNumber, DEFAULT_TIME_SCALE)
      .option('--logs <file>', "where the handlers' structured logs go (default .vpn-bridge/logs/)")
      .option('--no-iam', "don't enforce the functions' IAM roles and the RAM policy in the simulator")
      .option('--json', 'print one JSON document at the end and nothing else');

  program
    .command('sim')
    .description('serve the simulated AWS (EC2, Secrets Manager, Step Functions) and Alibaba VPC APIs on 127.0.0.1')
    .option('--port <port>', 'port to listen on', port, 4566)
    .option('--time-scale <n>', 'simulated seconds per real second', positiveNumber, DEFAULT_TIME_SCALE)
    .option('--logs <file>', 'where the handlers run by the Step Functions service log (default .vpn-bridge/logs/)')
    .option('--no-iam', "don't enforce the functions' IAM roles and the RAM policy")
    .action(async (o: { port: number; timeScale: number; logs?: string; iam: boolean }) => {
      // the Step Functions service runs vpn-bridge's state machines with its handlers, in this process
      logTo(logFile({ logs: o.logs }, 'sim'));
      const log = (l: string) => io.err(`  ${l}`);
      let scale = o.timeScale;
      const sim = await startSimulator({
        port: o.port,
        timeScale: o.timeScale,
        sfnRunner: platformRunner(() => scale, log),
        lambdaInvoker: lambdaInvoker(),
      });
      scale = sim.ctx.clock.timeScale;
      configureEnvironment(sim.url);
      await seedCredentials(sim.url, { iam: o.iam });
      await ensureStateMachines(sim.url);
      io.out(
        `vpn-bridge simulator on ${sim.url} (time scale ${o.timeScale}x: one real second = ${o.timeScale} simulated seconds)`,
      );
      io.out(`  AWS:     AWS_ENDPOINT_URL=${sim.url} (EC2 Query, Secrets Manager, Step Functions), region us-east-1`);
      io.out(
        `  Alibaba: endpoint ${sim.url.replace('http://', '')} with protocol http (VPC 2016-04-28); regions eu-central-1 (dual-tunnel), me-east-1 (single-tunnel)`,
      );
      io.out(
        `  admin:   ${sim.url}/_sim/state | /_sim/metrics | /_sim/faults | /_sim/tunnels | /_sim/config | /_sim/reset`,
      );
      io.out('Ctrl-C stops it.');
      await new Promise<void>((resolve) => {
        const stop = () => {
          void sim.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  simTarget(
    program
      .command('up')
      .description('provision a connection from a spec file (YAML or JSON) and wait until both tunnels are UP')
      .requiredOption('-f, --file <spec>', 'connection spec (YAML or JSON)')
      .option(
        '--force',
        'take over a connection that a stopped or crashed run still holds (it is named in the output)',
      ),
  ).action(async (o: SimTarget & { file: string; json?: boolean; force?: boolean }) => {
    let text: string;
    try {
      text = readFileSync(o.file, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${o.file}: ${(e as Error).message}`);
    }
    const parsed = parseSpecText(text);
    if (!parsed.ok) throw new CliError(`${o.file} is not a valid connection spec:\n${formatIssues(parsed.errors)}`);
    setExit(await run(parsed.spec, o, io, `up-${parsed.spec.name}`, o.force === true, { resume: `up -f ${o.file}` }));
  });

  program
    .command('demo')
    .description("rehearse the whole workflow against an in-process simulator with the article's example values")
    .addOption(
      new Option(
        '--alibaba-region <region>',
        "Alibaba region: eu-central-1 (dual-tunnel gateway) or me-east-1 (single-tunnel, the article's topology)",
      ).default('eu-central-1'),
    )
    .addOption(
      new Option('--profile <profile>', 'crypto profile')
        .choices(['recommended', 'article-2018'])
        .default('recommended'),
    )
    .addOption(
      new Option('--psk <mode>', 'where the pre-shared keys come from')
        .choices(['from-aws-config', 'generated'])
        .default('from-aws-config'),
    )
    .option('--time-scale <n>', 'simulated seconds per real second', positiveNumber, DEFAULT_TIME_SCALE)
    .option('--logs <file>', "where the handlers' structured logs go (default .vpn-bridge/logs/)")
    .option('--no-iam', "don't enforce the functions' IAM roles and the RAM policy in the simulator")
    .option('--json', 'print one JSON document at the end and nothing else')
    .option('--dataplane', 'then run the tunnels as real IKE daemons with real traffic (root, strongSwan)')
    .action(
      async (o: {
        dataplane?: boolean;
        alibabaRegion: string;
        profile: 'recommended' | 'article-2018';
        psk: 'from-aws-config' | 'generated';
        timeScale: number;
        logs?: string;
        iam: boolean;
        json?: boolean;
      }) => {
        // a throw-away simulator just to read the seeded world's ids; the run starts a fresh one
        const probe = await startSimulator({ timeScale: o.timeScale });
        let spec: unknown;
        try {
          spec = await demoSpec(probe.url, { alibabaRegion: o.alibabaRegion, profile: o.profile, psk: o.psk });
        } catch (e) {
          throw new CliError(`${(e as Error).message} (known regions: eu-central-1, me-east-1)`);
        } finally {
          await probe.stop();
        }
        const after = o.dataplane ? dataplaneCommand(io, o.json === true) : undefined;
        setExit(
          await run(
            spec,
            { local: true, timeScale: o.timeScale, logs: o.logs, iam: o.iam, json: o.json },
            io,
            'demo',
            false,
            { after },
          ),
        );
      },
    );

  program
    .command('dataplane')
    .description("a connection's tunnels as real IKE daemons (strongSwan) with real TCP through them, then failover")
    .argument('<name>')
    .requiredOption('--sim <url>', 'the running simulator that holds the connection (`vpn-bridge sim`)')
    .option('--json', 'print one JSON document at the end and nothing else')
    .action(async (name: string, o: { sim: string; json?: boolean }) => {
      const access = await connectSimulator({ url: o.sim });
      setExit(await dataplaneCommand(io, o.json === true)(access, name));
    });

  simTarget(
    program
      .command('serve')
      .description(
        "serve the HTTP API and the Slack endpoint on 127.0.0.1 with the deployment's handlers, backed by the simulator",
      )
      .option('--port <port>', 'port for the HTTP API', port, 3000)
      .option('--drift-every <seconds>', 'simulated seconds between scheduled drift checks (0 = off)', Number, 1800),
  ).action(async (o: SimTarget & { port: number; driftEvery: number; json?: boolean }) => {
    const log = (l: string) => io.err(`  ${l}`);
    const { access, logs } = await attach({ ...o, local: o.local ?? !o.sim }, 'serve', log);
    const served = await serve({
      access,
      port: o.port,
      driftEverySimSeconds: o.driftEvery,
      timeScale: () => access.sim?.ctx.clock.timeScale ?? o.timeScale ?? DEFAULT_TIME_SCALE,
      log,
    });
    io.out(`vpn-bridge API on ${served.url} (handlers from serverless.yml, simulator at ${access.url})`);
    for (const r of served.routes) io.out(`  ${r.method.padEnd(6)} ${served.url}${r.path}  -> ${r.function}`);
    if (!process.env.SLACK_SIGNING_SECRET)
      io.out(
        '  (set SLACK_SIGNING_SECRET and SLACK_ALLOWED_*_IDS to accept Slack commands, SLACK_ADMIN_USER_IDS for up/down)',
      );
    io.out(`  logs: ${logs}`);
    io.out('Ctrl-C stops it.');
    await new Promise<void>((resolve) => {
      const stop = () => {
        void served
          .stop()
          .then(() => access.stop())
          .then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });

  simTarget(
    program
      .command('status')
      .description("a connection's record and live per-tunnel health on both clouds")
      .argument('<name>'),
  ).action(async (name: string, o: SimTarget & { json?: boolean }) => {
    const { access } = await attach(o, `status-${name}`);
    try {
      const view = await operatorService().getConnection(name);
      if (o.json) io.out(JSON.stringify(view, null, 2));
      else {
        io.out(
          `${view.name}: ${view.status}${view.topology ? ` (${view.topology})` : ''}${view.statusReason ? ` - ${view.statusReason}` : ''}`,
        );
        if (view.tunnels.length > 0) io.out(tunnelTable(view.tunnels));
        if (view.tunnelsError) io.out(`  live status unavailable: ${view.tunnelsError}`);
        if (view.lastRotation)
          io.out(
            `  last key rotation ${view.lastRotation.at}: ${view.lastRotation.result}${view.lastRotation.tunnels.length > 0 ? ` (${view.lastRotation.tunnels.join(', ')} rotated)` : ''}`,
          );
        if (view.lastDrift)
          io.out(
            `  last drift check ${view.lastDrift.at}: ${view.lastDrift.clean ? 'clean' : `${view.lastDrift.rows.length} finding(s)`}`,
          );
      }
    } finally {
      await access.stop();
    }
  });

  simTarget(program.command('list').description('every managed connection')).action(
    async (o: SimTarget & { json?: boolean }) => {
      const { access } = await attach(o, 'list');
      try {
        const all = await operatorService().listConnections();
        if (o.json) io.out(JSON.stringify(all, null, 2));
        else if (all.length === 0) io.out('no connections');
        else {
          const t = new Table({
            head: ['name', 'status', 'topology', 'AWS', 'Alibaba', 'last drift', 'updated'],
            style: { head: [], border: [] },
          });
          for (const c of all)
            t.push([
              c.name,
              c.status,
              c.topology ?? '-',
              c.awsRegion ?? '-',
              c.alibabaRegion ?? '-',
              c.lastDrift ? (c.lastDrift.clean ? 'clean' : `${c.lastDrift.findings} finding(s)`) : '-',
              c.updatedAt,
            ]);
          io.out(t.toString());
        }
      } finally {
        await access.stop();
      }
    },
  );

  simTarget(
    program
      .command('drift')
      .description('compare every managed connection (or one) with both clouds; exit 0 clean, 2 drift, 1 error')
      .argument('[name]')
      .option('--repair', 're-create deleted routes (the only drift repaired automatically), then check again'),
  ).action(async (name: string | undefined, o: SimTarget & { json?: boolean; repair?: boolean }) => {
    const { access } = await attach(o, `drift${name ? `-${name}` : ''}`);
    try {
      const run = await runDriftCheck(operatorDeps(), { names: name ? [name] : undefined, repair: o.repair === true });
      if (o.json) io.out(JSON.stringify(run, null, 2));
      else io.out(driftText({ ...run, results: run.results.map((r) => ({ ...r, rowCount: r.rows.length })) }));
      setExit(driftExitCode(run));
    } finally {
      await access.stop();
    }
  });

  simTarget(
    program
      .command('down')
      .description('tear a connection down on both clouds (reverse order) and mark it DELETED')
      .argument('<name>')
      .option(
        '--force',
        'take over a connection that a stopped or crashed run still holds (it is named in the output)',
      ),
  ).action(async (name: string, o: SimTarget & { json?: boolean; force?: boolean }) => {
    const { access, logs } = await attach(o, `down-${name}`);
    try {
      if (!(await operatorDeps().registry.get(name))) throw new CliError(`no connection named ${name}`);
      let start = await access.simNow();
      const elapsed = () => ((access.sim ? access.sim.ctx.clock.now() : Date.now()) - start) / 1000;
      const print = o.json ? undefined : progressPrinter({ write: io.err, elapsed });
      let first = true;
      const torn = await teardownLocally(access, name, {
        takeOver: o.force === true,
        onEvent: (e) => {
          if (first && access.sim) start = access.sim.ctx.clock.now();
          first = false;
          print?.(e);
        },
      });
      const report = withNext(torn, forceCommand(`down ${name}`, o));
      if (o.json) io.out(JSON.stringify(report, null, 2));
      else {
        io.out(
          `${name}: ${report.status}${report.execution.status !== 'SUCCEEDED' ? ` (${report.execution.error}: ${report.execution.cause})` : ''}`,
        );
        if (report.replaced)
          io.out(
            `  took over from ${report.replaced.kind} ${report.replaced.executionName ?? '?'} (started ${report.replaced.startedAt})`,
          );
        if (report.next) io.out(`  next (only if that run is no longer running): ${report.next}`);
        io.out(`  ${report.metrics.simulatedSeconds}s simulated, ${report.metrics.apiCalls} API calls; logs: ${logs}`);
      }
      setExit(report.status === 'DELETED' ? 0 : 1);
    } finally {
      await access.stop();
    }
  });

  simTarget(
    program
      .command('rotate')
      .description(
        "new pre-shared keys for a connection's used tunnels, one tunnel at a time (the standby first), with no downtime",
      )
      .argument('<name>')
      .option(
        '--force',
        'take over a connection that a stopped or crashed run still holds (it is named in the output)',
      ),
  ).action(async (name: string, o: SimTarget & { json?: boolean; force?: boolean }) => {
    const { access, logs } = await attach(o, `rotate-${name}`);
    try {
      if (!(await operatorDeps().registry.get(name))) throw new CliError(`no connection named ${name}`);
      let start = await access.simNow();
      const elapsed = () => ((access.sim ? access.sim.ctx.clock.now() : Date.now()) - start) / 1000;
      const print = o.json ? undefined : progressPrinter({ write: io.err, elapsed });
      let first = true;
      const rotated = await rotateLocally(access, name, {
        takeOver: o.force === true,
        onEvent: (e) => {
          if (first && access.sim) start = access.sim.ctx.clock.now();
          first = false;
          print?.(e);
        },
      });
      const report = withNext(rotated, forceCommand(`rotate ${name}`, o));
      if (o.json) io.out(JSON.stringify(report, null, 2));
      else {
        io.out(
          `${name}: ${report.status}${report.execution.status !== 'SUCCEEDED' ? ` (${report.execution.error}: ${report.execution.cause})` : ''}`,
        );
        if (report.tunnels.length > 0) io.out(tunnelTable(report.tunnels));
        if (report.next) io.out(`  next (only if that run is no longer running): ${report.next}`);
        io.out(`  ${report.metrics.simulatedSeconds}s simulated, ${report.metrics.apiCalls} API calls; logs: ${logs}`);
      }
      setExit(report.status === 'ROTATED' ? 0 : 1);
    } finally {
      await access.stop();
    }
  });

  return program;
}

export async function main(argv: string[] = process.argv, io: Io = defaultIo): Promise<number> {
  let code = 0;
  const program = buildCli(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code?.startsWith('commander.'))
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : (err.exitCode ?? 1);
    if (e instanceof CliError) {
      io.err(`vpn-bridge: ${e.message}`);
      return e.exitCode;
    }
    if (isVpnBridgeError(e)) {
      const d = describeError(e);
      io.err(`vpn-bridge: ${d.name}: ${d.message}`);
      return 1;
    }
    io.err(`vpn-bridge: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
  return code;
}
