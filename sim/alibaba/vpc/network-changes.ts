import { assumedUse, SimError } from '../../core/errors';
import { type Cidr, cidrContains, cidrsOverlap, parseCidr } from '../../core/ipv4';
import type { AliRegionState, AliVpc, AliVSwitch } from '../../types';
import { type Call, type Handler, isoSeconds } from './common';
import { notFound } from './errors';
import { checkText } from './params';

// Adding and removing networks (the VPC API reference: CreateVpc, CreateVSwitch, DeleteVSwitch, DeleteVpc), so a user
// or a test can build a second Alibaba VPC through the real SDK. Every call is asynchronous on the real API: a new VPC
// or vSwitch is Pending until created; a deleted vSwitch is Pending and a deleted VPC Deleting until gone. A VPC comes
// with its vRouter and system route table; a vSwitch with the system route entry for its CIDR. Sources and what is
// assumed: docs/simulator-fidelity.md ("Networks and transit gateways").

/** VPCs per region (the VPC quota page: 10 by default) */
const VPC_QUOTA = 10;
/** vSwitches per VPC (the quota page: 150) */
const VSWITCH_QUOTA = 150;
/** what CreateVpc uses without CidrBlock (its reference: 172.16.0.0/12) */
const DEFAULT_VPC_CIDR = '172.16.0.0/12';
/** blocks a VPC may not use (the CreateVpc reference: 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8, 169.254.0.0/16) */
const RESERVED = ['100.64.0.0/10', '224.0.0.0/4', '127.0.0.0/8', '169.254.0.0/16', '0.0.0.0/8'].map(
  (c) => parseCidr(c) as Cidr,
);

const invalidCidr = (name: string, value: string, why: string) =>
  new SimError('InvalidParameter', `Specified CIDR block is not valid: ${name} "${value}" (${why}).`, 400);

export function findVpc(r: AliRegionState, id: string, param = 'VpcId'): AliVpc {
  const v = r.vpcs[id];
  if (!v) throw notFound('InvalidVpcId.NotFound', `VPC (${param})`, id);
  return v;
}

function findVSwitch(r: AliRegionState, id: string): AliVSwitch {
  const v = r.vswitches[id];
  if (!v) throw notFound('InvalidVSwitchId.NotFound', 'vSwitch (VSwitchId)', id);
  return v;
}

/** VpcName / VSwitchName: 1-128 characters starting with a letter (or empty) */
function checkName(call: Call, key: string, code: string): string {
  const name = checkText(call.p, key, code, 1, 128) ?? '';
  if (name && !/^[A-Za-z\u4e00-\u9fa5]/.test(name))
    throw new SimError(code, `The specified ${key} "${name}" is invalid: it must start with a letter.`, 400);
  return name;
}

export const createVpc: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const cidrText = p.str('CidrBlock') ?? DEFAULT_VPC_CIDR;
  const cidr = parseCidr(cidrText);
  if (!cidr) throw invalidCidr('CidrBlock', cidrText, 'not an aligned IPv4 CIDR block');
  if (cidr.prefix < 8 || cidr.prefix > 28) throw invalidCidr('CidrBlock', cidrText, 'the mask must be /8 to /28');
  if (RESERVED.some((x) => cidrsOverlap(x, cidr)))
    throw invalidCidr('CidrBlock', cidrText, 'it overlaps a reserved block (100.64.0.0/10, 224.0.0.0/4, ...)');
  const name = checkName(call, 'VpcName', 'InvalidVpcName.Malformed');
  checkText(p, 'Description', 'InvalidVpcDiscription.Malformed', 1, 256);
  call.checkDryRun();
  return call.idempotent(() => {
    if (Object.keys(r.vpcs).length >= VPC_QUOTA)
      throw new SimError('QuotaExceeded.Vpc', `VPC quota exceeded (${VPC_QUOTA} in ${call.req.region}).`, 400);
    const now = call.now();
    const vpcId = call.ctx.ids.ali('vpc');
    const routerId = call.ctx.ids.ali('vrt');
    const tableId = call.ctx.ids.ali('vtb');
    const iso = isoSeconds(now);
    const vpc: AliVpc = {
      VpcId: vpcId,
      VpcName: name,
      CidrBlock: cidr.text,
      Status: 'Pending',
      RouterId: routerId,
      RouteTableId: tableId,
      VSwitchIds: [],
      CreationTime: iso,
    };
    r.vpcs[vpcId] = vpc;
    r.routeTables[tableId] = {
      RouteTableId: tableId,
      RouteTableType: 'System',
      RouteTableName: '',
      RouterId: routerId,
      RouterType: 'VRouter',
      VpcId: vpcId,
      Status: 'Available',
      VSwitchIds: [],
      CreationTime: iso,
    };
    call.ctx.after('alibaba.vpc.create', `vpc ${vpcId} available`, () => {
      if (vpc.Status === 'Pending') vpc.Status = 'Available';
    });
    return { VpcId: vpcId, VRouterId: routerId, RouteTableId: tableId, ResourceGroupId: 'rg-acfmdefault00000' };
  });
};

