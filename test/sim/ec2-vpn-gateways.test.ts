import {
  AttachVpnGatewayCommand,
  type AttachVpnGatewayCommandInput,
  CreateVpnGatewayCommand,
  type CreateVpnGatewayCommandInput,
  DeleteVpnGatewayCommand,
  DescribeVpnGatewaysCommand,
  DetachVpnGatewayCommand,
} from '@aws-sdk/client-ec2';
import { DEFAULT_LAG, DEFAULT_LATENCIES } from '../../sim';
import { useSimulator } from '../helpers/sim';
import { attachedVgw, availableCgw, availableVgw, availableVpn, failure, seededVpcId, wait } from './ec2-fixtures';

const sim = useSimulator({ timeScale: 1 });
const ec2 = () => sim().ec2();

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ latencies: { ...DEFAULT_LATENCIES }, lag: { ...DEFAULT_LAG } });
});

async function describeVgw(id: string) {
  const out = await ec2().send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [id] }));
  return out.VpnGateways?.[0];
}

describe('CreateVpnGateway', () => {
  it('creates a pending gateway with the default Amazon-side ASN and the requested tags', async () => {
    const out = await ec2().send(
      new CreateVpnGatewayCommand({
        Type: 'ipsec.1',
        TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: [{ Key: 'Name', Value: 'a&b <c>' }] }],
      }),
    );

    expect(out.VpnGateway).toMatchObject({
      State: 'pending',
      Type: 'ipsec.1',
      AmazonSideAsn: 64512,
      VpcAttachments: [],
      Tags: [{ Key: 'Name', Value: 'a&b <c>' }],
    });
    expect(out.VpnGateway?.VpnGatewayId).toMatch(/^vgw-0[0-9a-f]{16}$/);
  });

  it('becomes available once the create latency has passed', async () => {
    const out = await ec2().send(
      new CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn: 4200000000, AvailabilityZone: 'us-east-1a' }),
    );
    const id = out.VpnGateway?.VpnGatewayId as string;

    wait(sim(), 'aws.vpnGateway.create');

    expect(await describeVgw(id)).toMatchObject({
      State: 'available',
      AmazonSideAsn: 4200000000,
      AvailabilityZone: 'us-east-1a',
    });
  });

  it('creates a new gateway on every call (no idempotency)', async () => {
    const a = await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
    const b = await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));

    expect(a.VpnGateway?.VpnGatewayId).not.toEqual(b.VpnGateway?.VpnGatewayId);
  });

  it.each<[CreateVpnGatewayCommandInput, string]>([
    [{ Type: 'ipsec.1', AmazonSideAsn: 65535 }, 'AmazonSideAsn'],
    [{ Type: 'ipsec.2' as 'ipsec.1' }, 'Type'],
    [{ Type: 'ipsec.1', AvailabilityZone: 'eu-west-1a' }, 'eu-west-1a'],
    [{ Type: 'ipsec.1', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'a', Value: 'b' }] }] }, 'vpc'],
  ])('rejects an invalid request (%j) with InvalidParameterValue', async (input, mentioned) => {
    const err = await failure(ec2().send(new CreateVpnGatewayCommand(input)));

    expect(err).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(err.message).toContain(mentioned);
  });

  it('refuses a sixth live gateway in a region, and counts deleted ones out', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await availableVgw(sim()));

    const refused = await failure(ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));
    await ec2().send(new DeleteVpnGatewayCommand({ VpnGatewayId: ids[0] }));
    wait(sim(), 'aws.vpnGateway.delete');
    const sixth = await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));

    expect(refused).toMatchObject({ name: 'VpnGatewayLimitExceeded', status: 400 });
    expect(sixth.VpnGateway?.State).toBe('pending');
  });

  it('answers DryRunOperation for a valid dry run and creates nothing', async () => {
    const err = await failure(ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1', DryRun: true })));
    const all = await ec2().send(new DescribeVpnGatewaysCommand({}));

    expect(err).toMatchObject({ name: 'DryRunOperation', status: 412 });
    expect(err.message).toBe('Request would have succeeded, but DryRun flag is set.');
    expect(all.VpnGateways).toEqual([]);
  });

  it('validates the request before answering a dry run', async () => {
    const err = await failure(
      ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn: 1, DryRun: true })),
    );

    expect(err.name).toBe('InvalidParameterValue');
  });
});

