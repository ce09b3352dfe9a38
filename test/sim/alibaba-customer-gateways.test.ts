import {
  CreateCustomerGatewayRequest,
  CreateCustomerGatewayRequestTags,
  DeleteCustomerGatewayRequest,
  DescribeCustomerGatewayRequest,
  DescribeCustomerGatewaysRequest,
} from '@alicloud/vpc20160428';
import { useSimulator } from '../helpers/sim';
import { advance, createCgw, createDualConnection, createGateway, DUAL, SINGLE, sdkError } from './alibaba-fixtures';

// Customer gateways through the real SDK: synchronous, unique IP per region, no IP filter on Describe.
const sim = useSimulator({ timeScale: 1 });

beforeEach(() => sim().sim.reset());

describe('CreateCustomerGateway', () => {
  it('creates a customer gateway with tags and describes it', async () => {
    const client = sim().alibaba(DUAL);

    const created = await client.createCustomerGateway(
      new CreateCustomerGatewayRequest({
        regionId: DUAL,
        ipAddress: '34.194.44.159',
        name: 'aws-t1',
        description: 'AWS tunnel 1',
        asn: '64512',
        tags: [new CreateCustomerGatewayRequestTags({ key: 'app', value: 'vpn-bridge' })],
      }),
    );
    const id = created.body?.customerGatewayId ?? '';
    const d = await client.describeCustomerGateway(
      new DescribeCustomerGatewayRequest({ regionId: DUAL, customerGatewayId: id }),
    );

    expect(id).toMatch(/^cgw-[a-z0-9]{21}$/);
    expect(created.body?.ipAddress).toBe('34.194.44.159');
    expect(created.body?.createTime).toEqual(expect.any(Number));
    expect(d.body?.name).toBe('aws-t1');
    expect(d.body?.description).toBe('AWS tunnel 1');
    expect(d.body?.asn).toBe(64512);
    expect(d.body?.tags?.tag?.map((t) => [t.key, t.value])).toEqual([['app', 'vpn-bridge']]);
  });

  it('refuses a second customer gateway with the same IP in the region', async () => {
    const client = sim().alibaba(DUAL);
    await createCgw(client, DUAL, '34.194.44.159');

    const err = await sdkError(createCgw(client, DUAL, '34.194.44.159'));

    expect(err.code).toBe('InvalidIpAddress.AlreadyExist');
    expect(err.statusCode).toBe(400);
  });

  it('allows the same IP in another region', async () => {
    await createCgw(sim().alibaba(DUAL), DUAL, '34.194.44.159');

    const id = await createCgw(sim().alibaba(SINGLE), SINGLE, '34.194.44.159');

    expect(id).toMatch(/^cgw-/);
  });

  it.each(['34.194.44', '300.1.1.1', '100.64.1.1', '127.0.0.1', '169.254.10.1', '224.0.0.5', '255.1.1.1'])(
    'rejects the address %s with InvalidIpAddress.WrongFormat',
    async (ip) => {
      const err = await sdkError(createCgw(sim().alibaba(DUAL), DUAL, ip));

      expect(err.code).toBe('InvalidIpAddress.WrongFormat');
      expect(err.statusCode).toBe(400);
    },
  );

  it('requires IpAddress', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createCustomerGateway(new CreateCustomerGatewayRequest({ regionId: DUAL })),
    );

    expect(err.code).toBe('MissingParameter');
    expect(err.message).toContain('"IpAddress"');
  });

  it("refuses Alibaba's own ASN", async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .createCustomerGateway(
          new CreateCustomerGatewayRequest({ regionId: DUAL, ipAddress: '3.3.3.3', asn: '45104' }),
        ),
    );

    expect(err.code).toBe('IllegalParam.Asn');
  });

  it('returns the first customer gateway for a repeated ClientToken', async () => {
    const client = sim().alibaba(DUAL);
    const req = new CreateCustomerGatewayRequest({ regionId: DUAL, ipAddress: '3.3.3.3', clientToken: 'cgw-tok' });

    const first = await client.createCustomerGateway(req);
    const again = await client.createCustomerGateway(req);
    advance(sim().sim, 'alibaba-vpc.list');
    const list = await client.describeCustomerGateways(new DescribeCustomerGatewaysRequest({ regionId: DUAL }));

    expect(again.body?.customerGatewayId).toBe(first.body?.customerGatewayId);
    expect(list.body?.totalCount).toBe(1);
  });

  it('enforces the quota of 100 customer gateways per region', async () => {
    const client = sim().alibaba(DUAL);
    for (let i = 0; i < 100; i++) await createCgw(client, DUAL, `3.3.${Math.floor(i / 200)}.${(i % 200) + 1}`);

    const err = await sdkError(createCgw(client, DUAL, '4.4.4.4'));

    expect(err.code).toBe('Resource.QuotaFull');
  });
});