export const createVSwitch: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const vpc = findVpc(r, p.required('VpcId'));
  const zoneId = p.required('ZoneId');
  if (!r.zones.some((z) => z.ZoneId === zoneId)) throw notFound('InvalidZoneId.NotFound', 'zone (ZoneId)', zoneId);
  const cidrText = p.required('CidrBlock');
  const cidr = parseCidr(cidrText);
  if (!cidr) throw invalidCidr('CidrBlock', cidrText, 'not an aligned IPv4 CIDR block');
  const vpcCidr = parseCidr(vpc.CidrBlock) as Cidr;
  if (!cidrContains(vpcCidr, cidr) || cidr.prefix < 16 || cidr.prefix > 29)
    throw new SimError(
      'InvalidParameter',
      `Specified CIDR block is not valid in VPC: "${cidrText}" must be a /16 to /29 block inside ${vpc.CidrBlock}.`,
      400,
    );
  const siblings = vpc.VSwitchIds.map((id) => r.vswitches[id]).filter((v): v is AliVSwitch => v !== undefined);
  const overlapping = siblings.find((v) => cidrsOverlap(parseCidr(v.CidrBlock) as Cidr, cidr));
  if (overlapping)
    throw new SimError(
      'InvalidCidrBlock.Overlapped',
      `The specified CidrBlock "${cidrText}" overlaps vSwitch ${overlapping.VSwitchId} (${overlapping.CidrBlock}).`,
      400,
    );
  const name = checkName(call, 'VSwitchName', 'InvalidVSwitchName.Malformed');
  checkText(p, 'Description', 'InvalidDescription.Malformed', 1, 256);
  call.checkDryRun();
  return call.idempotent(() => {
    // a VPC being created (or deleted) takes no vSwitch yet (the CreateVSwitch reference: IncorrectVpcStatus)
    if (vpc.Status !== 'Available')
      throw assumedUse(new SimError('IncorrectVpcStatus', `The status of VPC ${vpc.VpcId} is ${vpc.Status}.`, 400));
    if (siblings.length >= VSWITCH_QUOTA)
      throw new SimError('QuotaExceeded.VSwitch', `Virtual switch quota exceeded (${VSWITCH_QUOTA} per VPC).`, 400);
    const id = call.ctx.ids.ali('vsw');
    const vsw: AliVSwitch = {
      VSwitchId: id,
      VpcId: vpc.VpcId,
      ZoneId: zoneId,
      CidrBlock: cidr.text,
      VSwitchName: name,
      Status: 'Pending',
      RouteTableId: vpc.RouteTableId,
      CreatedAt: call.now(),
    };
    r.vswitches[id] = vsw;
    vpc.VSwitchIds.push(id);
    const table = r.routeTables[vpc.RouteTableId];
    if (table) table.VSwitchIds.push(id);
    const rte = call.ctx.ids.ali('rte');
    r.routeEntries[rte] = {
      RouteEntryId: rte,
      RouteTableId: vpc.RouteTableId,
      DestinationCidrBlock: cidr.text,
      Type: 'System',
      Status: 'Available',
      NextHopType: 'local',
      NextHopId: '',
    };
    call.ctx.after('alibaba.vSwitch.create', `vsw ${id} available`, () => {
      if (vsw.Status === 'Pending' && !vsw.Deleting) vsw.Status = 'Available';
    });
    return { VSwitchId: id };
  });
};

