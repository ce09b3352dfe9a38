import ipaddr from 'ipaddr.js';
import type { SimContext } from './core/context';
import { SimError } from './core/errors';
import type {
  AliCustomerGateway,
  AliTunnel,
  AliTunnelNegotiationStatus,
  AliVpnConnection,
  AliVpnGateway,
  AwsTunnelOptions,
  AwsVpnConnection,
} from './types';

// The tunnel negotiation model (README.md). An AWS tunnel and an Alibaba tunnel form a pair when
// the Alibaba tunnel's customer gateway is the AWS tunnel's outside IP AND the Alibaba tunnel leaves
// from the IP the AWS customer gateway names (docs/sources.md#the-article-and-the-interoperability-guides-interop). A pair comes UP `tunnel.negotiation`
// seconds after all of these have held: both ends exist and are ready, an initiator exists (AWS
// StartupAction=start or Alibaba EffectImmediately=true), the PSKs match, the IKE version and mode are
// acceptable to AWS, a phase-1 and a phase-2 proposal are acceptable to both, and the traffic selectors
// are compatible, and the IKE identities are the ones AWS uses (its outside IP, the customer gateway IP). IKEv1
// lifetimes above AWS's make the tunnel flap at every AWS rekey (IKEv2 does not negotiate lifetimes); an IKEv2
// phase-2 DH mismatch comes UP and fails at the first rekey. A forced-down-then-released tunnel had an outage:
// dead peer detection decides whether anyone re-initiates. AWS shows the result in VgwTelemetry; Alibaba in the
// tunnel/connection Status. `/_sim/tunnels` explains each verdict; docs/conformance.md checks them against
// strongSwan.

