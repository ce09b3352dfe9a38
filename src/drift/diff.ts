import type { AliTunnel, AliVpnConnection, AwsTunnel } from '../clouds/types';
import { tunnelHealth } from '../health/tunnels';
import {
  type ActualTunnelPairing,
  type AwsTunnelOptionObserved,
  type CryptoAttribute,
  type CryptoDescription,
  checkPairingActual,
  describeAlibabaTunnelCrypto,
  describeAwsTunnelCrypto,
  describeCrypto,
  type Plan,
  tunnelId,
} from '../plan';
import type { ConnectionRecord, DriftRow, RepairStep } from '../registry/record';
import { tgwAttachOf } from '../spec/schema';
import { lookup } from './lookup';
import { NONE, normList, normScalar, pskUnreadable, UNSET } from './normalise';
import type { ObservedConnection } from './types';

// Expected (the record + its plan) against actual (what both clouds show) for ONE connection
// (README.md, docs/sources.md#the-article-and-the-interoperability-guides-interop). Pure: the caller observes; this only compares.
//
// Rows: MISSING (a resource or route is gone), CHANGED (an attribute differs after normalisation),
// UNMANAGED (an extra copy carrying this connection's tags/name), DOWN (a used tunnel is not up; tunnel 2
// of each AWS connection in the dual-tunnel topology is 'unused' and never DOWN). Only deleted routes are
// repairable, and only while the gateway/connection they point at exists (the provisioning step that
// re-creates them needs it). PSKs never enter a row: '(stored)' / '(differs)'.

type Cloud = DriftRow['cloud'];
type Severity = DriftRow['severity'];

class Rows {
  readonly out: DriftRow[] = [];
  constructor(private readonly connection: string) {}

  add(
    cloud: Cloud,
    resource: string,
    attribute: string,
    expected: string,
    actual: string,
    kind: DriftRow['kind'],
    severity: Severity,
    extra: { repairStep?: RepairStep; note?: string } = {},
  ): void {
    this.out.push({
      connection: this.connection,
      cloud,
      resource,
      attribute,
      expected,
      actual,
      kind,
      severity,
      repairable: extra.repairStep !== undefined,
      ...(extra.repairStep ? { repairStep: extra.repairStep } : {}),
      ...(extra.note ? { note: extra.note } : {}),
    });
  }

  /** a CHANGED row when the normalised values differ */
  compare(
    cloud: Cloud,
    resource: string,
    attribute: string,
    expected: unknown,
    actual: unknown,
    severity: Severity,
  ): void {
    const want = normScalar(expected);
    const got = normScalar(actual);
    if (want !== got) this.add(cloud, resource, attribute, want, got, 'CHANGED', severity);
  }
}

/** `type/id`: the observed id, else the id the record holds, else `(role)` */
function ref(type: string, observed: string | undefined, recorded: string | undefined, role: string): string {
  return `${type}/${observed || recorded || `(${role})`}`;
}

const SETTINGS: ReadonlySet<CryptoAttribute> = new Set(['dpdTimeoutSeconds', 'dpdTimeoutAction', 'startupAction']);

// Crypto is compared in the AWS vocabulary (describeCrypto / describe*TunnelCrypto sort lists and read Alibaba's
// string numbers). vpn-bridge pins every list to one value, so an AWS list that came back empty ('(unset)': all
// of AWS's defaults) is real drift here, not a materialised default (docs/sources.md#the-article-and-the-interoperability-guides-interop).

function compareCrypto(
  rows: Rows,
  cloud: Cloud,
  resource: string,
  label: string,
  expected: CryptoDescription,
  actual: CryptoDescription,
  used: boolean,
): void {
  for (const [key, want] of Object.entries(expected) as Array<[CryptoAttribute, string | undefined]>) {
    if (want === undefined) continue;
    const severity: Severity = !used ? 'low' : SETTINGS.has(key) ? 'medium' : 'high';
    rows.compare(cloud, resource, `${label} ${key}`, want, actual[key] ?? UNSET, severity);
  }
}