/** VPN gateways that sit in a vSwitch (its VSwitchId or DisasterRecoveryVSwitchId) */
function gatewaysIn(r: AliRegionState, vswId: string): string[] {
  return Object.values(r.vpnGateways)
    .filter((g) => g.VSwitchId === vswId || g.DisasterRecoveryVSwitchId === vswId)
    .map((g) => g.VpnGatewayId);
}

export const deleteVSwitch: Handler = (call) => {
  const r = call.region();
  const vsw = findVSwitch(r, call.p.required('VSwitchId'));
  if (vsw.Status !== 'Available' || vsw.Deleting)
    throw new SimError(
      'IncorrectVSwitchStatus',
      `The status of vSwitch ${vsw.VSwitchId} is ${vsw.Deleting ? 'Pending (being deleted)' : vsw.Status}.`,
      400,
    );
  const users = gatewaysIn(r, vsw.VSwitchId);
  if (users.length > 0)
    throw new SimError(
      'DependencyViolation',
      `Specified object has dependent resources: VPN gateways ${users.join(', ')} in vSwitch ${vsw.VSwitchId}.`,
      400,
    );
  call.checkDryRun();
  vsw.Status = 'Pending';
  vsw.Deleting = true;
  const id = vsw.VSwitchId;
  call.ctx.after('alibaba.vSwitch.delete', `vsw ${id} deleted`, () => {
    if (r.vswitches[id] !== vsw) return;
    delete r.vswitches[id];
    const vpc = r.vpcs[vsw.VpcId];
    if (vpc) vpc.VSwitchIds = vpc.VSwitchIds.filter((x) => x !== id);
    const table = r.routeTables[vsw.RouteTableId];
    if (table) table.VSwitchIds = table.VSwitchIds.filter((x) => x !== id);
    for (const [k, e] of Object.entries(r.routeEntries))
      if (e.RouteTableId === vsw.RouteTableId && e.Type === 'System' && e.DestinationCidrBlock === vsw.CidrBlock)
        delete r.routeEntries[k];
  });
  return {};
};

export const deleteVpc: Handler = (call) => {
  const r = call.region();
  const vpc = findVpc(r, call.p.required('VpcId'));
  if (vpc.Status !== 'Available')
    throw new SimError('IncorrectVpcStatus', `The status of VPC ${vpc.VpcId} is ${vpc.Status}.`, 400);
  if (vpc.VSwitchIds.length > 0)
    throw new SimError(
      'DependencyViolation.VSwitch',
      `Specified object has dependent resources: vSwitches ${vpc.VSwitchIds.join(', ')}.`,
      400,
    );
  const gateways = Object.values(r.vpnGateways).filter((g) => g.VpcId === vpc.VpcId);
  if (gateways.length > 0)
    throw new SimError(
      'DependencyViolation.Instance',
      `Specified object has dependent resources: VPN gateways ${gateways.map((g) => g.VpnGatewayId).join(', ')}.`,
      400,
    );
  const tables = Object.values(r.routeTables).filter((t) => t.VpcId === vpc.VpcId);
  if (tables.some((t) => t.RouteTableType === 'Custom'))
    throw new SimError('DependencyViolation.RouteTable', 'VPC cannot be deleted when custom route table exists.', 400);
  const custom = Object.values(r.routeEntries).filter(
    (e) => e.Type === 'Custom' && tables.some((t) => t.RouteTableId === e.RouteTableId),
  );
  if (custom.length > 0)
    throw new SimError(
      'DependencyViolation.RouteEntry',
      `Specified object has dependent resources: route entries ${custom.map((e) => e.DestinationCidrBlock).join(', ')}.`,
      400,
    );
  call.checkDryRun();
  vpc.Status = 'Deleting';
  const id = vpc.VpcId;
  call.ctx.after('alibaba.vpc.delete', `vpc ${id} deleted`, () => {
    if (r.vpcs[id] !== vpc) return;
    delete r.vpcs[id];
    for (const t of tables) {
      delete r.routeTables[t.RouteTableId];
      for (const [k, e] of Object.entries(r.routeEntries))
        if (e.RouteTableId === t.RouteTableId) delete r.routeEntries[k];
    }
  });
  return {};
};
