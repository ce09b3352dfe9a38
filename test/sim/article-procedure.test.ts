import type { VgwTelemetry } from '@aws-sdk/client-ec2';
import { type SimClients, useSimulator } from '../helpers/sim';
import {
  type AliCrypto,
  ARTICLE_ALI,
  ARTICLE_AWS,
  alibabaStatus,
  alibabaVpnRoutes,
  articleProcedure,
  awsTelemetry,
  createAlibabaCustomerGateway,
  createAlibabaVpnGateway,
  createAndAttachVgw,
  createAwsCustomerGateway,
  createAwsVpnConnection,
  createSingleTunnelIpsecConnection,
  DUAL_REGION,
  describeAwsVpn,
  dualTunnelProcedure,
  findVpcs,
  SINGLE_REGION,
  type SingleTunnelLink,
  type SingleTunnelOptions,
  simNow,
  simTunnel,
  simTunnels,
  waitAlibabaGatewayActive,
  waitAwsVpnAvailable,
} from './procedure-helpers';

// End to end through the real SDKs: the 2018 article's manual procedure (single-tunnel gateway) and its
// dual-tunnel variant, then what the negotiation model does with each thing the article gets wrong or
// leaves out. Simulated time only moves through sim.advance() (timeScale 1), so instants are exact.
const sim = useSimulator({ timeScale: 1 });

beforeEach(() => sim().sim.reset());

const latency = (key: 'tunnel.negotiation' | 'tunnel.flapDown') => sim().sim.ctx.latencies[key];

/** move simulated time forward by `seconds` */
const advance = (seconds: number) => sim().sim.advance(seconds);

/** move simulated time forward to the epoch-ms instant `at` */
function advanceTo(at: number): void {
  const seconds = (at - simNow(sim())) / 1000;
  if (seconds < 0) throw new Error(`advanceTo: ${at} is ${-seconds} s in the past`);
  sim().sim.advance(seconds);
}

/** let the tunnels negotiate after both ends are ready */
const settle = () => advance(latency('tunnel.negotiation') + 1);

const statusOf = (t: VgwTelemetry[]) => t.map((x) => [x.Status, x.StatusMessage]);

const UP: [string, string] = ['UP', 'IPSEC IS UP'];
const DOWN: [string, string] = ['DOWN', 'IPSEC IS DOWN'];

describe('the article procedure on a single-tunnel Alibaba gateway (me-east-1)', () => {
  it('hands out the article example addresses in a fresh world', async () => {
    const s = sim();
    const net = await findVpcs(s, SINGLE_REGION);

    const gateway = await createAlibabaVpnGateway(s, SINGLE_REGION, net);
    const vgw = await createAndAttachVgw(s, net.aws.vpcId);
    const cgw = await createAwsCustomerGateway(s, gateway.internetIp);
    const vpn = await createAwsVpnConnection(s, vgw, cgw, ARTICLE_AWS);

    expect(net.aws.cidr).toBe('172.80.64.0/19');
    expect(net.alibaba.cidr).toBe('192.168.0.0/16');
    expect(gateway.internetIp).toBe('47.254.72.128');
    expect(vpn.tunnels.map((t) => t.outsideIp)).toEqual(['34.194.44.159', '34.198.177.52']);
    expect(vpn.tunnels[0].psk).toMatch(/^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/);
    expect(vpn.tunnels[0].psk).not.toBe(vpn.tunnels[1].psk);
  });

  it('brings both AWS tunnels UP and both Alibaba connections to ipsec_sa_established', async () => {
    const s = sim();

    const link = await articleProcedure(s);
    settle();
    const vpn = await describeAwsVpn(s, link.vpn.id);
    const telemetry = vpn.VgwTelemetry ?? [];
    const aliRoutes = await alibabaVpnRoutes(s, SINGLE_REGION, link.gateway.id);
    const ali = [
      await alibabaStatus(s, SINGLE_REGION, link.ipsec[0]),
      await alibabaStatus(s, SINGLE_REGION, link.ipsec[1]),
    ];
    const report = [await simTunnel(s, link.vpn.id, 1), await simTunnel(s, link.vpn.id, 2)];

    expect(statusOf(telemetry)).toEqual([UP, UP]);
    expect(telemetry.map((t) => t.OutsideIpAddress)).toEqual(link.vpn.tunnels.map((t) => t.outsideIp));
    expect(ali.map((a) => a.status)).toEqual(['ipsec_sa_established', 'ipsec_sa_established']);
    expect(report.map((r) => r.alibaba?.vpnConnectionId)).toEqual(link.ipsec);
    expect(report.map((r) => r.alibaba?.sourceIp)).toEqual([link.gateway.internetIp, link.gateway.internetIp]);
    expect(report.every((r) => r.status === 'UP' && !r.flapping)).toBe(true);
    expect(vpn.Routes).toEqual([{ DestinationCidrBlock: '192.168.0.0/16', Source: 'Static', State: 'available' }]);
    expect(aliRoutes).toEqual([
      { routeDest: '172.80.64.0/19', nextHop: link.ipsec[0], weight: 100 },
      { routeDest: '172.80.64.0/19', nextHop: link.ipsec[1], weight: 0 },
    ]);
  });
});

