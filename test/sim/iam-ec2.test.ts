import {
  AttachVpnGatewayCommand,
  CreateCustomerGatewayCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  CreateVpnConnectionCommand,
  CreateVpnGatewayCommand,
  DeleteVpnGatewayCommand,
  DescribeVpcsCommand,
  DescribeVpnGatewaysCommand,
} from '@aws-sdk/client-ec2';
import { useSimulator } from '../helpers/sim';
import { availableCgw, availableVgw, mainRouteTableId, seededVpcId } from './ec2-fixtures';
import { ACCOUNT, admin, authLog, awsFailure, awsPrincipal, ec2As, policy, ROLE_ARN } from './iam-fixtures';

// IAM enforcement on the EC2 Query API, through @aws-sdk/client-ec2: decisions, the resources IAM checks per
// action, tag-on-create, condition operators, and the UnauthorizedOperation error the SDK surfaces.
const sim = useSimulator({ timeScale: 1 });
const KEY = 'AKIDIAMEC2TEST';
const vgwArn = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:vpn-gateway/${id}`;
const vpcArn = (id: string) => `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${id}`;
const managedTag = [{ Key: 'vpn-bridge:managed', Value: 'true' }];

beforeEach(async () => {
  sim().sim.reset();
  await admin(sim().sim, 'DELETE', '/_sim/iam/principals');
  await admin(sim().sim, 'PUT', '/_sim/iam/enforcement', { enabled: true });
});

describe('EC2 under IAM: decisions', () => {
  it('denies an action no statement allows with UnauthorizedOperation 403 and the documented message', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }));

    const err = await awsFailure(ec2As(sim().sim, KEY).send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));

    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.status).toBe(403);
    expect(err.message).toMatch(
      new RegExp(
        '^You are not authorized to perform this operation\\. User: arn:aws:sts::123456789012:assumed-role/vpn-bridge-test-role/test-session ' +
          'is not authorized to perform: ec2:CreateVpnGateway on resource: arn:aws:ec2:us-east-1:123456789012:vpn-gateway/\\* ' +
          'because no identity-based policy allows the ec2:CreateVpnGateway action\\. Encoded authorization failure message: \\S+$',
      ),
    );
  });

  it('decodes the encoded authorization failure message through the admin API', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }));
    const err = await awsFailure(ec2As(sim().sim, KEY).send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));
    const encoded = err.message.split('Encoded authorization failure message: ')[1];

    const out = await admin<{ DecodedMessage: string }>(sim().sim, 'POST', '/_sim/iam/decode-authorization-message', {
      EncodedMessage: encoded,
    });

    const decoded = JSON.parse(out.DecodedMessage) as Record<string, unknown>;
    expect(decoded).toMatchObject({
      allowed: false,
      explicitDeny: false,
      context: {
        principal: { id: KEY },
        action: 'ec2:CreateVpnGateway',
        resource: 'arn:aws:ec2:us-east-1:123456789012:vpn-gateway/*',
      },
    });
  });

  it('allows an action a statement allows', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' }));

    const out = await ec2As(sim().sim, KEY).send(new DescribeVpcsCommand({}));

    expect(out.Vpcs?.length).toBeGreaterThan(0);
  });

  it('keeps full access for a key that is not registered', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' }));

    const out = await ec2As(sim().sim, 'AKIDSOMEONEELSE').send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));

    expect(out.VpnGateway?.VpnGatewayId).toMatch(/^vgw-/);
  });

  it('lets a registered key through while enforcement is off', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' }));
    await admin(sim().sim, 'PUT', '/_sim/iam/enforcement', { enabled: false });

    const out = await ec2As(sim().sim, KEY).send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));

    expect(out.VpnGateway?.VpnGatewayId).toMatch(/^vgw-/);
  });

  it('lets an explicit Deny override an Allow, and says so', async () => {
    const vgw = await availableVgw(sim());
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }),
      policy({ Sid: 'NoDeletes', Effect: 'Deny', Action: 'ec2:Delete*', Resource: '*' }),
    );

    const err = await awsFailure(ec2As(sim().sim, KEY).send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgw })));

    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.message).toContain(`on resource: ${vgwArn(vgw)} with an explicit deny in an identity-based policy`);
  });

  it('matches actions case-insensitively with wildcards', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'EC2:describe?pcs', Resource: '*' }));

    const out = await ec2As(sim().sim, KEY).send(new DescribeVpcsCommand({}));

    expect(out.Vpcs?.length).toBeGreaterThan(0);
  });

  it('allows everything but the NotAction list', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', NotAction: 'ec2:Create*', Resource: '*' }));
    const ec2 = ec2As(sim().sim, KEY);

    const allowed = await ec2.send(new DescribeVpnGatewaysCommand({}));
    const err = await awsFailure(ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));

    expect(allowed.VpnGateways).toEqual([]);
    expect(err.name).toBe('UnauthorizedOperation');
  });

  it('allows the action on every resource but the NotResource list', async () => {
    const keep = await availableVgw(sim());
    const spare = await availableVgw(sim());
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Effect: 'Allow', Action: 'ec2:DeleteVpnGateway', NotResource: vgwArn(keep) }),
    );
    const ec2 = ec2As(sim().sim, KEY);

    const err = await awsFailure(ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: keep })));
    await ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: spare }));

    expect(err.name).toBe('UnauthorizedOperation');
    expect(sim().sim.ctx.state.aws.regions['us-east-1']?.vpnGateways[spare]?.State).toMatch(/deleting|deleted/);
  });

  it('matches `?` in a resource ARN as exactly one character', async () => {
    const vgw = await availableVgw(sim());
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Effect: 'Allow', Action: 'ec2:DeleteVpnGateway', Resource: vgwArn(`${vgw.slice(0, -1)}?`) }),
    );

    await ec2As(sim().sim, KEY).send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgw }));

    expect(sim().sim.ctx.state.aws.regions['us-east-1']?.vpnGateways[vgw]?.State).toMatch(/deleting|deleted/);
  });
});

describe('EC2 under IAM: the resources each action checks', () => {
  const attachOnlyTagged = {
    Effect: 'Allow',
    Action: 'ec2:AttachVpnGateway',
    Resource: '*',
    Condition: { StringEquals: { 'aws:ResourceTag/vpn-bridge:managed': 'true' } },
  };

  it('denies AttachVpnGateway to an untagged VPC when the only statement is tag-conditioned on *', async () => {
    const vpc = await seededVpcId(sim());
    const vgw = await availableVgw(sim(), managedTag);
    await awsPrincipal(sim().sim, KEY, policy(attachOnlyTagged));

    const err = await awsFailure(
      ec2As(sim().sim, KEY).send(new AttachVpnGatewayCommand({ VpcId: vpc, VpnGatewayId: vgw })),
    );

    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.message).toContain(`ec2:AttachVpnGateway on resource: ${vpcArn(vpc)} because`);
  });

  it('allows AttachVpnGateway once the VPC is covered too, and logs both resources', async () => {
    const vpc = await seededVpcId(sim());
    const vgw = await availableVgw(sim(), managedTag);
    await awsPrincipal(
      sim().sim,
      KEY,
      policy(
        { ...attachOnlyTagged, Sid: 'TaggedGateway' },
        { Sid: 'TheVpc', Effect: 'Allow', Action: 'ec2:AttachVpnGateway', Resource: vpcArn(vpc) },
      ),
    );

    const out = await ec2As(sim().sim, KEY).send(new AttachVpnGatewayCommand({ VpcId: vpc, VpnGatewayId: vgw }));
    const entry = (await authLog(sim().sim)).find((e) => e.operation === 'AttachVpnGateway');

    expect(out.VpcAttachment?.VpcId).toBe(vpc);
    expect(entry?.checks.map((c) => [c.resource, c.decision, c.statement])).toEqual([
      [vpcArn(vpc), 'allow', 'p1#TheVpc'],
      [vgwArn(vgw), 'allow', 'p1#TaggedGateway'],
    ]);
  });

  it('checks CreateVpnConnection on the customer gateway, the VPN gateway and the new connection', async () => {
    const vgw = await availableVgw(sim());
    const cgw = await availableCgw(sim());
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({
        Effect: 'Allow',
        Action: 'ec2:CreateVpnConnection',
        Resource: [`arn:aws:ec2:*:*:customer-gateway/${cgw}`, 'arn:aws:ec2:*:*:vpn-connection/*'],
      }),
    );

    const err = await awsFailure(
      ec2As(sim().sim, KEY).send(
        new CreateVpnConnectionCommand({ Type: 'ipsec.1', CustomerGatewayId: cgw, VpnGatewayId: vgw }),
      ),
    );

    expect(err.message).toContain(`ec2:CreateVpnConnection on resource: ${vgwArn(vgw)} because`);
  });

  it('checks CreateRoute on the route table', async () => {
    const rtb = await mainRouteTableId(sim());
    const vgw = await availableVgw(sim());
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Effect: 'Allow', Action: 'ec2:CreateRoute', Resource: 'arn:aws:ec2:*:*:route-table/rtb-nope' }),
    );

    const err = await awsFailure(
      ec2As(sim().sim, KEY).send(
        new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgw }),
      ),
    );

    expect(err.message).toContain(
      `ec2:CreateRoute on resource: arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/${rtb} because`,
    );
  });
});

describe('EC2 under IAM: tag on create', () => {
  const createTagged = {
    Effect: 'Allow',
    Action: 'ec2:CreateVpnGateway',
    Resource: '*',
    Condition: { StringEquals: { 'aws:RequestTag/vpn-bridge:managed': 'true' } },
  };
  const tagOnCreate = (actions: string[]) => ({
    Effect: 'Allow',
    Action: 'ec2:CreateTags',
    Resource: '*',
    Condition: { StringEquals: { 'ec2:CreateAction': actions } },
  });
  const create = () =>
    ec2As(sim().sim, KEY).send(
      new CreateVpnGatewayCommand({
        Type: 'ipsec.1',
        TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: managedTag }],
      }),
    );

  it('needs ec2:CreateTags on the new resource when the create call tags it', async () => {
    await awsPrincipal(sim().sim, KEY, policy(createTagged));

    const err = await awsFailure(create());

    expect(err.message).toContain(
      'not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:us-east-1:123456789012:vpn-gateway/*',
    );
  });

  it('allows the tagged create with CreateTags conditioned on ec2:CreateAction', async () => {
    await awsPrincipal(
      sim().sim,
      KEY,
      policy(createTagged, tagOnCreate(['CreateVpnGateway', 'CreateCustomerGateway'])),
    );

    const out = await create();

    expect(out.VpnGateway?.Tags).toEqual(managedTag);
  });

  it('denies the tagged create when ec2:CreateAction names other actions only', async () => {
    await awsPrincipal(sim().sim, KEY, policy(createTagged, tagOnCreate(['CreateCustomerGateway'])));

    const err = await awsFailure(create());

    expect(err.name).toBe('UnauthorizedOperation');
  });

  it('denies the create without the requested tag (aws:RequestTag absent)', async () => {
    await awsPrincipal(sim().sim, KEY, policy(createTagged, tagOnCreate(['CreateVpnGateway'])));

    const err = await awsFailure(ec2As(sim().sim, KEY).send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));

    expect(err.message).toContain('ec2:CreateVpnGateway on resource');
  });

  it('does not ask for ec2:CreateAction on a plain CreateTags call', async () => {
    const vgw = await availableVgw(sim());
    await awsPrincipal(sim().sim, KEY, policy(tagOnCreate(['CreateVpnGateway'])));

    const err = await awsFailure(
      ec2As(sim().sim, KEY).send(new CreateTagsCommand({ Resources: [vgw], Tags: [{ Key: 'a', Value: 'b' }] })),
    );

    expect(err.message).toContain(`ec2:CreateTags on resource: ${vgwArn(vgw)}`);
  });
});

describe('EC2 under IAM: condition operators', () => {
  const cgwWithTags = (tags: Array<{ Key: string; Value: string }>) =>
    ec2As(sim().sim, KEY).send(
      new CreateCustomerGatewayCommand({
        Type: 'ipsec.1',
        IpAddress: '47.254.72.129',
        BgpAsn: 65000,
        TagSpecifications: tags.length > 0 ? [{ ResourceType: 'customer-gateway', Tags: tags }] : undefined,
      }),
    );
  const withCondition = async (condition: Record<string, unknown>) =>
    awsPrincipal(
      sim().sim,
      KEY,
      policy(
        { Effect: 'Allow', Action: 'ec2:CreateCustomerGateway', Resource: '*', Condition: condition },
        { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*' },
      ),
    );
  const allowed = async (tags: Array<{ Key: string; Value: string }>) => {
    try {
      await cgwWithTags(tags);
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'UnauthorizedOperation') return false;
      throw e;
    }
  };
  const tag = (Key: string, Value: string) => ({ Key, Value });

  it.each([
    ['StringEquals', { StringEquals: { 'aws:RequestTag/team': 'net' } }, [tag('team', 'net')], [tag('team', 'NET')]],
    [
      'StringEqualsIgnoreCase',
      { StringEqualsIgnoreCase: { 'aws:RequestTag/team': 'net' } },
      [tag('team', 'NET')],
      [tag('team', 'ops')],
    ],
    ['StringLike', { StringLike: { 'aws:RequestTag/team': 'n?t*' } }, [tag('team', 'netops')], [tag('team', 'ops')]],
    [
      'StringNotEquals',
      { StringNotEquals: { 'aws:RequestTag/team': 'ops' } },
      [tag('team', 'net')],
      [tag('team', 'ops')],
    ],
    ['StringNotLike', { StringNotLike: { 'aws:RequestTag/team': 'o*' } }, [tag('team', 'net')], [tag('team', 'ops')]],
    [
      'ForAllValues:StringEquals',
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
      [tag('team', 'x')],
      [tag('team', 'x'), tag('cost', 'y')],
    ],
    [
      'ForAnyValue:StringLike',
      { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'vpn-*' } },
      [tag('a', 'x'), tag('vpn-id', 'y')],
      [tag('a', 'x')],
    ],
    ['Null true', { Null: { 'aws:RequestTag/owner': 'true' } }, [tag('team', 'x')], [tag('owner', 'me')]],
    ['Null false', { Null: { 'aws:TagKeys': 'false' } }, [tag('team', 'x')], []],
    ['StringEqualsIfExists', { StringEqualsIfExists: { 'aws:RequestTag/team': 'net' } }, [], [tag('team', 'ops')]],
    ['StringEquals on an absent key', { StringEquals: { 'aws:RequestTag/team': 'net' } }, [tag('team', 'net')], []],
    ['Bool', { Bool: { 'aws:SecureTransport': 'false' } }, [], null],
    ['aws:RequestedRegion', { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }, [], null],
    ['aws:RequestedRegion mismatch', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, null, []],
  ])('%s', async (_name, condition, allowedTags, deniedTags) => {
    await withCondition(condition);

    if (allowedTags) expect(await allowed(allowedTags)).toBe(true);
    if (deniedTags) expect(await allowed(deniedTags)).toBe(false);
  });

  it('requires every operator of a Condition block (ec2:ResourceTag and StringLike together)', async () => {
    const vgw = await availableVgw(sim(), managedTag);
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({
        Effect: 'Allow',
        Action: 'ec2:DeleteVpnGateway',
        Resource: '*',
        Condition: {
          StringEquals: { 'ec2:ResourceTag/vpn-bridge:managed': 'true' },
          StringLike: { 'aws:RequestedRegion': 'us-*' },
        },
      }),
    );

    await ec2As(sim().sim, KEY).send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgw }));

    expect(sim().sim.ctx.state.aws.regions['us-east-1']?.vpnGateways[vgw]?.State).toMatch(/deleting|deleted/);
  });
});

describe('EC2 under IAM: the authorization log and the admin API', () => {
  it('logs each evaluated request with principal, action, resources, decision and statement', async () => {
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Sid: 'Read', Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' }),
    );
    const ec2 = ec2As(sim().sim, KEY);
    await ec2.send(new DescribeVpcsCommand({}));
    await awsFailure(ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));
    await sim().ec2().send(new DescribeVpcsCommand({}));

    const log = await authLog(sim().sim);

    expect(log.map((e) => [e.principal, e.operation, e.decision, e.checks[0]?.action, e.checks[0]?.statement])).toEqual(
      [
        [
          `arn:aws:sts::${ACCOUNT}:assumed-role/vpn-bridge-test-role/test-session`,
          'DescribeVpcs',
          'allow',
          'ec2:DescribeVpcs',
          'p1#Read',
        ],
        [
          `arn:aws:sts::${ACCOUNT}:assumed-role/vpn-bridge-test-role/test-session`,
          'CreateVpnGateway',
          'deny',
          'ec2:CreateVpnGateway',
          undefined,
        ],
      ],
    );
  });

  it('lists the registered principals and removes one by key', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' }));

    const before = await admin<{ principals: Array<{ accessKeyId: string; arn: string }> }>(
      sim().sim,
      'GET',
      '/_sim/iam/principals',
    );
    await admin(sim().sim, 'DELETE', `/_sim/iam/principals/${KEY}`);
    const after = await admin<{ principals: unknown[] }>(sim().sim, 'GET', '/_sim/iam/principals');

    expect(before.principals).toEqual([expect.objectContaining({ accessKeyId: KEY, arn: ROLE_ARN })]);
    expect(after.principals).toEqual([]);
  });

  it('refuses a policy with a condition operator the simulator cannot evaluate', async () => {
    const res = await fetch(`${sim().sim.url}/_sim/iam/principals`, {
      method: 'POST',
      body: JSON.stringify({
        cloud: 'aws',
        accessKeyId: KEY,
        arn: ROLE_ARN,
        policies: [
          {
            document: policy({
              Effect: 'Allow',
              Action: '*',
              Resource: '*',
              Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
            }),
          },
        ],
      }),
    });

    expect(res.status).toBe(400);
    expect(await res.text()).toContain('IpAddress');
  });

  it('registers principals given as a simulator option', async () => {
    const { startSimulator } = await import('../../sim');
    const other = await startSimulator({
      iam: {
        principals: [
          {
            cloud: 'aws',
            accessKeyId: 'AKIDOPTION',
            arn: ROLE_ARN,
            policies: [{ document: policy({ Effect: 'Deny', Action: '*', Resource: '*' }) }],
          },
        ],
      },
    });
    try {
      const err = await awsFailure(ec2As(other, 'AKIDOPTION').send(new DescribeVpcsCommand({})));

      expect(err.name).toBe('UnauthorizedOperation');
    } finally {
      await other.stop();
    }
  });
});
