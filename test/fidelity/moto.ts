import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

// Fidelity helper: a moto_server child process (Python; present on the CI machines, never needed by the
// product) on a free loopback port, and a shape comparison of parsed SDK responses (which fields are present,
// not their values) between the simulator and moto.

// ------------------------------------------------------------------ moto_server process

export interface MotoServer {
  url: string;
  port: number;
  /** POST /moto-api/reset: every backend back to its initial state */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export function findMotoServer(): string | undefined {
  const candidates = [
    process.env.MOTO_SERVER,
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'moto_server')),
    '/root/.pyenv/shims/moto_server',
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '' && existsSync(c));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** signal the child's process group (the pyenv shim may leave a wrapper process in front of python) */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    child.kill(sig);
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  const gone = exited(child);
  signal(child, 'SIGTERM');
  const hard = setTimeout(() => signal(child, 'SIGKILL'), 5000);
  await gone;
  clearTimeout(hard);
}

/** start moto_server on a free loopback port and wait until it answers (throws with its output if it does not) */
export async function startMoto(opts: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const bin = findMotoServer();
  if (!bin) throw new Error('moto_server was not found on PATH or at /root/.pyenv/shims/moto_server; set MOTO_SERVER');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // its own process group, so stop() reaches every process the shim started
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (!(await answers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await terminate(child);
      throw new Error(`moto_server (${bin}) did not answer on ${url}:\n${output}`);
    }
    await sleep(150);
  }
  return {
    url,
    port,
    reset: async () => {
      const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto reset -> ${res.status}`);
    },
    stop: () => terminate(child),
  };
}

/** a moto_server for one test file: started in beforeAll, killed in afterAll */
export function useMoto(): () => MotoServer {
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
  });
  return () => {
    if (!moto) throw new Error('moto_server not started (use inside a test)');
    return moto;
  };
}

// ------------------------------------------------------------------ outcomes of one API call

export type Outcome =
  | { ok: true; output: unknown }
  | { ok: false; name: string; status: number | undefined; message: string };

/** run one SDK call and record what came back: the parsed output, or the error's name and HTTP status */
export async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, output: await call() };
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
    return { ok: false, name: e.name, status: meta?.httpStatusCode, message: e.message };
  }
}

export const statusClass = (status: number | undefined): string =>
  status === undefined ? 'none' : `${Math.floor(status / 100)}xx`;

/** 'success', the error code, or `HTTP <status>` for a server error (moto crashes answer an HTML 500 page) */
export function outcomeLabel(o: Outcome): string {
  if (o.ok) return 'success';
  return (o.status ?? 0) >= 500 || o.name === 'Error' ? `HTTP ${o.status ?? '?'}` : o.name;
}

export function describeOutcome(o: Outcome): string {
  return o.ok ? 'success' : `${o.name} (${o.status ?? 'no status'}): ${o.message.slice(0, 200)}`;
}

// ------------------------------------------------------------------ shapes (deep key paths)

/**
 * The deep key paths of a parsed SDK output: `A.B` for members, `A[]` for an array and `A[].C` for members of its
 * elements (the union over all elements, so list lengths do not matter). `$metadata` is left out. Maps the
 * SDK parses from XML/JSON (e.g. VersionIdsToStages) keep their keys, so keep such ids out via `opaque`.
 */
export interface Shape {
  paths: Set<string>;
  /** arrays that were empty: nothing below them can be compared */
  emptyArrays: Set<string>;
}

export function shapeOf(value: unknown, opaque: readonly string[] = []): Shape {
  const shape: Shape = { paths: new Set(), emptyArrays: new Set() };
  const walk = (v: unknown, path: string): void => {
    if (path !== '') shape.paths.add(path);
    if (opaque.includes(path)) return;
    if (Array.isArray(v)) {
      if (v.length === 0) shape.emptyArrays.add(path);
      for (const item of v) walk(item, `${path}[]`);
      return;
    }
    if (v === null || typeof v !== 'object' || v instanceof Date || v instanceof Uint8Array) return;
    for (const [k, child] of Object.entries(v)) {
      if (path === '' && k === '$metadata') continue;
      if (child === undefined) continue;
      walk(child, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(value, '');
  return shape;
}

/** a path below an array that is empty on the other side cannot be compared (different worlds, not shapes) */
function underEmptyArray(path: string, other: Shape): boolean {
  for (const a of other.emptyArrays) if (path.startsWith(`${a}[]`)) return true;
  return false;
}

export interface ShapeDiff {
  /** paths present in both */
  common: string[];
  onlySim: string[];
  onlyMoto: string[];
}

export function compareShapes(sim: Shape, moto: Shape): ShapeDiff {
  const common = [...sim.paths].filter((p) => moto.paths.has(p)).sort();
  const onlySim = [...sim.paths].filter((p) => !moto.paths.has(p) && !underEmptyArray(p, moto)).sort();
  const onlyMoto = [...moto.paths].filter((p) => !sim.paths.has(p) && !underEmptyArray(p, sim)).sort();
  return { common, onlySim, onlyMoto };
}

/** drop paths covered by another path in the list (`A` covers `A.B` and `A[]...`) */
export function topmost(paths: string[]): string[] {
  return paths.filter((p) => !paths.some((q) => q !== p && (p.startsWith(`${q}.`) || p.startsWith(`${q}[]`))));
}

// ------------------------------------------------------------------ allowed differences

/** A known, explained difference between the simulator and moto for one step. */
export type Allowance =
  /** a field (and everything below it) present on one side only */
  | { field: string; only: 'sim' | 'moto'; reason: string }
  /** moto answers this step differently: `moto` is what it answers instead (see outcomeLabel) */
  | { moto: string; reason: string };

const covers = (allowed: string, path: string): boolean =>
  path === allowed || path.startsWith(`${allowed}.`) || path.startsWith(`${allowed}[]`);

export interface StepComparison {
  step: string;
  /** the number of field paths found on both sides */
  compared: number;
  /** human-readable problems: unexplained differences and allowances that no longer apply */
  problems: string[];
  /** the allowances that were used, for the summary */
  used: Allowance[];
}

/** compare one step's outcomes on both sides, applying the step's allowances */
export function compareStep(
  step: string,
  sim: Outcome,
  moto: Outcome,
  allowances: readonly Allowance[] = [],
  opaque: readonly string[] = [],
): StepComparison {
  const problems: string[] = [];
  const used: Allowance[] = [];
  const outcomeAllowance = allowances.find((a): a is Extract<Allowance, { moto: string }> => 'moto' in a);

  const sameOutcome = sim.ok
    ? moto.ok
    : !moto.ok && sim.name === moto.name && statusClass(sim.status) === statusClass(moto.status);
  if (!sameOutcome) {
    if (outcomeAllowance?.moto === outcomeLabel(moto)) used.push(outcomeAllowance);
    else problems.push(`outcome differs: simulator ${describeOutcome(sim)} / moto ${describeOutcome(moto)}`);
    return { step, compared: 0, problems, used };
  }
  if (outcomeAllowance) problems.push(`allowed outcome difference no longer occurs: moto ${outcomeAllowance.moto}`);
  if (!sim.ok || !moto.ok) return { step, compared: 1, problems, used };

  const diff = compareShapes(shapeOf(sim.output, opaque), shapeOf(moto.output, opaque));
  const fieldAllowances = allowances.filter(
    (a): a is Extract<Allowance, { field: string }> => 'field' in a && typeof a.field === 'string',
  );
  const check = (paths: string[], side: 'sim' | 'moto') => {
    for (const path of topmost(paths)) {
      const a = fieldAllowances.find((x) => x.only === side && covers(x.field, path));
      if (a) {
        if (!used.includes(a)) used.push(a);
      } else problems.push(`${path}: only in ${side === 'sim' ? 'the simulator' : 'moto'}`);
    }
  };
  check(diff.onlySim, 'sim');
  check(diff.onlyMoto, 'moto');
  for (const a of fieldAllowances)
    if (!used.includes(a)) problems.push(`allowed difference no longer occurs: ${a.field} only in ${a.only}`);
  return { step, compared: diff.common.length, problems, used };
}

const allowanceText = (a: Allowance): string =>
  'field' in a
    ? `${a.field} only in ${a.only === 'sim' ? 'the simulator' : 'moto'}: ${a.reason}`
    : `moto answers ${a.moto}: ${a.reason}`;

/** a compact, printable summary of a comparison run: one line per step, then each allowed difference once */
export function summarize(title: string, results: readonly StepComparison[]): string {
  const total = results.reduce((n, r) => n + r.compared, 0);
  const lines = [`${title}: ${results.length} steps, ${total} field paths (or error codes) compared`];
  for (const r of results) {
    lines.push(`  ${r.problems.length > 0 ? 'DIFF' : 'ok  '} ${r.step} (${r.compared})`);
    for (const p of r.problems) lines.push(`       ! ${p}`);
  }
  const allowed = new Map<string, string[]>();
  for (const r of results)
    for (const a of r.used) allowed.set(allowanceText(a), [...(allowed.get(allowanceText(a)) ?? []), r.step]);
  if (allowed.size > 0) lines.push('  allowed differences (moto 5.2.1 is incomplete here; the simulator follows AWS):');
  for (const [text, steps] of allowed) lines.push(`    - ${text}\n        [${steps.join('; ')}]`);
  return lines.join('\n');
}