describe('the procedure on a dual-tunnel Alibaba gateway (eu-central-1)', () => {
  it('brings tunnel 1 of each AWS connection UP and both Alibaba tunnels to ipsec_sa_established', async () => {
    const s = sim();

    const link = await dualTunnelProcedure(s);
    settle();
    const first = await awsTelemetry(s, link.vpns[0].id);
    const second = await awsTelemetry(s, link.vpns[1].id);
    const ali = await alibabaStatus(s, DUAL_REGION, link.ipsec);
    const master = await simTunnel(s, link.vpns[0].id, 1);
    const slave = await simTunnel(s, link.vpns[1].id, 1);

    expect(link.gateway.disasterRecoveryInternetIp).not.toBe('');
    expect(link.gateway.disasterRecoveryInternetIp).not.toBe(link.gateway.internetIp);
    expect(statusOf(first)).toEqual([UP, DOWN]);
    expect(statusOf(second)).toEqual([UP, DOWN]);
    expect(ali.tunnels).toEqual([
      { role: 'master', status: 'ipsec_sa_established' },
      { role: 'slave', status: 'ipsec_sa_established' },
    ]);
    expect(ali.status).toBe('ipsec_sa_established');
    expect(master.alibaba).toMatchObject({ role: 'master', sourceIp: link.gateway.internetIp });
    expect(slave.alibaba).toMatchObject({ role: 'slave', sourceIp: link.gateway.disasterRecoveryInternetIp });
    expect((await simTunnel(s, link.vpns[0].id, 2)).alibaba).toBeNull();
  });
});

// ------------------------------------------------------------------ failures

/** read a link now and 1, 8 and 24 simulated hours later (past every AWS rekey) */
async function sampleForADay<T>(read: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let elapsed = 0;
  for (const hours of [0, 1, 8, 24]) {
    advance(hours * 3600 - elapsed);
    elapsed = hours * 3600;
    out.push(await read());
  }
  return out;
}

const withAli = (c: Partial<AliCrypto>): AliCrypto => ({ ...ARTICLE_ALI, ...c });

