import { randomInt } from 'node:crypto';
import { SimError } from '../../core/errors';
import { generatePsk } from '../../core/ids';
import { parseCidr } from '../../core/ipv4';
import type { AwsTunnelOptions, AwsVgwTelemetry, AwsVpnConnection } from '../../types';
import { describeByIds, type Ec2Call, listed, lookup, vanishLater } from './call';
import { customerGatewayConfiguration } from './cgw-config';
import { bad, combination, dryRun } from './errors';
import { applyFilters, parseFilters } from './filters';
import type { Params } from './params';
import { tagSet, tagSpecifications } from './tags';
import { activateAttachment, deleteVpnAttachment, finishVpnAttachment, newVpnAttachment } from './tgw-attachments';
import { availableTgw } from './transit-gateways';
import { insideCidrProblem, parseTunnelOptions, type TunnelRequest } from './tunnel-options';
import { isoTime, items, type XmlObject } from './xml';

// Site-to-site VPN connections on a VGW (docs/sources.md#aws-aws). Static routes: vpn-connection-routes.ts.

const REGION_QUOTA = 50;
const PER_VGW_QUOTA = 10;

// ------------------------------------------------------------------ XML

function tunnelXml(t: AwsTunnelOptions): XmlObject {
  const values = (xs: Array<string | number>) => items(xs.map((v) => ({ value: v })));
  return {
    outsideIpAddress: t.OutsideIpAddress,
    tunnelInsideCidr: t.TunnelInsideCidr,
    preSharedKey: t.PreSharedKey,
    phase1LifetimeSeconds: t.Phase1LifetimeSeconds,
    phase2LifetimeSeconds: t.Phase2LifetimeSeconds,
    rekeyMarginTimeSeconds: t.RekeyMarginTimeSeconds,
    rekeyFuzzPercentage: t.RekeyFuzzPercentage,
    replayWindowSize: t.ReplayWindowSize,
    dpdTimeoutSeconds: t.DpdTimeoutSeconds,
    dpdTimeoutAction: t.DpdTimeoutAction,
    phase1EncryptionAlgorithmSet: values(t.Phase1EncryptionAlgorithms),
    phase2EncryptionAlgorithmSet: values(t.Phase2EncryptionAlgorithms),
    phase1IntegrityAlgorithmSet: values(t.Phase1IntegrityAlgorithms),
    phase2IntegrityAlgorithmSet: values(t.Phase2IntegrityAlgorithms),
    phase1DHGroupNumberSet: values(t.Phase1DHGroupNumbers),
    phase2DHGroupNumberSet: values(t.Phase2DHGroupNumbers),
    ikeVersionSet: values(t.IkeVersions),
    startupAction: t.StartupAction,
    logOptions: { cloudWatchLogOptions: { logEnabled: false } },
    enableTunnelLifecycleControl: t.EnableTunnelLifecycleControl,
  };
}

function configurationOf(call: Ec2Call, c: AwsVpnConnection): string {
  const cgw = call.region.customerGateways[c.CustomerGatewayId];
  const asn = c.TransitGatewayId
    ? call.region.transitGateways[c.TransitGatewayId]?.Options.AmazonSideAsn
    : call.region.vpnGateways[c.VpnGatewayId]?.AmazonSideAsn;
  return customerGatewayConfiguration(c, cgw, asn);
}

