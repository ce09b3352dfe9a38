import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIME_SCALE } from '../sim/core/defaults';
import { CliError, type Io } from './cli-types';

// `vpn-bridge` — the command line. Against the simulator (`--local` starts one in this process, `--sim URL` uses a
// running `vpn-bridge sim`) every command runs the same handlers and state machines as the deployment; without
// either it calls the deployed stack's HTTP API, signed with SigV4 (`--stack`/`--stage`/`--region`, or `--api URL`).
// `--json` prints one JSON document and nothing else on stdout (errors too). This file only declares the commands:
// their code (and the SDKs, the simulator, TypeScript's compile of it all) loads when one runs, so --help is quick.

export { CliError, type Io } from './cli-types';

// required on first use (tsx's CommonJS hook compiles it then; a dynamic import() would bypass the hook)
const commands = async (): Promise<typeof import('./commands')> => require('./commands');

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

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
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
    .version(version(), '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const json = (c: Command) => c.option('--json', 'print one JSON document at the end and nothing else');
  const simulator = (c: Command, local = true) =>
    (local ? c.option('--local', 'run against a simulator started in this process') : c)
      .option('--sim <url>', 'run against a running simulator (`vpn-bridge sim`)')
      .option('--time-scale <n>', 'simulated seconds per real second for --local', positiveNumber, DEFAULT_TIME_SCALE)
      .option('--world <file>', "--local: the simulator's world (regions, VPCs, ...; see `vpn-bridge sim --help`)")
      .option('--logs <file>', "where the handlers' structured logs go (default .vpn-bridge/logs/)")
      .option('--no-iam', "don't enforce the functions' IAM roles and the RAM policy in the simulator");
  const deployed = (c: Command) =>
    c
      .option('--stack <name>', 'the deployed stack (default vpn-bridge-<stage>)')
      .option('--stage <stage>', 'the deployed stage', 'dev')
      .option('--region <region>', "the stack's region (default AWS_REGION, else us-east-1)")
      .option('--api <url>', 'the HTTP API itself (a `vpn-bridge serve`, or a stack found another way)');
  /** a command that works on the simulator and on a deployed stack */
  const anywhere = (c: Command, local = true) => json(deployed(simulator(c, local)));

  program.addHelpText(
    'after',
    `
Where commands run:
  --local            a simulator started in this process (up, plan, demo, serve)
  --sim URL          a running \`vpn-bridge sim\`
  (neither)          the deployed vpn-bridge: its stack's HttpApiUrl output, calls signed with SigV4 from the
                     standard AWS credential chain (--stack, --stage, --region; or --api URL)

Exit codes: 0 done / nothing to do, 1 error, 2 plan has changes / drift found / a used tunnel is DOWN.`,
  );

  program
    .command('sim')
    .description(
      'serve the simulated AWS (EC2, Secrets Manager, Step Functions, CloudWatch alarms) and Alibaba VPC APIs on 127.0.0.1',
    )
    .option('--port <port>', 'port to listen on', port, 4566)
    .option('--time-scale <n>', 'simulated seconds per real second', positiveNumber, DEFAULT_TIME_SCALE)
    .option(
      '--world <file>',
      'a world of your own (YAML/JSON: regions, VPCs, CIDRs, route tables, vSwitches, zones, gateway kinds, VGWs)',
    )
    .option(
      '--world-from-spec <file>',
      "the world a connection spec expects, with the spec's ids (rehearse it before running it for real)",
    )
    .option('--logs <file>', 'where the handlers run by the Step Functions service log (default .vpn-bridge/logs/)')
    .option('--no-iam', "don't enforce the functions' IAM roles and the RAM policy")
    .action(async (o) => (await commands()).simCommand(o, io));

  anywhere(
    program
      .command('up')
      .description('provision a connection from a spec file (YAML or JSON) and wait until its tunnels are UP')
      .requiredOption('-f, --file <spec>', 'connection spec (YAML or JSON)')
      .option(
        '--force',
        'take over a connection that a stopped or crashed run still holds (it is named in the output)',
      ),
  ).action(async (o) => (await commands()).upCommand(o, io, setExit));

  anywhere(
    program
      .command('plan')
      .description(
        'what `up` would create or adopt on each cloud, the crypto, the pairing and the expected duration (read-only); exit 0 nothing to do, 2 changes, 1 error',
      )
      .requiredOption('-f, --file <spec>', 'connection spec (YAML or JSON)'),
  ).action(async (o) => (await commands()).planCommand(o, io, setExit));

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
    .action(async (o) => (await commands()).demoCommand(o, io, setExit));

  program
    .command('dataplane')
    .description("a connection's tunnels as real IKE daemons (strongSwan) with real TCP through them, then failover")
    .argument('<name>')
    .requiredOption('--sim <url>', 'the running simulator that holds the connection (`vpn-bridge sim`)')
    .option('--json', 'print one JSON document at the end and nothing else')
    .action(async (name: string, o) => (await commands()).dataplaneCmd(name, o, io, setExit));

  json(
    simulator(
      program
        .command('serve')
        .description(
          "serve the HTTP API (SigV4 on the IAM routes, as deployed), the Slack endpoint and a status page at / on 127.0.0.1, with the deployment's handlers, backed by the simulator",
        )
        .option('--port <port>', 'port for the HTTP API', port, 3000)
        .option('--drift-every <seconds>', 'simulated seconds between scheduled drift checks (0 = off)', Number, 1800)
        .option(
          '--failover-every <seconds>',
          'simulated seconds between runs of the transit gateway failover watcher (0 = off)',
          Number,
          60,
        ),
    ),
  ).action(async (o) => (await commands()).serveCommand(o, io));

  anywhere(
    program
      .command('status')
      .description(
        "a connection's record and live per-tunnel health on both clouds (exit 2 when a used tunnel is DOWN)",
      )
      .argument('<name>'),
  ).action(async (name: string, o) => (await commands()).statusCommand(name, o, io, setExit));

  anywhere(program.command('list').description('every managed connection')).action(async (o) =>
    (await commands()).listCommand(o, io),
  );

  anywhere(
    program
      .command('drift')
      .description('compare every managed connection (or one) with both clouds; exit 0 clean, 2 drift, 1 error')
      .argument('[name]')
      .option('--repair', 're-create deleted routes (the only drift repaired automatically), then check again'),
  ).action(async (name: string | undefined, o) => (await commands()).driftCommand(name, o, io, setExit));

  anywhere(
    program
      .command('down')
      .description('tear a connection down on both clouds (reverse order) and mark it DELETED')
      .argument('<name>')
      .option(
        '--force',
        'take over a connection that a stopped or crashed run still holds (it is named in the output)',
      ),
  ).action(async (name: string, o) => (await commands()).downCommand(name, o, io, setExit));

  anywhere(
    program
      .command('report')
      .description("a connection's status page (topology, drift, last operation's timeline) as an HTML file")
      .argument('<name>')
      .option('--html <file>', 'where the page goes'),
  ).action(async (name: string, o) => (await commands()).reportCommand(name, o, io, setExit));

  anywhere(
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
  ).action(async (name: string, o) => (await commands()).rotateCommand(name, o, io, setExit));

  return program;
}