const AWS_DEFAULTS = {
  enc: ['AES128', 'AES256', 'AES128-GCM-16', 'AES256-GCM-16'],
  integ: ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'],
  dh1: [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  dh2: [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  ike: ['ikev1', 'ikev2'],
};
/** AWS sends its first R-U-THERE after 10 s without traffic; vpn-bridge's strongSwan mapping assumes the same for Alibaba */
const DPD_IDLE_SECONDS = 10;
/** Alibaba documents DPD as on/off only: the timeout is the mapping's assumption (docs/ike-mapping.md) */
const ALIBABA_DPD_TIMEOUT_SECONDS = 30;
const AWS_MAX_PHASE1 = 28800;
const AWS_MAX_PHASE2 = 3600;

/** Alibaba algorithm names -> AWS names (docs/sources.md#the-article-and-the-interoperability-guides-interop); undefined = no AWS equivalent */
const ALI_ENC: Record<string, string | undefined> = { aes: 'AES128', aes256: 'AES256' };
const ALI_AUTH: Record<string, string | undefined> = {
  sha1: 'SHA1',
  sha256: 'SHA2-256',
  sha384: 'SHA2-384',
  sha512: 'SHA2-512',
};
const ALI_PFS: Record<string, number | undefined> = { group1: 1, group2: 2, group5: 5, group14: 14, group24: 24 };

type Phase = 'setup' | 'phase1' | 'phase2';

interface Verdict {
  ok: boolean;
  /** where negotiation stops when not ok */
  phase?: Phase;
  reason: string;
  /** ok but the lifetimes make every AWS rekey fail */
  flapping?: boolean;
  /** with flapping: the phase whose rekey fails first */
  rekey?: 'phase1' | 'phase2';
}

interface TimedStatus {
  status: 'UP' | 'DOWN';
  changedAt: number;
  /** DOWN because an AWS rekey failed (flapping), not because it is still negotiating */
  rekeyFailed?: boolean;
}

interface AliRef {
  region: string;
  gateway: AliVpnGateway;
  connection: AliVpnConnection;
  tunnel: AliTunnel;
  customerGateway: AliCustomerGateway;
}

interface Track {
  fp: string;
  since: number;
  /** status and last change instant just before this epoch began */
  baseStatus: 'UP' | 'DOWN';
  baseChange: number;
}

export interface TunnelReport {
  aws: { region: string; vpnConnectionId: string; tunnel: 1 | 2; outsideIp: string; customerGatewayIp: string } | null;
  alibaba: {
    region: string;
    vpnConnectionId: string;
    tunnelId: string;
    role: string;
    sourceIp: string;
    customerGatewayIp: string;
  } | null;
  status: 'UP' | 'DOWN';
  reason: string;
  flapping: boolean;
  lastStatusChange: string;
}

// Traffic selectors are IPv4 CIDRs; the answer for a pair never changes, and every tunnel asks on every
// tick, so answers are remembered (IPv4 parsing only: the generic parser tries IPv6 first and is slow).
const withinCache = new Map<string, boolean>();

function within(inner: string, outer: string): boolean {
  const key = `${inner}|${outer}`;
  const hit = withinCache.get(key);
  if (hit !== undefined) return hit;
  let answer = false;
  try {
    const [oa, ob] = ipaddr.IPv4.parseCIDR(outer);
    const [ia, ib] = ipaddr.IPv4.parseCIDR(inner);
    answer = ib >= ob && ia.match(oa, ob);
  } catch {
    answer = false;
  }
  if (withinCache.size > 10_000) withinCache.clear();
  withinCache.set(key, answer);
  return answer;
}

function orDefault<T>(list: T[], fallback: T[]): T[] {
  return list.length > 0 ? list : fallback;
}

export class NegotiationModel {
  private tracks = new Map<string, Track>();
  private lastReport: TunnelReport[] = [];
  /**
   * What the last refresh saw: a refresh recomputes every tunnel, so it runs only when its result may differ, i.e.
   * the world changed (ctx.version, the forced-down set, the latencies; or another tick hook that may edit the world
   * is installed) or simulated time reached the next instant at which some tunnel's status changes by itself
   * (negotiation done, a flapping tunnel's rekey). Otherwise the world already holds what it would write.
   */
  private seen:
    | { version: number; forced: string; latencies: object; hooks: number; at: number; nextChange: number }
    | undefined;

  constructor(private readonly ctx: SimContext) {}

  /** tunnel key -> simulated instant it was forced down (an outage: the peer stops answering) */
  private outageSince = new Map<string, number>();
  /** tunnel key -> length of the last outage, seconds (until the tunnel is UP again) */
  private lastOutage = new Map<string, number>();

  reset(): void {
    this.seen = undefined;
    this.tracks.clear();
    this.lastReport = [];
    this.outageSince.clear();
    this.lastOutage.clear();
  }

  /**
   * A tunnel forced down and released is an outage: the two ends stop hearing each other, then hear each other
   * again. An end whose DPD notices (an idle delay plus its timeout) deletes its SAs and acts on it: AWS per
   * DPDTimeoutAction (restart initiates again, clear waits, none does not probe), Alibaba per EffectImmediately
   * (negotiate at once again, or only when traffic arrives). The tunnel comes back when an end re-initiates,
   * or when neither end deleted anything (the old SAs carry on); otherwise it stays DOWN.
   */
  private afterOutage(seconds: number, aws: AwsTunnelOptions, peer: AliRef): Verdict | undefined {
    const awsNotices = aws.DpdTimeoutAction !== 'none' && seconds >= DPD_IDLE_SECONDS + aws.DpdTimeoutSeconds;
    const aliNotices = peer.tunnel.EnableDpd && seconds >= DPD_IDLE_SECONDS + ALIBABA_DPD_TIMEOUT_SECONDS;
    if (awsNotices && aws.DpdTimeoutAction === 'restart') return undefined;
    if (aliNotices && peer.connection.EffectImmediately) return undefined;
    if (!awsNotices && !aliNotices) return undefined;
    const who = [
      awsNotices ? `AWS cleared the tunnel (DPDTimeoutAction=${aws.DpdTimeoutAction})` : 'AWS kept its SA',
      aliNotices
        ? 'Alibaba cleared it and waits for traffic (EffectImmediately=false)'
        : `Alibaba ${peer.tunnel.EnableDpd ? 'kept its SA' : 'has DPD off and kept a dead SA'}`,
    ];
    return {
      ok: false,
      phase: 'setup',
      reason: `dead peer detection during a ${Math.round(seconds)} s outage: ${who.join('; ')}; nobody re-initiates`,
    };
  }

  report(): TunnelReport[] {
    return this.lastReport;
  }

  /** the forcedDown key for an admin request body */
  forceKey(o: Record<string, unknown>): string {
    const cloud = o.cloud ?? 'aws';
    if (cloud === 'aws') {
      const id = o.vpnConnectionId;
      const t = o.tunnel ?? 1;
      if (typeof id !== 'string') throw new SimError('InvalidRequest', 'vpnConnectionId: required for cloud=aws', 400);
      if (t !== 1 && t !== 2) throw new SimError('InvalidRequest', 'tunnel: 1 or 2', 400);
      const exists = Object.values(this.ctx.state.aws.regions).some((r) => r.vpnConnections[id]);
      if (!exists) throw new SimError('NotFound', `no AWS VPN connection ${id}`, 404);
      return `aws:${id}:${t}`;
    }
    if (cloud === 'alibaba') {
      for (const r of Object.values(this.ctx.state.alibaba.regions)) {
        for (const c of Object.values(r.vpnConnections)) {
          for (const t of c.Tunnels) {
            if (
              t.TunnelId === o.tunnelId ||
              (c.VpnConnectionId === o.vpnConnectionId && t.Role === (o.role ?? 'master'))
            )
              return `alibaba:${t.TunnelId}`;
          }
        }
      }
      throw new SimError('NotFound', 'no Alibaba tunnel matches (give tunnelId, or vpnConnectionId + role)', 404);
    }
    throw new SimError('InvalidRequest', "cloud: 'aws' or 'alibaba'", 400);
  }

  /** every tunnel's status at simulated instant `now`, written into the world (recomputed when it may differ) */
  refresh(now: number): void {
    const forced = Object.entries(this.ctx.state.forcedDown)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const s = this.seen;
    if (
      s &&
      s.version === this.ctx.version &&
      s.forced === forced &&
      s.latencies === this.ctx.latencies &&
      s.hooks === this.ctx.tickHooks.length &&
      this.ctx.tickHooks.length <= 1 &&
      now >= s.at &&
      now < s.nextChange
    )
      return;
    const nextChange = this.recompute(now);
    this.seen = {
      version: this.ctx.version,
      forced,
      latencies: this.ctx.latencies,
      hooks: this.ctx.tickHooks.length,
      at: now,
      nextChange,
    };
  }

  /** recompute every tunnel's status at `now` and write it into the world; the next instant one changes by itself */
  private recompute(now: number): number {
    let nextChange = Number.POSITIVE_INFINITY;
    const { state } = this.ctx;
    // Index Alibaba tunnels by the IP of their customer gateway (= the AWS outside IP they target).
    const aliByPeer = new Map<string, AliRef[]>();
    const aliSeen = new Set<string>();
    for (const [region, r] of Object.entries(state.alibaba.regions)) {
      for (const c of Object.values(r.vpnConnections)) {
        const gateway = r.vpnGateways[c.VpnGatewayId];
        if (!gateway) continue;
        for (const t of c.Tunnels) {
          const cgw = r.customerGateways[t.CustomerGatewayId];
          if (!cgw) continue;
          const list = aliByPeer.get(cgw.IpAddress) ?? [];
          list.push({ region, gateway, connection: c, tunnel: t, customerGateway: cgw });
          aliByPeer.set(cgw.IpAddress, list);
        }
      }
    }

    const report: TunnelReport[] = [];
    const aliStatus = new Map<string, AliTunnelNegotiationStatus>();

    for (const [region, r] of Object.entries(state.aws.regions)) {
      for (const conn of Object.values(r.vpnConnections)) {
        const cgw = r.customerGateways[conn.CustomerGatewayId];
        conn.TunnelOptions.forEach((opts, idx) => {
          const tunnelNo = (idx + 1) as 1 | 2;
          const key = `aws:${conn.VpnConnectionId}:${tunnelNo}`;
          const candidates = aliByPeer.get(opts.OutsideIpAddress) ?? [];
          const peer = candidates.find((a) => cgw && a.tunnel.InternetIp === cgw.IpAddress);
          const wrongSource = candidates.find((a) => a !== peer);
          let verdict: Verdict;
          if (conn.State === 'deleting' || conn.State === 'deleted')
            verdict = { ok: false, phase: 'setup', reason: `VPN connection is ${conn.State}` };
          else if (!cgw) verdict = { ok: false, phase: 'setup', reason: 'customer gateway missing' };
          else if (!peer && wrongSource)
            verdict = {
              ok: false,
              phase: 'setup',
              reason: `peer IP mismatch: IKE arrives from ${wrongSource.tunnel.InternetIp || '(none)'} but the customer gateway is ${cgw.IpAddress}`,
            };
          else if (!peer)
            verdict = { ok: false, phase: 'setup', reason: `no Alibaba tunnel targets ${opts.OutsideIpAddress}` };
          else if (conn.State === 'modifying' && conn.Replacing === tunnelNo)
            verdict = {
              ok: false,
              phase: 'setup',
              reason: 'tunnel endpoint replacement in progress (ModifyVpnTunnelOptions)',
            };
          else verdict = this.evaluate(conn, opts, peer);
          const forced =
            state.forcedDown[key] === true ||
            (peer ? state.forcedDown[`alibaba:${peer.tunnel.TunnelId}`] === true : false);
          const since = this.outageSince.get(key);
          if (forced && since === undefined) this.outageSince.set(key, now);
          if (!forced && since !== undefined) {
            this.outageSince.delete(key);
            this.lastOutage.set(key, (now - since) / 1000);
          }
          const outage = this.lastOutage.get(key);
          if (!forced && verdict.ok && peer && outage !== undefined) {
            const after = this.afterOutage(outage, opts, peer);
            if (after) verdict = after;
          }
          if (forced) verdict = { ok: false, phase: 'setup', reason: 'forced down through the simulator admin API' };

          const fp = JSON.stringify([verdict, peer?.tunnel.TunnelId ?? null]);
          const { status, changedAt, rekeyFailed } = this.advance(key, fp, now, verdict, opts);
          nextChange = Math.min(nextChange, this.nextChangeOf(key, verdict, opts, now));
          const telemetry = conn.VgwTelemetry[idx];
          if (telemetry) {
            telemetry.OutsideIpAddress = opts.OutsideIpAddress;
            telemetry.Status = status;
            telemetry.StatusMessage = status === 'UP' ? 'IPSEC IS UP' : 'IPSEC IS DOWN';
            telemetry.LastStatusChange = changedAt;
          }
          if (peer) {
            aliSeen.add(peer.tunnel.TunnelId);
            aliStatus.set(peer.tunnel.TunnelId, this.alibabaStatus(status, verdict, rekeyFailed === true));
          }
          report.push({
            aws: {
              region,
              vpnConnectionId: conn.VpnConnectionId,
              tunnel: tunnelNo,
              outsideIp: opts.OutsideIpAddress,
              customerGatewayIp: cgw?.IpAddress ?? '',
            },
            alibaba: peer ? this.aliReport(peer) : null,
            status,
            reason:
              status === 'UP'
                ? 'IPsec SA established'
                : rekeyFailed
                  ? `rekey failed: ${verdict.reason}`
                  : verdict.ok
                    ? 'negotiating'
                    : verdict.reason,
            flapping: verdict.flapping === true,
            lastStatusChange: new Date(changedAt).toISOString(),
          });
        });
      }
    }

    // Alibaba tunnels: paired ones take the pair's status; the rest never get an IKE answer.
    for (const refs of aliByPeer.values()) {
      for (const ref of refs) {
        const t = ref.tunnel;
        t.Status = aliStatus.get(t.TunnelId) ?? 'ike_sa_not_established';
        if (!aliSeen.has(t.TunnelId)) {
          report.push({
            aws: null,
            alibaba: this.aliReport(ref),
            status: 'DOWN',
            reason: `no AWS tunnel at ${ref.customerGateway.IpAddress} whose customer gateway is ${t.InternetIp || '(none)'}`,
            flapping: false,
            lastStatusChange: new Date(ref.connection.CreateTime).toISOString(),
          });
        }
      }
    }
    for (const r of Object.values(state.alibaba.regions)) {
      for (const c of Object.values(r.vpnConnections)) {
        const master = c.Tunnels.find((t) => t.Role === 'master') ?? c.Tunnels[0];
        c.Status = master?.Status ?? 'ike_sa_not_established';
      }
    }
    this.lastReport = report;
    return nextChange;
  }

  /** the first instant after `t` at which the tunnel's status changes with nothing else changing */
  private nextChangeOf(key: string, v: Verdict, aws: AwsTunnelOptions, t: number): number {
    const track = this.tracks.get(key);
    if (!track || !v.ok) return Number.POSITIVE_INFINITY;
    const upAt = track.since + this.ctx.latencies['tunnel.negotiation'] * 1000;
    if (t < upAt) return upAt;
    if (!v.flapping) return Number.POSITIVE_INFINITY;
    const { upMs, downMs } = this.flapCycle(v, aws);
    const phase = (t - upAt) % (upMs + downMs);
    return phase < upMs ? t - phase + upMs : t - phase + upMs + downMs;
  }

  /** a flapping tunnel's cycle: UP until the failing rekey, then DOWN until it renegotiated */
  private flapCycle(v: Verdict, aws: AwsTunnelOptions): { upMs: number; downMs: number } {
    // AWS rekeys the mismatched phase at its own lifetime minus the rekey margin (applying the margin to
    // phase 1 as well is unconfirmed); the rekey fails, the tunnel drops for `tunnel.flapDown` seconds,
    // renegotiates, and the cycle repeats.
    const lifetime = v.rekey === 'phase1' ? aws.Phase1LifetimeSeconds : aws.Phase2LifetimeSeconds;
    return {
      upMs: Math.max(1, lifetime - aws.RekeyMarginTimeSeconds) * 1000,
      downMs: (this.ctx.latencies['tunnel.flapDown'] + this.ctx.latencies['tunnel.negotiation']) * 1000,
    };
  }

  private aliReport(ref: AliRef): NonNullable<TunnelReport['alibaba']> {
    return {
      region: ref.region,
      vpnConnectionId: ref.connection.VpnConnectionId,
      tunnelId: ref.tunnel.TunnelId,
      role: ref.tunnel.Role,
      sourceIp: ref.tunnel.InternetIp,
      customerGatewayIp: ref.customerGateway.IpAddress,
    };
  }

  private alibabaStatus(status: 'UP' | 'DOWN', v: Verdict, rekeyFailed: boolean): AliTunnelNegotiationStatus {
    if (status === 'UP') return 'ipsec_sa_established';
    // a failed phase-2 rekey leaves the IKE SA but no IPsec SA; a failed phase-1 rekey loses the IKE SA
    if (rekeyFailed) return v.rekey === 'phase1' ? 'ike_sa_not_established' : 'ipsec_sa_not_established';
    if (!v.ok && v.phase === 'phase2') return 'ipsec_sa_not_established';
    return 'ike_sa_not_established';
  }

  /** whether the configured ends can negotiate (ignoring timing) */
  private evaluate(conn: AwsVpnConnection, aws: AwsTunnelOptions, peer: AliRef): Verdict {
    const { gateway, connection, tunnel } = peer;
    // a `modifying` connection replaces one tunnel's endpoint (refresh); its other tunnel keeps working
    if (conn.State !== 'available' && conn.State !== 'modifying')
      return { ok: false, phase: 'setup', reason: `AWS VPN connection is ${conn.State}` };
    if (gateway.Status === 'deleting') return { ok: false, phase: 'setup', reason: 'Alibaba VPN gateway is deleting' };
    // a tunnel being changed renegotiates once the gateway applied the change; a connection-level change that leaves a
    // tunnel alone (a name, another tunnel of a dual-tunnel connection) does not take it down (assumed)
    if (tunnel.State === 'updating')
      return { ok: false, phase: 'setup', reason: 'Alibaba tunnel is updating (a change is being applied)' };
    if (connection.State !== 'active' && connection.State !== 'updating')
      return { ok: false, phase: 'setup', reason: `Alibaba IPsec connection is ${connection.State}` };
    if (aws.StartupAction !== 'start' && !connection.EffectImmediately)
      return {
        ok: false,
        phase: 'setup',
        reason:
          'no initiator: AWS StartupAction=add waits for the peer and Alibaba EffectImmediately=false waits for traffic',
      };
    const ike = tunnel.TunnelIkeConfig;
    const ipsec = tunnel.TunnelIpsecConfig;
    const ikeVersions = orDefault(aws.IkeVersions, AWS_DEFAULTS.ike);
    if (!ikeVersions.includes(ike.IkeVersion))
      return {
        ok: false,
        phase: 'phase1',
        reason: `IKE version ${ike.IkeVersion} not in AWS IkeVersions [${ikeVersions.join(', ')}]`,
      };
    if (ike.IkeVersion === 'ikev1' && ike.IkeMode !== 'main')
      return { ok: false, phase: 'phase1', reason: `IKEv1 ${ike.IkeMode} mode: AWS accepts main mode only` };
    const p1 = this.proposal(
      'phase 1',
      ike.IkeEncAlg,
      ike.IkeAuthAlg,
      ike.IkePfs,
      aws.Phase1EncryptionAlgorithms,
      aws.Phase1IntegrityAlgorithms,
      aws.Phase1DHGroupNumbers,
      AWS_DEFAULTS.dh1,
    );
    if (p1) return { ok: false, phase: 'phase1', reason: p1 };
    // AWS identifies itself by its outside IP and the customer gateway by the gateway's IP (IP identities, as in
    // AWS's downloadable configurations); Alibaba sends LocalId and checks the peer against RemoteId.
    if (ike.LocalId !== tunnel.InternetIp)
      return {
        ok: false,
        phase: 'phase1',
        reason: `AUTHENTICATION_FAILED: Alibaba LocalId ${ike.LocalId} is not the identity AWS expects (the customer gateway IP ${tunnel.InternetIp})`,
      };
    if (ike.RemoteId !== aws.OutsideIpAddress)
      return {
        ok: false,
        phase: 'phase1',
        reason: `AUTHENTICATION_FAILED: Alibaba RemoteId ${ike.RemoteId} is not AWS's identity (its outside IP ${aws.OutsideIpAddress})`,
      };
    if (ike.Psk !== aws.PreSharedKey)
      return { ok: false, phase: 'phase1', reason: 'pre-shared key mismatch (AUTHENTICATION_FAILED)' };
    const ikev2 = ike.IkeVersion === 'ikev2';
    const p2 = this.proposal(
      'phase 2',
      ipsec.IpsecEncAlg,
      ipsec.IpsecAuthAlg,
      // encryption and integrity only here (group 2 is in AWS's default list); the DH group is checked below
      'group2',
      aws.Phase2EncryptionAlgorithms,
      aws.Phase2IntegrityAlgorithms,
      [],
      AWS_DEFAULTS.dh2,
    );
    if (p2) return { ok: false, phase: 'phase2', reason: p2 };
    // Phase-2 DH (PFS). IKEv1 negotiates it in every quick mode; IKEv2 creates the first CHILD_SA inside IKE_AUTH
    // without a DH exchange (RFC 7296 §1.2), so a PFS mismatch there only shows at the first CHILD_SA rekey.
    const pfs =
      ipsec.IpsecPfs === 'disabled'
        ? 'phase 2 PFS disabled on Alibaba; AWS requires a phase 2 DH group'
        : this.proposal(
            'phase 2',
            ipsec.IpsecEncAlg,
            ipsec.IpsecAuthAlg,
            ipsec.IpsecPfs,
            [],
            [],
            aws.Phase2DHGroupNumbers,
            AWS_DEFAULTS.dh2,
          );
    if (pfs && !ikev2) return { ok: false, phase: 'phase2', reason: pfs };
    const selectors = this.selectors(conn, connection, ike.IkeVersion, aws.StartupAction === 'start');
    if (selectors) return { ok: false, phase: 'phase2', reason: selectors };
    if (pfs)
      return {
        ok: true,
        flapping: true,
        rekey: 'phase2',
        reason: `IKEv2 brings the first CHILD_SA up without a DH exchange, then every CHILD_SA rekey fails: ${pfs}`,
      };
    const p1Max = Math.min(aws.Phase1LifetimeSeconds, AWS_MAX_PHASE1);
    const p2Max = Math.min(aws.Phase2LifetimeSeconds, AWS_MAX_PHASE2);
    // IKEv1 carries lifetimes in its proposals; IKEv2 does not negotiate them (RFC 7296 §2.8): each end rekeys
    // on its own clock and a longer Alibaba lifetime only means AWS rekeys first.
    if (!ikev2 && (ike.IkeLifetime > p1Max || ipsec.IpsecLifetime > p2Max))
      return {
        ok: true,
        flapping: true,
        // phase 2 rekeys come first (AWS keeps phase 2 < phase 1); an IKE-only mismatch bites at the phase-1 rekey
        rekey: ipsec.IpsecLifetime > p2Max ? 'phase2' : 'phase1',
        reason: `lifetime mismatch: Alibaba ${ike.IkeLifetime}/${ipsec.IpsecLifetime} s vs AWS ${aws.Phase1LifetimeSeconds}/${aws.Phase2LifetimeSeconds} s; every AWS rekey fails`,
      };
    return { ok: true, reason: 'compatible' };
  }

  private proposal(
    label: string,
    aliEnc: string,
    aliAuth: string,
    aliPfs: string,
    awsEnc: string[],
    awsInteg: string[],
    awsDh: number[],
    dhDefaults: number[],
  ): string | undefined {
    const enc = ALI_ENC[aliEnc];
    const encOk = orDefault(awsEnc, AWS_DEFAULTS.enc);
    if (!enc || !encOk.includes(enc))
      return `NO_PROPOSAL_CHOSEN in ${label}: Alibaba encryption ${aliEnc} not in AWS [${encOk.join(', ')}]`;
    const auth = ALI_AUTH[aliAuth];
    const authOk = orDefault(awsInteg, AWS_DEFAULTS.integ);
    if (!auth || !authOk.includes(auth))
      return `NO_PROPOSAL_CHOSEN in ${label}: Alibaba integrity ${aliAuth} not in AWS [${authOk.join(', ')}]`;
    const dh = ALI_PFS[aliPfs];
    const dhOk = orDefault(awsDh, dhDefaults);
    if (dh === undefined || !dhOk.includes(dh))
      return `NO_PROPOSAL_CHOSEN in ${label}: Alibaba DH ${aliPfs} not in AWS [${dhOk.join(', ')}]`;
    return undefined;
  }

  private selectors(
    aws: AwsVpnConnection,
    ali: AliVpnConnection,
    ikeVersion: string,
    awsInitiates: boolean,
  ): string | undefined {
    const local = ali.LocalSubnet.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const remote = ali.RemoteSubnet.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if ((local.length > 1 || remote.length > 1) && ikeVersion !== 'ikev2')
      return 'TS_UNACCEPTABLE: several Alibaba subnets need IKEv2';
    if (local.length > 1 || remote.length > 1)
      return 'TS_UNACCEPTABLE: AWS route-based VPNs accept a single SA pair; Alibaba proposes several';
    const l = local[0] ?? '';
    const r = remote[0] ?? '';
    // An IKEv2 responder narrows the proposed selectors to its own (RFC 7296 §2.9), and an initiator proposing
    // the narrower pair gets it accepted, so overlapping selectors agree; an IKEv1 quick mode that only Alibaba
    // starts must fit inside AWS's selectors.
    const overlap = (a: string, b: string) => within(a, b) || within(b, a);
    if (ikeVersion === 'ikev2' || awsInitiates) {
      if (!overlap(l, aws.LocalIpv4NetworkCidr))
        return `TS_UNACCEPTABLE: Alibaba LocalSubnet ${l} does not overlap AWS LocalIpv4NetworkCidr ${aws.LocalIpv4NetworkCidr}`;
      if (!overlap(r, aws.RemoteIpv4NetworkCidr))
        return `TS_UNACCEPTABLE: Alibaba RemoteSubnet ${r} does not overlap AWS RemoteIpv4NetworkCidr ${aws.RemoteIpv4NetworkCidr}`;
      return undefined;
    }
    if (!within(l, aws.LocalIpv4NetworkCidr))
      return `TS_UNACCEPTABLE: Alibaba LocalSubnet ${l} is outside AWS LocalIpv4NetworkCidr ${aws.LocalIpv4NetworkCidr}`;
    if (!within(r, aws.RemoteIpv4NetworkCidr))
      return `TS_UNACCEPTABLE: Alibaba RemoteSubnet ${r} is outside AWS RemoteIpv4NetworkCidr ${aws.RemoteIpv4NetworkCidr}`;
    return undefined;
  }

  /** move the tunnel's timeline to `now`; returns its status and the instant of its last change */
  private advance(key: string, fp: string, now: number, v: Verdict, aws: AwsTunnelOptions): TimedStatus {
    let track = this.tracks.get(key);
    if (!track) {
      track = { fp, since: now, baseStatus: 'DOWN', baseChange: now };
      this.tracks.set(key, track);
    } else if (track.fp !== fp) {
      const prev = this.statusAt(track, JSON.parse(track.fp)[0] as Verdict, aws, now);
      track = { fp, since: now, baseStatus: prev.status, baseChange: prev.changedAt };
      this.tracks.set(key, track);
    }
    return this.statusAt(track, v, aws, now);
  }

  private statusAt(track: Track, v: Verdict, aws: AwsTunnelOptions, t: number): TimedStatus {
    const downSince = track.baseStatus === 'DOWN' ? track.baseChange : track.since;
    if (!v.ok) return { status: 'DOWN', changedAt: downSince };
    const upAt = track.since + this.ctx.latencies['tunnel.negotiation'] * 1000;
    if (t < upAt) return { status: 'DOWN', changedAt: downSince };
    if (!v.flapping) return { status: 'UP', changedAt: upAt };
    const { upMs, downMs } = this.flapCycle(v, aws);
    const phase = (t - upAt) % (upMs + downMs);
    if (phase < upMs) return { status: 'UP', changedAt: t - phase };
    return { status: 'DOWN', changedAt: t - phase + upMs, rekeyFailed: true };
  }
}