/** the adapter's neutral AWS tunnel in the DescribeVpnConnections response shape describeAwsTunnelCrypto reads */
export function awsTunnelOption(t: AwsTunnel): AwsTunnelOptionObserved {
  const list = <T>(values: T[]) => values.map((Value) => ({ Value }));
  return {
    Phase1LifetimeSeconds: t.phase1LifetimeSeconds,
    Phase2LifetimeSeconds: t.phase2LifetimeSeconds,
    DpdTimeoutSeconds: t.dpdTimeoutSeconds,
    DpdTimeoutAction: t.dpdTimeoutAction,
    StartupAction: t.startupAction,
    Phase1EncryptionAlgorithms: list(t.phase1Encryption),
    Phase2EncryptionAlgorithms: list(t.phase2Encryption),
    Phase1IntegrityAlgorithms: list(t.phase1Integrity),
    Phase2IntegrityAlgorithms: list(t.phase2Integrity),
    Phase1DHGroupNumbers: list(t.phase1DhGroups),
    Phase2DHGroupNumbers: list(t.phase2DhGroups),
    IkeVersions: list(t.ikeVersions),
  };
}

/** the Alibaba tunnel a plan tunnel maps to (a single-tunnel connection has exactly one) */
export function alibabaTunnelFor(conn: AliVpnConnection, role: string): AliTunnel | undefined {
  return conn.tunnels.length === 1 ? conn.tunnels[0] : conn.tunnels.find((t) => t.role === role);
}

/** the keys a tunnel may hold: the stored one, and while a rotation runs its previous and next key (not drift) */
function keysInUse(ho: ConnectionRecord['handoffs'], id: string): string[] {
  const r = ho.rotation?.[id];
  return [ho.awsTunnels[id]?.psk, r?.previous, r?.next].filter((k): k is string => Boolean(k));
}

const PSK_NOTE = 'the pre-shared key on the cloud is not the one in the record';