describe('a single-tunnel link whose tunnel 1 cannot negotiate stays DOWN and says why', () => {
  const cases: Array<[string, SingleTunnelOptions, string, RegExp]> = [
    [
      'a wrong pre-shared key',
      { psks: ['Wrong.Key_0123456789', undefined] },
      'ike_sa_not_established',
      /pre-shared key/,
    ],
    [
      'Alibaba phase-1 integrity md5',
      { crypto: [withAli({ IkeAuthAlg: 'md5' }), ARTICLE_ALI] },
      'ike_sa_not_established',
      /NO_PROPOSAL_CHOSEN in phase 1.*md5/,
    ],
    [
      'Alibaba phase-1 encryption des',
      { crypto: [withAli({ IkeEncAlg: 'des' }), ARTICLE_ALI] },
      'ike_sa_not_established',
      /NO_PROPOSAL_CHOSEN in phase 1.*des/,
    ],
    [
      'IKEv2 on Alibaba while AWS allows only IKEv1',
      { crypto: [withAli({ IkeVersion: 'ikev2' }), ARTICLE_ALI] },
      'ike_sa_not_established',
      /IKE version ikev2/,
    ],
    [
      'IKEv1 aggressive mode on Alibaba',
      { crypto: [withAli({ IkeMode: 'aggressive' }), ARTICLE_ALI] },
      'ike_sa_not_established',
      /aggressive/,
    ],
    [
      'phase-2 PFS disabled on Alibaba',
      { crypto: [withAli({ IpsecPfs: 'disabled' }), ARTICLE_ALI] },
      'ipsec_sa_not_established',
      /PFS disabled/,
    ],
    [
      'a phase-2 integrity AWS does not allow (sha256 against SHA1 only)',
      { crypto: [withAli({ IpsecAuthAlg: 'sha256' }), ARTICLE_ALI] },
      'ipsec_sa_not_established',
      /NO_PROPOSAL_CHOSEN in phase 2.*sha256/,
    ],
    [
      'a phase-2 encryption AWS does not allow (aes192)',
      { crypto: [withAli({ IpsecEncAlg: 'aes192' }), ARTICLE_ALI] },
      'ipsec_sa_not_established',
      /NO_PROPOSAL_CHOSEN in phase 2.*aes192/,
    ],
  ];

  it.each(cases)('%s', async (_what, options, aliStatus, reason) => {
    const s = sim();

    const link = await articleProcedure(s, options);
    settle();
    const samples = await sampleForADay(async () => ({
      aws: statusOf(await awsTelemetry(s, link.vpn.id)),
      ali: [
        (await alibabaStatus(s, SINGLE_REGION, link.ipsec[0])).status,
        (await alibabaStatus(s, SINGLE_REGION, link.ipsec[1])).status,
      ],
    }));
    const report = await simTunnel(s, link.vpn.id, 1);

    for (const sample of samples) {
      expect(sample.aws).toEqual([DOWN, UP]);
      expect(sample.ali).toEqual([aliStatus, 'ipsec_sa_established']);
    }
    expect(report.status).toBe('DOWN');
    expect(report.reason).toMatch(reason);
    expect(report.alibaba?.vpnConnectionId).toBe(link.ipsec[0]);
  });
});

describe('a link nobody initiates or that is wired to the wrong peer stays DOWN on both tunnels', () => {
  it('does not negotiate when AWS waits (StartupAction add) and Alibaba waits for traffic', async () => {
    const s = sim();

    const link = await articleProcedure(s, { aws: { ...ARTICLE_AWS, StartupAction: 'add' }, effectImmediately: false });
    settle();
    const samples = await sampleForADay(async () => ({
      aws: statusOf(await awsTelemetry(s, link.vpn.id)),
      ali: (await alibabaStatus(s, SINGLE_REGION, link.ipsec[0])).status,
    }));
    const report = await simTunnels(s);

    for (const sample of samples) expect(sample).toEqual({ aws: [DOWN, DOWN], ali: 'ike_sa_not_established' });
    expect(report.map((r) => r.reason)).toEqual([
      expect.stringMatching(/no initiator/),
      expect.stringMatching(/no initiator/),
    ]);
  });

  it('does not pair when the AWS customer gateway names another IP than the Alibaba gateway', async () => {
    const s = sim();

    const link = await articleProcedure(s, { awsCustomerGatewayIp: '47.254.72.200' });
    settle();
    const samples = await sampleForADay(async () => ({
      aws: statusOf(await awsTelemetry(s, link.vpn.id)),
      ali: [
        (await alibabaStatus(s, SINGLE_REGION, link.ipsec[0])).status,
        (await alibabaStatus(s, SINGLE_REGION, link.ipsec[1])).status,
      ],
    }));
    const awsLines = (await simTunnels(s)).filter((r) => r.aws);

    for (const sample of samples)
      expect(sample).toEqual({ aws: [DOWN, DOWN], ali: ['ike_sa_not_established', 'ike_sa_not_established'] });
    expect(awsLines).toHaveLength(2);
    for (const line of awsLines) {
      expect(line.reason).toMatch(/peer IP mismatch/);
      expect(line.reason).toContain('47.254.72.200');
      expect(line.reason).toContain(link.gateway.internetIp);
    }
  });

  it('does not pair a dual-tunnel connection whose master and slave point at the crossed AWS tunnels', async () => {
    const s = sim();

    const link = await dualTunnelProcedure(s, { crossed: true });
    settle();
    const samples = await sampleForADay(async () => ({
      aws: [statusOf(await awsTelemetry(s, link.vpns[0].id)), statusOf(await awsTelemetry(s, link.vpns[1].id))],
      ali: (await alibabaStatus(s, DUAL_REGION, link.ipsec)).tunnels.map((t) => t.status),
    }));
    const first = await simTunnel(s, link.vpns[0].id, 1);
    const second = await simTunnel(s, link.vpns[1].id, 1);
    const aliOnly = (await simTunnels(s)).filter((r) => r.aws === null);

    for (const sample of samples)
      expect(sample).toEqual({
        aws: [
          [DOWN, DOWN],
          [DOWN, DOWN],
        ],
        ali: ['ike_sa_not_established', 'ike_sa_not_established'],
      });
    expect(first.reason).toMatch(/peer IP mismatch/);
    expect(second.reason).toMatch(/peer IP mismatch/);
    expect(aliOnly.map((r) => r.alibaba?.role).sort()).toEqual(['master', 'slave']);
    expect(aliOnly.every((r) => r.status === 'DOWN' && /no AWS tunnel/.test(r.reason))).toBe(true);
  });
});

