import type { AlibabaCloud, AwsCloud, GatewayKind } from '../clouds/types';
import type { FieldIssue } from '../errors';
import { cidrContains, cidrsOverlap } from '../net/cidr';
import { chooseGatewayVSwitches, gatewayModeOf } from '../plan/gateway-kind';
import type { ConnectionSpec } from './schema';

// Preflight (DESIGN.md §3): everything that can be checked against the live clouds before anything is
// created. Reads only. Errors name the spec field they are about.

export interface PreflightResult {
  errors: FieldIssue[];
  warnings: FieldIssue[];
  /** the topology to expect until the created gateway says what it is (src/plan/gateway-kind.ts) */
  gatewayKind?: GatewayKind;
  resolved?: { awsRouteTableIds: string[]; alibabaVSwitchIds: string[]; alibabaRouteTableId: string };
}

/** AWS quotas that a new connection consumes (aws.md §2.8) */
const AWS_QUOTAS = { vpnGateways: 5, customerGateways: 50, vpnConnections: 50 };

export async function preflight(
  spec: ConnectionSpec,
  clouds: { aws: AwsCloud; alibaba: AlibabaCloud },
  opts: { existingVgwId?: string } = {},
): Promise<PreflightResult> {
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const { aws, alibaba } = clouds;

  // ---- AWS
  const [vpc, tables, managed] = await Promise.all([
    aws.describeVpc(spec.aws.vpcId),
    aws.describeRouteTables({ vpcId: spec.aws.vpcId }),
    aws.listAll(),
  ]);
  let awsRouteTableIds: string[] = [];
  if (!vpc) errors.push({ path: 'aws.vpcId', message: `VPC ${spec.aws.vpcId} not found in ${spec.aws.region}` });
  else {
    if (!vpc.cidrs.includes(spec.aws.cidr))
      errors.push({
        path: 'aws.cidr',
        message: `${spec.aws.cidr} is not a CIDR of ${spec.aws.vpcId} (its CIDRs: ${vpc.cidrs.join(', ') || 'none'})`,
      });
    if (spec.aws.routeTableIds) {
      spec.aws.routeTableIds.forEach((id, i) => {
        if (!tables.some((t) => t.id === id))
          errors.push({ path: `aws.routeTableIds[${i}]`, message: `route table ${id} not found in ${spec.aws.vpcId}` });
      });
      awsRouteTableIds = [...spec.aws.routeTableIds];
    } else {
      const main = tables.find((t) => t.main);
      if (!main)
        errors.push({
          path: 'aws.routeTableIds',
          message: `${spec.aws.vpcId} has no main route table; list the tables to use`,
        });
      else awsRouteTableIds = [main.id];
    }
    for (const t of tables.filter((x) => awsRouteTableIds.includes(x.id))) {
      const clash = t.routes.find(
        (r) => r.destination === spec.alibaba.cidr && r.gatewayId !== undefined && r.gatewayId !== opts.existingVgwId,
      );
      if (clash)
        errors.push({
          path: 'aws.routeTableIds',
          message: `route table ${t.id} already routes ${spec.alibaba.cidr} to ${clash.gatewayId}; remove it or pick other tables`,
        });
    }
  }
  const mine = (tags: Record<string, string>) => tags['vpn-bridge:connection'] === spec.name;
  const used = {
    vpnGateways: managed.vpnGateways.filter((g) => !mine(g.tags)).length,
    customerGateways: managed.customerGateways.filter((g) => !mine(g.tags)).length,
    vpnConnections: managed.vpnConnections.filter((g) => !mine(g.tags)).length,
  };
  const need = { vpnGateways: 1, customerGateways: 2, vpnConnections: 2 };
  for (const k of Object.keys(AWS_QUOTAS) as Array<keyof typeof AWS_QUOTAS>) {
    if (used[k] + need[k] > AWS_QUOTAS[k])
      errors.push({
        path: 'aws.region',
        message: `${k} quota: ${used[k]} already exist in ${spec.aws.region}, this connection needs ${need[k]} more and the default quota is ${AWS_QUOTAS[k]}`,
      });
  }

  // ---- Alibaba
  // The gateway kind is not known before the gateway exists (src/plan/gateway-kind.ts): preflight picks the vSwitches
  // (two in two zones where the mode allows a dual-tunnel gateway) and the topology to expect; the created gateway
  // decides. `zones`: where the gateways CreateVpnGateway makes (Traditional) can be made.
  const mode = gatewayModeOf(spec);
  let gatewayKind: GatewayKind | undefined;
  let zones: string[] = [];
  let zonesKnown = false;
  try {
    zones = await alibaba.availableZones('Traditional', spec.alibaba.bandwidthMbps);
    zonesKnown = true;
  } catch (e) {
    errors.push({
      path: 'alibaba.region',
      message: `cannot list the zones of ${spec.alibaba.region} that offer VPN gateways: ${(e as Error).message}`,
    });
  }
  const aliVpc = zonesKnown ? await alibaba.describeVpc(spec.alibaba.vpcId) : undefined;
  let alibabaVSwitchIds: string[] = [];
  let alibabaRouteTableId = '';
  if (zonesKnown && !aliVpc)
    errors.push({ path: 'alibaba.vpcId', message: `VPC ${spec.alibaba.vpcId} not found in ${spec.alibaba.region}` });
  if (aliVpc) {
    if (!cidrContains(aliVpc.cidr, spec.alibaba.cidr))
      errors.push({
        path: 'alibaba.cidr',
        message: `${spec.alibaba.cidr} is not inside ${spec.alibaba.vpcId} (${aliVpc.cidr})`,
      });
    const [vsws, rtbs] = await Promise.all([
      alibaba.describeVSwitches(spec.alibaba.vpcId),
      alibaba.describeRouteTables(spec.alibaba.vpcId),
    ]);
    let given: string[] | undefined;
    if (spec.alibaba.vSwitchIds) {
      spec.alibaba.vSwitchIds.forEach((id, i) => {
        if (!vsws.some((v) => v.id === id))
          errors.push({
            path: `alibaba.vSwitchIds[${i}]`,
            message: `vSwitch ${id} not found in ${spec.alibaba.vpcId}`,
          });
      });
      given = [...spec.alibaba.vSwitchIds];
    }
    const chosen = chooseGatewayVSwitches({
      mode,
      region: spec.alibaba.region,
      vpcId: spec.alibaba.vpcId,
      zones,
      vSwitches: vsws.map((v) => ({ id: v.id, zoneId: v.zoneId })),
      given,
    });
    errors.push(...chosen.errors);
    warnings.push(...chosen.warnings);
    alibabaVSwitchIds = chosen.vSwitchIds;
    gatewayKind = chosen.expected;
    for (const v of vsws) {
      if (cidrsOverlap(v.cidr, spec.aws.cidr))
        errors.push({ path: 'aws.cidr', message: `${spec.aws.cidr} overlaps Alibaba vSwitch ${v.id} (${v.cidr})` });
    }
    if (spec.alibaba.routeTableId) {
      if (!rtbs.some((t) => t.id === spec.alibaba.routeTableId))
        errors.push({
          path: 'alibaba.routeTableId',
          message: `route table ${spec.alibaba.routeTableId} not found in ${spec.alibaba.vpcId}`,
        });
      alibabaRouteTableId = spec.alibaba.routeTableId;
    } else {
      const system = rtbs.find((t) => t.type === 'System')?.id ?? aliVpc.systemRouteTableId;
      if (!system)
        errors.push({ path: 'alibaba.routeTableId', message: `${spec.alibaba.vpcId} has no system route table` });
      else alibabaRouteTableId = system;
    }
  }
  if (/^cn-/.test(spec.alibaba.region) && !/^cn-/.test(spec.aws.region) && !/^cn-(hongkong)/.test(spec.alibaba.region))
    warnings.push({
      path: 'alibaba.region',
      message:
        'Alibaba VPN gateways in mainland China do not support cross-border connections; consider CEN (interop.md §10)',
    });

  return {
    errors,
    warnings,
    gatewayKind,
    resolved: errors.length === 0 ? { awsRouteTableIds, alibabaVSwitchIds, alibabaRouteTableId } : undefined,
  };
}
