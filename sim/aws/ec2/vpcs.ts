import { createHash } from 'node:crypto';
import type { AwsVpc } from '../../types';
import { describeByIds, type Ec2Call } from './call';
import { dryRun } from './errors';
import { applyFilters, parseFilters } from './filters';
import { paginate } from './pagination';
import { tagSet } from './tags';
import { items, type XmlObject } from './xml';

// DescribeVpcs over the seeded VPCs (the simulator has no CreateVpc).

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
