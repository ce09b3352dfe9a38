import { main } from '../../local/cli';
import type { DataplaneReport } from '../../local/dataplane';
import { assertDataplaneReady } from '../../local/dataplane/preflight';

// `vpn-bridge demo --dataplane` for both topologies and both profiles: every used tunnel negotiates with real
// IKE, TCP passes through the active tunnel, and after the active one is forced down, through the standby.

beforeAll(() => assertDataplaneReady());

describe('vpn-bridge demo --dataplane', () => {
  it.each([
    ['eu-central-1', 'dual-tunnel', 'recommended'],
    ['eu-central-1', 'dual-tunnel', 'article-2018'],
    ['me-east-1', 'single-tunnel', 'recommended'],
    ['me-east-1', 'single-tunnel', 'article-2018'],
  ])('%s (%s) with %s: traffic on the active tunnel, then on the standby', async (region, _kind, profile) => {
    const out: string[] = [];
    const err: string[] = [];

    const code = await main(
      ['node', 'vpn-bridge', 'demo', '--dataplane', '--json', '--alibaba-region', region, '--profile', profile],
      { out: (s) => out.push(s), err: (s) => err.push(s) },
    );

    expect({ code, err: code === 0 ? [] : err }).toEqual({ code: 0, err: [] });
    const doc = JSON.parse(out.join('\n')) as { provision: { status: string }; dataplane: DataplaneReport };
    expect(doc.provision.status).toBe('ACTIVE');
    const [active, failover] = doc.dataplane.steps;
    const used = (s: typeof active) => s?.tunnels.filter((t) => t.role !== 'unused') ?? [];
    expect(used(active).map((t) => [t.role, t.ike.aws, t.child.aws, t.child.alibaba])).toEqual([
      ['active', 'ESTABLISHED', 'INSTALLED', 'INSTALLED'],
      ['standby', 'ESTABLISHED', 'INSTALLED', 'INSTALLED'],
    ]);
    expect(used(active).find((t) => t.role === 'active')?.bytes).toBeGreaterThan(0);
    expect(failover?.step).toBe('after failover');
    expect(used(failover).find((t) => t.role === 'active')?.simulator).toBe('DOWN');
    expect(used(failover).find((t) => t.role === 'standby')?.bytes).toBeGreaterThan(0);
    expect(doc.dataplane.ok).toBe(true);
    // the PSKs (32 characters of [A-Za-z0-9._] from the simulated AWS) reach only the daemons' private files
    const keyLike = (text: string) =>
      (text.match(/[A-Za-z0-9._]{32,}/g) ?? []).filter((w) => w.length === 32 && /\d/.test(w) && /[a-z]/.test(w));
    expect(keyLike(out.join('\n'))).toEqual([]);
    expect(keyLike(err.join('\n'))).toEqual([]);
  });
});
