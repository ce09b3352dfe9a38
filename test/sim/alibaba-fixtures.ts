import type VpcClient from '@alicloud/vpc20160428';
import {
  CreateCustomerGatewayRequest,
  CreateVpnConnectionRequest,
  CreateVpnConnectionRequestTunnelOptionsSpecification,
  CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig,
  CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIpsecConfig,
  CreateVpnGatewayRequest,
} from '@alicloud/vpc20160428';
import type { LagKey, Simulator } from '../../sim';
import type { LatencyKey } from '../../sim/core/latencies';
import type { AliRegionState } from '../../sim/types';

// Shared set-up for the Alibaba VPC simulator tests: the seeded network and ready-made resources,
// all created through the real SDK.

export const DUAL = 'eu-central-1';
export const SINGLE = 'me-east-1';

export interface SeededNetwork {
  vpcId: string;
  vswitchIds: [string, string];
  systemTableId: string;
}

export function seeded(sim: Simulator, regionId: string): SeededNetwork {
  const r = sim.ctx.state.alibaba.regions[regionId] as AliRegionState;
  const vpc = Object.values(r.vpcs)[0];
  if (!vpc) throw new Error(`no seeded VPC in ${regionId}`);
  return {
    vpcId: vpc.VpcId,
    vswitchIds: [vpc.VSwitchIds[0] as string, vpc.VSwitchIds[1] as string],
    systemTableId: vpc.RouteTableId,
  };
}

/** move simulated time past a latency or a consistency lag (plus a second) */
export function advance(sim: Simulator, key: LatencyKey | LagKey): void {
  sim.advance((key in sim.ctx.lag ? sim.ctx.lag[key as LagKey] : sim.ctx.latencies[key as LatencyKey]) + 1);
}

/** an error thrown by the SDK, narrowed for assertions */
export interface AliSdkError {
  name: string;
  code: string;
  statusCode: number;
  message: string;
  data?: Record<string, unknown>;
}

export async function sdkError(p: Promise<unknown>): Promise<AliSdkError> {
  try {
    await p;
  } catch (e) {
    return e as AliSdkError;
  }
  throw new Error('expected the call to fail');
}

/** a paid (AutoPay) gateway in the region's seeded VPC, left `provisioning` unless `activate` */
export async function createGateway(
  client: VpcClient,
  sim: Simulator,
  regionId: string,
  opts: { activate?: boolean; clientToken?: string; name?: string } = {},
): Promise<string> {
  const net = seeded(sim, regionId);
  const dual = regionId === DUAL;
  const r = await client.createVpnGateway(
    new CreateVpnGatewayRequest({
      regionId,
      vpcId: net.vpcId,
      bandwidth: 10,
      instanceChargeType: 'POSTPAY',
      autoPay: true,
      ...(dual ? { vSwitchId: net.vswitchIds[0], disasterRecoveryVSwitchId: net.vswitchIds[1] } : {}),
      ...(opts.clientToken ? { clientToken: opts.clientToken } : {}),
      ...(opts.name ? { name: opts.name } : {}),
    }),
  );
  const id = r.body?.vpnGatewayId;
  if (!id) throw new Error('no VpnGatewayId');
  if (opts.activate !== false) advance(sim, 'alibaba.vpnGateway.create');
  return id;
}

export async function createCgw(client: VpcClient, regionId: string, ipAddress: string): Promise<string> {
  const r = await client.createCustomerGateway(new CreateCustomerGatewayRequest({ regionId, ipAddress }));
  const id = r.body?.customerGatewayId;
  if (!id) throw new Error('no CustomerGatewayId');
  return id;
}

export function tunnelSpec(
  role: 'master' | 'slave',
  customerGatewayId: string,
  ike: Partial<CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig> = {},
  ipsec: Partial<CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIpsecConfig> = {},
): CreateVpnConnectionRequestTunnelOptionsSpecification {
  return new CreateVpnConnectionRequestTunnelOptionsSpecification({
    role,
    customerGatewayId,
    tunnelIkeConfig: new CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig(ike),
    tunnelIpsecConfig: new CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIpsecConfig(ipsec),
  });
}

/** a dual-tunnel connection on an active gateway; the gateway is `updating` afterwards unless `settle` */
export async function createDualConnection(
  client: VpcClient,
  sim: Simulator,
  vpnGatewayId: string,
  cgws: [string, string],
  opts: { settle?: boolean; ike?: Partial<CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig> } = {},
): Promise<string> {
  const r = await client.createVpnConnection(
    new CreateVpnConnectionRequest({
      regionId: DUAL,
      vpnGatewayId,
      localSubnet: '0.0.0.0/0',
      remoteSubnet: '0.0.0.0/0',
      tunnelOptionsSpecification: [tunnelSpec('master', cgws[0], opts.ike), tunnelSpec('slave', cgws[1], opts.ike)],
    }),
  );
  const id = r.body?.vpnConnectionId;
  if (!id) throw new Error('no VpnConnectionId');
  if (opts.settle !== false) advance(sim, 'alibaba.vpnGateway.update');
  return id;
}
