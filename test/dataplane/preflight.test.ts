import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Without root (or without strongSwan) the harness refuses to start and names what is missing and how to get
// it: a clear failure, never a silent skip. Run as the unprivileged user `nobody` (uid 65534).
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('the dataplane preflight', () => {
  it('names root as missing when run as an unprivileged user', async () => {
    const script =
      "require('tsx/cjs'); require('./local/dataplane/preflight').assertDataplaneReady().then(() => console.log('ready'), (e) => console.log(e.name + ': ' + e.message))";

    const { stdout } = await run(
      'setpriv',
      ['--reuid', '65534', '--regid', '65534', '--clear-groups', 'env', 'HOME=/tmp', process.execPath, '-e', script],
      { cwd: ROOT, timeout: 60_000 },
    );

    expect(stdout).toMatch(/^DataplaneUnavailable: the dataplane harness cannot run on this machine; missing:/);
    expect(stdout).toMatch(/- root: network namespaces and a daemon per tunnel end need root/);
  });

  it('makes the test command stop with the install line when strongSwan is missing and it is not root', async () => {
    // a PATH and package check the script cannot satisfy as nobody: it must explain instead of installing
    const result = await run(
      'setpriv',
      ['--reuid', '65534', '--regid', '65534', '--clear-groups', 'bash', join(ROOT, 'scripts', 'dataplane-setup.sh')],
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, DATAPLANE_SETUP_PROBE: '/nonexistent/charon-systemd' } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code?: number; stderr?: string }) => ({ code: e.code, stderr: e.stderr ?? '' }),
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/needs strongSwan \(missing: \/nonexistent\/charon-systemd\) and root/);
    expect(result.stderr).toMatch(/apt-get install -y --no-install-recommends strongswan-swanctl charon-systemd/);
  });
});
