import type { AlibabaCloud, AwsCloud, AwsRouteInfo, AwsRouteTable, AwsVpnGateway, GatewayKind } from '../clouds/types';
import type { FieldIssue } from '../errors';
import { cidrContains, cidrsOverlap, isCidr } from '../net/cidr';
import { chooseGatewayVSwitches, gatewayModeOf } from '../plan/gateway-kind';
import { type ConnectionKey, resourceName, TAG_STAGE, taggedFor } from '../plan/naming';
import type { ConnectionRecord } from '../registry/record';
import { alibabaCidrsOf, attachOf, awsCidrsOf, type ConnectionSpec, cidrPath, tgwAttachOf } from './schema';

// Preflight (README.md): everything that can be checked against the live clouds before anything is
// created. Reads only. Errors name the spec field they are about. The connection's own resources (a re-run, or a
// run resumed after a crash) are recognised by their tags and names, never only by ids a record may not hold yet.

export interface PreflightResult {
  errors: FieldIssue[];
  warnings: FieldIssue[];
  /** the topology to expect until the created gateway says what it is (src/plan/gateway-kind.ts) */
  gatewayKind?: GatewayKind;
  resolved?: { awsRouteTableIds: string[]; alibabaVSwitchIds: string[]; alibabaRouteTableId: string };
}

/** AWS quotas that a new connection consumes (docs/sources.md#aws-aws) */
const AWS_QUOTAS = { vpnGateways: 5, customerGateways: 50, vpnConnections: 50 };
/** the catch-all route: more specific routes (ours) take precedence over it by design, so it never conflicts */
const DEFAULT_ROUTE = '0.0.0.0/0';
/** VGW attachment states that tie a gateway to the VPC (a VPC takes one VGW: docs/sources.md#aws-aws InvalidVpcState) */
const TIED = new Set(['attaching', 'attached', 'detaching']);

/** a route that sends (part of) `cidr` somewhere else than one of `own` gateways */
function conflicting(r: AwsRouteInfo | { destination: string; target: string }, cidr: string, own: Set<string>) {
  const target = 'target' in r ? r.target : (r.gatewayId ?? '');
  if (!isCidr(r.destination) || r.destination === DEFAULT_ROUTE) return false;
  if (own.has(target)) return false;
  return cidrsOverlap(r.destination, cidr);
}

function awsRouteIssue(
  t: AwsRouteTable,
  r: AwsRouteInfo,
  spec: ConnectionSpec,
  live: Set<string>,
  i: number,
): FieldIssue {
  const dest = alibabaCidrsOf(spec)[i] ?? '';
  const gw = r.gatewayId ?? '(another target)';
  if (gw === 'local')
    return {
      path: cidrPath(spec, 'alibaba', i),
      message: `${dest} overlaps ${r.destination}, a CIDR of ${spec.aws.vpcId} itself (route table ${t.id})`,
    };
  if (gw.startsWith('vgw-') && !live.has(gw))
    return {
      path: 'aws.routeTableIds',
      message: `route table ${t.id} routes ${r.destination} to ${gw}, a VPN gateway that no longer exists (a blackhole route left behind); delete that route (aws ec2 delete-route --route-table-id ${t.id} --destination-cidr-block ${r.destination}), or tear down the connection that made it`,
    };
  const what = r.destination === dest ? dest : `${r.destination}, which overlaps ${dest},`;
  return {
    path: 'aws.routeTableIds',
    message: `route table ${t.id} already routes ${what} to ${gw}; remove that route or pick other tables`,
  };
}

/**
 * The transit gateway attach point: the gateway and its route table exist and are available, the table is the one
 * new attachments are associated with when the gateway associates them by default, the VPC is attached when the spec
 * asks for VPC routes, and no static route of the table already sends one of the peer CIDRs to another attachment.
 */
