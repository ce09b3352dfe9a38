import { assumedUse, SimError } from '../../core/errors';
import type { AwsVpcAttachment, AwsVpnGateway } from '../../types';
import { describeByIds, type Ec2Call, listed, lookup, vanishLater } from './call';
import { bad, dryRun, incorrectState } from './errors';
import { applyFilters, parseFilters } from './filters';
import { tagSet, tagSpecifications } from './tags';
import { items, type XmlObject } from './xml';

// Virtual private gateways (docs/sources.md#aws-aws): create (not idempotent), attach/detach to a VPC, delete.

const VGW_QUOTA = 5;

export function vgwXml(v: AwsVpnGateway): XmlObject {
  return {
    vpnGatewayId: v.VpnGatewayId,
    state: v.State,
    type: v.Type,
    availabilityZone: v.AvailabilityZone,
    attachments: items(v.VpcAttachments.map((a) => ({ vpcId: a.VpcId, state: a.State }))),
    amazonSideAsn: v.AmazonSideAsn,
    tagSet: tagSet(v.Tags),
  };
}

const validAmazonAsn = (asn: number): boolean =>
  (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);

export function createVpnGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const type = p.required('Type');
  if (type !== 'ipsec.1') throw bad(`Invalid value '${type}' for Type: the only supported gateway type is ipsec.1`);
  const asn = p.int('AmazonSideAsn') ?? 64512;
  if (!validAmazonAsn(asn))
    throw bad(
      `Invalid value '${asn}' for AmazonSideAsn: must be a private ASN in 64512-65534 or 4200000000-4294967294`,
    );
  const az = p.str('AvailabilityZone');
  if (az !== undefined && !(az.startsWith(call.regionName) && /^[a-z]$/.test(az.slice(call.regionName.length))))
    throw bad(`Invalid availability zone: [${az}]`);
  const tags = tagSpecifications(p, 'vpn-gateway');
  const live = Object.values(region.vpnGateways).filter((v) => v.State !== 'deleted').length;
  if (live >= VGW_QUOTA)
    throw new SimError(
      'VpnGatewayLimitExceeded',
      `The maximum number of virtual private gateways (${VGW_QUOTA}) has been reached.`,
      400,
    );
  if (p.dryRun()) throw dryRun();

  // No ClientToken: every call creates a new gateway (docs/sources.md#aws-aws).
  const vgw: AwsVpnGateway = {
    VpnGatewayId: ctx.ids.aws('vgw'),
    State: 'pending',
    Type: 'ipsec.1',
    AvailabilityZone: az,
    AmazonSideAsn: asn,
    VpcAttachments: [],
    Tags: tags,
    CreatedAt: ctx.now(),
  };
  region.vpnGateways[vgw.VpnGatewayId] = vgw;
  ctx.after('aws.vpnGateway.create', `vgw ${vgw.VpnGatewayId} available`, () => {
    if (vgw.State === 'pending') vgw.State = 'available';
  });
  return { vpnGateway: vgwXml(vgw) };
}

export function describeVpnGateways(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('VpnGatewayId');
  const filters = parseFilters(p);
  const base =
    ids.length > 0 ? describeByIds(call, 'vpn-gateway', region.vpnGateways, ids) : listed(call, region.vpnGateways);
  const result = applyFilters(
    base,
    filters,
    {
      'amazon-side-asn': (v) => [v.AmazonSideAsn],
      'attachment.state': (v) => v.VpcAttachments.map((a) => a.State),
      'attachment.vpc-id': (v) => v.VpcAttachments.map((a) => a.VpcId),
      'availability-zone': (v) => [v.AvailabilityZone],
      state: (v) => [v.State],
      type: (v) => [v.Type],
      'vpn-gateway-id': (v) => [v.VpnGatewayId],
    },
    (v) => v.Tags,
  );
  if (p.dryRun()) throw dryRun();
  return { vpnGatewaySet: items(result.map(vgwXml)) };
}

/** attachments that still tie the gateway to a VPC */
const liveAttachments = (v: AwsVpnGateway) => v.VpcAttachments.filter((a) => a.State !== 'detached');

