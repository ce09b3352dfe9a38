import type { AliIkeConfig, AliRegionState, AliTunnel, AliVpnConnection } from '../../types';
import type { Call, Handler } from './common';
import { renderConnection, renderTunnel } from './connection-view';
import { bgpOf, checkMode, findConnection, jsonParam } from './connections';
import { findCustomerGateway } from './customer-gateways';
import { illegal, notFound } from './errors';
import { assertGatewayIdle, findGateway, startGatewayChange } from './gateway-tasks';
import {
  checkMultiSubnetIkeVersion,
  mergeHealthCheck,
  mergeIke,
  mergeIpsec,
  mergeTunnelBgp,
  parseSubnets,
} from './ipsec-config';
import { checkText, Params } from './params';

// ModifyVpnConnectionAttribute (docs/sources.md#alibaba-cloud-alibaba): dual-tunnel connections change tunnels by TunnelId,
// single-tunnel ones merge IkeConfig/IpsecConfig/HealthCheckConfig/BgpConfig JSON over the current values.
// ModifyTunnelAttribute (its API reference): one tunnel of a dual-tunnel connection, by TunnelId, with a
// TunnelOptionsSpecification object. Validated completely before anything changes; serialized on the gateway like
// every other change. A changed tunnel is `updating` (and renegotiates) until the gateway applied it; a tunnel the
// call does not change keeps its SAs (assumed: docs/simulator-fidelity.md, "Rotating a key").

/** RemoteId defaults to the customer gateway's IP: follow a customer-gateway change unless it was set explicitly */
function ikeBaseFor(current: AliIkeConfig, oldPeerIp: string | undefined, newPeerIp: string | undefined): AliIkeConfig {
  if (newPeerIp !== undefined && current.RemoteId === oldPeerIp) return { ...current, RemoteId: newPeerIp };
  return current;
}

function modifyDualTunnels(call: Call, r: AliRegionState, conn: AliVpnConnection, tunnelsBgp: boolean): AliTunnel[] {
  const next = conn.Tunnels.map((t) => ({ ...t }));
  for (const spec of call.p.list('TunnelOptionsSpecification')) {
    const tunnelId = spec.required('TunnelId');
    const t = next.find((x) => x.TunnelId === tunnelId);
    // code unconfirmed
    if (!t) throw notFound('InvalidTunnelId.NotFound', `tunnel (${spec.name('TunnelId')})`, tunnelId);
    const role = spec.oneOf('Role', ['master', 'slave'] as const);
    if (role !== undefined && role !== t.Role)
      throw illegal(spec.name('Role'), role, `tunnel roles are fixed; ${tunnelId} is ${t.Role}`);
    const cgwId = spec.str('CustomerGatewayId');
    const oldIp = r.customerGateways[t.CustomerGatewayId]?.IpAddress;
    const newIp =
      cgwId === undefined ? undefined : findCustomerGateway(r, cgwId, spec.name('CustomerGatewayId')).IpAddress;
    if (cgwId !== undefined) t.CustomerGatewayId = cgwId;
    t.EnableDpd = spec.bool('EnableDpd') ?? t.EnableDpd;
    t.EnableNatTraversal = spec.bool('EnableNatTraversal') ?? t.EnableNatTraversal;
    t.TunnelIkeConfig = mergeIke(spec.sub('TunnelIkeConfig'), ikeBaseFor(t.TunnelIkeConfig, oldIp, newIp));
    t.TunnelIpsecConfig = mergeIpsec(spec.sub('TunnelIpsecConfig'), t.TunnelIpsecConfig);
    const bgp = bgpOf(spec, 'TunnelBgpConfig', tunnelsBgp && !t.TunnelBgpConfig, t.TunnelBgpConfig);
    if (bgp) t.TunnelBgpConfig = bgp;
    t.State = 'updating';
  }
  return next;
}

