import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PlanPreview } from '../../src/plan/preview';
import { cleanEnv, runCli, startCli } from '../helpers/cli-process';

// `vpn-bridge plan` and `vpn-bridge sim --world/--world-from-spec` through a real process: the creates and adopts
// for both topologies on the seeded world and on worlds of one's own, terraform's exit codes, and the errors.

const dir = mkdtempSync(join(tmpdir(), 'vpn-bridge-plan-'));
const file = (name: string, doc: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : stringify(doc));
  return p;
};
const planOf = (stdout: string) => JSON.parse(stdout) as PlanPreview;
const creates = (p: PlanPreview, cloud: 'aws' | 'alibaba') =>
  p[cloud].filter((x) => x.action === 'create').map((x) => x.role);

/** a world of its own: region names the seeded world does not have, a single-tunnel Alibaba region */
const WORLD = {
  aws: {
    'ap-southeast-2': {
      vpcs: [
        {
          id: 'vpc-0a1b2c3d4e5f60718',
          cidrs: ['10.20.0.0/16'],
          routeTables: [{ id: 'rtb-0a1b2c3d4e5f60719', main: true }],
        },
      ],
    },
  },
  alibaba: {
    'cn-hongkong': {
      gatewayKind: 'single-tunnel',
      zones: ['cn-hongkong-b', 'cn-hongkong-c'],
      vpcs: [
        {
          id: 'vpc-hk0000000000000000001',
          cidr: '10.30.0.0/16',
          vSwitches: [
            { id: 'vsw-hk0000000000000000001', cidr: '10.30.1.0/24', zone: 'cn-hongkong-b' },
            { id: 'vsw-hk0000000000000000002', cidr: '10.30.2.0/24', zone: 'cn-hongkong-c' },
          ],
        },
      ],
    },
  },
};
const HK_SPEC = {
  name: 'sydney-hk',
  aws: { region: 'ap-southeast-2', vpcId: 'vpc-0a1b2c3d4e5f60718', cidr: '10.20.0.0/16' },
  alibaba: {
    region: 'cn-hongkong',
    vpcId: 'vpc-hk0000000000000000001',
    cidr: '10.30.0.0/16',
    gatewayMode: 'single-tunnel',
  },
  tunnels: { profile: 'article-2018', psk: 'generated' },
};

describe('vpn-bridge plan on the seeded world', () => {
  it('plans the dual-tunnel topology: two VPN connections, one Alibaba dual-tunnel connection, unused tunnels 2', async () => {
    const r = await runCli(['plan', '-f', 'examples/gdn-china.yaml', '--local', '--json']);
    expect(r.code).toBe(2);
    const p = planOf(r.stdout);
    expect(p.topology).toBe('dual-tunnel');
    expect(creates(p, 'aws')).toEqual([
      'vgw',
      'cgw-1',
      'cgw-2',
      'vpn-1',
      'vpn-2',
      'route rtb-029976bbe46f05155',
      'route rtb-0420472808e51bd67',
    ]);
    expect(creates(p, 'alibaba')).toEqual([
      'alibaba-gateway',
      'alibaba-cgw-1',
      'alibaba-cgw-2',
      'ipsec-1',
      'vpn-route',
      'vpc-route',
    ]);
    expect(p.pairing.map((t) => `${t.tunnel} ${t.role}`)).toEqual([
      'vpn-1/1 active',
      'vpn-1/2 unused',
      'vpn-2/1 standby',
      'vpn-2/2 unused',
    ]);
    expect(p.crypto?.aws.ikeVersion).toBe('ikev2');
    expect(p.crypto?.alibaba['phase1.encryption']).toBe(p.crypto?.aws['phase1.encryption']);
    expect(p.duration?.criticalPathSeconds).toBe(600);
    expect(p.duration?.criticalPath[0]).toBe('alibaba.gateway');
  });

  it('plans the single-tunnel topology (the article): one VPN connection with both tunnels, two IPsec connections', async () => {
    const r = await runCli(['plan', '-f', 'examples/article-2018.yaml', '--local']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/single-tunnel topology/);
    expect(r.stdout).toMatch(/\+ │ VPN connection \(static routes\)\s+│ vpn-1/);
    expect(r.stdout).not.toMatch(/│ vpn-2 /);
    expect(r.stdout).toMatch(/ipsec-1[\s\S]*ipsec-2/);
    expect(r.stdout).toMatch(/ikev1[\s\S]*AES128/);
    expect(r.stdout).toMatch(/Plan: \d+ to create, 0 to adopt\./);
    expect(r.stderr).toMatch(/read-only/);
  });

  it('exits 1 and names the field when preflight finds a problem', async () => {
    const spec = file('wrong-vpc.yaml', { ...HK_SPEC, aws: { ...HK_SPEC.aws, region: 'us-east-1' } });
    const r = await runCli(['plan', '-f', spec, '--local', '--json']);
    expect(r.code).toBe(1);
    expect(planOf(r.stdout).errors.map((e) => e.path)).toContain('aws.vpcId');
  });
});