describe('DescribeVpnGateways', () => {
  it('answers NotFound for a gateway asked for by id during the eventual-consistency window', async () => {
    const out = await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
    const id = out.VpnGateway?.VpnGatewayId as string;

    const early = await failure(describeVgw(id));
    wait(sim(), 'ec2.byId');
    const later = await describeVgw(id);

    expect(early).toMatchObject({ name: 'InvalidVpnGatewayID.NotFound', status: 400 });
    expect(early.message).toContain(id);
    expect(later?.VpnGatewayId).toBe(id);
  });

  it('leaves a new gateway out of listings and tag-filtered describes until the ec2.list lag has passed', async () => {
    const tags = [{ Key: 'vpn-bridge:connection', Value: 'lagging' }];
    const out = await ec2().send(
      new CreateVpnGatewayCommand({
        Type: 'ipsec.1',
        TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: tags }],
      }),
    );
    const byTag = new DescribeVpnGatewaysCommand({
      Filters: [{ Name: 'tag:vpn-bridge:connection', Values: ['lagging'] }],
    });

    const early = await ec2().send(new DescribeVpnGatewaysCommand({}));
    const earlyByTag = await ec2().send(byTag);
    wait(sim(), 'ec2.list');
    const all = await ec2().send(new DescribeVpnGatewaysCommand({}));
    const laterByTag = await ec2().send(byTag);

    expect(early.VpnGateways).toEqual([]);
    expect(earlyByTag.VpnGateways).toEqual([]);
    expect(all.VpnGateways?.map((v) => v.VpnGatewayId)).toEqual([out.VpnGateway?.VpnGatewayId]);
    expect(laterByTag.VpnGateways?.map((v) => v.VpnGatewayId)).toEqual([out.VpnGateway?.VpnGatewayId]);
  });

  it('lets the list lag be configured per service and kind of call', async () => {
    sim().sim.configure({ lag: { 'ec2.list': 30 } });
    await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));

    sim().sim.advance(20);
    const at20 = await ec2().send(new DescribeVpnGatewaysCommand({}));
    sim().sim.advance(11);
    const at31 = await ec2().send(new DescribeVpnGatewaysCommand({}));

    expect(at20.VpnGateways).toEqual([]);
    expect(at31.VpnGateways).toHaveLength(1);
  });

  it('answers InvalidVpnGatewayID.NotFound naming an unknown id', async () => {
    const err = await failure(describeVgw('vgw-0123456789abcdef0'));

    expect(err).toMatchObject({ name: 'InvalidVpnGatewayID.NotFound', status: 400 });
    expect(err.message).toContain('vgw-0123456789abcdef0');
  });

  it('ANDs filters and ORs the values of one filter', async () => {
    const vpcId = await seededVpcId(sim());
    const tagged = await availableVgw(sim(), [{ Key: 'managed-by', Value: 'vpn-bridge' }]);
    const other = await availableVgw(sim(), [{ Key: 'managed-by', Value: 'someone-else' }]);
    await ec2().send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: tagged }));
    await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })); // pending, untagged

    const byTagAndState = await ec2().send(
      new DescribeVpnGatewaysCommand({
        Filters: [
          { Name: 'tag:managed-by', Values: ['vpn-bridge', 'someone-else'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    );
    const byAttachment = await ec2().send(
      new DescribeVpnGatewaysCommand({
        Filters: [
          { Name: 'attachment.vpc-id', Values: [vpcId] },
          { Name: 'attachment.state', Values: ['attaching'] },
        ],
      }),
    );
    const byTagKey = await ec2().send(
      new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'tag-key', Values: ['managed-*'] }] }),
    );

    expect(byTagAndState.VpnGateways?.map((v) => v.VpnGatewayId).sort()).toEqual([tagged, other].sort());
    expect(byAttachment.VpnGateways?.map((v) => v.VpnGatewayId)).toEqual([tagged]);
    expect(byTagKey.VpnGateways).toHaveLength(2);
  });

  it('rejects an unknown filter name with InvalidParameterValue', async () => {
    const err = await failure(
      ec2().send(new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })),
    );

    expect(err).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(err.message).toContain('colour');
  });
});

