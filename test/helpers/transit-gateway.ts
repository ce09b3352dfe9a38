import {
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
} from '@aws-sdk/client-ec2';
import type { Simulator } from '../../sim';
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