function errorDocument(e: unknown): { error: { code: string; message: string } } {
  const err = e as { name?: string; code?: string; message?: string };
  return {
    error: {
      code: err.code && !err.code.startsWith('commander.') ? err.code : (err.name ?? 'Error'),
      message: err.message ?? String(e),
    },
  };
}

export async function main(argv: string[] = process.argv, io: Io = defaultIo): Promise<number> {
  let code = 0;
  const wantsJson = argv.includes('--json');
  const program = buildCli(wantsJson ? { out: io.out, err: () => undefined } : io, (c) => {
    code = c;
  });
  const fail = (e: unknown, text: string, exit: number) => {
    if (wantsJson) io.out(JSON.stringify(errorDocument(e), null, 2));
    else io.err(text);
    return exit;
  };
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code?.startsWith('commander.'))
      return fail({ name: 'UsageError', message: (err.message ?? '').replace(/^error: /, '') }, '', err.exitCode ?? 1);
    if (e instanceof CliError) return fail(e, `vpn-bridge: ${e.message}`, e.exitCode);
    const { describeError, isVpnBridgeError } = require('../src/errors') as typeof import('../src/errors');
    if (isVpnBridgeError(e)) {
      const d = describeError(e);
      return fail({ name: d.name, message: d.message }, `vpn-bridge: ${d.name}: ${d.message}`, 1);
    }
    const named = e as { name?: string };
    if (named.name === 'RemoteError' || named.name === 'WorldDefinitionError')
      return fail(e, `vpn-bridge: ${(e as Error).message}`, 1);
    return fail(e, `vpn-bridge: ${(e as Error).stack ?? String(e)}`, 1);
  }
  return code;
}
