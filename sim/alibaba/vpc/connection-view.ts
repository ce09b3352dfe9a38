import { parseCidr } from '../../core/ipv4';
import type { AliRegionState, AliTunnel, AliTunnelBgpConfig, AliVpnConnection } from '../../types';
import type { Body } from './common';

// IPsec connection JSON for DescribeVpnConnection ('describe'), DescribeVpnConnections ('list') and the
// ModifyVpnConnectionAttribute echo ('modify'). The SDK models type several tunnel fields differently per
// call (Describe*: EnableDpd/IkeLifetime/LocalAsn are strings; Modify: boolean/number), so each shape
// prints the declared type.

export type ConnectionShape = 'describe' | 'list' | 'modify';

function peerBgpIp(bgp: AliTunnelBgpConfig): string {
  const c = parseCidr(bgp.TunnelCidr);
  if (!c) return '';
  const hosts = [c.base + 1, c.base + 2].map((n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  return hosts.find((h) => h !== bgp.LocalBgpIp) ?? '';
}

function tunnelBgp(t: AliTunnel, r: AliRegionState, enabled: boolean, typed: boolean): Body {
  const bgp = t.TunnelBgpConfig;
  if (!bgp) return {};
  const peerAsn = r.customerGateways[t.CustomerGatewayId]?.Asn;
  return {
    TunnelBgpConfig: {
      ...(typed ? {} : { BgpStatus: String(enabled) }),
      LocalAsn: typed ? bgp.LocalAsn : String(bgp.LocalAsn),
      LocalBgpIp: bgp.LocalBgpIp,
      TunnelCidr: bgp.TunnelCidr,
      PeerBgpIp: peerBgpIp(bgp),
      ...(peerAsn !== undefined ? { PeerAsn: typed ? peerAsn : String(peerAsn) } : {}),
    },
  };
}

export function renderTunnel(t: AliTunnel, conn: AliVpnConnection, r: AliRegionState, shape: ConnectionShape): Body {
  const typed = shape === 'modify';
  const v = (x: boolean | number): boolean | number | string => (typed ? x : String(x));
  const ike = t.TunnelIkeConfig;
  const ipsec = t.TunnelIpsecConfig;
  return {
    TunnelId: t.TunnelId,
    ...(typed ? {} : { TunnelIndex: t.TunnelIndex, Status: t.Status }),
    Role: t.Role,
    CustomerGatewayId: t.CustomerGatewayId,
    State: t.State,
    InternetIp: t.InternetIp,
    ZoneNo: t.ZoneNo,
    EnableDpd: v(t.EnableDpd),
    EnableNatTraversal: v(t.EnableNatTraversal),
    TunnelIkeConfig: { ...ike, IkeLifetime: v(ike.IkeLifetime) },
    TunnelIpsecConfig: { ...ipsec, IpsecLifetime: v(ipsec.IpsecLifetime) },
    ...tunnelBgp(t, r, conn.EnableTunnelsBgp, typed),
  };
}

/** single-tunnel extras: top-level IkeConfig/IpsecConfig, VcoHealthCheck, VpnBgpConfig */
function singleTunnelFields(conn: AliVpnConnection, r: AliRegionState, shape: ConnectionShape): Body {
  const tunnel = conn.Tunnels[0];
  const hc = conn.HealthCheckConfig;
  const bgp = tunnel?.TunnelBgpConfig;
  const peerAsn = tunnel ? r.customerGateways[tunnel.CustomerGatewayId]?.Asn : undefined;
  const gw = r.vpnGateways[conn.VpnGatewayId];
  return {
    CustomerGatewayId: conn.CustomerGatewayId,
    ...(conn.IkeConfig ? { IkeConfig: { ...conn.IkeConfig } } : {}),
    ...(conn.IpsecConfig ? { IpsecConfig: { ...conn.IpsecConfig } } : {}),
    VcoHealthCheck: {
      Enable: String(hc?.enable ?? false),
      Dip: hc?.dip ?? '',
      Sip: hc?.sip ?? '',
      Interval: hc?.interval ?? 3,
      Retry: hc?.retry ?? 3,
      // unconfirmed: success while the tunnel is up, failed otherwise
      ...(shape === 'modify'
        ? {}
        : {
            Policy: 'revoke_route',
            Status: hc?.enable ? (conn.Status === 'ipsec_sa_established' ? 'success' : 'failed') : '',
          }),
    },
    VpnBgpConfig: {
      EnableBgp: String(bgp !== undefined),
      ...(bgp
        ? {
            LocalAsn: bgp.LocalAsn,
            LocalBgpIp: bgp.LocalBgpIp,
            TunnelCidr: bgp.TunnelCidr,
            PeerBgpIp: peerBgpIp(bgp),
            ...(peerAsn !== undefined ? { PeerAsn: peerAsn } : {}),
            Status: conn.Status === 'ipsec_sa_established' ? 'success' : 'false',
          }
        : {}),
    },
    ...(shape === 'modify' ? {} : { InternetIp: gw?.InternetIp ?? '', ZoneNo: tunnel?.ZoneNo ?? '' }),
  };
}

export function renderConnection(conn: AliVpnConnection, r: AliRegionState, shape: ConnectionShape): Body {
  const single = conn.Mode === 'single-tunnel';
  const tags = { Tag: conn.Tags };
  return {
    VpnConnectionId: conn.VpnConnectionId,
    VpnGatewayId: conn.VpnGatewayId,
    Name: conn.Name,
    LocalSubnet: conn.LocalSubnet,
    RemoteSubnet: conn.RemoteSubnet,
    CreateTime: conn.CreateTime,
    EffectImmediately: conn.EffectImmediately,
    EnableDpd: conn.EnableDpd,
    EnableNatTraversal: conn.EnableNatTraversal,
    EnableTunnelsBgp: conn.EnableTunnelsBgp,
    ...(shape === 'modify'
      ? { Description: '' }
      : {
          Status: conn.Status,
          State: conn.State,
          NetworkType: 'public',
          Spec: r.vpnGateways[conn.VpnGatewayId]?.Spec ?? '',
        }),
    ...(shape === 'list' ? { Tag: tags } : shape === 'describe' ? { Tags: tags } : {}),
    ...(single
      ? singleTunnelFields(conn, r, shape)
      : { TunnelOptionsSpecification: { TunnelOptions: conn.Tunnels.map((t) => renderTunnel(t, conn, r, shape)) } }),
  };
}
