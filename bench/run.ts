import '../src/polyfills';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import { Command } from 'commander';
import { demoSpec } from '../local/demo';
import { connectSimulator, logTo } from '../local/environment';
import { provisionLocally, type RunReport } from '../local/operations';
import { PROJECT_ROOT, preloadHandlers } from '../local/runner';
import { parseSpec } from '../src/spec';
import { checkoutBaseline, DEFAULT_BASELINE, DEFAULT_PROVISION_BASELINE } from './baseline';
import { type BundleFigure, measureBundles } from './bundles';
import { type DriftFigure, measureDrift } from './drift';

// `npm run bench` (`--json` for machine output). Provisioning against the simulator (simulated time vs
// the latency model's critical path and vs the article's one-step-after-another procedure, API calls,
// state transitions, Lambda invocations and errors, polls that failed a task), beside the same figures of an earlier
// revision measured in the same run; the drift check's cost at growing fleet sizes; and each Lambda bundle's size
// and cold-start import time.

interface ProvisionFigure {
  topology: string;
  profile: string;
  simulatedSeconds: number;
  criticalPathSeconds: number;
  ratio: number;
  sequentialSeconds: number;
  speedup: number;
  apiCalls: number;
  apiCallsByAction: Record<string, number>;
  stateTransitions: number;
  /** checks that failed their task with NotReady, + 1, per waiting state (absent: no check failed) */
  polls: Record<string, number>;
  /** Lambda invocations of the Task states (absent in figures of revisions that did not count them) */
  lambdaInvocations?: number;
  /** the invocations that ended in an error, by error name: each is a TaskFailed event */
  lambdaErrors?: Record<string, number>;
  /** TaskFailed events from polling (a check finding a resource not ready yet: NotReady) */
  pollTaskFailed: number;
  wallSeconds: number;
}

/** TaskFailed events from polling: NotReady errors, or (older revisions) failed checks counted in `polls` */
function pollFailures(f: Pick<ProvisionFigure, 'lambdaErrors' | 'polls'>): number {
  if (f.lambdaErrors) return f.lambdaErrors.NotReady ?? 0;
  return Object.values(f.polls).reduce((a, n) => a + n - 1, 0);
}

async function provisionFigures(timeScale: number): Promise<ProvisionFigure[]> {
  const out: ProvisionFigure[] = [];
  for (const region of ['eu-central-1', 'me-east-1']) {
    const access = await connectSimulator({ timeScale });
    try {
      const input = await demoSpec(access.url, {
        alibabaRegion: region,
        profile: 'recommended',
        psk: 'from-aws-config',
      });
      const parsed = parseSpec(input);
      if (!parsed.ok) throw new Error('demo spec invalid');
      const r: RunReport = await provisionLocally(access, parsed.spec);
      if (r.status !== 'ACTIVE') throw new Error(`bench provisioning ended ${r.status}: ${r.execution.cause ?? ''}`);
      const m = r.metrics;
      out.push({
        topology: r.topology ?? '?',
        profile: r.profile ?? '?',
        simulatedSeconds: m.simulatedSeconds,
        criticalPathSeconds: m.criticalPathSeconds ?? 0,
        ratio: m.ratio ?? 0,
        sequentialSeconds: m.sequentialSeconds ?? 0,
        speedup: m.speedup ?? 0,
        apiCalls: m.apiCalls,
        apiCallsByAction: m.apiCallsByAction,
        stateTransitions: m.stateTransitions,
        polls: m.polls,
        lambdaInvocations: m.lambdaInvocations,
        lambdaErrors: m.lambdaErrors,
        pollTaskFailed: m.lambdaErrors.NotReady ?? 0,
        wallSeconds: m.wallSeconds,
      });
    } finally {
      await access.stop();
    }
  }
  return out;
}

/** the provisioning figures of another revision: its own benchmark, run in a checkout of it */
function baselineProvisionFigures(ref: string, timeScale: number): ProvisionFigure[] {
  const base = checkoutBaseline(ref);
  try {
    const out = execFileSync(
      process.execPath,
      ['bin/bench.js', '--json', '--skip', 'drift,bundles', '--baseline', 'none', '--time-scale', String(timeScale)],
      {
        cwd: base.root,
        // (a revision that measures a baseline of its own skips it when nested)
        env: { ...process.env, VPN_BRIDGE_BENCH_NESTED: '1' },
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      },
    ).toString();
    const figures = (JSON.parse(out) as { provisionByTopology?: ProvisionFigure[] }).provisionByTopology ?? [];
    return figures.map((f) => ({ ...f, pollTaskFailed: pollFailures(f) }));
  } finally {
    base.remove();
  }
}

function table(head: string[], rows: Array<Array<string | number>>): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

