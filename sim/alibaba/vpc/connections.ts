import { SimError } from '../../core/errors';
import type {
  AliIkeConfig,
  AliRegionState,
  AliTunnel,
  AliTunnelBgpConfig,
  AliVpnConnection,
  AliVpnGateway,
} from '../../types';
import type { Handler } from './common';
import { renderConnection } from './connection-view';
import { findCustomerGateway } from './customer-gateways';
import { missing, quotaFull, vpnConnectionNotFound } from './errors';
import { assertGatewayIdle, findGateway, startGatewayChange } from './gateway-tasks';
import { isDualTunnel } from './gateways';
import {
  checkMultiSubnetIkeVersion,
  defaultIke,
  defaultIpsec,
  mergeHealthCheck,
  mergeIke,
  mergeIpsec,
  mergeTunnelBgp,
  parseSubnets,
} from './ipsec-config';
import { checkText, Params, pageOf, paginate, tagFilter, tagsOf } from './params';

// IPsec connections (docs/sources.md#alibaba-cloud-alibaba). A connection's mode follows its gateway: dual-tunnel gateways take
// TunnelOptionsSpecification (one master, one slave), single-tunnel gateways the legacy CustomerGatewayId +
// IkeConfig/IpsecConfig JSON strings. Every change is serialized on the gateway (gateway-tasks.ts).
// Negotiation `Status` fields are only initialised here; sim/negotiation.ts computes them on every tick.
// ModifyVpnConnectionAttribute is in connection-modify.ts.

/** 10 connections per gateway (2021 limit) */
const CONNECTION_QUOTA = 10;
/** parameters that exist only in single-tunnel mode */
const SINGLE_TUNNEL_PARAMS = ['CustomerGatewayId', 'IkeConfig', 'IpsecConfig', 'HealthCheckConfig', 'BgpConfig'];

function wrongMode(why: string): SimError {
  return new SimError('VpnConnection.InvalidCreateTunnelOptions', `The tunnel options are invalid: ${why}.`, 400);
}

export function findConnection(r: AliRegionState, id: string, param?: string): AliVpnConnection {
  const c = r.vpnConnections[id];
  if (!c) throw vpnConnectionNotFound(id, param);
  return c;
}

function zoneOf(r: AliRegionState, vswitchId: string | undefined): string {
  return (vswitchId && r.vswitches[vswitchId]?.ZoneId) || '';
}

/** a dual-tunnel gateway takes dual-tunnel connections only (and a single-tunnel one single-tunnel only) */
function isDual(gw: AliVpnGateway): boolean {
  return isDualTunnel(gw);
}

/** mode check shared by create and modify: the request's shape must match the gateway's kind */
export function checkMode(p: Params, dual: boolean, requireTunnels: boolean): void {
  const hasTunnels = p.hasSub('TunnelOptionsSpecification');
  if (dual) {
    const stray = SINGLE_TUNNEL_PARAMS.filter((k) => p.has(k));
    if (stray.length > 0)
      throw wrongMode(
        `${stray.join(', ')} apply to single-tunnel connections; this gateway needs TunnelOptionsSpecification`,
      );
    if (requireTunnels && !hasTunnels)
      throw wrongMode(
        'the VPN gateway is dual-tunnel; specify TunnelOptionsSpecification with a master and a slave tunnel',
      );
  } else if (hasTunnels) {
    throw wrongMode(
      'the VPN gateway supports single-tunnel connections only; TunnelOptionsSpecification is not allowed',
    );
  }
}

interface TunnelDraft {
  Role: 'master' | 'slave';
  CustomerGatewayId: string;
  InternetIp: string;
  ZoneNo: string;
  EnableDpd: boolean;
  EnableNatTraversal: boolean;
  TunnelIkeConfig: AliIkeConfig;
  TunnelIpsecConfig: AliTunnel['TunnelIpsecConfig'];
  TunnelBgpConfig?: AliTunnelBgpConfig;
}

export function bgpOf(
  spec: Params,
  key: string,
  enabled: boolean,
  base?: AliTunnelBgpConfig,
): AliTunnelBgpConfig | undefined {
  if (!spec.hasSub(key) && !enabled) return base;
  return mergeTunnelBgp(spec.sub(key), base);
}