describe('DescribeCustomerGateways', () => {
  it('pages with PageNumber/PageSize (default 10) and reports TotalCount', async () => {
    const client = sim().alibaba(DUAL);
    const ids = [];
    for (let i = 1; i <= 12; i++) ids.push(await createCgw(client, DUAL, `3.3.3.${i}`));
    advance(sim().sim, 'alibaba-vpc.list');

    const first = await client.describeCustomerGateways(new DescribeCustomerGatewaysRequest({ regionId: DUAL }));
    const second = await client.describeCustomerGateways(
      new DescribeCustomerGatewaysRequest({ regionId: DUAL, pageNumber: 2 }),
    );

    expect(first.body?.totalCount).toBe(12);
    expect(first.body?.pageSize).toBe(10);
    expect(first.body?.customerGateways?.customerGateway).toHaveLength(10);
    expect(second.body?.customerGateways?.customerGateway?.map((c) => c.customerGatewayId)).toEqual(ids.slice(10));
    expect(second.body?.customerGateways?.customerGateway?.[1]?.ipAddress).toBe('3.3.3.12');
  });

  it('filters by CustomerGatewayId', async () => {
    const client = sim().alibaba(DUAL);
    await createCgw(client, DUAL, '3.3.3.1');
    const id = await createCgw(client, DUAL, '3.3.3.2');
    advance(sim().sim, 'alibaba-vpc.list');

    const r = await client.describeCustomerGateways(
      new DescribeCustomerGatewaysRequest({ regionId: DUAL, customerGatewayId: id }),
    );

    expect(r.body?.customerGateways?.customerGateway?.map((c) => c.ipAddress)).toEqual(['3.3.3.2']);
  });
});

describe('DeleteCustomerGateway', () => {
  it('deletes an unused customer gateway at once', async () => {
    const client = sim().alibaba(DUAL);
    const id = await createCgw(client, DUAL, '3.3.3.1');

    await client.deleteCustomerGateway(new DeleteCustomerGatewayRequest({ regionId: DUAL, customerGatewayId: id }));
    const err = await sdkError(
      client.describeCustomerGateway(new DescribeCustomerGatewayRequest({ regionId: DUAL, customerGatewayId: id })),
    );

    expect(err.code).toBe('InvalidCustomerGatewayInstanceId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it('refuses to delete a customer gateway an IPsec connection uses', async () => {
    const client = sim().alibaba(DUAL);
    const gw = await createGateway(client, sim().sim, DUAL);
    const cgws: [string, string] = [await createCgw(client, DUAL, '3.3.3.1'), await createCgw(client, DUAL, '3.3.3.2')];
    await createDualConnection(client, sim().sim, gw, cgws);

    const err = await sdkError(
      client.deleteCustomerGateway(new DeleteCustomerGatewayRequest({ regionId: DUAL, customerGatewayId: cgws[1] })),
    );

    expect(err.code).toBe('DependencyViolation.IpsecConnection');
    expect(err.statusCode).toBe(400);
  });

  it('answers 404 for an unknown customer gateway', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .deleteCustomerGateway(new DeleteCustomerGatewayRequest({ regionId: DUAL, customerGatewayId: 'cgw-nope' })),
    );

    expect(err.code).toBe('InvalidCustomerGatewayInstanceId.NotFound');
  });
});
