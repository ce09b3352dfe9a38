import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { assertDataplaneReady } from '../../local/dataplane/preflight';
import { listNamespaces, sleep, withResources } from '../../local/dataplane/system';
import { Testbed } from '../../local/dataplane/testbed';
import { alibabaEnd, awsEnd } from '../../src/ike';
import { ALIBABA_STATE, AWS_STATE } from './fixtures/tunnel-states';

// Nothing the harness makes outlives it: not after a normal run, a failed one, Ctrl-C (SIGINT) or SIGKILL.
// "Made" = the charon daemons and helpers (by PID), the namespaces (by name; veths live and die inside them)
// and the private directory holding the PSK files.

interface Made {
  pids: number[];
  namespaces: string[];
  dir: string;
}

/** a process that still runs (a zombie waiting for init to reap it counts as gone) */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** what is left of `made`, polled for up to `ms` (a killed run's reaper needs a moment) */
async function leftovers(made: Made, ms = 0): Promise<Made> {
  const until = Date.now() + ms;
  for (;;) {
    const ns = new Set(await listNamespaces());
    const left = {
      pids: made.pids.filter(alive),
      namespaces: made.namespaces.filter((n) => ns.has(n)),
      dir: existsSync(made.dir) ? made.dir : '',
    };
    if ((left.pids.length === 0 && left.namespaces.length === 0 && !left.dir) || Date.now() > until) return left;
    await sleep(250);
  }
}

async function buildOnePair(): Promise<Made> {
  let made: Made = { pids: [], namespaces: [], dir: '' };
  await withResources(async (r) => {
    const tb = new Testbed(r, '172.80.64.0/19', '192.168.0.0/16');
    await tb.create();
    const pair = await tb.addPair(1, { aws: awsEnd(AWS_STATE), alibaba: alibabaEnd(ALIBABA_STATE) });
    made = { pids: [pair.aws.pid, pair.alibaba.pid, ...r.pids()], namespaces: r.madeNamespaces(), dir: r.dir };
  });
  return made;
}

/** a harness run in another process, killed with `signal` once it has built its tunnel pair */
async function killedRun(signal: NodeJS.Signals): Promise<{ made: Made; code: number | null; by: string | null }> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'fixtures', 'hold-testbed.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])));
  const line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the harness run did not report within 60 s')), 60_000);
    createInterface({ input: child.stdout }).once('line', (l) => {
      clearTimeout(t);
      resolve(l);
    });
  });
  const made = JSON.parse(line) as Made;
  child.kill(signal);
  const [code, by] = await exited;
  return { made, code, by };
}

beforeAll(() => assertDataplaneReady());

describe('the dataplane harness cleans up after itself', () => {
  it('removes its daemons, namespaces and PSK files after a run', async () => {
    const made = await buildOnePair();

    const left = await leftovers(made);

    expect(made.pids.length).toBeGreaterThanOrEqual(4);
    expect(made.namespaces).toHaveLength(4);
    expect(left).toEqual({ pids: [], namespaces: [], dir: '' });
  });

  it('removes them when the run fails half way', async () => {
    let made: Made = { pids: [], namespaces: [], dir: '' };
    const failing = withResources(async (r) => {
      const tb = new Testbed(r, '172.80.64.0/19', '192.168.0.0/16');
      await tb.create();
      await tb.addPair(1, { aws: awsEnd(AWS_STATE), alibaba: alibabaEnd(ALIBABA_STATE) });
      made = { pids: r.pids(), namespaces: r.madeNamespaces(), dir: r.dir };
      throw new Error('a step failed');
    });

    await expect(failing).rejects.toThrow('a step failed');
    const left = await leftovers(made);

    expect(made.namespaces).toHaveLength(4);
    expect(left).toEqual({ pids: [], namespaces: [], dir: '' });
  });

  it('removes them on Ctrl-C (SIGINT) and exits 130', async () => {
    const { made, code } = await killedRun('SIGINT');

    const left = await leftovers(made, 10_000);

    expect(code).toBe(130);
    expect(made.namespaces).toHaveLength(4);
    expect(left).toEqual({ pids: [], namespaces: [], dir: '' });
  });

  it('leaves nothing when the run is killed outright (SIGKILL)', async () => {
    const { made, by } = await killedRun('SIGKILL');

    const left = await leftovers(made, 10_000);

    expect(by).toBe('SIGKILL');
    expect(made.namespaces).toHaveLength(4);
    expect(left).toEqual({ pids: [], namespaces: [], dir: '' });
  });
});
