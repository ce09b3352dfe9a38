// The Alibaba VPN gateway's kind (docs/simulator-fidelity.md, "Alibaba gateway kinds"). Pure.
//
// Nothing in the API tells, before a gateway exists, whether CreateVpnGateway will make a single-tunnel or a
// dual-tunnel gateway in a region: CreateVpnGateway has no parameter for it, and DescribeVpnGatewayAvailableZones'
// GatewayType (Traditional / Enhanced.SiteToSite) names another distinction (the IPsec+SSL product vs the IPsec-only
// one). What a gateway is shows on the gateway: a dual-tunnel one has DisasterRecoveryVSwitchId and
// DisasterRecoveryInternetIp. So vpn-bridge asks for a dual-tunnel gateway where it can (two vSwitches in two
// zones), takes the topology from the gateway that was created, and lets `alibaba.gatewayMode` pin it.
import type { FieldIssue } from '../errors';
import type { GatewayMode } from '../spec/schema';
import type { GatewayKind } from './topology';

/** the spec's mode; records written before the field existed mean `auto` */
export function gatewayModeOf(spec: { alibaba: { gatewayMode?: GatewayMode } }): GatewayMode {
  return spec.alibaba.gatewayMode ?? 'auto';
}

export interface VSwitchInfo {
  id: string;
  zoneId: string;
}

export interface GatewayVSwitches {
  /** [VSwitchId] or [VSwitchId, DisasterRecoveryVSwitchId] */
  vSwitchIds: string[];
  /** the topology to plan with until the created gateway says what it is */
  expected: GatewayKind;
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

/**
 * The vSwitches for CreateVpnGateway. A disaster-recovery vSwitch is sent when the mode allows a dual-tunnel gateway:
 * two vSwitches in two zones (a region with one zone may use one zone twice, as the CreateVpnGateway reference allows).
 * `zones` are the zones DescribeVpnGatewayAvailableZones lists for the gateways CreateVpnGateway makes (empty:
 * unknown, every vSwitch is a candidate).
 */
export function chooseGatewayVSwitches(input: {
  mode: GatewayMode;
  region: string;
  vpcId: string;
  zones: string[];
  vSwitches: VSwitchInfo[];
  /** alibaba.vSwitchIds from the spec, already checked to exist in the VPC */
  given?: string[];
}): GatewayVSwitches {
  const { mode, region, vpcId, zones } = input;
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const zoneOf = (id: string) => input.vSwitches.find((v) => v.id === id)?.zoneId;
  const singleZoneRegion = zones.length === 1;
  const oneZoneHint = `${region} offers VPN gateways in ${zones.length > 0 ? zones.join(', ') : 'unknown zones'}`;

  if (input.given && input.given.length > 0) {
    const given = input.given;
    if (mode === 'single-tunnel') {
      if (given.length > 1)
        warnings.push({
          path: 'alibaba.vSwitchIds',
          message: 'a single-tunnel gateway uses one vSwitch; the second is ignored',
        });
      return { vSwitchIds: given.slice(0, 1), expected: 'single-tunnel', errors, warnings };
    }
    const twoZones = given.length === 2 && (singleZoneRegion || zoneOf(given[0] ?? '') !== zoneOf(given[1] ?? ''));
    if (twoZones) return { vSwitchIds: [...given], expected: 'dual-tunnel', errors, warnings };
    if (mode === 'dual-tunnel') {
      errors.push({
        path: 'alibaba.vSwitchIds',
        message: `gatewayMode dual-tunnel needs two vSwitches in two different zones (${oneZoneHint})`,
      });
      return { vSwitchIds: [...given], expected: 'dual-tunnel', errors, warnings };
    }
    if (given.length === 2)
      errors.push({
        path: 'alibaba.vSwitchIds',
        message: `the two vSwitches are in one zone: give two in different zones (a dual-tunnel gateway) or one (${oneZoneHint})`,
      });
    else if (zones.length > 1)
      warnings.push({
        path: 'alibaba.vSwitchIds',
        message: `one vSwitch: where ${region} makes dual-tunnel gateways, CreateVpnGateway needs a second one in another zone`,
      });
    return { vSwitchIds: given.slice(0, 1), expected: 'single-tunnel', errors, warnings };
  }

  const candidates = input.vSwitches.filter((v) => zones.length === 0 || zones.includes(v.zoneId));
  const first = candidates[0];
  if (!first) {
    errors.push({
      path: 'alibaba.vSwitchIds',
      message: `${vpcId} has no vSwitch in a zone that offers VPN gateways (${oneZoneHint})`,
    });
    return { vSwitchIds: [], expected: mode === 'dual-tunnel' ? 'dual-tunnel' : 'single-tunnel', errors, warnings };
  }
  if (mode === 'single-tunnel') return { vSwitchIds: [first.id], expected: 'single-tunnel', errors, warnings };
  const other = candidates.find((v) => v.zoneId !== first.zoneId);
  if (other) return { vSwitchIds: [first.id, other.id], expected: 'dual-tunnel', errors, warnings };
  if (singleZoneRegion) {
    // one zone in the region: two vSwitches of that zone, or the same one twice (CreateVpnGateway reference)
    const second = candidates.find((v) => v.id !== first.id) ?? first;
    return { vSwitchIds: [first.id, second.id], expected: 'dual-tunnel', errors, warnings };
  }
  if (mode === 'dual-tunnel') {
    errors.push({
      path: 'alibaba.vSwitchIds',
      message: `gatewayMode dual-tunnel: ${vpcId} needs vSwitches in two zones (${oneZoneHint})`,
    });
    return { vSwitchIds: [first.id], expected: 'dual-tunnel', errors, warnings };
  }
  warnings.push({
    path: 'alibaba.vSwitchIds',
    message: `${vpcId} has vSwitches in one zone only: where ${region} makes dual-tunnel gateways, CreateVpnGateway will refuse a single vSwitch`,
  });
  return { vSwitchIds: [first.id], expected: 'single-tunnel', errors, warnings };
}

/**
 * Why a created gateway cannot serve the spec (undefined: it can). `auto` takes any gateway; a pinned mode takes only
 * its own kind.
 */
export function gatewayKindMismatch(mode: GatewayMode, gateway: { id: string; kind: GatewayKind }): string | undefined {
  if (mode === 'auto' || mode === gateway.kind) return undefined;
  const has =
    gateway.kind === 'dual-tunnel'
      ? 'has a disaster-recovery vSwitch and IP (dual-tunnel)'
      : 'has no disaster-recovery vSwitch or IP (single-tunnel)';
  return `alibaba.gatewayMode is ${mode}, but the Alibaba VPN gateway ${gateway.id} ${has}: the region makes ${gateway.kind} gateways. Set alibaba.gatewayMode to auto or ${gateway.kind}, and tear the connection down before provisioning it again`;
}