export function vpnXml(call: Ec2Call, c: AwsVpnConnection): XmlObject {
  return {
    vpnConnectionId: c.VpnConnectionId,
    state: c.State,
    // only while pending or available (docs/sources.md#aws-aws)
    customerGatewayConfiguration:
      c.State === 'pending' || c.State === 'available' ? configurationOf(call, c) : undefined,
    type: c.Type,
    customerGatewayId: c.CustomerGatewayId,
    vpnGatewayId: c.VpnGatewayId || undefined,
    transitGatewayId: c.TransitGatewayId,
    category: c.Category,
    gatewayAssociationState: c.State === 'deleted' ? 'not-associated' : 'associated',
    options: {
      enableAcceleration: false,
      staticRoutesOnly: c.StaticRoutesOnly,
      localIpv4NetworkCidr: c.LocalIpv4NetworkCidr,
      remoteIpv4NetworkCidr: c.RemoteIpv4NetworkCidr,
      outsideIpAddressType: c.OutsideIpAddressType,
      tunnelInsideIpVersion: c.TunnelInsideIpVersion,
      tunnelOptionSet: items(c.TunnelOptions.map(tunnelXml)),
      tunnelBandwidth: 'standard',
    },
    routes: items(
      c.Routes.map((r) => ({ destinationCidrBlock: r.DestinationCidrBlock, source: r.Source, state: r.State })),
    ),
    vgwTelemetry: items(
      c.VgwTelemetry.map((t) => ({
        outsideIpAddress: t.OutsideIpAddress,
        status: t.Status,
        lastStatusChange: isoTime(t.LastStatusChange),
        statusMessage: t.StatusMessage,
        acceptedRouteCount: t.AcceptedRouteCount,
      })),
    ),
    tagSet: tagSet(c.Tags),
  };
}

// ------------------------------------------------------------------ create

/** PreSharedKeyStorage (CreateVpnConnection, ModifyVpnTunnelOptions): only Standard, the keys in the tunnel options */
export function checkPskStorage(p: Params): void {
  const storage = p.str('PreSharedKeyStorage');
  if (storage !== undefined && storage !== 'Standard')
    throw bad(
      storage === 'SecretsManager'
        ? 'PreSharedKeyStorage=SecretsManager is not supported by the simulator; use Standard'
        : `Invalid value '${storage}' for PreSharedKeyStorage: must be Standard or SecretsManager`,
    );
}

/** the VGW or transit gateway a connection terminates on */
export function gatewayOf(c: AwsVpnConnection): string {
  return c.TransitGatewayId ?? c.VpnGatewayId;
}

interface ConnectionOptions {
  staticRoutesOnly: boolean;
  local: string;
  remote: string;
  tunnels: [TunnelRequest, TunnelRequest];
}

function readOptions(call: Ec2Call): ConnectionOptions {
  const o = call.p.sub('Options');
  const cidr = (key: string): string => {
    const v = o.str(key) ?? '0.0.0.0/0';
    if (!parseCidr(v)) throw bad(`Invalid value '${v}' for Options.${key}: not a valid IPv4 CIDR block`);
    return v;
  };
  const only = (key: string, allowed: string, why: string) => {
    const v = o.str(key);
    if (v !== undefined && v !== allowed) throw bad(`Invalid value '${v}' for Options.${key}: ${why}`);
  };
  only('TunnelInsideIpVersion', 'ipv4', 'only ipv4 is supported for a VPN connection on a virtual private gateway');
  only(
    'OutsideIpAddressType',
    'PublicIpv4',
    'only PublicIpv4 is supported for a VPN connection on a virtual private gateway',
  );
  only('TunnelBandwidth', 'standard', 'large bandwidth tunnels need a transit gateway');
  if (o.bool('EnableAcceleration'))
    throw bad('Invalid value for Options.EnableAcceleration: acceleration needs a transit gateway');
  for (const key of ['LocalIpv6NetworkCidr', 'RemoteIpv6NetworkCidr'])
    if (o.str(key) !== undefined)
      throw bad(`Invalid value for Options.${key}: IPv6 traffic selectors need TunnelInsideIpVersion=ipv6`);
  return {
    staticRoutesOnly: o.bool('StaticRoutesOnly') ?? false,
    local: cidr('LocalIpv4NetworkCidr'),
    remote: cidr('RemoteIpv4NetworkCidr'),
    tunnels: parseTunnelOptions(o),
  };
}

/** a random free /30 in 169.254.0.0/16, avoiding the reserved blocks and `used` */
function pickInsideCidr(used: Set<string>): string {
  const candidate = (i: number) => `169.254.${i >> 6}.${(i & 63) * 4}/30`; // 16384 /30s
  for (let attempt = 0; attempt < 200; attempt++) {
    const c = candidate(randomInt(16384));
    if (!used.has(c) && !insideCidrProblem(c)) return c;
  }
  for (let i = 0; i < 16384; i++) {
    const c = candidate(i);
    if (!used.has(c) && !insideCidrProblem(c)) return c;
  }
  throw new SimError('InternalError', 'no free tunnel inside CIDR left on this gateway', 500);
}