function dualTunnelDrafts(r: AliRegionState, gw: AliVpnGateway, p: Params, tunnelsBgp: boolean): TunnelDraft[] {
  const specs = p.list('TunnelOptionsSpecification');
  if (specs.length !== 2) throw wrongMode(`a dual-tunnel connection needs exactly two tunnels, got ${specs.length}`);
  const drafts = specs.map((spec): TunnelDraft => {
    const role = spec.oneOf('Role', ['master', 'slave'] as const);
    if (role === undefined) throw missing(spec.name('Role'));
    const cgw = findCustomerGateway(r, spec.required('CustomerGatewayId'), spec.name('CustomerGatewayId'));
    const master = role === 'master';
    const ip = master ? gw.InternetIp : (gw.DisasterRecoveryInternetIp ?? '');
    const bgp = bgpOf(spec, 'TunnelBgpConfig', tunnelsBgp);
    return {
      Role: role,
      CustomerGatewayId: cgw.CustomerGatewayId,
      InternetIp: ip,
      ZoneNo: zoneOf(r, master ? gw.VSwitchId : gw.DisasterRecoveryVSwitchId),
      EnableDpd: spec.bool('EnableDpd') ?? true,
      EnableNatTraversal: spec.bool('EnableNatTraversal') ?? true,
      TunnelIkeConfig: mergeIke(spec.sub('TunnelIkeConfig'), defaultIke(ip, cgw.IpAddress)),
      TunnelIpsecConfig: mergeIpsec(spec.sub('TunnelIpsecConfig'), defaultIpsec()),
      ...(bgp ? { TunnelBgpConfig: bgp } : {}),
    };
  });
  if (drafts[0]?.Role === drafts[1]?.Role) throw wrongMode('the two tunnels need the roles master and slave');
  return drafts.sort((a, b) => (a.Role === 'master' ? -1 : b.Role === 'master' ? 1 : 0));
}

export function jsonParam(p: Params, key: string): Params | undefined {
  const text = p.str(key);
  return text === undefined ? undefined : Params.fromJson(key, text);
}

export const createVpnConnection: Handler = (call) => {
  const r = call.region();
  return call.idempotent(() => {
    const p = call.p;
    const gw = findGateway(r, p.required('VpnGatewayId'));
    const local = parseSubnets('LocalSubnet', p.required('LocalSubnet'));
    const remote = parseSubnets('RemoteSubnet', p.required('RemoteSubnet'));
    const name = checkText(p, 'Name', 'InvalidName', 1, 100);
    const tags = tagsOf(p);
    const effectImmediately = p.bool('EffectImmediately') ?? false;
    // AutoConfigRoute (default true) is stored; the automatic policy route it implies is not simulated
    const autoConfigRoute = p.bool('AutoConfigRoute') ?? true;
    const dual = isDual(gw);
    checkMode(p, dual, true);
    const tunnelsBgp = dual ? (p.bool('EnableTunnelsBgp') ?? false) : false;

    let drafts: TunnelDraft[];
    let single: Pick<AliVpnConnection, 'CustomerGatewayId' | 'IkeConfig' | 'IpsecConfig' | 'HealthCheckConfig'> = {};
    if (dual) {
      drafts = dualTunnelDrafts(r, gw, p, tunnelsBgp);
    } else {
      const cgw = findCustomerGateway(r, p.required('CustomerGatewayId'));
      const ike = mergeIke(jsonParam(p, 'IkeConfig') ?? new Params({}), defaultIke(gw.InternetIp, cgw.IpAddress));
      const ipsec = mergeIpsec(jsonParam(p, 'IpsecConfig') ?? new Params({}), defaultIpsec());
      const hc = jsonParam(p, 'HealthCheckConfig');
      const bgpParams = jsonParam(p, 'BgpConfig');
      const bgp = bgpParams?.bool('EnableBgp') ? mergeTunnelBgp(bgpParams, undefined) : undefined;
      single = {
        CustomerGatewayId: cgw.CustomerGatewayId,
        IkeConfig: ike,
        IpsecConfig: ipsec,
        ...(hc ? { HealthCheckConfig: mergeHealthCheck(hc, undefined) } : {}),
      };
      drafts = [
        {
          Role: 'master',
          CustomerGatewayId: cgw.CustomerGatewayId,
          InternetIp: gw.InternetIp,
          ZoneNo: zoneOf(r, gw.VSwitchId),
          EnableDpd: p.bool('EnableDpd') ?? true,
          EnableNatTraversal: p.bool('EnableNatTraversal') ?? true,
          TunnelIkeConfig: { ...ike },
          TunnelIpsecConfig: { ...ipsec },
          ...(bgp ? { TunnelBgpConfig: bgp } : {}),
        },
      ];
    }
    checkMultiSubnetIkeVersion(
      local.text,
      remote.text,
      drafts.map((d) => d.TunnelIkeConfig.IkeVersion),
      dual ? 'TunnelOptionsSpecification.N.TunnelIkeConfig.IkeVersion' : 'IkeConfig.IkeVersion',
    );

    assertGatewayIdle(gw);
    const siblings = Object.values(r.vpnConnections).filter((c) => c.VpnGatewayId === gw.VpnGatewayId);
    if (siblings.length >= CONNECTION_QUOTA) throw quotaFull('IPsec connections per VPN gateway', CONNECTION_QUOTA);
    // unconfirmed rule: one connection per (gateway, customer gateway[s]) — the same peers again is a duplicate
    const peers = drafts.map((d) => d.CustomerGatewayId).join('|');
    const dup = siblings.find((c) => c.Tunnels.map((t) => t.CustomerGatewayId).join('|') === peers);
    if (dup)
      throw new SimError(
        'InvalidVpnConnection.AlreadyExists',
        `The IPsec connection ${dup.VpnConnectionId} already connects these gateways.`,
        400,
      );
    call.checkDryRun();

    const id = call.ctx.ids.ali('vco');
    const now = call.now();
    const tunnels: AliTunnel[] = drafts.map((d, i) => ({
      TunnelId: call.ctx.ids.ali('tun'),
      TunnelIndex: i + 1,
      ...d,
      State: 'active',
      Status: 'ike_sa_not_established',
    }));
    const master = tunnels[0] as AliTunnel;
    const conn: AliVpnConnection = {
      VpnConnectionId: id,
      VpnGatewayId: gw.VpnGatewayId,
      Name: name ?? '',
      ...single,
      LocalSubnet: local.text,
      RemoteSubnet: remote.text,
      EffectImmediately: effectImmediately,
      AutoConfigRoute: autoConfigRoute,
      EnableDpd: master.EnableDpd,
      EnableNatTraversal: master.EnableNatTraversal,
      EnableTunnelsBgp: tunnelsBgp || master.TunnelBgpConfig !== undefined,
      CreateTime: now,
      State: 'init',
      Status: 'ike_sa_not_established',
      Tunnels: tunnels,
      Mode: dual ? 'dual-tunnel' : 'single-tunnel',
      Tags: tags,
    };
    r.vpnConnections[id] = conn;
    startGatewayChange(call, r, gw, `${id} created`, () => {
      const c = r.vpnConnections[id];
      if (c?.State === 'init') c.State = 'active';
    });
    return { VpnConnectionId: id, Name: conn.Name, CreateTime: now };
  });
};

