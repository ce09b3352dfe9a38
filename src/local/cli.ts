import '../polyfills';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIME_SCALE, startSimulator } from '../../sim';
import { formatIssues, parseSpec, parseSpecText } from '../spec';
import { demoSpec } from './demo';
import { connectSimulator, logTo, type SimAccess } from './environment';
import { provisionLocally, type RunReport } from './operations';
import { progressPrinter, reportText } from './render';
import { PROJECT_ROOT, preloadHandlers, type RunEvent } from './runner';

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
}

function logFile(opts: SimTarget, label: string): string {
  return (
    opts.logs ??
    join(PROJECT_ROOT, '.vpn-bridge', 'logs', `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`)
  );
}

async function attach(opts: SimTarget, label: string): Promise<{ access: SimAccess; logs: string }> {
  if (!opts.local && !opts.sim)
    throw new CliError(
      'say where to run: --local (a simulator in this process) or --sim URL (a running `vpn-bridge sim`)',
    );
  if (opts.local && opts.sim) throw new CliError('--local and --sim are exclusive');
  const logs = logFile(opts, label);
  logTo(logs);
  // load every handler before the simulated clock starts (TypeScript compiles on first load)
  preloadHandlers();
  const access = await connectSimulator({ url: opts.sim, timeScale: opts.timeScale });
  return { access, logs };
}

function emit(report: RunReport, json: boolean, out: (s: string) => void, logs: string): void {
  if (json) out(JSON.stringify(report, null, 2));
  else {
    out(reportText(report));
    out(`  logs: ${logs}`);
  }
}

async function run(spec: unknown, opts: SimTarget & { json?: boolean }, io: Io, label: string): Promise<number> {
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
      emit(report, opts.json === true, io.out, logs);
      return report.status === 'ACTIVE' ? 0 : 1;
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
      .option('--json', 'print one JSON document at the end and nothing else');

  program
    .command('sim')
    .description('serve the simulated AWS (EC2, Secrets Manager, Step Functions) and Alibaba VPC APIs on 127.0.0.1')
    .option('--port <port>', 'port to listen on', port, 4566)
    .option('--time-scale <n>', 'simulated seconds per real second', positiveNumber, DEFAULT_TIME_SCALE)
    .action(async (o: { port: number; timeScale: number }) => {
      const sim = await startSimulator({ port: o.port, timeScale: o.timeScale });
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
      .requiredOption('-f, --file <spec>', 'connection spec (YAML or JSON)'),
  ).action(async (o: SimTarget & { file: string; json?: boolean }) => {
    let text: string;
    try {
      text = readFileSync(o.file, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${o.file}: ${(e as Error).message}`);
    }
    const parsed = parseSpecText(text);
    if (!parsed.ok) throw new CliError(`${o.file} is not a valid connection spec:\n${formatIssues(parsed.errors)}`);
    setExit(await run(parsed.spec, o, io, `up-${parsed.spec.name}`));
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
    .option('--json', 'print one JSON document at the end and nothing else')
    .action(
      async (o: {
        alibabaRegion: string;
        profile: 'recommended' | 'article-2018';
        psk: 'from-aws-config' | 'generated';
        timeScale: number;
        logs?: string;
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
        setExit(await run(spec, { local: true, timeScale: o.timeScale, logs: o.logs, json: o.json }, io, 'demo'));
      },
    );

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
    io.err(`vpn-bridge: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
  return code;
}