export function createVpnConnection(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const cgwId = p.required('CustomerGatewayId');
  const type = p.required('Type');
  if (type !== 'ipsec.1') throw bad(`Invalid value '${type}' for Type: the only supported VPN type is ipsec.1`);
  const vgwId = p.str('VpnGatewayId');
  const tgwId = p.str('TransitGatewayId');
  if (vgwId && tgwId)
    throw combination('The request must not contain both parameter vpnGatewayId and transitGatewayId');
  if (!vgwId && !tgwId)
    throw new SimError(
      'MissingParameter',
      'The request must contain the parameter VpnGatewayId or TransitGatewayId',
      400,
    );
  checkPskStorage(p);
  const options = readOptions(call);
  const tags = tagSpecifications(p, 'vpn-connection');
  // the gateway the connection terminates on: a VGW or a transit gateway
  const gatewayId = (vgwId ?? tgwId) as string;

  const cgw = lookup(call, 'customer-gateway', region.customerGateways, cgwId);
  if (cgw.State !== 'available')
    throw new SimError(
      'InvalidCustomerGatewayState',
      `The customer gateway '${cgwId}' is not in the available state (it is ${cgw.State}).`,
      400,
    );
  const tgw = tgwId ? availableTgw(call, tgwId) : undefined;
  if (vgwId) {
    const vgw = lookup(call, 'vpn-gateway', region.vpnGateways, vgwId);
    // InvalidVpnGatewayState is the documented code for a VGW "not in an available state" (docs/sources.md#aws-aws).
    if (vgw.State !== 'available')
      throw new SimError(
        'InvalidVpnGatewayState',
        `The virtual private gateway '${vgwId}' is not in an available state (it is ${vgw.State}).`,
        400,
      );
  }

  const live = Object.values(region.vpnConnections).filter((c) => c.State !== 'deleted');
  if (live.length >= REGION_QUOTA)
    throw new SimError(
      'VpnConnectionLimitExceeded',
      `The maximum number of VPN connections per region (${REGION_QUOTA}) has been reached.`,
      400,
    );
  const onGateway = live.filter((c) => gatewayOf(c) === gatewayId);
  // the per-VGW quota (docs/sources.md#aws-aws); a transit gateway has no such quota short of its attachments
  if (vgwId && onGateway.length >= PER_VGW_QUOTA)
    throw new SimError(
      'VpnConnectionLimitExceeded',
      `The maximum number of VPN connections for virtual private gateway '${gatewayId}' (${PER_VGW_QUOTA}) has been reached.`,
      400,
    );
  // tunnel inside CIDRs are unique per gateway (VGW or transit gateway) among its non-deleted connections
  const used = new Set(onGateway.flatMap((c) => c.TunnelOptions.map((t) => t.TunnelInsideCidr)));
  options.tunnels.forEach((t, i) => {
    if (t.TunnelInsideCidr !== undefined && used.has(t.TunnelInsideCidr))
      throw bad(
        `Invalid value for tunnel ${i + 1} TunnelInsideCidr: ${t.TunnelInsideCidr} is already in use by another VPN connection on ${gatewayId}`,
      );
  });
  if (p.dryRun()) throw dryRun();

  // Not idempotent in the simulator: each call creates a new connection. AWS documents the call as
  // idempotent but whether a repeat returns the same vpn- ID is unconfirmed (docs/sources.md#aws-aws); moto creates
  // a new one per call, and so do we.
  const now = ctx.now();
  const outside = [ctx.ids.awsPublicIp(), ctx.ids.awsPublicIp()]; // tunnel 1, then tunnel 2
  for (const t of options.tunnels) if (t.TunnelInsideCidr) used.add(t.TunnelInsideCidr);
  const tunnels = options.tunnels.map((t, i): AwsTunnelOptions => {
    const inside = t.TunnelInsideCidr ?? pickInsideCidr(used);
    used.add(inside);
    return {
      ...t,
      OutsideIpAddress: outside[i] as string,
      TunnelInsideCidr: inside,
      PreSharedKey: t.PreSharedKey ?? generatePsk(),
    };
  }) as [AwsTunnelOptions, AwsTunnelOptions];
  const telemetry = tunnels.map(
    (t): AwsVgwTelemetry => ({
      OutsideIpAddress: t.OutsideIpAddress,
      Status: 'DOWN',
      StatusMessage: '',
      LastStatusChange: now,
      AcceptedRouteCount: 0,
    }),
  ) as [AwsVgwTelemetry, AwsVgwTelemetry];
  const conn: AwsVpnConnection = {
    VpnConnectionId: ctx.ids.aws('vpn'),
    State: 'pending',
    Type: 'ipsec.1',
    Category: 'VPN',
    CustomerGatewayId: cgwId,
    VpnGatewayId: vgwId ?? '',
    ...(tgwId ? { TransitGatewayId: tgwId } : {}),
    StaticRoutesOnly: options.staticRoutesOnly,
    LocalIpv4NetworkCidr: options.local,
    RemoteIpv4NetworkCidr: options.remote,
    OutsideIpAddressType: 'PublicIpv4',
    TunnelInsideIpVersion: 'ipv4',
    TunnelOptions: tunnels,
    Routes: [],
    VgwTelemetry: telemetry,
    Tags: tags,
    CreatedAt: now,
  };
  region.vpnConnections[conn.VpnConnectionId] = conn;
  // on a transit gateway the connection comes with its VPN attachment, available together
  const attachment = tgw ? newVpnAttachment(call, tgw, conn.VpnConnectionId) : undefined;
  ctx.after('aws.vpnConnection.create', `vpn ${conn.VpnConnectionId} available`, () => {
    if (conn.State === 'pending') conn.State = 'available';
    if (attachment && conn.State === 'available') activateAttachment(region, attachment);
  });
  return { vpnConnection: vpnXml(call, conn) };
}