// ------------------------------------------------------------------ lifetimes

interface Sample {
  at: number;
  status: string;
  change: number;
  /** the Alibaba connection's status, read only when the AWS status differs from the previous sample */
  ali?: string;
}

async function sampleTunnel1(s: SimClients, link: SingleTunnelLink, previous: Sample | undefined): Promise<Sample> {
  const [tunnel1] = await awsTelemetry(s, link.vpn.id);
  const status = tunnel1?.Status ?? '';
  return {
    at: simNow(s),
    status,
    change: tunnel1?.LastStatusChange?.getTime() ?? 0,
    ...(previous?.status !== status ? { ali: (await alibabaStatus(s, SINGLE_REGION, link.ipsec[0])).status } : {}),
  };
}

describe('lifetimes above the AWS maxima (the Alibaba 86400 s default the article left)', () => {
  it('comes UP, drops at the AWS rekey and comes back, cycle after cycle', async () => {
    const s = sim();
    const article86400 = withAli({ IkeLifetime: 86400, IpsecLifetime: 86400 });
    const link = await articleProcedure(s, { crypto: [article86400, article86400] });
    const phase2 = (await describeAwsVpn(s, link.vpn.id)).Options?.TunnelOptions?.[0]?.Phase2LifetimeSeconds ?? 0;
    // a DOWN spell lasts tunnel.flapDown + tunnel.negotiation; sampling a second more often sees every one
    const downSpell = latency('tunnel.flapDown') + latency('tunnel.negotiation');
    const step = downSpell - 1;

    settle();
    const upAt = simNow(s);
    const samples: Sample[] = [];
    let downReason = '';
    for (let t = 0; t <= 2 * (phase2 + downSpell); t += step) {
      const sample = await sampleTunnel1(s, link, samples.at(-1));
      if (sample.status === 'DOWN' && !downReason) downReason = (await simTunnel(s, link.vpn.id, 1)).reason;
      samples.push(sample);
      advance(step);
    }
    const report = await simTunnel(s, link.vpn.id, 1);
    const flips = samples.filter((x, i) => i > 0 && x.status !== samples[i - 1]?.status).map((x) => x.status);
    const firstDown = samples.find((x) => x.status === 'DOWN');
    const aliReads = samples.filter((x) => x.ali !== undefined);

    expect(samples[0]?.status).toBe('UP');
    expect(flips.slice(0, 4)).toEqual(['DOWN', 'UP', 'DOWN', 'UP']);
    expect((firstDown?.at ?? Number.POSITIVE_INFINITY) - upAt).toBeLessThanOrEqual(phase2 * 1000);
    expect(new Set(samples.map((x) => x.change)).size).toBeGreaterThanOrEqual(5);
    expect(aliReads.length).toBeGreaterThanOrEqual(5);
    expect(new Set(aliReads.map((x) => x.ali))).toEqual(new Set(['ipsec_sa_established', 'ipsec_sa_not_established']));
    for (const x of aliReads)
      expect(x.ali).toBe(x.status === 'UP' ? 'ipsec_sa_established' : 'ipsec_sa_not_established');
    expect(report.flapping).toBe(true);
    expect(downReason).toMatch(/rekey failed: lifetime mismatch: Alibaba 86400\/86400 s vs AWS 28800\/3600 s/);
  });

  it('with only the IKE lifetime too long, survives the phase-2 rekeys and drops at the phase-1 rekey', async () => {
    const s = sim();
    const link = await articleProcedure(s, { crypto: [withAli({ IkeLifetime: 86400 }), ARTICLE_ALI] });
    const options = (await describeAwsVpn(s, link.vpn.id)).Options?.TunnelOptions?.[0];
    const [phase1, phase2] = [options?.Phase1LifetimeSeconds ?? 0, options?.Phase2LifetimeSeconds ?? 0];
    const downSpell = latency('tunnel.flapDown') + latency('tunnel.negotiation');

    settle();
    const upAt = simNow(s);
    const first = await sampleTunnel1(s, link, undefined);
    advanceTo(upAt + 2 * (phase2 + downSpell) * 1000);
    const afterTwoPhase2Rekeys = await sampleTunnel1(s, link, first);
    // the AWS rekey margin is at most half of phase 2 (docs/sources.md#aws-aws): the phase-1 rekey falls in this window
    advanceTo(upAt + (phase1 - phase2 / 2 - downSpell) * 1000);
    const window: Sample[] = [];
    while (simNow(s) <= upAt + (phase1 + downSpell) * 1000) {
      window.push(await sampleTunnel1(s, link, window.at(-1)));
      advance(downSpell - 1);
    }
    const down = window.filter((x) => x.status === 'DOWN');

    expect(first.status).toBe('UP');
    expect(afterTwoPhase2Rekeys).toMatchObject({ status: 'UP', change: first.change });
    expect(down.length).toBeGreaterThan(0);
    expect(window.at(-1)?.status).toBe('UP');
    expect(down[0]?.ali).toBe('ike_sa_not_established');
    expect(new Set(window.map((x) => x.change)).size).toBeGreaterThanOrEqual(2);
  });
});

