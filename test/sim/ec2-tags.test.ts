import {
  CreateCustomerGatewayCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeTagsCommand,
  type TagDescription,
} from '@aws-sdk/client-ec2';
import { DEFAULT_LAG, DEFAULT_LATENCIES } from '../../sim';
import { useSimulator } from '../helpers/sim';
import { availableCgw, availableVgw, availableVpn, failure, mainRouteTableId, seededVpcId } from './ec2-fixtures';

const sim = useSimulator({ timeScale: 1 });
const ec2 = () => sim().ec2();

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ latencies: { ...DEFAULT_LATENCIES }, lag: { ...DEFAULT_LAG } });
});

async function tagsOf(resourceId: string): Promise<TagDescription[]> {
  const out = await ec2().send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [resourceId] }] }));
  return out.Tags ?? [];
}

describe('CreateTags / DescribeTags', () => {
  it('tags every simulated resource kind and describes each with its resource type', async () => {
    const vpcId = await seededVpcId(sim());
    const rtbId = await mainRouteTableId(sim());
    const vgwId = await availableVgw(sim());
    const cgwId = await availableCgw(sim());
    const vpn = await availableVpn(sim(), { VpnGatewayId: vgwId, CustomerGatewayId: cgwId });
    const ids = [vpcId, rtbId, vgwId, cgwId, vpn.VpnConnectionId];

    const out = await ec2().send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'owner', Value: 'netops' }] }));
    const described = await ec2().send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['owner'] }] }));

    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(described.Tags?.map((t) => [t.ResourceId, t.ResourceType, t.Key, t.Value]).sort()).toEqual(
      [
        [vpcId, 'vpc', 'owner', 'netops'],
        [rtbId, 'route-table', 'owner', 'netops'],
        [vgwId, 'vpn-gateway', 'owner', 'netops'],
        [cgwId, 'customer-gateway', 'owner', 'netops'],
        [vpn.VpnConnectionId, 'vpn-connection', 'owner', 'netops'],
      ].sort(),
    );
  });

  it('overwrites the value of an existing key', async () => {
    const vgwId = await availableVgw(sim(), [{ Key: 'stage', Value: 'dev' }]);

    await ec2().send(new CreateTagsCommand({ Resources: [vgwId], Tags: [{ Key: 'stage', Value: 'prod' }] }));

    expect(await tagsOf(vgwId)).toEqual([
      { ResourceId: vgwId, ResourceType: 'vpn-gateway', Key: 'stage', Value: 'prod' },
    ]);
  });

  it('filters described tags by resource type and value, with wildcards', async () => {
    const vgwId = await availableVgw(sim(), [{ Key: 'team', Value: 'net-a' }]);
    await availableCgw(sim());
    const cgwId = await availableCgw(sim(), '8.8.8.8');
    await ec2().send(new CreateTagsCommand({ Resources: [cgwId], Tags: [{ Key: 'team', Value: 'net-b' }] }));

    const out = await ec2().send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'resource-type', Values: ['vpn-gateway', 'customer-gateway'] },
          { Name: 'value', Values: ['net-?'] },
        ],
      }),
    );

    expect(out.Tags?.map((t) => t.ResourceId).sort()).toEqual([vgwId, cgwId].sort());
  });

  it('pages through tags with MaxResults and NextToken', async () => {
    const vgwId = await availableVgw(sim());
    const tags = Array.from({ length: 7 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await ec2().send(new CreateTagsCommand({ Resources: [vgwId], Tags: tags }));
    const filters = [{ Name: 'resource-id', Values: [vgwId] }];

    const first = await ec2().send(new DescribeTagsCommand({ Filters: filters, MaxResults: 5 }));
    const second = await ec2().send(
      new DescribeTagsCommand({ Filters: filters, MaxResults: 5, NextToken: first.NextToken }),
    );

    expect(first.Tags).toHaveLength(5);
    expect(second.Tags).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    expect([...(first.Tags ?? []), ...(second.Tags ?? [])].map((t) => t.Key).sort()).toEqual(tags.map((t) => t.Key));
  });

  it('rejects an unknown DescribeTags filter', async () => {
    const err = await failure(
      ec2().send(new DescribeTagsCommand({ Filters: [{ Name: 'tag-colour', Values: ['x'] }] })),
    );

    expect(err).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
  });

  it('answers the resource NotFound code for an unknown id and InvalidID for an unknown kind', async () => {
    const missing = await failure(
      ec2().send(new CreateTagsCommand({ Resources: ['vgw-0000000000000000a'], Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    const strange = await failure(
      ec2().send(new CreateTagsCommand({ Resources: ['i-123'], Tags: [{ Key: 'a', Value: 'b' }] })),
    );

    expect(missing).toMatchObject({ name: 'InvalidVpnGatewayID.NotFound', status: 400 });
    expect(strange).toMatchObject({ name: 'InvalidID', status: 400 });
  });

  it('answers NotFound when tagging a resource inside its eventual-consistency window', async () => {
    const out = await ec2().send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '47.254.72.128' }));

    const err = await failure(
      ec2().send(
        new CreateTagsCommand({
          Resources: [out.CustomerGateway?.CustomerGatewayId as string],
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    );

    expect(err).toMatchObject({ name: 'InvalidCustomerGatewayID.NotFound', status: 400 });
  });

  it('rejects reserved aws: keys and more than 50 tags on a resource', async () => {
    const vgwId = await availableVgw(sim());
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));

    const reserved = await failure(
      ec2().send(new CreateTagsCommand({ Resources: [vgwId], Tags: [{ Key: 'aws:x', Value: 'y' }] })),
    );
    const tooMany = await failure(ec2().send(new CreateTagsCommand({ Resources: [vgwId], Tags: many })));

    expect(reserved).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(tooMany).toMatchObject({ name: 'TagLimitExceeded', status: 400 });
    expect(await tagsOf(vgwId)).toEqual([]);
  });

  it('answers DryRunOperation without tagging', async () => {
    const vgwId = await availableVgw(sim());

    const err = await failure(
      ec2().send(new CreateTagsCommand({ Resources: [vgwId], Tags: [{ Key: 'a', Value: 'b' }], DryRun: true })),
    );

    expect(err).toMatchObject({ name: 'DryRunOperation', status: 412 });
    expect(await tagsOf(vgwId)).toEqual([]);
  });
});

describe('DeleteTags', () => {
  it('removes a key, a key only when its value matches, or every tag', async () => {
    const a = await availableVgw(sim(), [
      { Key: 'x', Value: '1' },
      { Key: 'y', Value: '2' },
      { Key: 'z', Value: '3' },
    ]);
    const b = await availableVgw(sim(), [{ Key: 'x', Value: '1' }]);

    await ec2().send(new DeleteTagsCommand({ Resources: [a], Tags: [{ Key: 'x' }, { Key: 'y', Value: 'other' }] }));
    const afterKeyDelete = await tagsOf(a);
    await ec2().send(new DeleteTagsCommand({ Resources: [b] }));

    expect(afterKeyDelete.map((t) => t.Key)).toEqual(['y', 'z']);
    expect(await tagsOf(b)).toEqual([]);
  });

  it('answers MissingParameter when no resource is named', async () => {
    const err = await failure(ec2().send(new DeleteTagsCommand({ Resources: [] })));

    expect(err).toMatchObject({ name: 'MissingParameter', status: 400 });
    expect(err.message).toContain('ResourceId');
  });
});