export const describeVpnConnection: Handler = (call) => {
  const r = call.region();
  const id = call.p.required('VpnConnectionId');
  const conn = findConnection(r, id);
  if (!call.visibleById(conn.CreateTime)) throw vpnConnectionNotFound(id);
  return renderConnection(conn, r, 'describe');
};

export const describeVpnConnections: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const page = pageOf(p);
  const gwId = p.str('VpnGatewayId');
  const cgwId = p.str('CustomerGatewayId');
  const id = p.str('VpnConnectionId');
  const byTags = tagFilter(p);
  const all = Object.values(r.vpnConnections).filter(
    (c) =>
      call.listed(c.CreateTime) &&
      (gwId === undefined || c.VpnGatewayId === gwId) &&
      (id === undefined || c.VpnConnectionId === id) &&
      (cgwId === undefined || c.Tunnels.some((t) => t.CustomerGatewayId === cgwId)) &&
      byTags(c.Tags),
  );
  return {
    TotalCount: all.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    VpnConnections: { VpnConnection: paginate(all, page).map((c) => renderConnection(c, r, 'list')) },
  };
};

export const deleteVpnConnection: Handler = (call) => {
  const r = call.region();
  const conn = findConnection(r, call.p.required('VpnConnectionId'));
  const gw = findGateway(r, conn.VpnGatewayId);
  assertGatewayIdle(gw);
  const id = conn.VpnConnectionId;
  // Real behaviour unconfirmed: VPN route entries whose next hop is this connection block the deletion
  // (rather than being removed with it), so callers delete routes first.
  const route = r.vpnRouteEntries.find((e) => e.NextHop === id);
  if (route)
    throw new SimError(
      'DependencyViolation.VpnRouteEntry',
      `The VPN route entry ${route.RouteDest} still uses the IPsec connection ${id} as its next hop.`,
      400,
    );
  conn.State = 'deleting';
  for (const t of conn.Tunnels) t.State = 'deleting';
  startGatewayChange(call, r, gw, `${id} deleted`, () => {
    delete r.vpnConnections[id];
  });
  return {};
};