// ------------------------------------------------------------------ timing

describe('when a tunnel comes UP', () => {
  it('stays DOWN until the AWS connection is available and tunnel.negotiation seconds more', async () => {
    const s = sim();
    const createLatency = s.sim.ctx.latencies['aws.vpnConnection.create'];
    const negotiation = latency('tunnel.negotiation');
    const net = await findVpcs(s, SINGLE_REGION);
    const gateway = await createAlibabaVpnGateway(s, SINGLE_REGION, net);
    const vgw = await createAndAttachVgw(s, net.aws.vpcId);
    const cgw = await createAwsCustomerGateway(s, gateway.internetIp);
    const createdAt = simNow(s);
    const vpn = await createAwsVpnConnection(s, vgw, cgw, ARTICLE_AWS);
    for (const t of vpn.tunnels) {
      const aliCgw = await createAlibabaCustomerGateway(s, SINGLE_REGION, t.outsideIp);
      await createSingleTunnelIpsecConnection(s, SINGLE_REGION, gateway.id, aliCgw, { psk: t.psk });
    }
    await waitAlibabaGatewayActive(s, SINGLE_REGION, gateway.id);
    const availableAt = createdAt + createLatency * 1000;

    advanceTo(availableAt - 1000);
    const pending = await describeAwsVpn(s, vpn.id);
    advanceTo(availableAt + 1000);
    const justAvailable = await describeAwsVpn(s, vpn.id);
    advanceTo(availableAt + (negotiation - 1) * 1000);
    const negotiating = await awsTelemetry(s, vpn.id);
    advanceTo(availableAt + (negotiation + 1) * 1000);
    const up = await awsTelemetry(s, vpn.id);

    expect(pending.State).toBe('pending');
    expect(statusOf(pending.VgwTelemetry ?? [])).toEqual([DOWN, DOWN]);
    expect(justAvailable.State).toBe('available');
    expect(statusOf(justAvailable.VgwTelemetry ?? [])).toEqual([DOWN, DOWN]);
    expect(statusOf(negotiating)).toEqual([DOWN, DOWN]);
    expect(statusOf(up)).toEqual([UP, UP]);
    const changedAt = up[0]?.LastStatusChange?.getTime() ?? 0;
    expect(changedAt).toBeGreaterThanOrEqual(availableAt + negotiation * 1000 - 1000);
    expect(changedAt).toBeLessThanOrEqual(availableAt + negotiation * 1000 + 1000);
  });

  it('waits for the later end: an IPsec connection added after the AWS side is ready', async () => {
    const s = sim();
    const updateLatency = s.sim.ctx.latencies['alibaba.vpnGateway.update'];
    const negotiation = latency('tunnel.negotiation');
    const net = await findVpcs(s, SINGLE_REGION);
    const gateway = await createAlibabaVpnGateway(s, SINGLE_REGION, net);
    const vgw = await createAndAttachVgw(s, net.aws.vpcId);
    const cgw = await createAwsCustomerGateway(s, gateway.internetIp);
    const vpn = await createAwsVpnConnection(s, vgw, cgw, ARTICLE_AWS);
    await waitAwsVpnAvailable(s, vpn.id);
    const aliCgw = await createAlibabaCustomerGateway(s, SINGLE_REGION, vpn.tunnels[0].outsideIp);
    await waitAlibabaGatewayActive(s, SINGLE_REGION, gateway.id);
    advance(3600);
    const createdAt = simNow(s);
    const ipsec = await createSingleTunnelIpsecConnection(s, SINGLE_REGION, gateway.id, aliCgw, {
      psk: vpn.tunnels[0].psk,
    });
    const readyAt = createdAt + updateLatency * 1000;

    advanceTo(readyAt + (negotiation - 1) * 1000);
    const before = await awsTelemetry(s, vpn.id);
    const aliBefore = await alibabaStatus(s, SINGLE_REGION, ipsec);
    advanceTo(readyAt + (negotiation + 1) * 1000);
    const after = await awsTelemetry(s, vpn.id);
    const aliAfter = await alibabaStatus(s, SINGLE_REGION, ipsec);

    expect(statusOf(before)).toEqual([DOWN, DOWN]);
    expect(aliBefore.status).toBe('ike_sa_not_established');
    expect(statusOf(after)).toEqual([UP, DOWN]);
    expect(aliAfter.status).toBe('ipsec_sa_established');
    expect((await simTunnel(s, vpn.id, 2)).reason).toMatch(/no Alibaba tunnel targets/);
  });
});