async function transitGatewayIssues(
  spec: ConnectionSpec,
  aws: AwsCloud,
  ownVpnConnections: Array<{ id: string }>,
): Promise<FieldIssue[]> {
  const tgw = tgwAttachOf(spec);
  if (!tgw) return [];
  const issues: FieldIssue[] = [];
  const [g, table] = await Promise.all([
    aws.describeTransitGateway(tgw.transitGateway),
    aws.describeTgwRouteTable(tgw.routeTableId),
  ]);
  if (g?.state !== 'available')
    issues.push({
      path: 'aws.attach.transitGateway',
      message: `transit gateway ${tgw.transitGateway} ${g ? `is ${g.state}` : `not found in ${spec.aws.region}`}`,
    });
  if (table?.state !== 'available' || table.transitGatewayId !== tgw.transitGateway)
    issues.push({
      path: 'aws.attach.routeTableId',
      message: !table
        ? `transit gateway route table ${tgw.routeTableId} not found in ${spec.aws.region}`
        : table.transitGatewayId !== tgw.transitGateway
          ? `route table ${tgw.routeTableId} belongs to transit gateway ${table.transitGatewayId}, not ${tgw.transitGateway}`
          : `route table ${tgw.routeTableId} is ${table.state}`,
    });
  else if (g?.defaultAssociationRouteTableId && g.defaultAssociationRouteTableId !== tgw.routeTableId)
    issues.push({
      path: 'aws.attach.routeTableId',
      message: `transit gateway ${g.id} associates new attachments with its default route table ${g.defaultAssociationRouteTableId}: name that table, or disable the gateway's default route table association`,
    });
  if (tgw.vpcRoutes && g) {
    const vpcAttachments = await aws.tgwAttachments({
      transitGatewayId: g.id,
      resourceType: 'vpc',
      resourceIds: [spec.aws.vpcId],
    });
    if (!vpcAttachments.some((a) => a.state === 'available'))
      issues.push({
        path: 'aws.attach.vpcRoutes',
        message: `${spec.aws.vpcId} has no available attachment to ${g.id}: attach it (aws ec2 create-transit-gateway-vpc-attachment), or leave vpcRoutes out`,
      });
  }
  if (table?.state === 'available') {
    const own = new Set(ownVpnConnections.map((c) => c.id));
    const cidrs = alibabaCidrsOf(spec);
    for (const r of await aws.tgwRoutes(table.id, cidrs)) {
      if (r.type !== 'static' || (r.resourceId && own.has(r.resourceId))) continue;
      const i = cidrs.indexOf(r.destination);
      issues.push({
        path: cidrPath(spec, 'alibaba', Math.max(i, 0)),
        message: `transit gateway route table ${table.id} already routes ${r.destination} to ${r.attachmentId ?? 'a blackhole'}; a table holds one static route per CIDR`,
      });
    }
  }
  return issues;
}

