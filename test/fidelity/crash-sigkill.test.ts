import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../local/cli';
import { demoSpec } from '../../local/demo';
import { seedCredentials } from '../../local/environment';
import { PROJECT_ROOT } from '../../local/runner';
import { type Simulator, startSimulator } from '../../sim';
import { inventory } from '../helpers/workflow';

// The crash evidence for "resume after a crash anywhere": the real CLI (bin/vpn-bridge.js, a child process) runs
// `up` or `down` against a simulator in this process, and is killed with SIGKILL as soon as it reports a step of the
// workflow finished, at every step boundary of provisioning and teardown. Then the command the tool suggests is
// run: the same command, and when the dead run still holds the connection, what that answer names (`--force`). It
// must end with exactly the resources of a clean run after `up`, and with nothing after `down`.
// The kill lands a few milliseconds after the step's report: usually inside the next step, so the crash points are
// the boundaries and whatever the next step had done by then. Run: npx jest --config jest.fidelity.config.js
// test/fidelity/crash-sigkill.test.ts

const TIME_SCALE = 2000;
const NAME = 'crash-one';
const BIN = join(PROJECT_ROOT, 'bin', 'vpn-bridge.js');
const NEXT = /next \(only if that run is no longer running\): (vpn-bridge .+)$/m;

let sim: Simulator;
let dir: string;
let specFile: string;
const steps: { up: string[]; down: string[] } = { up: [], down: [] };
let clean: ReturnType<typeof inventory>;
const results: string[] = [];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'vpn-bridge', ...args, '--logs', join(dir, 'cli.jsonl')], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** the Task states a run reported finished, each once, in order */
const finishedSteps = (err: string) => [...new Set([...err.matchAll(/✓ (\S+) \(/g)].map((m) => m[1] as string))];

async function fresh(): Promise<void> {
  sim.reset();
  await seedCredentials(sim.url);
}

/** the CLI as a child process, killed with SIGKILL the moment it reports `step` finished */
function killedAfter(args: string[], step: string): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args, '--logs', join(dir, 'child.jsonl')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let killed = false;
    let seen = '';
    child.stderr?.on('data', (d: Buffer) => {
      seen += d.toString();
      if (!killed && seen.includes(`✓ ${step} (`)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ killed }));
  });
}

/** the command the tool suggests, run until it says nothing more: the same command, then its `next` if any */
async function resume(args: string[]): Promise<{ code: number; ran: string[] }> {
  const ran = [args.join(' ')];
  let r = await cli(args);
  const next = NEXT.exec(r.out)?.[1];
  if (r.code !== 0 && next) {
    ran.push(next);
    r = await cli(next.split(' ').slice(1));
  }
  return { code: r.code, ran };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vpn-bridge-crash-'));
  sim = await startSimulator({ timeScale: TIME_SCALE, log: () => undefined });
  await seedCredentials(sim.url);
  specFile = join(dir, 'spec.json');
  const spec = await demoSpec(sim.url, {
    name: NAME,
    alibabaRegion: 'eu-central-1',
    profile: 'recommended',
    psk: 'from-aws-config',
  });
  writeFileSync(specFile, JSON.stringify(spec));
  // a clean run of each: the step boundaries, and what `up` builds
  const up = await cli(['up', '-f', specFile, '--sim', sim.url]);
  expect(up.code).toBe(0);
  steps.up = finishedSteps(up.err);
  clean = inventory(sim);
  const down = await cli(['down', NAME, '--sim', sim.url]);
  expect(down.code).toBe(0);
  steps.down = finishedSteps(down.err);
}, 120_000);

afterAll(async () => {
  process.stdout.write(`crash test (SIGKILL at every step boundary):\n${results.join('\n')}\n`);
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** kill at `step`, run what the tool suggests, check; what went wrong (empty when nothing did) */
async function crashAt(op: 'up' | 'down', step: string): Promise<string[]> {
  await fresh();
  if (op === 'down' && (await cli(['up', '-f', specFile, '--sim', sim.url])).code !== 0) return ['set-up up failed'];
  const args = op === 'up' ? ['up', '-f', specFile, '--sim', sim.url] : ['down', NAME, '--sim', sim.url];
  const { killed } = await killedAfter(args, step);
  const r = await resume(args);
  const problems: string[] = [];
  if (!killed) problems.push(`${op} after ${step}: the run ended before it could be killed`);
  if (r.code !== 0) problems.push(`${op} after ${step}: \`${r.ran.at(-1)}\` exited ${r.code}`);
  const inv = inventory(sim);
  const want = op === 'up' ? clean : Object.fromEntries(Object.keys(inv).map((k) => [k, 0]));
  const off = Object.keys(inv).filter((k) => inv[k as keyof typeof inv] !== want[k as keyof typeof want]);
  if (off.length > 0)
    problems.push(
      `${op} after ${step}: ${off.map((k) => `${k} ${inv[k as keyof typeof inv]} (want ${want[k as keyof typeof want]})`).join(', ')}`,
    );
  const how = r.ran.length === 1 ? 'the same command' : r.ran.at(-1)?.replace(sim.url, 'URL');
  results.push(
    `  ${op.padEnd(4)} killed after ${step.padEnd(30)} then ${how}: ${problems.length === 0 ? 'ok' : 'FAILED'}`,
  );
  return problems;
}

describe('the CLI killed with SIGKILL at every step boundary, then the command it suggests', () => {
  it('knows the step boundaries of a clean provisioning and teardown', () => {
    // Assert
    expect(steps.up.length).toBeGreaterThan(15);
    expect(steps.up[0]).toBe('ValidateSpec');
    expect(steps.up.at(-1)).toBe('Finalize');
    expect(steps.down[0]).toBe('TeardownStart');
    expect(steps.down.at(-1)).toBe('TeardownFinish');
  });

  it('`up` ends with exactly the resources of a clean run, whichever step it died after', async () => {
    // Act
    const problems: string[] = [];
    for (const step of steps.up) problems.push(...(await crashAt('up', step)));

    // Assert
    expect(problems).toEqual([]);
  }, 900_000);

  it('`down` ends with nothing left, whichever step it died after', async () => {
    // Act
    const problems: string[] = [];
    for (const step of steps.down) problems.push(...(await crashAt('down', step)));

    // Assert
    expect(problems).toEqual([]);
  }, 900_000);
});
