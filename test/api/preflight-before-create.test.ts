import {
  AttachVpnGatewayCommand,
  CreateVpnGatewayCommand,
  DescribeVpnGatewaysCommand,
  DetachVpnGatewayCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { OPERATOR_AWS } from '../../local/constants';
import { LOCAL_REGION } from '../../local/environment';
import { inventory } from '../helpers/workflow';
import {
  api,
  articleSpec,
  awsRegion,
  body,
  fault,
  finished,
  freshWorld,
  nothingLeft,
  settle,
  useServedWorld,
} from './served-world';

// Preflight before anything is created (issue item 7), through `vpn-bridge serve --local` over real HTTP: what
// preflight can know is a 400 naming the field before anything exists (no record, no execution, no resource on
// either cloud), and a submission that is accepted has its record from the moment of the 202.

const world = useServedWorld(500);

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }> };
}
const errorOf = (a: { json: unknown }) => (a.json as ErrorBody).error;
const executions = () => Object.keys(world().sim.ctx.state.aws.executions).length;

function ec2(): EC2Client {
  return new EC2Client({ endpoint: world().sim.url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
}

/** a VGW that is not vpn-bridge's, available (not attached yet) */
async function foreignVgw(): Promise<string> {
  const client = ec2();
  try {
    const id = (await client.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway?.VpnGatewayId ?? '';
    // poll through the API (a new VGW may not be visible at once: by filter, absent until it is)
    for (let i = 0; i < 200; i++) {
      const r = await client.send(
        new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'vpn-gateway-id', Values: [id] }] }),
      );
      if (r.VpnGateways?.[0]?.State === 'available') return id;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${id} never became available`);
  } finally {
    client.destroy();
  }
}

async function attach(vgw: string, vpcId: string): Promise<void> {
  const client = ec2();
  try {
    await client.send(new AttachVpnGatewayCommand({ VpnGatewayId: vgw, VpcId: vpcId }));
  } finally {
    client.destroy();
  }
}

/** poll through the API until the VGW's attachment to the VPC is `attached` */
async function attached(vgw: string, vpcId: string): Promise<void> {
  const client = ec2();
  try {
    for (let i = 0; i < 500; i++) {
      const r = await client.send(
        new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'vpn-gateway-id', Values: [vgw] }] }),
      );
      const att = r.VpnGateways?.[0]?.VpcAttachments?.find((a) => a.VpcId === vpcId);
      if (att?.State === 'attached') return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${vgw} never attached to ${vpcId}`);
  } finally {
    client.destroy();
  }
}

async function detach(vgw: string, vpcId: string): Promise<void> {
  const client = ec2();
  try {
    await client.send(new DetachVpnGatewayCommand({ VpnGatewayId: vgw, VpcId: vpcId }));
  } finally {
    client.destroy();
  }
}