export async function preflight(
  spec: ConnectionSpec,
  clouds: { aws: AwsCloud; alibaba: AlibabaCloud },
  opts: {
    key: ConnectionKey /** the VGW an earlier run of this connection used (its routes are its own) */;
    recordedVgwId?: string;
  },
): Promise<PreflightResult> {
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const { aws, alibaba } = clouds;
  const key = opts.key;

  // ---- AWS
  const [vpc, tables, all] = await Promise.all([
    aws.describeVpc(spec.aws.vpcId),
    aws.describeRouteTables({ vpcId: spec.aws.vpcId }),
    aws.listAll(),
  ]);
  /** this connection's VGWs, by their tags (a run resumed after a crash may not have recorded the id yet) */
  const ownVgws = new Set(all.vpnGateways.filter((g) => taggedFor(g.tags, key)).map((g) => g.id));
  if (opts.recordedVgwId) ownVgws.add(opts.recordedVgwId);
  const attach = attachOf(spec);
  /** the VGW this connection will use when it is not one it creates (shared or the user's): no new VGW is needed */
  let reuses = false;
  const liveVgws = new Set(all.vpnGateways.map((g) => g.id));
  let awsRouteTableIds: string[] = [];
  if (!vpc) errors.push({ path: 'aws.vpcId', message: `VPC ${spec.aws.vpcId} not found in ${spec.aws.region}` });
  else {
    awsCidrsOf(spec).forEach((cidr, i) => {
      if (!vpc.cidrs.includes(cidr))
        errors.push({
          path: cidrPath(spec, 'aws', i),
          message: `${cidr} is not a CIDR of ${spec.aws.vpcId} (its CIDRs: ${vpc.cidrs.join(', ') || 'none'})`,
        });
    });
    // a VPC takes one VGW (docs/attach-points.md): the one attached to it is shared (`vpnGateway: auto`) or must be the
    // one the spec names; a gateway still detaching makes AttachVpnGateway fail with InvalidVpcState, which would come
    // only after the (billable) Alibaba gateway exists
    const onVpc = (all.vpnGateways as AwsVpnGateway[]).find((g) =>
      g.attachments.some((a) => a.vpcId === spec.aws.vpcId && TIED.has(a.state)),
    );
    const onVpcState = onVpc?.attachments.find((a) => a.vpcId === spec.aws.vpcId && TIED.has(a.state))?.state;
    if (attach.vpnGateway === 'auto') {
      if (onVpc && onVpcState === 'detaching')
        errors.push({
          path: 'aws.vpcId',
          message: `${spec.aws.vpcId}'s VPN gateway ${onVpc.id} is detaching; provision again once it is detached`,
        });
      else if (onVpc && !ownVgws.has(onVpc.id)) reuses = true;
    } else if (attach.transitGateway !== undefined) {
      // no VGW: the VPN connections go on the user's transit gateway (docs/attach-points.md)
      errors.push(
        ...(await transitGatewayIssues(
          spec,
          aws,
          all.vpnConnections.filter((c) => taggedFor(c.tags, key)),
        )),
      );
      ownVgws.add(attach.transitGateway);
      reuses = true;
    } else {
      const named = (all.vpnGateways as AwsVpnGateway[]).find((g) => g.id === attach.vpnGateway);
      const path = 'aws.attach.vpnGateway';
      const attachedHere = named?.attachments.some((a) => a.vpcId === spec.aws.vpcId && a.state === 'attached');
      const elsewhere = named?.attachments.find((a) => a.vpcId !== spec.aws.vpcId && TIED.has(a.state));
      if (named?.state !== 'available')
        errors.push({
          path,
          message: `VPN gateway ${attach.vpnGateway} ${named ? `is ${named.state}` : `not found in ${spec.aws.region}`}`,
        });
      else if (elsewhere)
        errors.push({
          path,
          message: `VPN gateway ${named.id} is attached to ${elsewhere.vpcId}, not to ${spec.aws.vpcId}`,
        });
      else if (onVpc && onVpc.id !== named.id)
        errors.push({
          path,
          message: `${spec.aws.vpcId} already has VPN gateway ${onVpc.id} (${onVpcState}); a VPC takes one: name it, or use vpnGateway: auto`,
        });
      else if (!attachedHere && !taggedFor(named.tags, key) && named.tags[TAG_STAGE] !== key.stage)
        errors.push({
          path,
          message: `VPN gateway ${named.id} is not attached to ${spec.aws.vpcId}: attach it (aws ec2 attach-vpn-gateway --vpn-gateway-id ${named.id} --vpc-id ${spec.aws.vpcId}), then provision`,
        });
      reuses = true;
    }
    if (spec.aws.routeTableIds) {
      const elsewhere = spec.aws.routeTableIds.filter((id) => !tables.some((t) => t.id === id));
      const found = elsewhere.length > 0 ? await aws.findRouteTables(elsewhere) : [];
      spec.aws.routeTableIds.forEach((id, i) => {
        if (tables.some((t) => t.id === id)) return;
        const t = found.find((x) => x.id === id);
        errors.push({
          path: `aws.routeTableIds[${i}]`,
          message: t
            ? `route table ${id} belongs to ${t.vpcId}, not to ${spec.aws.vpcId}`
            : `route table ${id} not found in ${spec.aws.region} (a table of another region cannot be used)`,
        });
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
    // on a transit gateway, the VPC's tables get routes only when the spec asks for them (vpcRoutes)
    const tgw = tgwAttachOf(spec);
    if (tgw && !tgw.vpcRoutes) awsRouteTableIds = [];
    // the peer CIDR may not overlap any route of the tables it goes into (equal, narrower or wider), except the
    // catch-all and this connection's own routes (found by the VGW's tags)
    for (const t of tables.filter((x) => awsRouteTableIds.includes(x.id)))
      for (const r of t.routes)
        alibabaCidrsOf(spec).forEach((cidr, i) => {
          if (conflicting(r, cidr, ownVgws)) errors.push(awsRouteIssue(t, r, spec, liveVgws, i));
        });
  }
  const mine = (tags: Record<string, string>) => taggedFor(tags, key);
  const used = {
    vpnGateways: all.vpnGateways.filter((g) => !mine(g.tags)).length,
    customerGateways: all.customerGateways.filter((g) => !mine(g.tags)).length,
    vpnConnections: all.vpnConnections.filter((g) => !mine(g.tags)).length,
  };
  const need = { vpnGateways: reuses ? 0 : 1, customerGateways: 2, vpnConnections: 2 };
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
    alibabaCidrsOf(spec).forEach((cidr, i) => {
      if (!cidrContains(aliVpc.cidr, cidr))
        errors.push({
          path: cidrPath(spec, 'alibaba', i),
          message: `${cidr} is not inside ${spec.alibaba.vpcId} (${aliVpc.cidr})`,
        });
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
            message: `vSwitch ${id} not found in ${spec.alibaba.vpcId} (${spec.alibaba.region})`,
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
    for (const v of vsws)
      awsCidrsOf(spec).forEach((cidr, i) => {
        if (cidrsOverlap(v.cidr, cidr))
          errors.push({
            path: cidrPath(spec, 'aws', i),
            message: `${cidr} overlaps Alibaba vSwitch ${v.id} (${v.cidr})`,
          });
      });
    if (spec.alibaba.routeTableId) {
      if (!rtbs.some((t) => t.id === spec.alibaba.routeTableId))
        errors.push({
          path: 'alibaba.routeTableId',
          message: `route table ${spec.alibaba.routeTableId} not found in ${spec.alibaba.vpcId} (${spec.alibaba.region})`,
        });
      alibabaRouteTableId = spec.alibaba.routeTableId;
    } else {
      const system = rtbs.find((t) => t.type === 'System')?.id ?? aliVpc.systemRouteTableId;
      if (!system)
        errors.push({ path: 'alibaba.routeTableId', message: `${spec.alibaba.vpcId} has no system route table` });
      else alibabaRouteTableId = system;
    }
    if (alibabaRouteTableId && rtbs.some((t) => t.id === alibabaRouteTableId)) {
      // the AWS CIDR may not overlap a route of that table (vSwitch routes are checked above), except the
      // catch-all and this connection's own gateway (found by its name)
      const [entries, gw] = await Promise.all([
        alibaba.listRouteEntries(alibabaRouteTableId),
        alibaba.findVpnGateway(spec.alibaba.vpcId, resourceName(key, 'alibaba-gateway')),
      ]);
      const own = new Set(gw ? [gw.id] : []);
      for (const e of entries) {
        if (e.nextHopType === 'local') continue;
        for (const cidr of awsCidrsOf(spec)) {
          if (!conflicting({ destination: e.destination, target: e.nextHopId }, cidr, own)) continue;
          errors.push({
            path: 'alibaba.routeTableId',
            message: `route table ${alibabaRouteTableId} already routes ${e.destination}${e.destination === cidr ? '' : `, which overlaps ${cidr},`} to ${e.nextHopType} ${e.nextHopId}; remove that route entry or pick another table`,
          });
        }
      }
    }
  }
  if (/^cn-/.test(spec.alibaba.region) && !/^cn-/.test(spec.aws.region) && !/^cn-(hongkong)/.test(spec.alibaba.region))
    warnings.push({
      path: 'alibaba.region',
      message:
        'Alibaba VPN gateways in mainland China do not support cross-border connections; consider CEN (docs/sources.md#the-article-and-the-interoperability-guides-interop)',
    });

  return {
    errors,
    warnings,
    gatewayKind,
    resolved: errors.length === 0 ? { awsRouteTableIds, alibabaVSwitchIds, alibabaRouteTableId } : undefined,
  };
}

/**
 * What an existing record forbids: moving a connection that was built (region or VPC on either cloud), and a
 * change of the Alibaba gateway kind. A record that never passed preflight has built nothing: it may change freely.
 */
export function recordConflicts(
  prior: Pick<ConnectionRecord, 'status' | 'spec' | 'resolved' | 'topology' | 'name'> | undefined,
  spec: ConnectionSpec,
  gatewayKind?: GatewayKind,
): FieldIssue[] {
  if (!prior || prior.status === 'DELETED' || !prior.resolved || !prior.spec) return [];
  const moved = (['region', 'vpcId'] as const).flatMap((k) => [
    ...(prior.spec.aws[k] !== spec.aws[k] ? [`aws.${k}`] : []),
    ...(prior.spec.alibaba[k] !== spec.alibaba[k] ? [`alibaba.${k}`] : []),
  ]);
  const issues = moved.map((path) => ({
    path,
    message: `differs from the existing connection ${spec.name}; tear it down before moving it`,
  }));
  if (gatewayKind && prior.topology && prior.topology !== gatewayKind)
    issues.push({ path: 'alibaba.region', message: `gateway kind changed from ${prior.topology} to ${gatewayKind}` });
  return issues;
}