// ------------------------------------------------------------------ forcing a tunnel down

describe('forcing a tunnel down through the simulator admin API', () => {
  it('takes the tunnel DOWN on both clouds and lets it renegotiate after /up', async () => {
    const s = sim();
    const link = await articleProcedure(s);
    settle();
    const target = { cloud: 'aws', vpnConnectionId: link.vpn.id, tunnel: 1 };

    await s.admin('POST', '/_sim/tunnels/down', target);
    advance(3600);
    const forcedAws = await awsTelemetry(s, link.vpn.id);
    const forcedAli = await alibabaStatus(s, SINGLE_REGION, link.ipsec[0]);
    const forcedReport = await simTunnel(s, link.vpn.id, 1);
    await s.admin('POST', '/_sim/tunnels/up', target);
    const releasedAt = simNow(s);
    advanceTo(releasedAt + (latency('tunnel.negotiation') - 1) * 1000);
    const renegotiating = await awsTelemetry(s, link.vpn.id);
    advanceTo(releasedAt + (latency('tunnel.negotiation') + 1) * 1000);
    const backAws = await awsTelemetry(s, link.vpn.id);
    const backAli = await alibabaStatus(s, SINGLE_REGION, link.ipsec[0]);

    expect(statusOf(forcedAws)).toEqual([DOWN, UP]);
    expect(forcedAli.status).toBe('ike_sa_not_established');
    expect(forcedReport.reason).toMatch(/forced down/);
    expect(statusOf(renegotiating)).toEqual([DOWN, UP]);
    expect(statusOf(backAws)).toEqual([UP, UP]);
    expect(backAli.status).toBe('ipsec_sa_established');
  });
});