export const modifyVpnConnectionAttribute: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const conn = findConnection(r, p.required('VpnConnectionId'));
  const gw = findGateway(r, conn.VpnGatewayId);
  const dual = conn.Mode === 'dual-tunnel';
  if (p.has('CustomerGatewayId'))
    throw illegal('CustomerGatewayId', p.required('CustomerGatewayId'), 'not a ModifyVpnConnectionAttribute parameter');
  checkMode(p, dual, false);
  const localText = p.str('LocalSubnet');
  const remoteText = p.str('RemoteSubnet');
  const local = localText === undefined ? conn.LocalSubnet : parseSubnets('LocalSubnet', localText).text;
  const remote = remoteText === undefined ? conn.RemoteSubnet : parseSubnets('RemoteSubnet', remoteText).text;
  const name = checkText(p, 'Name', 'InvalidName', 1, 100) ?? conn.Name;
  const effectImmediately = p.bool('EffectImmediately') ?? conn.EffectImmediately;
  const autoConfigRoute = p.bool('AutoConfigRoute') ?? conn.AutoConfigRoute;
  const tunnelsBgp = dual ? (p.bool('EnableTunnelsBgp') ?? conn.EnableTunnelsBgp) : conn.EnableTunnelsBgp;

  let tunnels: AliTunnel[];
  let single: Pick<AliVpnConnection, 'IkeConfig' | 'IpsecConfig' | 'HealthCheckConfig'> = {};
  if (dual) {
    tunnels = modifyDualTunnels(call, r, conn, tunnelsBgp);
  } else {
    const t = { ...(conn.Tunnels[0] as AliTunnel) };
    const ike = mergeIke(jsonParam(p, 'IkeConfig') ?? new Params({}), conn.IkeConfig ?? t.TunnelIkeConfig);
    const ipsec = mergeIpsec(jsonParam(p, 'IpsecConfig') ?? new Params({}), conn.IpsecConfig ?? t.TunnelIpsecConfig);
    const hcParams = jsonParam(p, 'HealthCheckConfig');
    const hc = hcParams ? mergeHealthCheck(hcParams, conn.HealthCheckConfig) : conn.HealthCheckConfig;
    const bgpParams = jsonParam(p, 'BgpConfig');
    if (bgpParams) {
      const enable = bgpParams.bool('EnableBgp') ?? t.TunnelBgpConfig !== undefined;
      if (enable) t.TunnelBgpConfig = mergeTunnelBgp(bgpParams, t.TunnelBgpConfig);
      else delete t.TunnelBgpConfig;
    }
    t.EnableDpd = p.bool('EnableDpd') ?? t.EnableDpd;
    t.EnableNatTraversal = p.bool('EnableNatTraversal') ?? t.EnableNatTraversal;
    t.TunnelIkeConfig = { ...ike };
    t.TunnelIpsecConfig = { ...ipsec };
    t.State = 'updating';
    tunnels = [t];
    single = { IkeConfig: ike, IpsecConfig: ipsec, ...(hc ? { HealthCheckConfig: hc } : {}) };
  }
  checkMultiSubnetIkeVersion(
    local,
    remote,
    tunnels.map((t) => t.TunnelIkeConfig.IkeVersion),
    dual ? 'TunnelOptionsSpecification.N.TunnelIkeConfig.IkeVersion' : 'IkeConfig.IkeVersion',
  );
  assertGatewayIdle(gw);

  const master = tunnels[0] as AliTunnel;
  Object.assign(conn, single, {
    Name: name,
    LocalSubnet: local,
    RemoteSubnet: remote,
    EffectImmediately: effectImmediately,
    AutoConfigRoute: autoConfigRoute,
    EnableTunnelsBgp: dual ? tunnelsBgp : master.TunnelBgpConfig !== undefined,
    EnableDpd: master.EnableDpd,
    EnableNatTraversal: master.EnableNatTraversal,
    Tunnels: tunnels,
    State: 'updating',
  });
  const id = conn.VpnConnectionId;
  startGatewayChange(call, r, gw, `${id} modified`, () => {
    const c = r.vpnConnections[id];
    if (c?.State !== 'updating') return;
    c.State = 'active';
    for (const t of c.Tunnels) if (t.State === 'updating') t.State = 'active';
  });
  return renderConnection(conn, r, 'modify');
};

/**
 * ModifyTunnelAttribute: one tunnel of a dual-tunnel connection (TunnelOptionsSpecification is one object, not a
 * list). The connection stays `active`; only the tunnel is `updating` until the gateway applied the change. The
 * answer is the tunnel as ModifyTunnelAttributeResponseBody declares it.
 */
export const modifyTunnelAttribute: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const conn = findConnection(r, p.required('VpnConnectionId'));
  const tunnelId = p.required('TunnelId');
  if (conn.Mode !== 'dual-tunnel')
    throw illegal(
      'VpnConnectionId',
      conn.VpnConnectionId,
      'ModifyTunnelAttribute changes tunnels of dual-tunnel connections; use ModifyVpnConnectionAttribute',
    );
  const t = conn.Tunnels.find((x) => x.TunnelId === tunnelId);
  // code unconfirmed
  if (!t) throw notFound('InvalidTunnelId.NotFound', 'tunnel (TunnelId)', tunnelId);
  if (!p.hasSub('TunnelOptionsSpecification')) throw illegal('TunnelOptionsSpecification', '', 'is required');
  const spec = p.sub('TunnelOptionsSpecification');
  const gw = findGateway(r, conn.VpnGatewayId);
  const next: AliTunnel = { ...t };
  const cgwId = spec.str('CustomerGatewayId');
  const oldIp = r.customerGateways[t.CustomerGatewayId]?.IpAddress;
  const newIp =
    cgwId === undefined ? undefined : findCustomerGateway(r, cgwId, spec.name('CustomerGatewayId')).IpAddress;
  if (cgwId !== undefined) next.CustomerGatewayId = cgwId;
  next.EnableDpd = spec.bool('EnableDpd') ?? t.EnableDpd;
  next.EnableNatTraversal = spec.bool('EnableNatTraversal') ?? t.EnableNatTraversal;
  next.TunnelIkeConfig = mergeIke(spec.sub('TunnelIkeConfig'), ikeBaseFor(t.TunnelIkeConfig, oldIp, newIp));
  next.TunnelIpsecConfig = mergeIpsec(spec.sub('TunnelIpsecConfig'), t.TunnelIpsecConfig);
  const bgp = bgpOf(spec, 'TunnelBgpConfig', false, t.TunnelBgpConfig);
  if (bgp) next.TunnelBgpConfig = bgp;
  checkMultiSubnetIkeVersion(
    conn.LocalSubnet,
    conn.RemoteSubnet,
    conn.Tunnels.map((x) => (x.TunnelId === tunnelId ? next : x).TunnelIkeConfig.IkeVersion),
    'TunnelOptionsSpecification.TunnelIkeConfig.IkeVersion',
  );
  return call.idempotent(() => {
    assertGatewayIdle(gw);
    next.State = 'updating';
    conn.Tunnels = conn.Tunnels.map((x) => (x.TunnelId === tunnelId ? next : x));
    const id = conn.VpnConnectionId;
    startGatewayChange(call, r, gw, `${id} tunnel ${tunnelId} modified`, () => {
      const c = r.vpnConnections[id];
      const tunnel = c?.Tunnels.find((x) => x.TunnelId === tunnelId);
      if (tunnel?.State === 'updating') tunnel.State = 'active';
    });
    return renderTunnel(next, conn, r, 'modify');
  });
};
