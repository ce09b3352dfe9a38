import {
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
} from '@aws-sdk/client-ec2';
import type { Simulator } from '../../sim';
import { TAG_CONNECTION, TAG_ROLE } from '../../src/plan/naming';
import { clientsFor } from './sim';

// A user's transit gateway for the tests of the transit gateway attach point, made through the SDK as a user would:
// the gateway (no default association or propagation: the spec names the table), a route table, the VPC attached.

export interface UserTgw {
  transitGatewayId: string;
  routeTableId: string;
  vpcAttachmentId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** polls until `ok` (a describe right after a create may not find it yet: that is a "not yet") */
export async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await ok().catch(() => false)) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function userTransitGateway(sim: Simulator, vpcId: string, region = 'us-east-1'): Promise<UserTgw> {
  const ec2 = clientsFor(sim).ec2(region);
  try {
    const g = await ec2.send(
      new CreateTransitGatewayCommand({
        Description: 'hub',
        Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
      }),
    );
    const transitGatewayId = g.TransitGateway?.TransitGatewayId ?? '';
    await until('the transit gateway', async () => {
      const r = await ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [transitGatewayId] }));
      return r.TransitGateways?.[0]?.State === 'available';
    });
    const t = await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: transitGatewayId }));
    const routeTableId = t.TransitGatewayRouteTable?.TransitGatewayRouteTableId ?? '';
    await until('the route table', async () => {
      const r = await ec2.send(
        new DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [routeTableId] }),
      );
      return r.TransitGatewayRouteTables?.[0]?.State === 'available';
    });
    const a = await ec2.send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: transitGatewayId,
        VpcId: vpcId,
        SubnetIds: ['subnet-0123456789abcdef0'],
      }),
    );
    const vpcAttachmentId = a.TransitGatewayVpcAttachment?.TransitGatewayAttachmentId ?? '';
    await until('the VPC attachment', async () => {
      const r = await ec2.send(
        new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [vpcAttachmentId] }),
      );
      return r.TransitGatewayAttachments?.[0]?.State === 'available';
    });
    return { transitGatewayId, routeTableId, vpcAttachmentId };
  } finally {
    ec2.destroy();
  }
}

/**
 * The VPN connection (by its vpn-bridge role) whose attachment the gateway's table routes `cidr` to now ('-' for none
 * or not connection `name`'s), and whether its used tunnel (tunnel 1: the dual-tunnel topology) is UP on both clouds.
 */
export function routedTunnel(sim: Simulator, name: string, tgw: UserTgw, cidr: string): { role: string; up: boolean } {
  const r = sim.ctx.state.aws.regions['us-east-1'];
  const route = r?.tgwRouteTables[tgw.routeTableId]?.Routes.find((x) => x.DestinationCidrBlock === cidr);
  const att = route?.Blackhole ? undefined : r?.tgwAttachments[route?.TransitGatewayAttachmentId ?? ''];
  const conn = r?.vpnConnections[att?.ResourceId ?? ''];
  if (!att || !conn?.Tags?.some((t) => t.Key === TAG_CONNECTION && t.Value === name)) return { role: '-', up: false };
  const role = conn.Tags.find((t) => t.Key === TAG_ROLE)?.Value ?? '?';
  const ip = conn.TunnelOptions[0]?.OutsideIpAddress;
  const ali = Object.values(sim.ctx.state.alibaba.regions).flatMap((x) =>
    Object.values(x.vpnConnections).flatMap((v) =>
      v.Tunnels.filter((t) => x.customerGateways[t.CustomerGatewayId]?.IpAddress === ip),
    ),
  )[0];
  return {
    role,
    up: att.State === 'available' && conn.VgwTelemetry[0]?.Status === 'UP' && ali?.Status === 'ipsec_sa_established',
  };
}
