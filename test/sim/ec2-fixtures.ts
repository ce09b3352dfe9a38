import {
  AttachVpnGatewayCommand,
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  type CreateVpnConnectionCommandInput,
  CreateVpnGatewayCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  type Tag,
  type VpnConnection,
} from '@aws-sdk/client-ec2';
import type { LagKey, LatencyKey } from '../../sim';
import type { SimClients } from '../helpers/sim';

// Shared steps for the EC2 simulator tests: real SDK calls, simulated time moved with sim.advance().

export interface Ec2Failure {
  name: string;
  status: number | undefined;
  message: string;
}

/** the error an SDK call fails with (fails the test if the call succeeds) */
export async function failure(call: Promise<unknown>): Promise<Ec2Failure> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
    return { name: e.name, status: meta?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** move simulated time past a latency or a consistency lag (plus a second) */
export function wait(s: SimClients, key: LatencyKey | LagKey): void {
  const ctx = s.sim.ctx;
  s.sim.advance((key in ctx.lag ? ctx.lag[key as LagKey] : ctx.latencies[key as LatencyKey]) + 1);
}

export async function seededVpcId(s: SimClients): Promise<string> {
  const out = await s.ec2().send(new DescribeVpcsCommand({}));
  const id = out.Vpcs?.[0]?.VpcId;
  if (!id) throw new Error('the seeded world has no VPC');
  return id;
}

export async function mainRouteTableId(s: SimClients): Promise<string> {
  const out = await s
    .ec2()
    .send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] }));
  const id = out.RouteTables?.[0]?.RouteTableId;
  if (!id) throw new Error('the seeded world has no main route table');
  return id;
}

export async function availableVgw(s: SimClients, tags: Tag[] = []): Promise<string> {
  const out = await s.ec2().send(
    new CreateVpnGatewayCommand({
      Type: 'ipsec.1',
      TagSpecifications: tags.length > 0 ? [{ ResourceType: 'vpn-gateway', Tags: tags }] : undefined,
    }),
  );
  wait(s, 'aws.vpnGateway.create');
  return out.VpnGateway?.VpnGatewayId as string;
}

export async function attachedVgw(s: SimClients, vpcId: string): Promise<string> {
  const vgwId = await availableVgw(s);
  await s.ec2().send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: vgwId }));
  wait(s, 'aws.vpnGateway.attach');
  return vgwId;
}

export async function availableCgw(s: SimClients, ip = '47.254.72.128', deviceName?: string): Promise<string> {
  const out = await s
    .ec2()
    .send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: ip, BgpAsn: 65000, DeviceName: deviceName }));
  wait(s, 'aws.customerGateway.create');
  return out.CustomerGateway?.CustomerGatewayId as string;
}

export async function createVpn(
  s: SimClients,
  input: Omit<CreateVpnConnectionCommandInput, 'Type'> & { Type?: string },
): Promise<VpnConnection> {
  const out = await s.ec2().send(new CreateVpnConnectionCommand({ Type: 'ipsec.1', ...input }));
  if (!out.VpnConnection) throw new Error('CreateVpnConnection returned no VpnConnection');
  return out.VpnConnection;
}

/** a static-route VPN connection in state available, with a fresh VGW and CGW */
export async function availableVpn(
  s: SimClients,
  input: Partial<CreateVpnConnectionCommandInput> = {},
): Promise<VpnConnection & { VpnConnectionId: string }> {
  const vgwId = input.VpnGatewayId ?? (await availableVgw(s));
  const cgwId = input.CustomerGatewayId ?? (await availableCgw(s));
  const vpn = await createVpn(s, {
    VpnGatewayId: vgwId,
    CustomerGatewayId: cgwId,
    Options: { StaticRoutesOnly: true },
    ...input,
  });
  wait(s, 'aws.vpnConnection.create');
  return vpn as VpnConnection & { VpnConnectionId: string };
}