// ------------------------------------------------------------------ describe / delete

export function describeVpnConnections(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('VpnConnectionId');
  const filters = parseFilters(p);
  const base =
    ids.length > 0
      ? describeByIds(call, 'vpn-connection', region.vpnConnections, ids)
      : listed(call, region.vpnConnections);
  const result = applyFilters(
    base,
    filters,
    {
      'bgp-asn': (c) => [region.customerGateways[c.CustomerGatewayId]?.BgpAsn],
      'customer-gateway-configuration': (c) =>
        c.State === 'pending' || c.State === 'available' ? [configurationOf(call, c)] : [],
      'customer-gateway-id': (c) => [c.CustomerGatewayId],
      'option.static-routes-only': (c) => [c.StaticRoutesOnly],
      'route.destination-cidr-block': (c) => c.Routes.map((r) => r.DestinationCidrBlock),
      state: (c) => [c.State],
      'transit-gateway-id': (c) => [c.TransitGatewayId],
      type: (c) => [c.Type],
      'vpn-connection-id': (c) => [c.VpnConnectionId],
      'vpn-gateway-id': (c) => [c.VpnGatewayId || undefined],
    },
    (c) => c.Tags,
  );
  if (p.dryRun()) throw dryRun();
  return { vpnConnectionSet: items(result.map((c) => vpnXml(call, c))) };
}

export function deleteVpnConnection(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const id = p.required('VpnConnectionId');
  const conn = lookup(call, 'vpn-connection', region.vpnConnections, id);
  if (p.dryRun()) throw dryRun();
  if (conn.State === 'deleting') return { return: true };
  conn.State = 'deleting';
  conn.Replacing = undefined;
  deleteVpnAttachment(call, id);
  ctx.after('aws.vpnConnection.delete', `vpn ${id} deleted`, () => {
    if (conn.State !== 'deleting') return;
    conn.State = 'deleted';
    finishVpnAttachment(call, id);
    vanishLater(call, region.vpnConnections, id, conn, `vpn ${id} vanishes`);
  });
  return { return: true };
}
