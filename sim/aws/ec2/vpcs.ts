import { createHash } from 'node:crypto';
import { SimError } from '../../core/errors';
import { type Cidr, cidrsOverlap, parseCidr } from '../../core/ipv4';
import type { AwsVpc } from '../../types';
import { describeByIds, type Ec2Call, lookup } from './call';
import { bad, dryRun } from './errors';
import { applyFilters, parseFilters } from './filters';
import { paginate } from './pagination';
import { tagSet } from './tags';
import { items, type XmlObject } from './xml';

// DescribeVpcs over the seeded VPCs (the simulator has no EC2 CreateVpc), and secondary CIDRs (AssociateVpcCidrBlock).

/** a stable association id per VPC CIDR (the world does not store one) */
function cidrAssociationId(vpcId: string, cidr: string): string {
  return `vpc-cidr-assoc-0${createHash('sha256').update(`${vpcId}|${cidr}`).digest('hex').slice(0, 16)}`;
}

function vpcXml(v: AwsVpc, ownerId: string): XmlObject {
  return {
    vpcId: v.VpcId,
    ownerId,
    state: v.State,
    cidrBlock: v.CidrBlock,
    dhcpOptionsId: 'default',
    instanceTenancy: 'default',
    isDefault: v.IsDefault,
    cidrBlockAssociationSet: items(
      v.CidrBlocks.map((c) => ({
        associationId: cidrAssociationId(v.VpcId, c),
        cidrBlock: c,
        cidrBlockState: { state: 'associated' },
      })),
    ),
    tagSet: tagSet(v.Tags),
  };
}

export function describeVpcs(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('VpcId');
  const filters = parseFilters(p);
  const base = ids.length > 0 ? describeByIds(call, 'vpc', region.vpcs, ids) : Object.values(region.vpcs);
  const ownerId = call.ctx.state.aws.accountId;
  const matched = applyFilters(
    base,
    filters,
    {
      cidr: (v) => [v.CidrBlock],
      'cidr-block-association.cidr-block': (v) => v.CidrBlocks,
      'cidr-block-association.association-id': (v) => v.CidrBlocks.map((c) => cidrAssociationId(v.VpcId, c)),
      'cidr-block-association.state': () => ['associated'],
      'dhcp-options-id': () => ['default'],
      'is-default': (v) => [v.IsDefault],
      'owner-id': () => [ownerId],
      state: (v) => [v.State],
      'vpc-id': (v) => [v.VpcId],
    },
    (v) => v.Tags,
  );
  const { page, nextToken } = paginate(matched, p, call.action);
  if (p.dryRun()) throw dryRun();
  return { vpcSet: items(page.map((v) => vpcXml(v, ownerId))), nextToken };
}

/** IPv4 CIDR blocks per VPC (the Amazon VPC quotas page: 5) */
const CIDRS_PER_VPC = 5;

/**
 * AssociateVpcCidrBlock (the EC2 API reference), IPv4 only: a secondary CIDR, /16 to /28, overlapping none of the VPC's
 * CIDRs; every route table of the VPC gets its local route. Associated at once (the real call answers `associating`
 * and associates within seconds; the simulator skips that step).
 */
export function associateVpcCidrBlock(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const vpc = lookup(call, 'vpc', region.vpcs, p.required('VpcId'));
  if (p.str('Ipv6CidrBlock') !== undefined || p.bool('AmazonProvidedIpv6CidrBlock') === true)
    throw bad('Only IPv4 CIDR blocks (CidrBlock) are supported by the simulator');
  const text = p.required('CidrBlock');
  const cidr = parseCidr(text);
  if (!cidr || cidr.prefix < 16 || cidr.prefix > 28)
    throw bad(`Value (${text}) for parameter cidrBlock is invalid. The block must be a /16 to /28 CIDR block.`);
  const clash = vpc.CidrBlocks.find((c) => cidrsOverlap(parseCidr(c) as Cidr, cidr));
  if (clash)
    throw new SimError(
      'InvalidVpc.Range',
      `The CIDR '${text}' conflicts with another subnet: it overlaps ${clash}, a CIDR of ${vpc.VpcId}.`,
      400,
    );
  if (vpc.CidrBlocks.length >= CIDRS_PER_VPC)
    throw new SimError(
      'CidrLimitExceeded',
      `The VPC ${vpc.VpcId} has the maximum of ${CIDRS_PER_VPC} CIDR blocks.`,
      400,
    );
  if (p.dryRun()) throw dryRun();
  vpc.CidrBlocks.push(cidr.text);
  for (const t of Object.values(region.routeTables))
    if (t.VpcId === vpc.VpcId)
      t.Routes.push({
        DestinationCidrBlock: cidr.text,
        GatewayId: 'local',
        State: 'active',
        Origin: 'CreateRouteTable',
      });
  return {
    cidrBlockAssociation: {
      associationId: cidrAssociationId(vpc.VpcId, cidr.text),
      cidrBlock: cidr.text,
      cidrBlockState: { state: 'associating' },
    },
    vpcId: vpc.VpcId,
  };
}