describe('AttachVpnGateway / DetachVpnGateway', () => {
  it('attaches an available gateway: attaching, then attached', async () => {
    const vpcId = await seededVpcId(sim());
    const vgwId = await availableVgw(sim());

    const out = await ec2().send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: vgwId }));
    const during = await describeVgw(vgwId);
    wait(sim(), 'aws.vpnGateway.attach');
    const after = await describeVgw(vgwId);

    expect(out.VpcAttachment).toEqual({ VpcId: vpcId, State: 'attaching' });
    expect(during?.VpcAttachments).toEqual([{ VpcId: vpcId, State: 'attaching' }]);
    expect(after?.VpcAttachments).toEqual([{ VpcId: vpcId, State: 'attached' }]);
  });

  it('refuses to attach a pending gateway with InvalidVpnGatewayState', async () => {
    const vpcId = await seededVpcId(sim());
    sim().sim.configure({ latencies: { 'aws.vpnGateway.create': 600 } });
    const out = await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
    wait(sim(), 'ec2.byId');

    const err = await failure(
      ec2().send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: out.VpnGateway?.VpnGatewayId })),
    );

    expect(err).toMatchObject({ name: 'InvalidVpnGatewayState', status: 400 });
  });

  it('answers NotFound when attaching a gateway still inside the eventual-consistency window', async () => {
    const vpcId = await seededVpcId(sim());
    sim().sim.configure({ lag: { 'ec2.byId': 300 }, latencies: { 'aws.vpnGateway.create': 10 } });
    const out = await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
    wait(sim(), 'aws.vpnGateway.create');

    const err = await failure(
      ec2().send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: out.VpnGateway?.VpnGatewayId })),
    );

    expect(err).toMatchObject({ name: 'InvalidVpnGatewayID.NotFound', status: 400 });
  });

  it('refuses an unknown VPC with InvalidVpcID.NotFound', async () => {
    const vgwId = await availableVgw(sim());

    const err = await failure(
      ec2().send(new AttachVpnGatewayCommand({ VpcId: 'vpc-0000000000000000a', VpnGatewayId: vgwId })),
    );

    expect(err).toMatchObject({ name: 'InvalidVpcID.NotFound', status: 400 });
  });

  it('refuses a second gateway on the same VPC with InvalidVpcState', async () => {
    const vpcId = await seededVpcId(sim());
    await attachedVgw(sim(), vpcId);
    const second = await availableVgw(sim());

    const err = await failure(ec2().send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: second })));

    expect(err).toMatchObject({ name: 'InvalidVpcState', status: 400 });
  });

  it('refuses to attach a gateway that is already attached', async () => {
    const vpcId = await seededVpcId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);

    const err = await failure(ec2().send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: vgwId })));

    expect(err).toMatchObject({ name: 'VpnGatewayAttachmentLimitExceeded', status: 400 });
  });

  it('answers MissingParameter naming the missing parameter', async () => {
    const vgwId = await availableVgw(sim());

    const err = await failure(
      ec2().send(new AttachVpnGatewayCommand({ VpnGatewayId: vgwId } as AttachVpnGatewayCommandInput)),
    );

    expect(err).toMatchObject({ name: 'MissingParameter', status: 400 });
    expect(err.message).toContain('VpcId');
  });

  it('detaches an attached gateway: detaching, then detached, then the record leaves the list', async () => {
    const vpcId = await seededVpcId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);

    await ec2().send(new DetachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: vgwId }));
    const during = await describeVgw(vgwId);
    wait(sim(), 'aws.vpnGateway.detach');
    const after = await describeVgw(vgwId);
    wait(sim(), 'aws.deletedVisibility');
    const later = await describeVgw(vgwId);

    expect(during?.VpcAttachments).toEqual([{ VpcId: vpcId, State: 'detaching' }]);
    expect(after?.VpcAttachments).toEqual([{ VpcId: vpcId, State: 'detached' }]);
    expect(later?.VpcAttachments).toEqual([]);
  });

  it('answers InvalidVpnGatewayAttachment.NotFound when the gateway is not attached', async () => {
    const vpcId = await seededVpcId(sim());
    const vgwId = await availableVgw(sim());

    const err = await failure(ec2().send(new DetachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: vgwId })));

    expect(err).toMatchObject({ name: 'InvalidVpnGatewayAttachment.NotFound', status: 400 });
  });
});

