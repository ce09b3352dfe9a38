import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataplaneFailed } from './errors';

// Processes, namespaces and files the harness makes, tracked so that every exit path removes them: by PID
// (daemons, helpers), by the names of the namespaces it made, and the private directory with the config
// files (PSKs). A detached reaper removes namespaces and files when this process dies without cleaning up
// (SIGKILL); the daemons die with it (parent-death signal). Nothing here touches what others made: every
// name carries this run's prefix `vbdp-<pid>-<random>`.

export const NAME_PREFIX = 'vbdp';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** run a command to completion, bounded; a non-zero exit is an error naming the command (never its input) */
export function run(cmd: string, args: string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const what = `${cmd} ${args.slice(0, 6).join(' ')}`;
        const detail = String(stderr).trim().split('\n').slice(-3).join(' | ');
        reject(new DataplaneFailed(`${what} failed: ${detail || err.message}`, { cause: err }));
      } else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** the namespaces this machine has (names only) */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);
}

/**
 * Remove what earlier runs of this harness left when they were killed: namespaces and directories whose
 * prefix names a process that no longer exists. Returns what it removed.
 */
export async function sweepStale(): Promise<string[]> {
  const removed: string[] = [];
  const dead = (name: string) => {
    const m = new RegExp(`^${NAME_PREFIX}-(\\d+)-`).exec(name);
    return m?.[1] !== undefined && Number(m[1]) !== process.pid && !alive(Number(m[1]));
  };
  for (const ns of await listNamespaces()) {
    if (!dead(ns)) continue;
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    removed.push(ns);
  }
  for (const d of readdirSync(tmpdir())) {
    if (!dead(d)) continue;
    rmSync(join(tmpdir(), d), { recursive: true, force: true });
    removed.push(d);
  }
  return removed;
}

export class Resources {
  readonly prefix = `${NAME_PREFIX}-${process.pid}-${randomBytes(3).toString('hex')}`;
  /** private directory (mode 0700) for config files; removed on cleanup */
  readonly dir: string;
  private readonly namespaces: string[] = [];
  private readonly children = new Map<number, ChildProcess>();
  private reaper?: ChildProcess;
  private cleaned = false;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), `${this.prefix}-`));
    // dies with nothing: a detached shell that waits for this process and then removes our namespaces and files
    const script = [
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.5; done`,
      `for n in $(ip netns list | cut -d' ' -f1 | grep '^${this.prefix}-'); do ip netns del "$n"; done`,
      `rm -rf '${this.dir}'`,
    ].join('; ');
    this.reaper = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    this.reaper.unref();
  }

  /** a namespace name of this run (`<prefix>-<suffix>`) */
  nsName(suffix: string): string {
    return `${this.prefix}-${suffix}`;
  }

  async addNamespace(name: string): Promise<void> {
    await run('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  }

  /** a long-running helper (daemon, log stream, TCP server) that dies with this process */
  spawn(cmd: string, args: string[], opts: { stdout?: number | 'ignore' } = {}): ChildProcess {
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', cmd, ...args], {
      stdio: ['ignore', opts.stdout ?? 'ignore', 'ignore'],
    });
    if (child.pid === undefined) throw new DataplaneFailed(`could not start ${cmd}`);
    const pid = child.pid;
    this.children.set(pid, child);
    child.once('exit', () => this.children.delete(pid));
    return child;
  }

  /** stop one tracked child by PID (TERM, then KILL after `graceMs`) */
  async stop(child: ChildProcess, graceMs = 3000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(t);
  }

  pids(): number[] {
    return [...this.children.keys()];
  }

  madeNamespaces(): string[] {
    return [...this.namespaces];
  }

  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    await Promise.all([...this.children.values()].map((c) => this.stop(c)));
    for (const ns of this.namespaces.reverse()) await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
    if (this.reaper?.pid !== undefined) {
      try {
        process.kill(this.reaper.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/**
 * Run `body` with a fresh Resources, and clean up whatever way it ends: return, throw, SIGINT or SIGTERM
 * (after cleaning up on a signal, the process exits with 128 + the signal number).
 */
export async function withResources<T>(body: (r: Resources) => Promise<T>): Promise<T> {
  const r = new Resources();
  const onSignal = (sig: NodeJS.Signals) => {
    void r.cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(r);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await r.cleanup();
  }
}
