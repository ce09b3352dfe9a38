import { CreateVpcRequest, CreateVSwitchRequest, DescribeVpcsRequest } from '@alicloud/vpc20160428';
import { DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { operatorDeps } from '../../local/operator';
import { runDriftCheck } from '../../src/workflow/drift';
import { clientsFor } from '../helpers/sim';
import { until } from '../helpers/transit-gateway';
import { type DriftWorld, execute } from './drift-world';

// What the hub tests (two connections from one AWS VPC, on a shared VGW or through a transit gateway) share: the
// second Alibaba VPC made through CreateVpc, a teardown that must succeed, a drift check of one connection, and the
// VPC routes toward a VPN or transit gateway.

export const SECOND_CIDR = '10.50.0.0/16';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** a VPC with another CIDR and a vSwitch per zone, in me-east-1, through CreateVpc / CreateVSwitch */
export async function secondAlibabaVpc(w: DriftWorld): Promise<string> {
  const ali = clientsFor(w.sim).alibaba('me-east-1');
  const made = await ali.createVpc(
    new CreateVpcRequest({ regionId: 'me-east-1', cidrBlock: SECOND_CIDR, vpcName: 'second' }),
  );
  const vpcId = made.body?.vpcId ?? '';
  await until('the me-east-1 VPC', async () => {
    const r = await ali.describeVpcs(new DescribeVpcsRequest({ regionId: 'me-east-1', vpcId }));
    return r.body?.vpcs?.vpc?.[0]?.status === 'Available';
  });
  for (const [zoneId, cidrBlock] of [
    ['me-east-1a', '10.50.1.0/24'],
    ['me-east-1b', '10.50.2.0/24'],
  ])
    await ali.createVSwitch(new CreateVSwitchRequest({ regionId: 'me-east-1', vpcId, zoneId, cidrBlock }));
  await sleep(200);
  return vpcId;
}

/** the VPC's routes toward a VGW or a transit gateway, as `destination -> gateway` */
export async function gatewayRoutes(w: DriftWorld, vpcId: string): Promise<string[]> {
  const r = await clientsFor(w.sim)
    .ec2()
    .send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  return (r.RouteTables ?? [])
    .flatMap((t) => t.Routes ?? [])
    .filter((x) => x.TransitGatewayId || x.GatewayId?.startsWith('vgw-'))
    .map((x) => `${x.DestinationCidrBlock} -> ${x.TransitGatewayId ?? x.GatewayId}`)
    .sort();
}

/** a teardown that must succeed */
export async function teardown(w: DriftWorld, name: string): Promise<void> {
  const { execution } = await execute(w, 'teardown', { name });
  if (execution.status !== 'SUCCEEDED')
    throw new Error(`teardown ${name} ${execution.status}: ${execution.error}: ${execution.cause}`);
}

/** a drift check of one connection: clean means its resources, routes and every used tunnel UP */
export async function driftOf(name: string): Promise<{ status: string; rows: string[] }> {
  const out = await runDriftCheck(operatorDeps(), { names: [name] });
  const r = out.results.find((x) => x.name === name);
  return {
    status: r?.status ?? 'absent',
    rows: (r?.rows ?? []).map((x) => `${x.kind} ${x.resource} ${x.attribute}: ${x.actual}`),
  };
}
