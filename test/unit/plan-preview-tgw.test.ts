import { PROVIDER_LATENCIES } from '../../src/plan/latencies';
import { previewPlan } from '../../src/plan/preview';
import { parseSpec } from '../../src/spec';

// The plan of a connection through a transit gateway: the user's gateway is adopted (never created), no VGW, a
// transit gateway route per Alibaba CIDR, VPC routes toward the gateway.

function tgwSpec() {
  const parsed = parseSpec({
    name: 'hub-tgw',
    aws: {
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
      cidr: '10.0.0.0/16',
      attach: { transitGateway: 'tgw-0123456789abcdef0', routeTableId: 'tgw-rtb-0123456789abcdef0', vpcRoutes: true },
    },
    alibaba: {
      region: 'eu-central-1',
      vpcId: 'vpc-gw8abcdefgh12345678',
      cidrs: ['192.168.0.0/17', '192.168.128.0/17'],
    },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

describe('previewPlan through a transit gateway', () => {
  it('adopts the transit gateway, plans a route per Alibaba CIDR in its table and no VGW', () => {
    // Act
    const p = previewPlan({
      spec: tgwSpec(),
      errors: [],
      warnings: [],
      expectedKind: 'dual-tunnel',
      resolved: { awsRouteTableIds: ['rtb-0123456789abcdef0'], alibabaRouteTableId: 'vtb-gw8abcdefgh12345678' },
      observed: {
        awsCustomerGateways: {},
        awsVpnConnections: {},
        awsRoutesPresent: [],
        alibabaCustomerGateways: {},
        alibabaConnections: {},
        alibabaVpnRoutePresent: false,
        alibabaVpcRoutePresent: false,
      },
      latencies: PROVIDER_LATENCIES,
    });

    // Assert
    const aws = p.aws.map((x) => [x.action, x.kind, x.id, x.detail].filter(Boolean).join(' '));
    expect(aws.filter((x) => x.includes('VGW'))).toEqual([]);
    expect(aws).toContain('adopt transit gateway (yours) tgw-0123456789abcdef0 tgw-rtb-0123456789abcdef0');
    expect(aws.filter((x) => x.startsWith('create transit gateway route'))).toEqual([
      "create transit gateway route 192.168.0.0/17 -> vpn-1's attachment in tgw-rtb-0123456789abcdef0",
      "create transit gateway route 192.168.128.0/17 -> vpn-1's attachment in tgw-rtb-0123456789abcdef0",
    ]);
    expect(aws.filter((x) => x.includes('VPC route'))).toEqual([
      'create VPC route 192.168.0.0/17, 192.168.128.0/17 -> tgw-0123456789abcdef0 in rtb-0123456789abcdef0',
    ]);
  });
});