export function attachVpnGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const vpcId = p.required('VpcId');
  const vgwId = p.required('VpnGatewayId');
  const vgw = lookup(call, 'vpn-gateway', region.vpnGateways, vgwId);
  lookup(call, 'vpc', region.vpcs, vpcId);
  // InvalidVpnGatewayState: "The virtual private gateway is not in an available state" (EC2 error codes)
  if (vgw.State !== 'available')
    throw new SimError(
      'InvalidVpnGatewayState',
      `The VPN gateway '${vgwId}' is in state '${vgw.State}'; it must be 'available' to attach.`,
      400,
    );
  // One VGW attaches to one VPC at a time (docs/sources.md#aws-aws). A second attach of the same gateway, to the same or
  // another VPC, answers VpnGatewayAttachmentLimitExceeded (the documented per-gateway attachment limit;
  // the exact code for a repeat to the same VPC is unconfirmed).
  const current = liveAttachments(vgw)[0];
  if (current)
    throw new SimError(
      'VpnGatewayAttachmentLimitExceeded',
      `The VPN gateway '${vgwId}' is already ${current.State} to VPC '${current.VpcId}'; the maximum number of VPC attachments for this gateway (1) has been reached.`,
      400,
    );
  // A VPC takes one VGW: another gateway attaching/attached (or still detaching) answers InvalidVpcState,
  // as docs/sources.md#aws-aws lists ("VPC already has a VGW attached").
  const other = Object.values(region.vpnGateways).find((v) => liveAttachments(v).some((a) => a.VpcId === vpcId));
  if (other)
    throw new SimError(
      'InvalidVpcState',
      `The VPC '${vpcId}' already has a virtual private gateway attached (${other.VpnGatewayId}).`,
      400,
    );
  if (p.dryRun()) throw dryRun();

  vgw.VpcAttachments = vgw.VpcAttachments.filter((a) => a.State !== 'detached');
  const att: AwsVpcAttachment = { VpcId: vpcId, State: 'attaching' };
  vgw.VpcAttachments.push(att);
  ctx.after('aws.vpnGateway.attach', `vgw ${vgwId} attached to ${vpcId}`, () => {
    if (att.State === 'attaching') att.State = 'attached';
  });
  return { attachment: { vpcId, state: 'attaching' } };
}

export function detachVpnGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const vpcId = p.required('VpcId');
  const vgwId = p.required('VpnGatewayId');
  const vgw = lookup(call, 'vpn-gateway', region.vpnGateways, vgwId);
  lookup(call, 'vpc', region.vpcs, vpcId);
  // Only an attaching/attached attachment can be detached; one already detaching or detached no longer
  // counts as an attachment (the product treats this NotFound as "already detached").
  const att = vgw.VpcAttachments.find((a) => a.VpcId === vpcId && (a.State === 'attached' || a.State === 'attaching'));
  if (!att)
    throw new SimError(
      'InvalidVpnGatewayAttachment.NotFound',
      `The attachment with vpn gateway ID '${vgwId}' and vpc ID '${vpcId}' does not exist`,
      400,
    );
  // Mid-attach the gateway refuses a detach until the attachment settles (unconfirmed; AWS generally
  // refuses changes during a transition).
  if (att.State === 'attaching')
    throw assumedUse(incorrectState(`The attachment of VPN gateway '${vgwId}' to VPC '${vpcId}' is still attaching.`));
  if (p.dryRun()) throw dryRun();

  att.State = 'detaching';
  ctx.after('aws.vpnGateway.detach', `vgw ${vgwId} detached from ${vpcId}`, () => {
    if (att.State !== 'detaching') return;
    att.State = 'detached';
    // a detached gateway no longer propagates into the VPC's route tables
    for (const t of Object.values(region.routeTables)) {
      if (t.VpcId === vpcId) t.PropagatingVgws = t.PropagatingVgws.filter((g) => g !== vgwId);
    }
    // the detached record stays listed for a while, then leaves the list
    ctx.after('aws.deletedVisibility', `vgw ${vgwId} attachment record removed`, () => {
      vgw.VpcAttachments = vgw.VpcAttachments.filter((a) => a !== att);
    });
  });
  return { return: true };
}

export function deleteVpnGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const vgwId = p.required('VpnGatewayId');
  const vgw = lookup(call, 'vpn-gateway', region.vpnGateways, vgwId);
  const att = liveAttachments(vgw)[0];
  if (att)
    throw incorrectState(
      `The VPN gateway '${vgwId}' is ${att.State} to VPC '${att.VpcId}'; detach it before deleting it.`,
    );
  // VPN connections on the gateway must be deleted first. DependencyViolation is the code EC2 uses for
  // "still in use" deletes (docs/sources.md#aws-aws); IncorrectState was the alternative.
  const users = Object.values(region.vpnConnections).filter((c) => c.VpnGatewayId === vgwId && c.State !== 'deleted');
  if (users.length > 0)
    throw new SimError(
      'DependencyViolation',
      `The vpnGateway '${vgwId}' has dependencies and cannot be deleted (VPN connections: ${users.map((c) => c.VpnConnectionId).join(', ')}).`,
      400,
    );
  if (p.dryRun()) throw dryRun();
  // a repeat while deleting changes nothing (unconfirmed; deletes are commonly idempotent until 'deleted')
  if (vgw.State === 'deleting') return { return: true };

  vgw.State = 'deleting';
  ctx.after('aws.vpnGateway.delete', `vgw ${vgwId} deleted`, () => {
    if (vgw.State !== 'deleting') return;
    vgw.State = 'deleted';
    vgw.VpcAttachments = [];
    vanishLater(call, region.vpnGateways, vgwId, vgw, `vgw ${vgwId} vanishes`);
  });
  return { return: true };
}
