import '../src/polyfills';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseWorldDefinition, startSimulator, type WorldDefinition } from '../sim';
import { driftExitCode, driftTable, driftText } from '../src/drift/render';
import { type PlanPreview, planExitCode } from '../src/plan/preview';
import type { ConnectionSummary, ConnectionView } from '../src/service/connections';
import { planSpec } from '../src/service/plan';
import { type ConnectionSpec, formatIssues, parseSpec, parseSpecText } from '../src/spec';
import { runDriftCheck } from '../src/workflow/drift';
import { CliError, type Io } from './cli-types';
import { OPERATOR_AWS } from './constants';
import { configureEnvironment, connectSimulator, logTo, type SimAccess, seedCredentials } from './environment';
import { provisionLocally, type RunReport, rotateLocally, teardownLocally } from './operations';
import { operatorDeps, operatorService } from './operator';
import { planText } from './plan-render';
import { lambdaInvoker, platformRunner } from './platform';
import { RemoteApi, RemoteError, type RemoteTarget, regionOf } from './remote';
import { progressPrinter, reportText, tunnelTable } from './render';
import { PROJECT_ROOT, preloadHandlers, type RunEvent } from './runner';
import { serve } from './serve';
import { ensureStateMachines } from './state-machines';
import { renderStatusPage } from './status-html';
import { statusPageFor } from './status-page';
import { fitTable } from './table';
import { worldFromSpec } from './world-from-spec';

// required on first use: the demo and the data-plane check load the official Alibaba SDK (about 0.6 s of CPU), which
// no other command needs (a require, not import(), so tsx's CommonJS hook compiles them)
const demoModule = (): typeof import('./demo') => require('./demo');
const dataplaneModule = (): typeof import('./dataplane/command') => require('./dataplane/command');

// The commands behind `vpn-bridge` (local/cli.ts declares them and loads this module only when one runs).
// Against the simulator (`--local`: one in this process; `--sim URL`: a running `vpn-bridge sim`) they run the same
// handlers and state machines as the deployment; without either they call a deployed stack's HTTP API (local/remote.ts).

export interface SimTarget {
  local?: boolean;
  sim?: string;
  timeScale?: number;
  logs?: string;
  iam?: boolean;
  world?: string;
  json?: boolean;
}
export type Target = SimTarget & RemoteTarget;

type SetExit = (code: number) => void;

function logFile(opts: { logs?: string }, label: string): string {
  return (
    opts.logs ??
    join(PROJECT_ROOT, '.vpn-bridge', 'logs', `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`)
  );
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** a world definition file (YAML or JSON), checked field by field */
export function readWorld(file: string): WorldDefinition {
  let doc: unknown;
  try {
    doc = parseYaml(readText(file));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file} is not YAML or JSON: ${(e as Error).message}`);
  }
  try {
    return parseWorldDefinition(doc);
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
}

export function readSpecFile(file: string): ConnectionSpec {
  const parsed = parseSpecText(readText(file));
  if (!parsed.ok) throw new CliError(`${file} is not a valid connection spec:\n${formatIssues(parsed.errors)}`);
  return parsed.spec;
}

const isSim = (o: SimTarget) => o.local === true || o.sim !== undefined;

async function attach(
  opts: SimTarget,
  label: string,
  platform?: (line: string) => void,
): Promise<{ access: SimAccess; logs: string }> {
  if (opts.local && opts.sim) throw new CliError('--local and --sim are exclusive');
  if (opts.world && opts.sim)
    throw new CliError('--world shapes the simulator --local starts; a running one has its own');
  const logs = logFile(opts, label);
  logTo(logs);
  // load every handler before the simulated clock starts (TypeScript compiles on first load)
  preloadHandlers();
  let scale = opts.timeScale ?? 100;
  const access = await connectSimulator({
    url: opts.sim,
    timeScale: opts.timeScale,
    sfnRunner: platform && !opts.sim ? platformRunner(() => scale, platform) : undefined,
    lambdaInvoker: platform && !opts.sim ? lambdaInvoker() : undefined,
    iam: opts.iam,
    world: opts.world ? readWorld(opts.world) : undefined,
  });
  scale = access.timeScale ?? scale;
  return { access, logs };
}

/** status, list, drift and down read what a simulator holds: one started just now holds nothing */
function refuseEmptyLocal(o: SimTarget, verb: string): void {
  if (o.local)
    throw new CliError(
      `\`${verb} --local\` would ask a simulator started just now, which holds no connection: use --sim URL (a running \`vpn-bridge sim\`), --api URL (a running \`vpn-bridge serve\`), or no flag for the deployed stack`,
    );
}

