import type { ChildProcess } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IkeEnd, strongswanConf, swanctlConf } from '../../src/ike';
import { DataplaneFailed } from './errors';
import { type IkeSa, parseListSas } from './sa-list';
import { type Resources, run, sleep } from './system';

// One charon per tunnel end, in that end's network namespace, in its own mount namespace with a private tmpfs
// on /run (pid file and vici socket) and its own strongswan.conf bound over /etc/strongswan.conf. Its
// swanctl.conf (with the PSK) is a 0600 file in the run's private directory. The daemon is the direct child
// of this process (ip netns exec, setpriv, unshare and sh all exec), so it is stopped and reaped by PID.

export class Daemon {
  private constructor(
    readonly end: IkeEnd,
    readonly ns: string,
    private readonly child: ChildProcess,
    private readonly swanctlPath: string,
    readonly logPath: string,
    private readonly resources: Resources,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(resources: Resources, ns: string, end: IkeEnd, label: string): Promise<Daemon> {
    const base = join(resources.dir, label);
    const conf = `${base}.strongswan.conf`;
    const swanctl = `${base}.swanctl.conf`;
    writeFileSync(conf, strongswanConf(end), { mode: 0o600 });
    writeFileSync(swanctl, swanctlConf(end), { mode: 0o600 });
    const script =
      'mount -t tmpfs tmpfs /run && mount --bind "$1" /etc/strongswan.conf && exec /usr/sbin/charon-systemd';
    const child = resources.spawn('ip', ['netns', 'exec', ns, 'unshare', '-m', 'sh', '-c', script, 'sh', conf]);
    const d = new Daemon(end, ns, child, swanctl, `${base}.log`, resources);
    await d.waitReady();
    return d;
  }

  private swanctl(args: string[], timeoutMs = 10_000) {
    return run('nsenter', ['-t', String(this.pid), '-m', '-n', 'swanctl', ...args], timeoutMs);
  }

  private async waitReady(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (this.child.exitCode !== null)
        throw new DataplaneFailed(`charon in ${this.ns} exited (${this.child.exitCode})`);
      try {
        await this.swanctl(['--stats'], 3000);
        // stream the daemon's log (level 1: no key material) into a file next to its config, line by line
        const fd = openSync(this.logPath, 'a', 0o600);
        this.resources.spawn('nsenter', ['-t', String(this.pid), '-m', '-n', 'stdbuf', '-oL', 'swanctl', '--log'], {
          stdout: fd,
        });
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new DataplaneFailed(`charon in ${this.ns} did not open its control socket within 10 s`);
  }

  /** load the connection and its secret (a `start_action = start` end starts negotiating now) */
  async load(): Promise<void> {
    await this.swanctl(['--load-all', '--noprompt', '--file', this.swanctlPath]);
  }

  async sas(): Promise<IkeSa[]> {
    const { stdout } = await this.swanctl(['--list-sas', '--raw']);
    return parseListSas(stdout);
  }

  /** take the tunnel down (the peer is told with a DELETE, so nothing renegotiates it) */
  async terminate(): Promise<void> {
    await this.swanctl(['--terminate', '--ike', this.end.name, '--timeout', '5'], 10_000).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.resources.stop(this.child);
  }
}
