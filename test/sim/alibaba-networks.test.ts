import {
  CreateVpcRequest,
  CreateVSwitchRequest,
  DeleteVpcRequest,
  DeleteVSwitchRequest,
  DescribeRouteEntryListRequest,
  DescribeVpcsRequest,
  DescribeVSwitchesRequest,
} from '@alicloud/vpc20160428';
import { useSimulator } from '../helpers/sim';

// Adding a VPC and vSwitches to an Alibaba region through the real SDK (CreateVpc, CreateVSwitch), and removing them
// (DeleteVSwitch, DeleteVpc): statuses, the system route table and entries they come with, and what each refuses.

const sim = useSimulator({ timeScale: 1 });
beforeEach(() => sim().sim.reset());

const REGION = 'me-east-1';
const ali = () => sim().alibaba(REGION);
const latency = (
  k: 'alibaba.vpc.create' | 'alibaba.vSwitch.create' | 'alibaba.vSwitch.delete' | 'alibaba.vpc.delete',
) => sim().sim.ctx.latencies[k];

async function code(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return String((e as { code?: string }).code);
  }
  throw new Error('expected the call to fail');
}

async function vpcStatus(vpcId: string): Promise<string | undefined> {
  const out = await ali().describeVpcs(new DescribeVpcsRequest({ regionId: REGION, vpcId }));
  return out.body?.vpcs?.vpc?.[0]?.status;
}

describe('CreateVpc and CreateVSwitch', () => {
  it('makes a Pending VPC with its router and system route table, then vSwitches once it is Available', async () => {
    const vpc = await ali().createVpc(
      new CreateVpcRequest({ regionId: REGION, cidrBlock: '10.20.0.0/16', vpcName: 'second-vpc' }),
    );
    const vpcId = vpc.body?.vpcId as string;
    expect(vpcId).toMatch(/^vpc-/);
    expect(vpc.body?.VRouterId).toMatch(/^vrt-/);
    expect(vpc.body?.routeTableId).toMatch(/^vtb-/);
    expect(await vpcStatus(vpcId)).toBe('Pending');
    const early = await code(
      ali().createVSwitch(
        new CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'me-east-1a', cidrBlock: '10.20.1.0/24' }),
      ),
    );
    expect(early).toBe('IncorrectVpcStatus');

    sim().sim.advance(latency('alibaba.vpc.create') + 1);
    expect(await vpcStatus(vpcId)).toBe('Available');
    const vsw = await ali().createVSwitch(
      new CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'me-east-1a', cidrBlock: '10.20.1.0/24' }),
    );
    const overlap = await code(
      ali().createVSwitch(
        new CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'me-east-1b', cidrBlock: '10.20.1.128/25' }),
      ),
    );
    const outside = await code(
      ali().createVSwitch(
        new CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'me-east-1b', cidrBlock: '10.21.1.0/24' }),
      ),
    );
    sim().sim.advance(latency('alibaba.vSwitch.create') + 1);

    expect(overlap).toBe('InvalidCidrBlock.Overlapped');
    expect(outside).toBe('InvalidParameter');
    const listed = await ali().describeVSwitches(new DescribeVSwitchesRequest({ regionId: REGION, vpcId }));
    expect(listed.body?.vSwitches?.vSwitch).toEqual([
      expect.objectContaining({ vSwitchId: vsw.body?.vSwitchId, zoneId: 'me-east-1a', status: 'Available' }),
    ]);
    const entries = await ali().describeRouteEntryList(
      new DescribeRouteEntryListRequest({ regionId: REGION, routeTableId: vpc.body?.routeTableId }),
    );
    expect(entries.body?.routeEntrys?.routeEntry?.map((e) => [e.destinationCidrBlock, e.type])).toEqual([
      ['10.20.1.0/24', 'System'],
    ]);
  });

  it('refuses a CIDR block that is reserved, and answers the same VPC for a repeated ClientToken', async () => {
    const reserved = await code(
      ali().createVpc(new CreateVpcRequest({ regionId: REGION, cidrBlock: '100.64.0.0/16' })),
    );
    const first = await ali().createVpc(
      new CreateVpcRequest({ regionId: REGION, cidrBlock: '10.30.0.0/16', clientToken: 'once' }),
    );
    const again = await ali().createVpc(
      new CreateVpcRequest({ regionId: REGION, cidrBlock: '10.30.0.0/16', clientToken: 'once' }),
    );

    expect(reserved).toBe('InvalidParameter');
    expect(again.body?.vpcId).toBe(first.body?.vpcId);
  });
});

describe('DeleteVSwitch and DeleteVpc', () => {
  it('refuses to delete a VPC that still has vSwitches, then deletes the vSwitch and the VPC', async () => {
    const vpcId = (await ali().createVpc(new CreateVpcRequest({ regionId: REGION, cidrBlock: '10.40.0.0/16' }))).body
      ?.vpcId as string;
    sim().sim.advance(latency('alibaba.vpc.create') + 1);
    const vswId = (
      await ali().createVSwitch(
        new CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'me-east-1b', cidrBlock: '10.40.0.0/24' }),
      )
    ).body?.vSwitchId as string;
    sim().sim.advance(latency('alibaba.vSwitch.create') + 1);

    const busy = await code(ali().deleteVpc(new DeleteVpcRequest({ regionId: REGION, vpcId })));
    await ali().deleteVSwitch(new DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswId }));
    sim().sim.advance(latency('alibaba.vSwitch.delete') + 1);
    await ali().deleteVpc(new DeleteVpcRequest({ regionId: REGION, vpcId }));
    const deleting = await vpcStatus(vpcId);
    sim().sim.advance(latency('alibaba.vpc.delete') + 1);

    expect(busy).toBe('DependencyViolation.VSwitch');
    expect(deleting).toBe('Deleting');
    expect(await vpcStatus(vpcId)).toBeUndefined();
    expect(
      Object.values(sim().sim.ctx.state.alibaba.regions[REGION]?.routeTables ?? {}).map((t) => t.VpcId),
    ).not.toContain(vpcId);
  });
});
