import type { AliRegionState, AwsRegionState, Secret, WorldState } from '../types';
import type { IdGen } from './ids';

// The seeded default world (README.md): enough for the demo to run with no input, discoverable
// through the normal Describe APIs.
//   AWS us-east-1: the article's VPC 172.80.64.0/19 with its main route table and one private table.
//   Alibaba eu-central-1 (dual-tunnel gateways) and me-east-1 (single-tunnel gateways): each a VPC
//   192.168.0.0/16 with two vSwitches in two zones and the system route table.

export const AWS_ACCOUNT_ID = '123456789012';
export const SEEDED_AWS_REGION = 'us-east-1';
export const SEEDED_AWS_CIDR = '172.80.64.0/19';
export const SEEDED_ALIBABA_CIDR = '192.168.0.0/16';
/**
 * The seeded Alibaba regions: the tunnel mode of the gateways CreateVpnGateway makes there (Frankfurt is on the
 * dual-tunnel upgrade list; Dubai is where Terraform's acceptance tests still run single-tunnel connections), and
 * none offers Enhanced.SiteToSite gateways (the Enhanced gateway's region list names neither).
 */
export const ALIBABA_REGIONS: Record<
  string,
  { kind: 'dual-tunnel' | 'single-tunnel'; zones: [string, string]; enhancedZones: string[] }
> = {
  'eu-central-1': { kind: 'dual-tunnel', zones: ['eu-central-1a', 'eu-central-1b'], enhancedZones: [] },
  'me-east-1': { kind: 'single-tunnel', zones: ['me-east-1a', 'me-east-1b'], enhancedZones: [] },
};

export function emptyAwsRegion(): AwsRegionState {
  return {
    vpcs: {},
    routeTables: {},
    vpnGateways: {},
    customerGateways: {},
    vpnConnections: {},
    transitGateways: {},
    tgwRouteTables: {},
    tgwAttachments: {},
  };
}

export function seedWorld(ids: IdGen, now: number): WorldState {
  const iso = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  const aws = emptyAwsRegion();
  const vpcId = ids.aws('vpc');
  aws.vpcs[vpcId] = {
    VpcId: vpcId,
    CidrBlock: SEEDED_AWS_CIDR,
    CidrBlocks: [SEEDED_AWS_CIDR],
    State: 'available',
    IsDefault: false,
    Tags: [{ Key: 'Name', Value: 'article-vpc' }],
  };
  for (const main of [true, false]) {
    const id = ids.aws('rtb');
    aws.routeTables[id] = {
      RouteTableId: id,
      VpcId: vpcId,
      OwnerId: AWS_ACCOUNT_ID,
      Main: main,
      AssociationId: ids.aws('rtbassoc'),
      Routes: [
        { DestinationCidrBlock: SEEDED_AWS_CIDR, GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
      ],
      PropagatingVgws: [],
      Tags: [{ Key: 'Name', Value: main ? 'article-main' : 'article-private' }],
    };
  }

  const regions: Record<string, AliRegionState> = {};
  for (const [regionId, spec] of Object.entries(ALIBABA_REGIONS)) {
    const r: AliRegionState = {
      kind: spec.kind,
      enhancedZones: [...spec.enhancedZones],
      singleTunnelDisasterRecoveryVSwitch: 'ignored',
      zones: spec.zones.map((z, i) => ({ ZoneId: z, LocalName: `${regionId} zone ${String.fromCharCode(65 + i)}` })),
      vpcs: {},
      vswitches: {},
      routeTables: {},
      routeEntries: {},
      vpnGateways: {},
      customerGateways: {},
      vpnConnections: {},
      vpnRouteEntries: [],
    };
    const aliVpc = ids.ali('vpc');
    const vtb = ids.ali('vtb');
    const vrt = ids.ali('vrt');
    const vsws = spec.zones.map((zone, i) => {
      const id = ids.ali('vsw');
      r.vswitches[id] = {
        VSwitchId: id,
        VpcId: aliVpc,
        ZoneId: zone,
        CidrBlock: `192.168.${i + 1}.0/24`,
        VSwitchName: `article-vsw-${String.fromCharCode(97 + i)}`,
        Status: 'Available',
        RouteTableId: vtb,
      };
      return id;
    });
    r.vpcs[aliVpc] = {
      VpcId: aliVpc,
      VpcName: 'article-vpc',
      CidrBlock: SEEDED_ALIBABA_CIDR,
      Status: 'Available',
      RouterId: vrt,
      RouteTableId: vtb,
      VSwitchIds: vsws,
      CreationTime: iso,
    };
    r.routeTables[vtb] = {
      RouteTableId: vtb,
      RouteTableType: 'System',
      RouteTableName: '',
      RouterId: vrt,
      RouterType: 'VRouter',
      VpcId: aliVpc,
      Status: 'Available',
      VSwitchIds: vsws,
      CreationTime: iso,
    };
    for (const vsw of vsws) {
      const v = r.vswitches[vsw];
      if (!v) continue;
      const rte = ids.ali('rte');
      r.routeEntries[rte] = {
        RouteEntryId: rte,
        RouteTableId: vtb,
        DestinationCidrBlock: v.CidrBlock,
        Type: 'System',
        Status: 'Available',
        NextHopType: 'local',
        NextHopId: '',
      };
    }
    regions[regionId] = r;
  }

  return {
    aws: {
      accountId: AWS_ACCOUNT_ID,
      regions: { [SEEDED_AWS_REGION]: aws },
      secrets: {} as Record<string, Record<string, Secret>>,
      stateMachines: {},
      executions: {},
    },
    alibaba: { regions, clientTokens: {} },
    forcedDown: {},
  };
}