describe('what preflight can know is refused with 400 before anything is created', () => {
  beforeEach(async () => {
    await freshWorld(world());
  });

  it('refuses a named VGW when the VPC already has another one attached (not InvalidVpcState after a billable Alibaba gateway)', async () => {
    // Prepare
    const w = world();
    const vgw = await foreignVgw();
    const named = await foreignVgw();
    const base = await articleSpec(w, 'pre-vgw');
    const spec = { ...base, aws: { ...base.aws, attach: { vpnGateway: named } } };
    await attach(vgw, spec.aws.vpcId);
    const runs = executions();

    // Act
    const r = await api(w, 'POST', '/connections', spec);
    await settle(w);

    // Assert
    expect(r.status).toBe(400);
    expect(errorOf(r).code).toBe('PreflightFailed');
    const field = errorOf(r).fields?.find((f) => f.path === 'aws.attach.vpnGateway');
    expect(field?.message).toContain(`already has VPN gateway ${vgw}`);
    expect(errorOf(r).message).toContain('nothing was created');
    expect((await api(w, 'GET', '/connections/pre-vgw')).status).toBe(404);
    expect(executions()).toBe(runs);
    expect(inventory(w.sim).alibabaVpnGateways).toBe(0);
  });

  it('refuses a named VGW that does not exist, or that is not attached to the VPC, naming aws.attach.vpnGateway', async () => {
    // Prepare
    const w = world();
    const base = await articleSpec(w, 'pre-named');
    const loose = await foreignVgw();
    const runs = executions();

    // Act
    const absent = await api(w, 'POST', '/connections', {
      ...base,
      aws: { ...base.aws, attach: { vpnGateway: 'vgw-0123456789abcdef0' } },
    });
    const detached = await api(w, 'POST', '/connections', {
      ...base,
      aws: { ...base.aws, attach: { vpnGateway: loose } },
    });
    await settle(w);

    // Assert
    expect([absent.status, detached.status]).toEqual([400, 400]);
    expect(errorOf(absent).fields).toEqual([
      { path: 'aws.attach.vpnGateway', message: 'VPN gateway vgw-0123456789abcdef0 not found in us-east-1' },
    ]);
    expect(errorOf(detached).fields?.map((f) => f.path)).toEqual(['aws.attach.vpnGateway']);
    expect(errorOf(detached).fields?.[0]?.message).toContain(
      `VPN gateway ${loose} is not attached to ${base.aws.vpcId}`,
    );
    expect(executions()).toBe(runs);
    expect(inventory(w.sim).alibabaVpnGateways).toBe(0);
  });

  it('refuses a peer CIDR that overlaps (not only equals) a route of the route table', async () => {
    // Prepare: a more specific route for part of the Alibaba CIDR, to an internet gateway
    const w = world();
    const spec = await articleSpec(w, 'pre-overlap');
    const main = Object.values(awsRegion(w).routeTables).find((t) => t.Main);
    main?.Routes.push({
      DestinationCidrBlock: '192.168.128.0/17',
      GatewayId: 'igw-0123456789abcdef0',
      State: 'active',
      Origin: 'CreateRoute',
    });

    // Act
    const r = await api(w, 'POST', '/connections', spec);

    // Assert
    expect(r.status).toBe(400);
    const field = errorOf(r).fields?.find((f) => f.path === 'aws.routeTableIds');
    expect(field?.message).toBe(
      `route table ${main?.RouteTableId} already routes 192.168.128.0/17, which overlaps ${spec.alibaba.cidr}, to igw-0123456789abcdef0; remove that route or pick other tables`,
    );
    expect((await api(w, 'GET', '/connections/pre-overlap')).status).toBe(404);
    expect(nothingLeft(w)).toBe(true);
  });

  it('refuses a route table of another VPC, naming the VPC it belongs to', async () => {
    // Prepare: a second VPC with its own table, in the same region
    const w = world();
    const spec = await articleSpec(w, 'pre-table');
    const region = awsRegion(w);
    region.vpcs['vpc-0aaaaaaaaaaaaaaa1'] = {
      VpcId: 'vpc-0aaaaaaaaaaaaaaa1',
      CidrBlock: '10.9.0.0/16',
      CidrBlocks: ['10.9.0.0/16'],
      State: 'available',
      IsDefault: false,
      Tags: [],
    };
    region.routeTables['rtb-0aaaaaaaaaaaaaaa1'] = {
      RouteTableId: 'rtb-0aaaaaaaaaaaaaaa1',
      VpcId: 'vpc-0aaaaaaaaaaaaaaa1',
      OwnerId: '123456789012',
      Main: true,
      AssociationId: 'rtbassoc-0aaaaaaaaaaaaaaa1',
      Routes: [
        { DestinationCidrBlock: '10.9.0.0/16', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
      ],
      PropagatingVgws: [],
      Tags: [],
    };

    // Act
    const r = await api(w, 'POST', '/connections', {
      ...spec,
      aws: { ...spec.aws, routeTableIds: ['rtb-0aaaaaaaaaaaaaaa1'] },
    });

    // Assert
    expect(r.status).toBe(400);
    expect(errorOf(r).fields).toEqual([
      {
        path: 'aws.routeTableIds[0]',
        message: `route table rtb-0aaaaaaaaaaaaaaa1 belongs to vpc-0aaaaaaaaaaaaaaa1, not to ${spec.aws.vpcId}`,
      },
    ]);
    expect(nothingLeft(w)).toBe(true);
  });
});

describe('an accepted submission has its record from the moment of the 202', () => {
  beforeEach(async () => {
    await freshWorld(world());
  });

  it('shows PROVISIONING on a GET right after the POST, however slowly the record is written', async () => {
    // Prepare: every record creation takes 400 ms longer
    const w = world();
    const spec = await articleSpec(w, 'rec-now');
    await fault(w, { service: 'secretsmanager', action: 'CreateSecret', kind: 'latency', latencyMs: 400, count: 0 });

    // Act
    const posted = await api(w, 'POST', '/connections', spec);
    const got = await api(w, 'GET', '/connections/rec-now');
    await fault(w);

    // Assert
    expect(posted.status).toBe(202);
    expect(got.status).toBe(200);
    expect(body(got).status).toBe('PROVISIONING');
    expect((body(got).operation as { executionName?: string }).executionName).toBe(body(posted).executionName);
    expect(await finished(w, body(posted).executionArn)).toBe('SUCCEEDED');
  });

  it('shows FAILED with the reason when the workflow’s own preflight fails after the 202', async () => {
    // Prepare: the VGW the spec names is detached from the VPC after the API's preflight passed, while the execution
    // is being started
    const w = world();
    const vgw = await foreignVgw();
    const base = await articleSpec(w, 'rec-failed');
    const spec = { ...base, aws: { ...base.aws, attach: { vpnGateway: vgw } } };
    await attach(vgw, spec.aws.vpcId);
    await attached(vgw, spec.aws.vpcId);
    await fault(w, { service: 'stepfunctions', action: 'StartExecution', kind: 'latency', latencyMs: 800, count: 1 });

    // Act
    const pending = api(w, 'POST', '/connections', spec);
    await new Promise((r) => setTimeout(r, 300));
    await detach(vgw, spec.aws.vpcId);
    const posted = await pending;
    const status = await finished(w, body(posted).executionArn);
    const got = await api(w, 'GET', '/connections/rec-failed');

    // Assert
    expect(posted.status).toBe(202);
    expect(status).toBe('FAILED');
    expect(got.status).toBe(200);
    expect(body(got).status).toBe('FAILED');
    expect(String(body(got).statusReason)).toMatch(
      new RegExp(
        `^PreflightFailed: preflight failed: aws\\.attach\\.vpnGateway: VPN gateway ${vgw} is not attached to ${spec.aws.vpcId}`,
      ),
    );
    expect(inventory(w.sim).alibabaVpnGateways).toBe(0);
    // the connection is free again: a DELETE (nothing to delete) is accepted, not refused as busy
    const del = await api(w, 'DELETE', '/connections/rec-failed');
    expect(del.status).toBe(202);
    expect(await finished(w, body(del).executionArn)).toBe('SUCCEEDED');
  });
});