/** simulated seconds since `mark()`, for a simulator in this process or a running one (never negative) */
function simClock(access: SimAccess) {
  let start: number | undefined;
  let now: number | undefined;
  const read = () =>
    access.simNow().then((t) => {
      now = t;
    });
  const tick = access.sim ? undefined : setInterval(() => void read().catch(() => undefined), 100);
  return {
    async mark() {
      start = await access.simNow();
      now = start;
    },
    markNow() {
      if (access.sim) start = access.sim.ctx.clock.now();
    },
    elapsed() {
      const t = access.sim ? access.sim.ctx.clock.now() : now;
      return start === undefined || t === undefined ? 0 : Math.max(0, (t - start) / 1000);
    },
    stop() {
      if (tick) clearInterval(tick);
    },
  };
}

function forceCommand(verb: string, opts: SimTarget): string {
  const target = opts.sim ? ` --sim ${opts.sim}` : opts.local ? ' --local' : '';
  return `vpn-bridge ${verb}${target} --force`;
}

function withNext(report: RunReport, command: string): RunReport {
  return report.execution.error === 'OperationInProgress' ? { ...report, next: command } : report;
}

export async function runProvision(
  spec: unknown,
  opts: SimTarget,
  io: Io,
  label: string,
  takeOver = false,
  more: {
    after?: (access: SimAccess, name: string, provision: RunReport) => Promise<number>;
    resume?: string;
  } = {},
): Promise<number> {
  const parsed = parseSpec(spec);
  if (!parsed.ok) throw new CliError(`the connection spec is invalid:\n${formatIssues(parsed.errors)}`);
  const { access, logs } = await attach(opts, label);
  const clock = simClock(access);
  try {
    await clock.mark();
    if (!opts.json) {
      const scale = access.timeScale ? ` (time scale ${access.timeScale}x)` : '';
      io.err(`provisioning ${parsed.spec.name} against the simulator at ${access.url}${scale}`);
      for (const w of parsed.warnings) io.err(`  warning: ${w.path}: ${w.message}`);
    }
    const print = opts.json ? undefined : progressPrinter({ write: io.err, elapsed: () => clock.elapsed() });
    let first = true;
    const report = await provisionLocally(access, parsed.spec, {
      takeOver,
      onEvent: (e: RunEvent) => {
        if (first) clock.markNow();
        first = false;
        print?.(e);
      },
    });
    const { after, resume } = more;
    const shown = resume ? withNext(report, forceCommand(resume, opts)) : report;
    if (!(after && opts.json && report.status === 'ACTIVE')) {
      if (opts.json) io.out(JSON.stringify(shown, null, 2));
      else {
        io.out(reportText(shown));
        io.out(`  logs: ${logs}`);
      }
    }
    if (report.status !== 'ACTIVE') return 1;
    return after ? await after(access, parsed.spec.name, report) : 0;
  } finally {
    clock.stop();
    await access.stop();
  }
}

// ------------------------------------------------------------------ remote (a deployed stack, or `serve`)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = Number(process.env.VPN_BRIDGE_POLL_MS ?? 2000);
const WAIT_MS = Number(process.env.VPN_BRIDGE_WAIT_MINUTES ?? 45) * 60_000;

async function getView(api: RemoteApi, name: string): Promise<ConnectionView | undefined> {
  const r = await api.call<ConnectionView>('GET', `/connections/${encodeURIComponent(name)}`, undefined, [404]);
  return r.status === 404 ? undefined : r.body;
}

