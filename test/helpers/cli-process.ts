import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

// The CLI through a real process: `node bin/vpn-bridge.js ...`, as a user runs it (argument parsing, exit codes,
// stdout/stderr, process exit), and long-running commands (`sim`, `serve`) started and stopped by their PID.

export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'vpn-bridge.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** the environment of a CLI process: no AWS settings from the machine running the tests */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, COLUMNS: '200' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vpn-bridge ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Running {
  child: ChildProcess;
  /** the first URL it printed */
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** start a long-running command and wait for the line that names its URL */
export function startCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 60_000): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    const stop = async () => {
      if (child.exitCode === null && child.pid) child.kill('SIGTERM');
      await closed;
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vpn-bridge ${args.join(' ')} printed no URL in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = / on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] && out.includes('Ctrl-C stops it.')) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`vpn-bridge ${args.join(' ')} exited (${code}) before printing its URL:\n${out}`));
    });
  });
}