async function main(): Promise<void> {
  const program = new Command('bench')
    .option('--json', 'print one JSON document')
    .option(
      '--time-scale <n>',
      'simulator time scale for provisioning (lower = less handler overhead in simulated time)',
      Number,
      20,
    )
    .option('--drift-sizes <list>', 'fleet sizes for the drift check', '1,10,100,1000,2000,5000')
    .option('--skip <parts>', 'comma-separated: provision,drift,bundles', '')
    .option('--baseline <ref>', 'git revision whose bundles are measured beside these (none = skip)', DEFAULT_BASELINE)
    .option(
      '--provision-baseline <ref>',
      'git revision whose provisioning is measured beside this one (none = skip)',
      DEFAULT_PROVISION_BASELINE,
    )
    .parse(process.argv);
  const o = program.opts<{
    json?: boolean;
    timeScale: number;
    driftSizes: string;
    skip: string;
    baseline: string;
    provisionBaseline: string;
  }>();
  const skip = new Set(o.skip.split(',').filter(Boolean));
  const say = (s: string) => {
    if (!o.json) process.stderr.write(`${s}\n`);
  };
  logTo(undefined);
  preloadHandlers();

  const result: {
    machine: { node: string; cpus: number; at: string };
    provision?: ProvisionFigure;
    provisionByTopology?: ProvisionFigure[];
    /** the same figures for an earlier revision, measured in this run */
    baselineProvision?: { ref: string; byTopology: ProvisionFigure[] };
    drift?: DriftFigure[];
    bundles?: BundleFigure[];
    /** the same figures for the baseline revision, measured in this run */
    baselineBundles?: { ref: string; bundles: BundleFigure[] };
  } = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() },
  };

  if (!skip.has('provision')) {
    say(`provisioning both topologies at time scale ${o.timeScale} ...`);
    const figures = await provisionFigures(o.timeScale);
    result.provisionByTopology = figures;
    result.provision = figures.find((f) => f.topology === 'dual-tunnel') ?? figures[0];
    if (o.provisionBaseline !== 'none' && !process.env.VPN_BRIDGE_BENCH_NESTED) {
      say(`... and the same for the baseline ${o.provisionBaseline} ...`);
      result.baselineProvision = {
        ref: o.provisionBaseline,
        byTopology: baselineProvisionFigures(o.provisionBaseline, o.timeScale),
      };
    }
  }
  if (!skip.has('drift')) {
    const sizes = o.driftSizes
      .split(',')
      .map(Number)
      .filter((n) => n > 0);
    say(`drift check over ${sizes.join(', ')} connections ...`);
    result.drift = await measureDrift(sizes);
  }
  if (!skip.has('bundles')) {
    say('bundling every function and timing its cold-start import ...');
    result.bundles = await measureBundles({ runs: 5 });
    if (o.baseline !== 'none') {
      say(`... and the same for the baseline ${o.baseline} ...`);
      const base = checkoutBaseline(o.baseline);
      try {
        result.baselineBundles = {
          ref: o.baseline,
          bundles: await measureBundles({ runs: 5, root: base.root, label: 'baseline' }),
        };
      } finally {
        base.remove();
      }
    }
  }

  mkdirSync(join(PROJECT_ROOT, '.bench'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, '.bench', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  if (result.provisionByTopology) {
    lines.push('Provisioning (simulated seconds)');
    const rows = [
      ...result.provisionByTopology.map((f) => ({ rev: 'this', f })),
      ...(result.baselineProvision?.byTopology ?? []).map((f) => ({ rev: result.baselineProvision?.ref ?? '', f })),
    ];
    const errors = (f: ProvisionFigure) =>
      f.lambdaErrors
        ? Object.entries(f.lambdaErrors)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || '0'
        : '-';
    lines.push(
      table(
        [
          'revision',
          'topology',
          'simulated',
          'critical path',
          'ratio',
          'one step after another',
          'speed-up',
          'API calls',
          'state transitions',
          'Lambda invocations',
          'Lambda errors',
          'TaskFailed from polling',
          'wall s',
        ],
        rows.map(({ rev, f }) => [
          rev,
          f.topology,
          f.simulatedSeconds,
          f.criticalPathSeconds,
          f.ratio,
          f.sequentialSeconds,
          f.speedup,
          f.apiCalls,
          f.stateTransitions,
          f.lambdaInvocations ?? '-',
          errors(f),
          f.pollTaskFailed,
          f.wallSeconds,
        ]),
      ),
    );
    for (const { rev, f } of rows)
      if (Object.keys(f.polls).length > 0)
        lines.push(
          `  checks per wait that failed their task, + 1 (${rev}, ${f.topology}): ${Object.entries(f.polls)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        );
  }
  if (result.drift) {
    lines.push('Drift check');
    lines.push(
      table(
        ['connections', 'API calls', 'describe calls', 'wall ms', 'wall ms per connection'],
        result.drift.map((d) => [
          d.connections,
          d.apiCalls,
          d.describeCalls,
          d.wallMs,
          Math.round((d.wallMs / d.connections) * 100) / 100,
        ]),
      ),
    );
  }
  if (result.bundles) {
    const old = new Map((result.baselineBundles?.bundles ?? []).map((x) => [x.function, x]));
    const ref = result.baselineBundles?.ref;
    lines.push(
      `Bundles (as serverless.yml has esbuild build them) and cold-start import${ref ? `, beside ${ref}` : ''}`,
    );
    const b = [...result.bundles].sort((x, y) => y.bytes - x.bytes);
    lines.push(
      table(
        ref
          ? ['function', 'bytes', 'cold start ms', `bytes (${ref})`, `cold start ms (${ref})`]
          : ['function', 'bytes', 'cold start ms'],
        b.map((x) => {
          const was = old.get(x.function);
          return ref
            ? [x.function, x.bytes, x.coldStartMs, was?.bytes ?? '-', was?.coldStartMs ?? '-']
            : [x.function, x.bytes, x.coldStartMs];
        }),
      ),
    );
    const summary = (xs: BundleFigure[]) => {
      const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor((v.length - 1) / 2)] ?? 0;
      return `median ${median(xs.map((x) => x.bytes))} bytes (largest ${Math.max(...xs.map((x) => x.bytes))}), median cold start ${median(xs.map((x) => x.coldStartMs))} ms`;
    };
    lines.push(
      `  now: ${summary(result.bundles)}; chatopsSlack ${result.bundles.find((x) => x.function === 'chatopsSlack')?.coldStartMs ?? '?'} ms`,
    );
    if (result.baselineBundles) lines.push(`  ${ref}: ${summary(result.baselineBundles.bundles)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