/** poll a connection until `done` says so, printing each status change */
async function waitFor(
  api: RemoteApi,
  name: string,
  done: (v: ConnectionView | undefined) => boolean,
  io: Io,
  quiet: boolean,
): Promise<ConnectionView | undefined> {
  const t0 = Date.now();
  let last = '';
  for (;;) {
    const v = await getView(api, name);
    const now = v ? `${v.status}${v.statusReason ? ` - ${v.statusReason}` : ''}` : 'gone';
    if (!quiet && now !== last) io.err(`${String(Math.round((Date.now() - t0) / 1000)).padStart(5)}s  ${name}: ${now}`);
    last = now;
    if (done(v)) return v;
    if (Date.now() - t0 > WAIT_MS) throw new CliError(`${name} is still ${now} after ${WAIT_MS / 60_000} minutes`);
    await sleep(POLL_MS);
  }
}

function statusLines(view: ConnectionView): string[] {
  const out = [
    `${view.name}: ${view.status}${view.topology ? ` (${view.topology})` : ''}${view.statusReason ? ` - ${view.statusReason}` : ''}`,
  ];
  if (view.tunnels.length > 0) out.push(tunnelTable(view.tunnels));
  for (const t of view.tunnels.filter((x) => x.role !== 'unused' && !x.up))
    out.push(`  ${t.id} (${t.role}) is DOWN${t.reason ? `: ${t.reason}` : ''}`);
  if (view.tunnelsError) out.push(`  live status unavailable: ${view.tunnelsError}`);
  if (view.lastRotation)
    out.push(
      `  last key rotation ${view.lastRotation.at}: ${view.lastRotation.result}${view.lastRotation.tunnels.length > 0 ? ` (${view.lastRotation.tunnels.join(', ')} rotated)` : ''}`,
    );
  if (view.lastDrift)
    out.push(
      `  last drift check ${view.lastDrift.at}: ${view.lastDrift.clean ? 'clean' : `${view.lastDrift.rows.length} finding(s)`}`,
    );
  return out;
}

/** status's exit code: 2 when a tunnel the topology uses is down (unused tunnels never count) */
export function statusExitCode(view: Pick<ConnectionView, 'tunnels'>): 0 | 2 {
  return view.tunnels.some((t) => t.role !== 'unused' && !t.up) ? 2 : 0;
}

// ------------------------------------------------------------------ commands