export function diffConnection(record: ConnectionRecord, plan: Plan, o: ObservedConnection): DriftRow[] {
  const rows = new Rows(record.name);
  const { spec, resources: res, handoffs: ho } = record;
  // every CIDR of the other side: a missing route is one row per CIDR (and per table / connection)
  const awsDests = plan.routes.awsDestinations;
  const aliDests = plan.routes.alibabaDestinations;
  // a repair restores what provisioning once completed; a connection that never became ACTIVE is re-provisioned
  const restorable = record.everActive;
  const fix = (step: RepairStep, ok: boolean, why: string): { repairStep?: RepairStep; note?: string } =>
    ok && restorable ? { repairStep: step } : { note: restorable ? why : 'never ACTIVE: re-run provisioning' };

  // ------------------------------------------------------------ AWS: VGW and its attachment
  const vgw = o.awsVpnGateway;
  const vgwRef = ref('vpn-gateway', vgw?.id, res.aws.vpnGatewayId, 'vgw');
  // on a transit gateway there is no VGW; the gateway itself is the user's (not drift)
  const tgw = tgwAttachOf(spec);
  let vgwAttached = false;
  if (tgw) {
    // nothing to compare: the transit gateway, its route table and the VPC attachment are the user's
  } else if (!vgw) rows.add('aws', vgwRef, 'exists', 'available', NONE, 'MISSING', 'critical');
  else {
    const att = vgw.attachments.find((a) => a.vpcId === spec.aws.vpcId && a.state !== 'detached');
    vgwAttached = att?.state === 'attached';
    if (!att) rows.add('aws', vgwRef, `attachment ${spec.aws.vpcId}`, 'attached', NONE, 'MISSING', 'critical');
    else rows.compare('aws', vgwRef, `attachment ${spec.aws.vpcId}`, 'attached', att.state, 'critical');
  }

  // ------------------------------------------------------------ AWS: VPC routes to the VGW
  const tables = Array.isArray(plan.routes.awsRouteTableIds) ? plan.routes.awsRouteTableIds : [];
  for (const id of tables) {
    const tRef = `route-table/${id}`;
    const table = o.awsRouteTables[id];
    if (!table) {
      rows.add('aws', tRef, 'exists', 'exists', NONE, 'MISSING', 'critical');
      continue;
    }
    for (const awsDest of awsDests) {
      const route = lookup(table.routes, 'destination', (r) => r.destination, awsDest)[0];
      const attribute = `route ${awsDest}`;
      if (!route) {
        rows.add(
          'aws',
          tRef,
          attribute,
          tgw ? tgw.transitGateway : (vgw?.id ?? '(the VGW)'),
          NONE,
          'MISSING',
          'high',
          tgw
            ? fix('awsVpcRoute', true, '')
            : fix(
                'awsVpcRoute',
                !!vgw && vgwAttached,
                'the VGW must exist and be attached before the route is re-created',
              ),
        );
      } else if (tgw) {
        if (route.gatewayId !== tgw.transitGateway)
          rows.add(
            'aws',
            tRef,
            attribute,
            tgw.transitGateway,
            route.gatewayId ?? '(another target)',
            'CHANGED',
            'critical',
            {
              note: 'the destination is routed elsewhere; not repaired automatically',
            },
          );
        else rows.compare('aws', tRef, `${attribute} state`, 'active', route.state, 'high');
      } else if (route.gatewayId?.startsWith('vgw-') && route.state === 'blackhole' && route.gatewayId !== vgw?.id) {
        // an orphan: the route outlived its VPN gateway (a crash or a race); it blocks the route to ours
        rows.add(
          'aws',
          tRef,
          attribute,
          vgw?.id ?? '(the VGW)',
          `${route.gatewayId} (blackhole)`,
          'CHANGED',
          'critical',
          {
            note: `orphan route to a VPN gateway that is gone or detached; a teardown of this connection removes it, or delete it (aws ec2 delete-route --route-table-id ${table.id} --destination-cidr-block ${awsDest}) and repair`,
          },
        );
      } else if (vgw && route.gatewayId !== vgw.id) {
        rows.add('aws', tRef, attribute, vgw.id, route.gatewayId ?? '(another target)', 'CHANGED', 'critical', {
          note: 'the destination is routed elsewhere; not repaired automatically',
        });
      } else rows.compare('aws', tRef, `${attribute} state`, 'active', route.state, 'high');
    }
  }

  // ------------------------------------------------------------ AWS: transit gateway static routes
  if (tgw) {
    const tRef = `transit-gateway-route-table/${tgw.routeTableId}`;
    const ours = new Set(Object.values(o.awsConnections).flatMap((c) => (c ? [c.id] : [])));
    const active = o.awsConnections[plan.awsVpnConnections[0]?.role ?? ''];
    for (const awsDest of awsDests) {
      const route = (o.awsTgwRoutes ?? []).find((r) => r.destination === awsDest && r.type === 'static');
      const attribute = `route ${awsDest}`;
      if (!route)
        rows.add('aws', tRef, attribute, active?.id ?? '(the active VPN connection)', NONE, 'MISSING', 'high', {
          note: 'provision again (vpn-bridge up) to re-create it',
        });
      else if (!route.resourceId || !ours.has(route.resourceId))
        rows.add(
          'aws',
          tRef,
          attribute,
          active?.id ?? '(the active VPN connection)',
          route.resourceId ?? route.attachmentId ?? '(blackhole)',
          'CHANGED',
          'critical',
          {
            note: 'the destination is routed elsewhere; not repaired automatically',
          },
        );
      else rows.compare('aws', tRef, `${attribute} state`, 'active', route.state, 'high');
    }
  }

  // ------------------------------------------------------------ AWS: customer gateways (the Alibaba IPs)
  for (const cg of plan.awsCustomerGateways) {
    const c = o.awsCustomerGateways[cg.role];
    const cRef = ref('customer-gateway', c?.id, res.aws.customerGateways[cg.role], cg.role);
    if (!c) {
      rows.add('aws', cRef, 'exists', 'available', NONE, 'MISSING', 'critical');
      continue;
    }
    const want = ho.alibabaGatewayIps?.[cg.alibabaIp];
    if (want) rows.compare('aws', cRef, 'IpAddress', want, c.ipAddress, 'critical');
  }

  // ------------------------------------------------------------ AWS: VPN connections, tunnels, static routes
  const awsCrypto = describeCrypto(plan.crypto, 'aws');
  for (const vc of plan.awsVpnConnections) {
    const c = o.awsConnections[vc.role];
    const cRef = ref('vpn-connection', c?.id, res.aws.vpnConnections[vc.role], vc.role);
    if (!c) {
      rows.add('aws', cRef, 'exists', 'available', NONE, 'MISSING', 'critical');
      continue;
    }
    if (tgw) rows.compare('aws', cRef, 'TransitGatewayId', tgw.transitGateway, c.transitGatewayId, 'critical');
    else if (vgw) rows.compare('aws', cRef, 'VpnGatewayId', vgw.id, c.vpnGatewayId, 'critical');
    const cgw = o.awsCustomerGateways[vc.customerGateway];
    if (cgw) rows.compare('aws', cRef, 'CustomerGatewayId', cgw.id, c.customerGatewayId, 'critical');
    rows.compare('aws', cRef, 'State', 'available', c.state, 'high');
    rows.compare('aws', cRef, 'StaticRoutesOnly', true, c.staticRoutesOnly, 'high');
    // on a transit gateway the static routes live in its route table (below), not on the VPN connection
    for (const awsDest of tgw ? [] : awsDests) {
      const route = c.routes.find((r) => r.destination === awsDest && r.state !== 'deleted' && r.state !== 'deleting');
      if (!route)
        rows.add(
          'aws',
          cRef,
          `static route ${awsDest}`,
          'available',
          NONE,
          'MISSING',
          'high',
          fix('awsVpnConnectionRoute', c.state === 'available', 'the VPN connection is not available'),
        );
    }
    for (const tp of vc.tunnels) {
      const id = tunnelId({ connection: vc.role, tunnel: tp.tunnel });
      const label = `tunnel ${tp.tunnel}`;
      const t = c.tunnels[tp.tunnel - 1];
      if (!t) {
        rows.add('aws', cRef, label, 'present', NONE, 'MISSING', 'critical');
        continue;
      }
      const handoff = ho.awsTunnels[id];
      if (handoff)
        rows.compare('aws', cRef, `${label} outside IP`, handoff.outsideIp, t.outsideIp, tp.used ? 'critical' : 'low');
      rows.compare('aws', cRef, `${label} inside CIDR`, tp.insideCidr, t.insideCidr, tp.used ? 'medium' : 'low');
      compareCrypto(rows, 'aws', cRef, label, awsCrypto, describeAwsTunnelCrypto(awsTunnelOption(t)), tp.used);
      if (handoff && !pskUnreadable(t.psk) && !keysInUse(ho, id).includes(t.psk))
        rows.add('aws', cRef, `${label} psk`, '(stored)', '(differs)', 'CHANGED', tp.used ? 'critical' : 'low', {
          note: PSK_NOTE,
        });
    }
  }

  // ------------------------------------------------------------ Alibaba: VPN gateway
  const gw = o.alibabaGateway;
  const gwRef = ref('vpn-gateway', gw?.id, res.alibaba.vpnGatewayId, 'alibaba-gateway');
  if (!gw) rows.add('alibaba', gwRef, 'exists', 'active', NONE, 'MISSING', 'critical');
  else {
    rows.compare('alibaba', gwRef, 'kind', plan.topology, gw.kind, 'critical');
    const ips = ho.alibabaGatewayIps;
    if (ips?.InternetIp) rows.compare('alibaba', gwRef, 'InternetIp', ips.InternetIp, gw.internetIp, 'critical');
    if (plan.topology === 'dual-tunnel' && ips?.DisasterRecoveryInternetIp)
      rows.compare(
        'alibaba',
        gwRef,
        'DisasterRecoveryInternetIp',
        ips.DisasterRecoveryInternetIp,
        gw.disasterRecoveryInternetIp,
        'critical',
      );
  }

  // ------------------------------------------------------------ Alibaba: customer gateways (the AWS tunnel IPs)
  for (const cg of plan.alibabaCustomerGateways) {
    const c = o.alibabaOwnCustomerGateways[cg.role];
    const cRef = ref('customer-gateway', c?.id, res.alibaba.customerGateways[cg.role], cg.role);
    if (!c) {
      rows.add('alibaba', cRef, 'exists', 'present', NONE, 'MISSING', 'critical');
      continue;
    }
    const handoff = ho.awsTunnels[tunnelId(cg.awsTunnel)];
    if (handoff) rows.compare('alibaba', cRef, 'IpAddress', handoff.outsideIp, c.ipAddress, 'critical');
  }

  // ------------------------------------------------------------ Alibaba: IPsec connections (only on our gateway)
  const aliCrypto = describeCrypto(plan.crypto, 'alibaba');
  if (gw) {
    for (const ac of plan.alibabaConnections) {
      const c = o.alibabaConnections[ac.role];
      const cRef = ref('ipsec-connection', c?.id, res.alibaba.connections[ac.role], ac.role);
      if (!c) {
        rows.add('alibaba', cRef, 'exists', 'active', NONE, 'MISSING', 'critical');
        continue;
      }
      rows.compare('alibaba', cRef, 'VpnGatewayId', gw.id, c.vpnGatewayId, 'critical');
      // destination-routing mode: 0.0.0.0/0 both ways (docs/sources.md#the-article-and-the-interoperability-guides-interop)
      rows.compare('alibaba', cRef, 'LocalSubnet', normList('0.0.0.0/0'), normList(c.localSubnet), 'high');
      rows.compare('alibaba', cRef, 'RemoteSubnet', normList('0.0.0.0/0'), normList(c.remoteSubnet), 'high');
      rows.compare('alibaba', cRef, 'EffectImmediately', true, c.effectImmediately, 'medium');
      rows.compare('alibaba', cRef, 'tunnels', ac.tunnels.length, c.tunnels.length, 'critical');
      for (const tp of ac.tunnels) {
        const label = ac.mode === 'single-tunnel' ? 'tunnel' : `${tp.alibabaRole} tunnel`;
        const t = alibabaTunnelFor(c, tp.alibabaRole);
        if (!t) {
          rows.add('alibaba', cRef, label, 'present', NONE, 'MISSING', 'critical');
          continue;
        }
        compareCrypto(rows, 'alibaba', cRef, label, aliCrypto, describeAlibabaTunnelCrypto(t.ike, t.ipsec), true);
        rows.compare('alibaba', cRef, `${label} EnableDpd`, true, t.enableDpd, 'medium');
        const handoff = ho.awsTunnels[tunnelId(tp.awsTunnel)];
        if (handoff && !pskUnreadable(t.ike.Psk) && !keysInUse(ho, tunnelId(tp.awsTunnel)).includes(t.ike.Psk))
          rows.add('alibaba', cRef, `${label} psk`, '(stored)', '(differs)', 'CHANGED', 'critical', { note: PSK_NOTE });
      }
    }
  }

  // ------------------------------------------------------------ Alibaba: VPC route entry and VPN route entries
  const vtb = plan.routes.alibabaRouteTableId;
  const vtbRef = `route-table/${vtb}`;
  if (o.alibabaRouteTableMissing) rows.add('alibaba', vtbRef, 'exists', 'exists', NONE, 'MISSING', 'critical');
  else if (o.alibabaRouteEntries) {
    const entries = o.alibabaRouteEntries;
    for (const aliDest of aliDests) {
      const attribute = `route ${aliDest}`;
      const toDest = lookup(entries, 'destination', (e) => e.destination, aliDest);
      const mine = gw ? toDest.find((e) => e.nextHopId === gw.id) : undefined;
      const other = toDest.find((e) => !gw || e.nextHopId !== gw.id);
      if (!mine && other)
        rows.add(
          'alibaba',
          vtbRef,
          attribute,
          gw?.id ?? '(the VPN gateway)',
          `${other.nextHopType} ${other.nextHopId}`.trim(),
          'CHANGED',
          'critical',
          { note: 'the destination is routed elsewhere; not repaired automatically' },
        );
      else if (!mine)
        rows.add(
          'alibaba',
          vtbRef,
          attribute,
          gw?.id ?? '(the VPN gateway)',
          NONE,
          'MISSING',
          'high',
          fix('alibabaVpcRoute', !!gw, 'the VPN gateway must exist first'),
        );
    }
  }
  if (gw && o.alibabaVpnRouteEntries) {
    for (const ac of plan.alibabaConnections) {
      const c = o.alibabaConnections[ac.role];
      if (!c) continue;
      for (const aliDest of aliDests) {
        const e = o.alibabaVpnRouteEntries.find((x) => x.routeDest === aliDest && x.nextHop === c.id);
        const attribute = `vpn route ${aliDest} via ${c.id}`;
        if (!e)
          rows.add(
            'alibaba',
            gwRef,
            attribute,
            `weight ${ac.routeWeight}`,
            NONE,
            'MISSING',
            'high',
            fix('alibabaVpnRoute', true, ''),
          );
        // dual-tunnel gateways require a Weight but ignore it (plan); only the single-tunnel weights carry meaning
        else if (plan.topology === 'single-tunnel' && e.weight !== ac.routeWeight)
          rows.add('alibaba', gwRef, attribute, `weight ${ac.routeWeight}`, `weight ${e.weight}`, 'CHANGED', 'medium');
      }
    }
  }

  // ------------------------------------------------------------ the pairing rule over the live values
  const pairs: ActualTunnelPairing[] = [];
  const where = new Map<string, { resource: string; label: string }>();
  for (const t of plan.tunnels) {
    const ali = t.alibaba;
    if (!ali) continue;
    const awsConn = o.awsConnections[t.aws.connection];
    const awsTunnel = awsConn?.tunnels[t.aws.tunnel - 1];
    const aliConn = o.alibabaConnections[ali.connection];
    const aliTunnel = aliConn ? alibabaTunnelFor(aliConn, ali.alibabaRole) : undefined;
    if (!awsConn || !awsTunnel || !aliConn || !aliTunnel) continue;
    const awsCgw = Object.values(o.awsCustomerGateways).find((c) => c?.id === awsConn.customerGatewayId);
    const gatewayIp = gw ? (ali.sourceIp === 'InternetIp' ? gw.internetIp : gw.disasterRecoveryInternetIp) : '';
    pairs.push({
      id: t.id,
      alibabaSourceIp: aliTunnel.sourceIp || gatewayIp || undefined,
      alibabaCustomerGatewayIp: lookup(o.alibabaCustomerGateways, 'id', (c) => c.id, aliTunnel.customerGatewayId)[0]
        ?.ipAddress,
      awsCustomerGatewayIp: awsCgw?.ipAddress,
      awsTunnelOutsideIp: awsTunnel.outsideIp || undefined,
    });
    const mode = plan.alibabaConnections.find((c) => c.role === ali.connection)?.mode;
    where.set(t.id, {
      resource: `ipsec-connection/${aliConn.id}`,
      label: mode === 'single-tunnel' ? 'tunnel' : `${ali.alibabaRole} tunnel`,
    });
  }
  for (const v of checkPairingActual(pairs)) {
    const w = where.get(v.tunnel);
    if (!w) continue;
    rows.add('alibaba', w.resource, `${w.label} pairing (${v.rule})`, v.expected, v.actual, 'CHANGED', 'critical', {
      note: v.message,
    });
  }

  // ------------------------------------------------------------ health: every used tunnel UP, with its role
  for (const h of tunnelHealth(plan, o)) {
    if (h.role === 'unused' || h.up) continue;
    rows.add(
      'aws',
      `tunnel/${h.id}`,
      `status (${h.role})`,
      'UP',
      `AWS ${h.aws.status}, Alibaba ${h.alibaba?.status ?? UNSET}`,
      'DOWN',
      h.role === 'active' ? 'high' : 'medium',
      { note: h.reason },
    );
  }

  // ------------------------------------------------------------ extra copies carrying this connection's tags/names
  for (const d of o.duplicates) {
    rows.add(
      d.cloud,
      `${d.kind}/${d.id}`,
      'managed by',
      `one ${d.role} of ${record.name}`,
      `another ${d.role}`,
      'UNMANAGED',
      d.kind === 'customer-gateway' ? 'low' : 'medium',
      {
        note: "an extra copy with this connection's tags or name (e.g. an interrupted create); delete it once checked",
      },
    );
  }
  return rows.out;
}
