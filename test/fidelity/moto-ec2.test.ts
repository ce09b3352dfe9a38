import {
  AttachVpnGatewayCommand,
  CreateCustomerGatewayCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpnConnectionCommand,
  CreateVpnConnectionRouteCommand,
  CreateVpnGatewayCommand,
  DeleteCustomerGatewayCommand,
  DeleteRouteCommand,
  DeleteVpnConnectionCommand,
  DeleteVpnGatewayCommand,
  DescribeCustomerGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  DescribeVpnGatewaysCommand,
  DetachVpnGatewayCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { XMLParser } from 'fast-xml-parser';
import type { LatencyKey } from '../../sim';
import { TEST_CREDENTIALS, useSimulator } from '../helpers/sim';
import {
  type Allowance,
  compareStep,
  describeOutcome,
  type Outcome,
  outcome,
  type StepComparison,
  shapeOf,
  summarize,
  useMoto,
} from './moto';

// Fidelity: the same sequence of real @aws-sdk/client-ec2 calls against the simulator and against moto_server;
// each step must answer with the same set of fields (values, ids and list lengths aside) or the same error code
// and HTTP status class. Where moto is known to be incomplete (docs/sources.md#aws-aws), the difference is allowed
// below with its reason, and the simulator keeps the AWS behaviour. Run: npx jest --config
// jest.fidelity.config.js test/fidelity/moto-ec2.test.ts

const REGION = 'us-east-1';
const sim = useSimulator({ timeScale: 1 });
const moto = useMoto();

/** one backend: its client, a VPC to use, and how to let asynchronous transitions finish */
interface World {
  label: 'simulator' | 'moto';
  ec2: EC2Client;
  vpc: () => Promise<string>;
  settle: () => void;
  ids: Record<string, string>;
}

interface Step {
  name: string;
  /** the error code the simulator must answer with (success when absent) */
  error?: string;
  allow?: Allowance[];
  /** fields the simulator must return (where moto returns nothing to compare with) */
  simHas?: string[];
  act: (w: World) => Promise<unknown>;
}

const need = (w: World, key: string): string => {
  const v = w.ids[key];
  if (v === undefined) throw new Error(`${w.label}: no ${key} from an earlier step`);
  return v;
};

const TAGS = [
  { Key: 'Name', Value: 'fidelity' },
  { Key: 'vpn-bridge:managed', Value: 'true' },
];
const UNKNOWN = {
  vgw: 'vgw-0fffffffffffffff0',
  cgw: 'cgw-0fffffffffffffff0',
  vpn: 'vpn-0fffffffffffffff0',
  rtb: 'rtb-0fffffffffffffff0',
};
const REMOTE_CIDR = '192.168.0.0/16';
const CGW_IP = '47.254.72.128';

// ------------------------------------------------------------------ allowed differences (moto 5.2.1)

const MOTO_VPN_SHAPE: Allowance[] = [
  {
    field: 'VpnConnection.Options',
    only: 'sim',
    reason:
      'moto stores no options (models/vpn_connections.py: self.options = None); AWS returns Options (docs/sources.md#aws-aws)',
  },
  {
    field: 'VpnConnection.VgwTelemetry',
    only: 'sim',
    reason: 'moto keeps no tunnel telemetry; AWS returns VgwTelemetry per tunnel (docs/sources.md#aws-aws)',
  },
  {
    field: 'VpnConnection.Routes',
    only: 'sim',
    reason: 'moto keeps no static routes (self.static_routes = None); AWS returns Routes (docs/sources.md#aws-aws)',
  },
  {
    field: 'VpnConnection.Category',
    only: 'sim',
    reason: 'moto leaves out Category; AWS returns VPN for a VGW connection (docs/sources.md#aws-aws)',
  },
  {
    field: 'VpnConnection.GatewayAssociationState',
    only: 'sim',
    reason: 'moto leaves out GatewayAssociationState (docs/sources.md#aws-aws lists it)',
  },
];
const MOTO_NO_PROPAGATING_VGWS: Allowance = {
  field: 'RouteTables[].PropagatingVgws',
  only: 'sim',
  reason:
    'moto leaves out propagatingVgwSet; AWS always returns PropagatingVgws (docs/sources.md#aws-aws; awscli examples/ec2/describe-route-tables.rst shows "PropagatingVgws": [])',
};
/** what a VPN connection must carry for vpn-bridge (docs/sources.md#aws-aws), whatever moto does */
const VPN_FIELDS = [
  'CustomerGatewayConfiguration',
  'Category',
  'Options.StaticRoutesOnly',
  'Options.TunnelOptions[].OutsideIpAddress',
  'Options.TunnelOptions[].TunnelInsideCidr',
  'Options.TunnelOptions[].PreSharedKey',
  'Options.TunnelOptions[].Phase1LifetimeSeconds',
  'Options.TunnelOptions[].Phase2LifetimeSeconds',
  'Options.TunnelOptions[].DpdTimeoutAction',
  'Options.TunnelOptions[].StartupAction',
  'Options.TunnelOptions[].Phase1EncryptionAlgorithms[].Value',
  'Options.TunnelOptions[].Phase1IntegrityAlgorithms[].Value',
  'Options.TunnelOptions[].Phase1DHGroupNumbers[].Value',
  'Options.TunnelOptions[].Phase2DHGroupNumbers[].Value',
  'Options.TunnelOptions[].IkeVersions[].Value',
  'VgwTelemetry[].OutsideIpAddress',
  'VgwTelemetry[].Status',
  'VgwTelemetry[].LastStatusChange',
  'VgwTelemetry[].StatusMessage',
  'VgwTelemetry[].AcceptedRouteCount',
  'Routes',
  'Tags[].Key',
];
const forDescribe = (allowances: Allowance[]): Allowance[] =>
  allowances.map((a) => ('field' in a ? { ...a, field: a.field.replace('VpnConnection.', 'VpnConnections[].') } : a));

// ------------------------------------------------------------------ the sequence

const STEPS: Step[] = [
  {
    name: 'DescribeVpcs',
    allow: [
      {
        field: 'Vpcs[].Ipv6CidrBlockAssociationSet',
        only: 'moto',
        reason:
          'moto sends an empty ipv6CidrBlockAssociationSet for an IPv4-only VPC; AWS leaves it out (awscli examples/ec2/describe-vpcs.rst: no such key on IPv4-only VPCs)',
      },
    ],
    act: async (w) => w.ec2.send(new DescribeVpcsCommand({ VpcIds: [await w.vpc()] })),
  },
  {
    name: 'DescribeRouteTables (main table of the VPC)',
    allow: [MOTO_NO_PROPAGATING_VGWS],
    act: async (w) => {
      const out = await w.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [await w.vpc()] },
            { Name: 'association.main', Values: ['true'] },
          ],
        }),
      );
      const id = out.RouteTables?.[0]?.RouteTableId;
      if (id) w.ids.rtb = id;
      return out;
    },
  },
  {
    name: 'CreateVpnGateway',
    act: async (w) => {
      const out = await w.ec2.send(
        new CreateVpnGatewayCommand({
          Type: 'ipsec.1',
          AmazonSideAsn: 64512,
          TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: TAGS }],
        }),
      );
      if (out.VpnGateway?.VpnGatewayId) w.ids.vgw = out.VpnGateway.VpnGatewayId;
      w.settle();
      return out;
    },
  },
  {
    name: 'DescribeVpnGateways (by id)',
    act: (w) => w.ec2.send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [need(w, 'vgw')] })),
  },
  {
    name: 'AttachVpnGateway',
    act: async (w) => {
      const out = await w.ec2.send(new AttachVpnGatewayCommand({ VpcId: await w.vpc(), VpnGatewayId: need(w, 'vgw') }));
      w.settle();
      return out;
    },
  },
  {
    name: 'DescribeVpnGateways (filter attachment.vpc-id)',
    act: async (w) =>
      w.ec2.send(new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [await w.vpc()] }] })),
  },
  {
    name: 'CreateCustomerGateway',
    act: async (w) => {
      const out = await w.ec2.send(
        new CreateCustomerGatewayCommand({
          Type: 'ipsec.1',
          IpAddress: CGW_IP,
          BgpAsn: 65000,
          TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: TAGS }],
        }),
      );
      if (out.CustomerGateway?.CustomerGatewayId) w.ids.cgw = out.CustomerGateway.CustomerGatewayId;
      w.settle();
      return out;
    },
  },
  {
    name: 'DescribeCustomerGateways (by id)',
    act: (w) => w.ec2.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [need(w, 'cgw')] })),
  },
  {
    name: 'CreateVpnConnection (StaticRoutesOnly + TunnelOptions)',
    allow: MOTO_VPN_SHAPE,
    simHas: VPN_FIELDS.map((f) => `VpnConnection.${f}`),
    act: async (w) => {
      const tunnel = (cidr: string, psk: string) => ({
        TunnelInsideCidr: cidr,
        PreSharedKey: psk,
        Phase1LifetimeSeconds: 28800,
        Phase2LifetimeSeconds: 3600,
        DPDTimeoutAction: 'restart',
        StartupAction: 'start',
        Phase1EncryptionAlgorithms: [{ Value: 'AES128' }],
        Phase2EncryptionAlgorithms: [{ Value: 'AES128' }],
        Phase1IntegrityAlgorithms: [{ Value: 'SHA1' }],
        Phase2IntegrityAlgorithms: [{ Value: 'SHA1' }],
        Phase1DHGroupNumbers: [{ Value: 2 }],
        Phase2DHGroupNumbers: [{ Value: 2 }],
        IKEVersions: [{ Value: 'ikev1' }],
      });
      const out = await w.ec2.send(
        new CreateVpnConnectionCommand({
          Type: 'ipsec.1',
          CustomerGatewayId: need(w, 'cgw'),
          VpnGatewayId: need(w, 'vgw'),
          Options: {
            StaticRoutesOnly: true,
            TunnelOptions: [
              tunnel('169.254.10.0/30', 'fidelity.psk_one'),
              tunnel('169.254.11.0/30', 'fidelity.psk_two'),
            ],
          },
          TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: TAGS }],
        }),
      );
      if (out.VpnConnection?.VpnConnectionId) w.ids.vpn = out.VpnConnection.VpnConnectionId;
      w.settle();
      return out;
    },
  },
  {
    name: 'DescribeVpnConnections (by id)',
    allow: forDescribe(MOTO_VPN_SHAPE),
    simHas: VPN_FIELDS.map((f) => `VpnConnections[].${f}`),
    act: (w) => w.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [need(w, 'vpn')] })),
  },
  {
    name: 'CustomerGatewayConfiguration XML elements',
    allow: [
      {
        field: '?xml',
        only: 'sim',
        reason:
          "moto's template has no XML declaration; the captured AWS document starts with one (docs/sources.md#aws-aws)",
      },
      {
        field: 'vpn_connection.vpn_connection_attributes',
        only: 'sim',
        reason:
          'AWS marks a static connection NoBGPVPNConnection (docs/sources.md#aws-aws, BATFISH); moto has one fixed BGP template',
      },
      {
        field: 'vpn_connection.ipsec_tunnel[].customer_gateway.bgp',
        only: 'moto',
        reason:
          'the bgp blocks are BGP-only; a static connection has none (docs/sources.md#aws-aws); moto always prints them',
      },
      {
        field: 'vpn_connection.ipsec_tunnel[].vpn_gateway.bgp',
        only: 'moto',
        reason:
          'the bgp blocks are BGP-only; a static connection has none (docs/sources.md#aws-aws); moto always prints them',
      },
    ],
    act: async (w) => {
      const out = await w.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [need(w, 'vpn')] }));
      const xml = out.VpnConnections?.[0]?.CustomerGatewayConfiguration;
      if (xml === undefined) throw new Error(`${w.label}: no CustomerGatewayConfiguration`);
      return new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'ipsec_tunnel' }).parse(xml);
    },
  },
  {
    name: 'CreateVpnConnectionRoute',
    allow: [
      {
        moto: 'HTTP 500',
        reason: 'moto 5.2.1 does not implement CreateVpnConnectionRoute (no handler in moto/ec2/responses)',
      },
    ],
    act: async (w) => {
      const out = await w.ec2.send(
        new CreateVpnConnectionRouteCommand({ VpnConnectionId: need(w, 'vpn'), DestinationCidrBlock: REMOTE_CIDR }),
      );
      w.settle();
      return out;
    },
  },
  {
    name: 'DescribeVpnConnections (with the static route)',
    allow: forDescribe(MOTO_VPN_SHAPE),
    simHas: [
      ...VPN_FIELDS.map((f) => `VpnConnections[].${f}`),
      'VpnConnections[].Routes[].DestinationCidrBlock',
      'VpnConnections[].Routes[].Source',
      'VpnConnections[].Routes[].State',
    ],
    act: (w) => w.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [need(w, 'vpn')] })),
  },
  {
    name: 'CreateRoute (to the VGW)',
    act: (w) =>
      w.ec2.send(
        new CreateRouteCommand({
          RouteTableId: need(w, 'rtb'),
          DestinationCidrBlock: REMOTE_CIDR,
          GatewayId: need(w, 'vgw'),
        }),
      ),
  },
  {
    name: 'CreateRoute (duplicate)',
    error: 'RouteAlreadyExists',
    act: (w) =>
      w.ec2.send(
        new CreateRouteCommand({
          RouteTableId: need(w, 'rtb'),
          DestinationCidrBlock: REMOTE_CIDR,
          GatewayId: need(w, 'vgw'),
        }),
      ),
  },
  {
    name: 'DescribeRouteTables (by id, with the VGW route)',
    allow: [MOTO_NO_PROPAGATING_VGWS],
    act: (w) => w.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [need(w, 'rtb')] })),
  },
  {
    name: 'DeleteRoute',
    act: (w) => w.ec2.send(new DeleteRouteCommand({ RouteTableId: need(w, 'rtb'), DestinationCidrBlock: REMOTE_CIDR })),
  },
  {
    name: 'DeleteRoute (no such route)',
    error: 'InvalidRoute.NotFound',
    act: (w) => w.ec2.send(new DeleteRouteCommand({ RouteTableId: need(w, 'rtb'), DestinationCidrBlock: REMOTE_CIDR })),
  },
  {
    name: 'CreateTags',
    act: (w) =>
      w.ec2.send(
        new CreateTagsCommand({
          Resources: [need(w, 'vgw'), need(w, 'vpn')],
          Tags: [{ Key: 'vpn-bridge:connection', Value: 'fidelity' }],
        }),
      ),
  },
  {
    name: 'DescribeTags (filter resource-id)',
    act: (w) => w.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [need(w, 'vgw')] }] })),
  },
  {
    name: 'DescribeVpnGateways (unknown id)',
    error: 'InvalidVpnGatewayID.NotFound',
    allow: [
      {
        moto: 'success',
        reason:
          'moto filters VpnGatewayIds silently (models/vpn_gateway.py); AWS answers InvalidVpnGatewayID.NotFound (docs/sources.md#aws-aws)',
      },
    ],
    act: (w) => w.ec2.send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [UNKNOWN.vgw] })),
  },
  {
    name: 'AttachVpnGateway (unknown gateway)',
    error: 'InvalidVpnGatewayID.NotFound',
    act: async (w) => w.ec2.send(new AttachVpnGatewayCommand({ VpcId: await w.vpc(), VpnGatewayId: UNKNOWN.vgw })),
  },
  {
    name: 'AttachVpnGateway (unknown VPC)',
    error: 'InvalidVpcID.NotFound',
    act: (w) =>
      w.ec2.send(new AttachVpnGatewayCommand({ VpcId: 'vpc-0fffffffffffffff0', VpnGatewayId: need(w, 'vgw') })),
  },
  {
    name: 'CreateVpnConnection (unknown customer gateway)',
    error: 'InvalidCustomerGatewayID.NotFound',
    act: (w) =>
      w.ec2.send(
        new CreateVpnConnectionCommand({
          Type: 'ipsec.1',
          CustomerGatewayId: UNKNOWN.cgw,
          VpnGatewayId: need(w, 'vgw'),
          Options: { StaticRoutesOnly: true },
        }),
      ),
  },
  {
    name: 'DescribeCustomerGateways (unknown id)',
    error: 'InvalidCustomerGatewayID.NotFound',
    allow: [
      {
        moto: 'success',
        reason:
          'moto filters CustomerGatewayIds silently (models/customer_gateways.py); AWS answers InvalidCustomerGatewayID.NotFound (docs/sources.md#aws-aws)',
      },
    ],
    act: (w) => w.ec2.send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [UNKNOWN.cgw] })),
  },
  {
    name: 'DeleteCustomerGateway (unknown id)',
    error: 'InvalidCustomerGatewayID.NotFound',
    act: (w) => w.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: UNKNOWN.cgw })),
  },
  {
    name: 'DescribeVpnConnections (unknown id)',
    error: 'InvalidVpnConnectionID.NotFound',
    act: (w) => w.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [UNKNOWN.vpn] })),
  },
  {
    name: 'DeleteVpnConnection (unknown id)',
    error: 'InvalidVpnConnectionID.NotFound',
    act: (w) => w.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: UNKNOWN.vpn })),
  },
  {
    name: 'DescribeRouteTables (unknown id)',
    error: 'InvalidRouteTableID.NotFound',
    act: (w) => w.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [UNKNOWN.rtb] })),
  },
  {
    name: 'CreateRoute (unknown route table)',
    error: 'InvalidRouteTableID.NotFound',
    act: (w) =>
      w.ec2.send(
        new CreateRouteCommand({
          RouteTableId: UNKNOWN.rtb,
          DestinationCidrBlock: REMOTE_CIDR,
          GatewayId: need(w, 'vgw'),
        }),
      ),
  },
  {
    name: 'DeleteVpnConnection',
    act: async (w) => {
      const out = await w.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: need(w, 'vpn') }));
      w.settle();
      return out;
    },
  },
  {
    name: 'DescribeVpnConnections (deleted, filter state)',
    allow: [
      ...forDescribe(MOTO_VPN_SHAPE),
      {
        field: 'VpnConnections[].CustomerGatewayConfiguration',
        only: 'moto',
        reason:
          'AWS returns CustomerGatewayConfiguration only while the connection is pending or available (docs/sources.md#aws-aws); moto always does',
      },
    ],
    act: (w) =>
      w.ec2.send(
        new DescribeVpnConnectionsCommand({
          VpnConnectionIds: [need(w, 'vpn')],
          Filters: [{ Name: 'state', Values: ['deleted'] }],
        }),
      ),
  },
  {
    name: 'DeleteCustomerGateway',
    act: async (w) => {
      const out = await w.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: need(w, 'cgw') }));
      w.settle();
      return out;
    },
  },
  {
    name: 'DetachVpnGateway',
    act: async (w) => {
      const out = await w.ec2.send(new DetachVpnGatewayCommand({ VpcId: await w.vpc(), VpnGatewayId: need(w, 'vgw') }));
      w.settle();
      return out;
    },
  },
  {
    name: 'DetachVpnGateway (already detached)',
    error: 'InvalidVpnGatewayAttachment.NotFound',
    allow: [
      {
        moto: 'success',
        reason:
          'moto keeps the detached attachment and detaches it again (models/vpn_gateway.py); AWS answers InvalidVpnGatewayAttachment.NotFound when not attached (docs/sources.md#aws-aws)',
      },
    ],
    act: async (w) => w.ec2.send(new DetachVpnGatewayCommand({ VpcId: await w.vpc(), VpnGatewayId: need(w, 'vgw') })),
  },
  {
    name: 'DeleteVpnGateway',
    act: (w) => w.ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: need(w, 'vgw') })),
  },
  {
    name: 'DeleteVpnGateway (unknown id)',
    error: 'InvalidVpnGatewayID.NotFound',
    act: (w) => w.ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: UNKNOWN.vgw })),
  },
];