export async function simCommand(
  o: { port: number; timeScale: number; logs?: string; iam: boolean; world?: string; worldFromSpec?: string },
  io: Io,
): Promise<void> {
  if (o.world && o.worldFromSpec) throw new CliError('--world and --world-from-spec are exclusive');
  const world = o.world
    ? readWorld(o.world)
    : o.worldFromSpec
      ? parseWorldDefinition(worldFromSpec(readSpecFile(o.worldFromSpec)))
      : undefined;
  logTo(logFile({ logs: o.logs }, 'sim'));
  const log = (l: string) => io.err(`  ${l}`);
  let scale = o.timeScale;
  const sim = await startSimulator({
    port: o.port,
    timeScale: o.timeScale,
    sfnRunner: platformRunner(() => scale, log),
    lambdaInvoker: lambdaInvoker(),
    world,
  }).catch((e: unknown) => {
    throw portError(e, o.port, 'sim');
  });
  scale = sim.ctx.clock.timeScale;
  configureEnvironment(sim.url);
  await seedCredentials(sim.url, { iam: o.iam });
  await ensureStateMachines(sim.url);
  const regions = Object.entries(sim.ctx.state.alibaba.regions).map(([k, r]) => `${k} (${r.kind})`);
  io.out(
    `vpn-bridge simulator on ${sim.url} (time scale ${o.timeScale}x: one real second = ${o.timeScale} simulated seconds)`,
  );
  io.out(`  world:   ${o.world ?? (o.worldFromSpec ? `from the spec ${o.worldFromSpec}` : 'the seeded one')}`);
  io.out(
    `  AWS:     AWS_ENDPOINT_URL=${sim.url} (EC2 Query, Secrets Manager, Step Functions, CloudWatch alarms); regions ${Object.keys(sim.ctx.state.aws.regions).join(', ') || '(any)'}`,
  );
  io.out(
    `  Alibaba: endpoint ${sim.url.replace('http://', '')} with protocol http (VPC 2016-04-28); regions ${regions.join(', ')}`,
  );
  io.out(
    `  admin:   ${sim.url}/_sim/state | /_sim/metrics | /_sim/faults | /_sim/tunnels | /_sim/config | /_sim/reset`,
  );
  io.out('Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    const stop = () => void sim.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** a port another process holds: one clear line (and the command ends) instead of a stack trace */
export function portError(e: unknown, port: number, what: string): Error {
  const err = e as { code?: string };
  if (err.code === 'EADDRINUSE')
    return new CliError(`port ${port} is already in use (another ${what}?): stop it or pick another with --port`);
  if (err.code === 'EACCES') return new CliError(`port ${port} needs privileges: pick one above 1023 with --port`);
  return e as Error;
}

export async function upCommand(o: Target & { file: string; force?: boolean }, io: Io, setExit: SetExit) {
  const spec = readSpecFile(o.file);
  if (isSim(o)) {
    setExit(await runProvision(spec, o, io, `up-${spec.name}`, o.force === true, { resume: `up -f ${o.file}` }));
    return;
  }
  const api = await RemoteApi.connect(o);
  const sub = await api.call<{ name: string; executionArn?: string; warnings?: string[] }>(
    'POST',
    '/connections',
    spec,
  );
  if (!o.json) {
    io.err(`provisioning ${spec.name} on ${api.baseUrl} (execution ${sub.body.executionArn ?? '?'})`);
    for (const w of sub.body.warnings ?? []) io.err(`  warning: ${w}`);
  }
  const view = await waitFor(
    api,
    spec.name,
    (v) => v?.status === 'ACTIVE' || v?.status === 'FAILED',
    io,
    o.json === true,
  );
  if (!view) throw new CliError(`${spec.name} disappeared while provisioning`);
  if (o.json) io.out(JSON.stringify(view, null, 2));
  else for (const l of statusLines(view)) io.out(l);
  setExit(view.status === 'ACTIVE' ? 0 : 1);
}

export async function planCommand(o: Target & { file: string }, io: Io, setExit: SetExit) {
  const text = readText(o.file);
  const parsed = parseSpecText(text);
  if (!parsed.ok) throw new CliError(`${o.file} is not a valid connection spec:\n${formatIssues(parsed.errors)}`);
  const spec = parsed.spec;
  let preview: PlanPreview;
  let where: string;
  if (isSim(o)) {
    const { access } = await attach(o, `plan-${spec.name}`);
    try {
      const config = await access.admin<{ latencies: Record<string, number> }>('GET', '/_sim/config');
      preview = await planSpec(spec, operatorDeps(), config.latencies);
      where = `the simulator at ${access.url}`;
    } finally {
      await access.stop();
    }
  } else {
    const api = await RemoteApi.connect(o);
    preview = (await api.call<PlanPreview>('POST', '/plan', spec)).body;
    where = api.baseUrl;
  }
  if (o.json) io.out(JSON.stringify(preview, null, 2));
  else {
    io.err(`planning against ${where} (read-only)`);
    io.out(
      planText(preview, {
        aws: `${spec.aws.region} ${spec.aws.vpcId}`,
        alibaba: `${spec.alibaba.region} ${spec.alibaba.vpcId}`,
      }),
    );
  }
  setExit(planExitCode(preview));
}

export async function demoCommand(
  o: {
    dataplane?: boolean;
    alibabaRegion: string;
    profile: 'recommended' | 'article-2018';
    psk: 'from-aws-config' | 'generated';
    timeScale: number;
    logs?: string;
    iam: boolean;
    json?: boolean;
  },
  io: Io,
  setExit: SetExit,
) {
  const probe = await startSimulator({ timeScale: o.timeScale });
  let spec: unknown;
  try {
    spec = await demoModule().demoSpec(probe.url, { alibabaRegion: o.alibabaRegion, profile: o.profile, psk: o.psk });
  } catch (e) {
    throw new CliError(`${(e as Error).message} (known regions: eu-central-1, me-east-1)`);
  } finally {
    await probe.stop();
  }
  const after = o.dataplane ? dataplaneModule().dataplaneCommand(io, o.json === true) : undefined;
  setExit(
    await runProvision(
      spec,
      { local: true, timeScale: o.timeScale, logs: o.logs, iam: o.iam, json: o.json },
      io,
      'demo',
      false,
      { after },
    ),
  );
}

export async function dataplaneCmd(name: string, o: { sim: string; json?: boolean }, io: Io, setExit: SetExit) {
  const access = await connectSimulator({ url: o.sim });
  setExit(await dataplaneModule().dataplaneCommand(io, o.json === true)(access, name));
}

export async function serveCommand(
  o: SimTarget & { port: number; driftEvery: number; failoverEvery?: number },
  io: Io,
) {
  const log = (l: string) => io.err(`  ${l}`);
  const { access, logs } = await attach({ ...o, local: o.local ?? !o.sim }, 'serve', log);
  let served: Awaited<ReturnType<typeof serve>>;
  try {
    served = await serve({
      access,
      port: o.port,
      driftEverySimSeconds: o.driftEvery,
      failoverEverySimSeconds: o.failoverEvery ?? 60,
      timeScale: () => access.sim?.ctx.clock.timeScale ?? o.timeScale ?? 100,
      log,
      // the HTTP API's IAM authorizer: requests signed with the operator's key (the simulator's administrator)
      sigv4:
        o.iam === false
          ? undefined
          : { secretOf: (k) => (k === OPERATOR_AWS.accessKeyId ? OPERATOR_AWS.secretAccessKey : undefined) },
      pages: statusPageFor(access),
    });
  } catch (e) {
    await access.stop();
    throw portError(e, o.port, 'vpn-bridge serve');
  }
  io.out(`vpn-bridge API on ${served.url} (handlers from serverless.yml, simulator at ${access.url})`);
  io.out(`  GET    ${served.url}/  -> the status page`);
  for (const r of served.routes)
    io.out(
      `  ${r.method.padEnd(6)} ${served.url}${r.path}  -> ${r.function}${r.iam && o.iam !== false ? ' (SigV4)' : ''}`,
    );
  if (o.iam !== false)
    io.out(
      `  SigV4-protected routes accept the simulator's operator key (as the deployed API's IAM authorizer accepts yours): vpn-bridge status <name> --api ${served.url}`,
    );
  if (!process.env.SLACK_SIGNING_SECRET)
    io.out(
      '  (set SLACK_SIGNING_SECRET and SLACK_ALLOWED_*_IDS to accept Slack commands, SLACK_ADMIN_USER_IDS for up/down)',
    );
  io.out(`  logs: ${logs}`);
  io.out('Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    const stop = () =>
      void served
        .stop()
        .then(() => access.stop())
        .then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function statusCommand(name: string, o: Target, io: Io, setExit: SetExit) {
  refuseEmptyLocal(o, 'status');
  let view: ConnectionView;
  if (isSim(o)) {
    const { access } = await attach(o, `status-${name}`);
    try {
      view = await operatorService().getConnection(name);
    } finally {
      await access.stop();
    }
  } else {
    const api = await RemoteApi.connect(o);
    const v = await getView(api, name);
    if (!v) throw new CliError(`no connection named ${name}`);
    view = v;
  }
  if (o.json) io.out(JSON.stringify(view, null, 2));
  else for (const l of statusLines(view)) io.out(l);
  setExit(statusExitCode(view));
}

export async function listCommand(o: Target, io: Io) {
  refuseEmptyLocal(o, 'list');
  let all: ConnectionSummary[];
  if (isSim(o)) {
    const { access } = await attach(o, 'list');
    try {
      all = await operatorService().listConnections();
    } finally {
      await access.stop();
    }
  } else {
    const api = await RemoteApi.connect(o);
    all = (await api.call<{ connections: ConnectionSummary[] }>('GET', '/connections')).body.connections;
  }
  if (o.json) io.out(JSON.stringify(all, null, 2));
  else if (all.length === 0) io.out('no connections');
  else
    io.out(
      fitTable(
        ['name', 'status', 'topology', 'AWS', 'Alibaba', 'last drift', 'updated'],
        all.map((c) => [
          c.name,
          c.status,
          c.topology ?? '-',
          c.awsRegion ?? '-',
          c.alibabaRegion ?? '-',
          c.lastDrift ? (c.lastDrift.clean ? 'clean' : `${c.lastDrift.findings} finding(s)`) : '-',
          c.updatedAt,
        ]),
      ),
    );
}

export async function driftCommand(
  name: string | undefined,
  o: Target & { repair?: boolean },
  io: Io,
  setExit: SetExit,
) {
  refuseEmptyLocal(o, 'drift');
  if (isSim(o)) {
    const { access } = await attach(o, `drift${name ? `-${name}` : ''}`);
    try {
      const run = await runDriftCheck(operatorDeps(), { names: name ? [name] : undefined, repair: o.repair === true });
      if (o.json) io.out(JSON.stringify(run, null, 2));
      else io.out(driftText({ ...run, results: run.results.map((r) => ({ ...r, rowCount: r.rows.length })) }));
      setExit(driftExitCode(run));
    } finally {
      await access.stop();
    }
    return;
  }
  // the deployed drift check runs as an execution: start it, then read each connection's result from its record
  const api = await RemoteApi.connect(o);
  const names = name
    ? [name]
    : (await api.call<{ connections: ConnectionSummary[] }>('GET', '/connections')).body.connections
        .filter((c) => c.status === 'ACTIVE')
        .map((c) => c.name);
  const before = new Map<string, string | undefined>();
  for (const n of names) before.set(n, (await getView(api, n))?.lastDrift?.at);
  const started = Date.now();
  await api.call(
    'POST',
    `/connections/${encodeURIComponent(name ?? '_all')}/drift`,
    o.repair ? { repair: true } : undefined,
  );
  const results: Array<{ name: string; view?: ConnectionView }> = [];
  for (const n of names) {
    // lastDrift is written only when the result changes: a result that stayed the same keeps its time
    const view = await waitFor(
      api,
      n,
      (v) => !v || v.lastDrift?.at !== before.get(n) || Date.now() - started > 4 * POLL_MS + 30_000,
      io,
      true,
    );
    results.push({ name: n, view });
  }
  const drifted = results.filter((r) => r.view?.lastDrift && !r.view.lastDrift.clean);
  if (o.json)
    io.out(JSON.stringify({ results: results.map((r) => ({ name: r.name, lastDrift: r.view?.lastDrift })) }, null, 2));
  else {
    for (const r of results)
      io.out(
        `${r.name}: ${r.view?.lastDrift ? (r.view.lastDrift.clean ? 'clean' : `${r.view.lastDrift.rows.length} finding(s)`) : 'not checked'}`,
      );
    const rows = drifted.flatMap((r) => r.view?.lastDrift?.rows ?? []);
    if (rows.length > 0) io.out(driftTable(rows));
  }
  setExit(drifted.length > 0 ? 2 : 0);
}

export async function downCommand(name: string, o: Target & { force?: boolean }, io: Io, setExit: SetExit) {
  refuseEmptyLocal(o, 'down');
  if (!isSim(o)) {
    const api = await RemoteApi.connect(o);
    await api.call('DELETE', `/connections/${encodeURIComponent(name)}`);
    if (!o.json) io.err(`tearing down ${name} on ${api.baseUrl}`);
    const view = await waitFor(
      api,
      name,
      (v) => !v || v.status === 'DELETED' || v.status === 'FAILED',
      io,
      o.json === true,
    );
    const status = view?.status ?? 'DELETED';
    if (o.json) io.out(JSON.stringify({ name, status, statusReason: view?.statusReason }, null, 2));
    else io.out(`${name}: ${status}${view?.statusReason ? ` - ${view.statusReason}` : ''}`);
    setExit(status === 'DELETED' ? 0 : 1);
    return;
  }
  await simOperation(name, o, io, setExit, {
    verb: 'down',
    run: teardownLocally,
    succeeded: 'DELETED',
    lines: (report) =>
      report.replaced
        ? [
            `  took over from ${report.replaced.kind} ${report.replaced.executionName ?? '?'} (started ${report.replaced.startedAt})`,
          ]
        : [],
  });
}

/**
 * An operation on one connection in the simulator (`down`, `rotate`): its execution with progress on the
 * simulated clock, then the report (`--json`: the report alone) and the exit code (0 when it ended `succeeded`)
 */
async function simOperation(
  name: string,
  o: Target & { force?: boolean },
  io: Io,
  setExit: SetExit,
  op: {
    verb: string;
    run: typeof teardownLocally;
    succeeded: RunReport['status'];
    lines: (report: RunReport) => string[];
  },
): Promise<void> {
  const { access, logs } = await attach(o, `${op.verb}-${name}`);
  const clock = simClock(access);
  try {
    if (!(await operatorDeps().registry.get(name))) throw new CliError(`no connection named ${name}`);
    await clock.mark();
    const print = o.json ? undefined : progressPrinter({ write: io.err, elapsed: () => clock.elapsed() });
    let first = true;
    const ran = await op.run(access, name, {
      takeOver: o.force === true,
      onEvent: (e) => {
        if (first) clock.markNow();
        first = false;
        print?.(e);
      },
    });
    const report = withNext(ran, forceCommand(`${op.verb} ${name}`, o));
    if (o.json) io.out(JSON.stringify(report, null, 2));
    else {
      io.out(
        `${name}: ${report.status}${report.execution.status !== 'SUCCEEDED' ? ` (${report.execution.error}: ${report.execution.cause})` : ''}`,
      );
      for (const line of op.lines(report)) io.out(line);
      if (report.next) io.out(`  next (only if that run is no longer running): ${report.next}`);
      io.out(`  ${report.metrics.simulatedSeconds}s simulated, ${report.metrics.apiCalls} API calls; logs: ${logs}`);
    }
    setExit(report.status === op.succeeded ? 0 : 1);
  } finally {
    clock.stop();
    await access.stop();
  }
}

/** `rotate <name>`: new keys for the used tunnels, one at a time; against a stack, until its last rotation changes */
export async function rotateCommand(name: string, o: Target & { force?: boolean }, io: Io, setExit: SetExit) {
  refuseEmptyLocal(o, 'rotate');
  if (!isSim(o)) {
    const api = await RemoteApi.connect(o);
    const before = await getView(api, name);
    if (!before) throw new CliError(`no connection named ${name}`);
    await api.call('POST', `/connections/${encodeURIComponent(name)}/rotate`);
    if (!o.json) io.err(`rotating the keys of ${name} on ${api.baseUrl}`);
    const view = await waitFor(
      api,
      name,
      (v) => !v || v.lastRotation?.at !== before.lastRotation?.at,
      io,
      o.json === true,
    );
    const rotation = view?.lastRotation;
    if (o.json) io.out(JSON.stringify({ name, status: view?.status, lastRotation: rotation }, null, 2));
    else io.out(`${name}: key rotation ${rotation?.result ?? 'ended'}${rotation?.note ? ` - ${rotation.note}` : ''}`);
    setExit(rotation?.result === 'SUCCEEDED' ? 0 : 1);
    return;
  }
  await simOperation(name, o, io, setExit, {
    verb: 'rotate',
    run: rotateLocally,
    succeeded: 'ROTATED',
    lines: (report) => (report.tunnels.length > 0 ? [tunnelTable(report.tunnels)] : []),
  });
}

/** `report <name> --html FILE`: the status page of one connection, as `serve` shows it at GET / */
export async function reportCommand(name: string, o: Target & { html?: string }, io: Io, setExit: SetExit) {
  refuseEmptyLocal(o, 'report');
  if (!o.html) throw new CliError('say where the page goes: --html FILE');
  let html: string;
  let view: ConnectionView | undefined;
  if (isSim(o)) {
    const { access } = await attach(o, `report-${name}`);
    try {
      const page = await statusPageFor(access)('GET', '/', new URLSearchParams({ name }));
      html = page?.body ?? '';
      view = await operatorService().getConnection(name);
    } finally {
      await access.stop();
    }
  } else {
    const api = await RemoteApi.connect(o);
    view = await getView(api, name);
    if (!view) throw new CliError(`no connection named ${name}`);
    html = renderStatusPage({ title: `vpn-bridge: ${name}`, source: api.baseUrl, connections: [{ view }] });
  }
  writeFileSync(o.html, html);
  if (o.json) io.out(JSON.stringify({ name, html: o.html, status: view?.status }, null, 2));
  else io.out(`${name}: ${view?.status ?? '?'}; page written to ${o.html}`);
  setExit(0);
}

export { RemoteError, regionOf };