describe('DeleteVpnGateway', () => {
  it('refuses to delete an attached gateway with IncorrectState', async () => {
    const vpcId = await seededVpcId(sim());
    const vgwId = await attachedVgw(sim(), vpcId);

    const err = await failure(ec2().send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgwId })));

    expect(err).toMatchObject({ name: 'IncorrectState', status: 400 });
  });

  it('refuses to delete a gateway that still has VPN connections with DependencyViolation', async () => {
    const vgwId = await availableVgw(sim());
    await availableVpn(sim(), { VpnGatewayId: vgwId, CustomerGatewayId: await availableCgw(sim()) });

    const err = await failure(ec2().send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgwId })));

    expect(err).toMatchObject({ name: 'DependencyViolation', status: 400 });
  });

  it('deletes a detached gateway: deleting, deleted (still visible), then gone', async () => {
    const vgwId = await availableVgw(sim());

    await ec2().send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgwId }));
    const during = await describeVgw(vgwId);
    wait(sim(), 'aws.vpnGateway.delete');
    const after = await describeVgw(vgwId);
    wait(sim(), 'aws.deletedVisibility');
    const gone = await failure(describeVgw(vgwId));

    expect(during?.State).toBe('deleting');
    expect(after?.State).toBe('deleted');
    expect(gone.name).toBe('InvalidVpnGatewayID.NotFound');
  });

  it('answers InvalidVpnGatewayID.NotFound when deleting an already deleted gateway', async () => {
    const vgwId = await availableVgw(sim());
    await ec2().send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgwId }));
    wait(sim(), 'aws.vpnGateway.delete');

    const err = await failure(ec2().send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgwId })));

    expect(err).toMatchObject({ name: 'InvalidVpnGatewayID.NotFound', status: 400 });
  });
});

describe('EC2 wire protocol and injected faults', () => {
  it('answers an unknown action with InvalidAction in the EC2 error XML', async () => {
    const res = await fetch(sim().sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=LaunchRockets&Version=2016-11-15',
    });
    const body = await res.text();

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/xml;charset=UTF-8');
    expect(body).toMatch(
      /<Response><Errors><Error><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>$/,
    );
  });

  it('wraps a success in <{Action}Response> with the EC2 namespace and a requestId', async () => {
    const res = await fetch(sim().sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeVpnGateways&Version=2016-11-15',
    });
    const body = await res.text();

    expect(res.status).toBe(200);
    expect(body).toContain('<DescribeVpnGatewaysResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>');
    expect(body).toContain('<vpnGatewaySet/>');
  });

  it('creates the gateway but fails the call with InternalError when the response is lost', async () => {
    await sim().admin('POST', '/_sim/faults', { service: 'ec2', action: 'CreateVpnGateway', kind: 'lost-response' });

    const err = await failure(ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));
    wait(sim(), 'ec2.list');
    const all = await ec2().send(new DescribeVpnGatewaysCommand({}));

    expect(err).toMatchObject({ name: 'InternalError', status: 500 });
    expect(all.VpnGateways).toHaveLength(1);
    expect(all.VpnGateways?.[0]?.State).toBe('pending');
  });

  it('answers RequestLimitExceeded 503 when throttled, without creating anything', async () => {
    await sim().admin('POST', '/_sim/faults', { service: 'ec2', action: 'CreateVpnGateway', kind: 'throttle' });

    const err = await failure(ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' })));
    const all = await ec2().send(new DescribeVpnGatewaysCommand({}));

    expect(err).toMatchObject({ name: 'RequestLimitExceeded', status: 503 });
    expect(all.VpnGateways).toEqual([]);
  });
});