describe('a world of its own', () => {
  it('plans in regions the seeded world does not have, with the gateway kind the world gives the region', async () => {
    const world = file('world.yaml', WORLD);
    const spec = file('hk.yaml', HK_SPEC);
    const r = await runCli(['plan', '-f', spec, '--local', '--world', world, '--json']);
    expect(r.code).toBe(2);
    const p = planOf(r.stdout);
    expect(p.errors).toEqual([]);
    expect(p.topology).toBe('single-tunnel');
    expect(creates(p, 'aws')).toEqual(['vgw', 'cgw-1', 'vpn-1', 'route rtb-0a1b2c3d4e5f60719']);
    expect(creates(p, 'alibaba')).toEqual([
      'alibaba-gateway',
      'alibaba-cgw-1',
      'alibaba-cgw-2',
      'ipsec-1',
      'ipsec-2',
      'vpn-route',
      'vpc-route',
    ]);
  });

  it('refuses a world file with the bad field named', async () => {
    const bad = file('bad-world.yaml', {
      alibaba: {
        'cn-hongkong': { vpcs: [{ cidr: '10.30.0.0/16', vSwitches: [{ cidr: '10.99.0.0/24', zone: 'x' }] }] },
      },
    });
    const r = await runCli(['sim', '--world', bad, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/alibaba\.cn-hongkong\.vpcs\[0\]\.vSwitches\[0\]\.zone: x is not a zone of cn-hongkong/);
    expect(r.stderr).toMatch(/vSwitches\[0\]\.cidr: 10\.99\.0\.0\/24 is not inside/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rehearses a spec in the world it expects (--world-from-spec): plan, up, then the plan adopts everything', async () => {
    const spec = file('rehearse.yaml', {
      ...HK_SPEC,
      name: 'rehearsal',
      alibaba: {
        ...HK_SPEC.alibaba,
        region: 'ap-southeast-1',
        vpcId: 'vpc-t4n000000000000000001',
        gatewayMode: 'auto',
      },
    });
    const sim = await startCli(['sim', '--world-from-spec', spec, '--port', '0', '--time-scale', '500']);
    try {
      expect(sim.output()).toMatch(/regions ap-southeast-1 \(dual-tunnel\)/);
      const before = await runCli(['plan', '-f', spec, '--sim', sim.url, '--json']);
      expect(before.code).toBe(2);
      expect(planOf(before.stdout).summary.adopt).toBe(0);
      const up = await runCli(['up', '-f', spec, '--sim', sim.url, '--json']);
      expect(up.code).toBe(0);
      const after = await runCli(['plan', '-f', spec, '--sim', sim.url]);
      expect(after.code).toBe(0);
      expect(after.stdout).toMatch(/No changes: all 12 resources exist\./);
      expect(after.stdout).toMatch(/= │ VPN gateway \(VGW\), attached to the VPC │ vgw\s+│ adopt vgw-/);
    } finally {
      await sim.stop();
    }
  });
});

describe('CLI polish', () => {
  it('answers --help quickly and --version', async () => {
    const t0 = Date.now();
    const help = await runCli(['--help']);
    const took = Date.now() - t0;
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/plan \[options\]/);
    expect(took).toBeLessThan(1500);
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints errors as JSON with --json', async () => {
    const r = await runCli(['plan', '-f', join(dir, 'missing.yaml'), '--local', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'CliError', message: expect.stringMatching(/cannot read/) },
    });
    const usage = await runCli(['status', '--json']);
    expect(JSON.parse(usage.stdout).error.code).toBe('UsageError');
  });

  it('refuses status --local (an empty simulator) instead of answering "no connection"', async () => {
    const r = await runCli(['status', 'gdn-china', '--local']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/holds no connection: use --sim URL/);
  });

  it('fits tables to a narrow terminal without cutting ids', async () => {
    const r = await runCli(['plan', '-f', 'examples/gdn-china.yaml', '--local'], cleanEnv({ COLUMNS: '60' }));
    const tableLines = r.stdout.split('\n').filter((l) => /[│┌└├]/.test(l));
    expect(Math.max(...tableLines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(r.stdout).toMatch(/details\s+192\.168\.0\.0\/16 -> VGW in rtb-029976bbe46f05155/);
    expect(r.stdout).toContain('rtb-029976bbe46f05155');
  });
});
