import { cleanEnv, type Running, runCli, startCli } from '../helpers/cli-process';

// The CLI's operator-facing details, through real processes against a running `vpn-bridge sim`: status's exit code
// follows the used tunnels only, elapsed times are never negative, the time scale is always a number, and tables fit
// the terminal without cutting an id.

let sim: Running;
const SPEC = 'examples/gdn-china.yaml';

beforeAll(async () => {
  sim = await startCli(['sim', '--port', '0', '--time-scale', '500']);
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

interface StatusDoc {
  tunnels: Array<{ id: string; role: string; aws: { vpnConnectionId?: string; tunnel: 1 | 2; status: string } }>;
}

async function force(state: 'down' | 'up', vpnConnectionId: string | undefined, tunnel: number): Promise<void> {
  const r = await fetch(`${sim.url}/_sim/tunnels/${state}`, {
    method: 'POST',
    body: JSON.stringify({ cloud: 'aws', vpnConnectionId, tunnel }),
  });
  expect(r.status).toBe(200);
}

const negativeElapsed = (text: string) => text.split('\n').filter((l) => /(^|\s|\()-\d+(\.\d+)?s\b/.test(l));

describe('the CLI against a running simulator', () => {
  it('up, status (0, then 2 with a used tunnel DOWN, 0 with only an unused one DOWN), down', async () => {
    // Act: provision
    const up = await runCli(['up', '-f', SPEC, '--sim', sim.url]);

    // Assert
    expect(up.code).toBe(0);
    expect(`${up.stdout}${up.stderr}`).toMatch(/time scale 500x/);
    expect(`${up.stdout}${up.stderr}`).not.toMatch(/time scale \?/);
    expect(negativeElapsed(`${up.stdout}${up.stderr}`)).toEqual([]);

    // Act: status while every used tunnel is UP
    const ok = await runCli(['status', 'gdn-china', '--sim', sim.url, '--json']);
    const doc = JSON.parse(ok.stdout) as StatusDoc;
    const active = doc.tunnels.find((t) => t.role === 'active');
    const unused = doc.tunnels.find((t) => t.role === 'unused');

    // Assert
    expect(ok.code).toBe(0);
    expect(active?.aws.status).toBe('UP');
    expect(unused?.aws.status).toBe('DOWN');

    // Act: the active tunnel goes down
    await force('down', active?.aws.vpnConnectionId, active?.aws.tunnel ?? 1);
    const down = await runCli(['status', 'gdn-china', '--sim', sim.url]);

    // Assert
    expect(down.code).toBe(2);
    expect(down.stdout).toMatch(/vpn-1\/1 \(active\) is DOWN/);

    // Act: it comes back; an unused tunnel stays down (as always)
    await force('up', active?.aws.vpnConnectionId, active?.aws.tunnel ?? 1);
    const back = await runCli(['status', 'gdn-china', '--sim', sim.url]);

    // Assert
    expect(back.code).toBe(0);

    // Act: a narrow terminal
    const narrow = await runCli(['status', 'gdn-china', '--sim', sim.url], cleanEnv({ COLUMNS: '80' }));

    // Assert: the table (as wide as the wide terminal showed it) gives way to per-tunnel blocks within 80 columns,
    // every VPN connection id whole
    expect(back.stdout.split('\n').some((l) => /│ vpn-1\/1 +│ active +│/.test(l))).toBe(true);
    const idLines = narrow.stdout.split('\n').filter((l) => /vpn-[0-9a-f]{17}/.test(l));
    expect(idLines.length).toBeGreaterThan(0);
    expect(Math.max(...idLines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(narrow.stdout.split('\n').filter((l) => /[│┌└├]/.test(l) && l.length > 80)).toEqual([]);
    for (const t of doc.tunnels) expect(narrow.stdout).toContain(t.aws.vpnConnectionId ?? '(none)');

    // Act: teardown
    const gone = await runCli(['down', 'gdn-china', '--sim', sim.url]);

    // Assert
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/gdn-china: DELETED/);
    expect(negativeElapsed(`${gone.stdout}${gone.stderr}`)).toEqual([]);
  }, 240_000);
});