// ------------------------------------------------------------------ the two worlds

function client(endpoint: string): EC2Client {
  return new EC2Client({ endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

function simWorld(): World {
  const s = sim().sim;
  // every asynchronous AWS transition (create, attach, delete ...) plus eventual consistency, but well short of
  // the time deleted objects stay visible
  const settleSeconds =
    Math.max(
      ...(Object.keys(s.ctx.latencies) as LatencyKey[])
        .filter((k) => k.startsWith('aws.') && k !== 'aws.deletedVisibility')
        .map((k) => s.ctx.latencies[k]),
    ) + 1;
  const ec2 = client(s.url);
  return {
    label: 'simulator',
    ec2,
    // the simulator has no CreateVpc: its seeded VPC
    vpc: async () => {
      const out = await ec2.send(new DescribeVpcsCommand({}));
      const id = out.Vpcs?.[0]?.VpcId;
      if (!id) throw new Error('the simulator has no seeded VPC');
      return id;
    },
    settle: () => s.advance(settleSeconds),
    ids: {},
  };
}

function motoWorld(): World {
  const ec2 = client(moto().url);
  let vpcId: string | undefined;
  return {
    label: 'moto',
    ec2,
    // moto has a default VPC; create our own, like the seeded one (not default)
    vpc: async () => {
      if (vpcId) return vpcId;
      const out = await ec2.send(new CreateVpcCommand({ CidrBlock: '172.80.64.0/19' }));
      vpcId = out.Vpc?.VpcId;
      if (!vpcId) throw new Error('moto did not return a VpcId');
      return vpcId;
    },
    // moto's transitions are immediate
    settle: () => undefined,
    ids: {},
  };
}

async function run(w: World): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const step of STEPS) out.set(step.name, await outcome(() => step.act(w)));
  return out;
}

// ------------------------------------------------------------------ the comparison

describe('EC2: the simulator and moto_server answer the same SDK calls with the same fields', () => {
  let simRun = new Map<string, Outcome>();
  let motoRun = new Map<string, Outcome>();
  const results: StepComparison[] = [];

  beforeAll(async () => {
    await moto().reset();
    simRun = await run(simWorld());
    motoRun = await run(motoWorld());
  });

  afterAll(() => {
    process.stdout.write(`${summarize('moto comparison, EC2', results)}\n`);
  });

  it.each(STEPS)('$name: same fields or the same error on both', (step) => {
    // Prepare
    const simOutcome = simRun.get(step.name) as Outcome;
    const motoOutcome = motoRun.get(step.name) as Outcome;

    // Act
    const cmp = compareStep(step.name, simOutcome, motoOutcome, step.allow);
    results.push(cmp);

    // Assert
    expect(describeOutcome(simOutcome)).toMatch(
      step.error ? new RegExp(`^${step.error.replaceAll('.', '\\.')} \\(4`) : /^success$/,
    );
    expect(cmp.problems).toEqual([]);
    const simPaths = simOutcome.ok ? shapeOf(simOutcome.output).paths : new Set<string>();
    expect((step.simHas ?? []).filter((f) => !simPaths.has(f))).toEqual([]);
  });
});
