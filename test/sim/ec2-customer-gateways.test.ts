import {
  CreateCustomerGatewayCommand,
  type CreateCustomerGatewayCommandInput,
  DeleteCustomerGatewayCommand,
  DeleteVpnConnectionCommand,
  DescribeCustomerGatewaysCommand,
} from '@aws-sdk/client-ec2';
import { DEFAULT_LAG, DEFAULT_LATENCIES } from '../../sim';
import { useSimulator } from '../helpers/sim';
import { availableCgw, availableVpn, failure, wait } from './ec2-fixtures';

const sim = useSimulator({ timeScale: 1 });
const ec2 = () => sim().ec2();

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ latencies: { ...DEFAULT_LATENCIES }, lag: { ...DEFAULT_LAG } });
});

async function describeCgw(id: string) {
  const out = await ec2().send(new DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [id] }));
  return out.CustomerGateways?.[0];
}

describe('CreateCustomerGateway', () => {
  it('creates a pending gateway with the default BGP ASN as a string, then makes it available', async () => {
    const out = await ec2().send(
      new CreateCustomerGatewayCommand({
        Type: 'ipsec.1',
        IpAddress: '47.254.72.128',
        TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'Name', Value: 'alibaba-eu' }] }],
      }),
    );
    const id = out.CustomerGateway?.CustomerGatewayId as string;
    wait(sim(), 'aws.customerGateway.create');
    const later = await describeCgw(id);

    expect(out.CustomerGateway).toMatchObject({
      State: 'pending',
      Type: 'ipsec.1',
      IpAddress: '47.254.72.128',
      BgpAsn: '65000',
      Tags: [{ Key: 'Name', Value: 'alibaba-eu' }],
    });
    expect(id).toMatch(/^cgw-0[0-9a-f]{16}$/);
    expect(later?.State).toBe('available');
  });

  it('accepts the deprecated PublicIp spelling', async () => {
    const out = await ec2().send(
      new CreateCustomerGatewayCommand({ Type: 'ipsec.1', PublicIp: '8.8.4.4', BgpAsn: 65010, DeviceName: 'edge' }),
    );

    expect(out.CustomerGateway).toMatchObject({ IpAddress: '8.8.4.4', BgpAsn: '65010', DeviceName: 'edge' });
  });

  it('returns the existing customer gateway for an identical request, without applying the new tags', async () => {
    const first = await ec2().send(
      new CreateCustomerGatewayCommand({
        Type: 'ipsec.1',
        IpAddress: '47.254.72.128',
        BgpAsn: 65000,
        TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'run', Value: '1' }] }],
      }),
    );
    const again = await ec2().send(
      new CreateCustomerGatewayCommand({
        Type: 'ipsec.1',
        IpAddress: '47.254.72.128',
        BgpAsn: 65000,
        TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: [{ Key: 'run', Value: '2' }] }],
      }),
    );
    wait(sim(), 'ec2.list');
    const all = await ec2().send(new DescribeCustomerGatewaysCommand({}));

    expect(again.CustomerGateway?.CustomerGatewayId).toBe(first.CustomerGateway?.CustomerGatewayId);
    expect(again.CustomerGateway?.Tags).toEqual([{ Key: 'run', Value: '1' }]);
    expect(all.CustomerGateways).toHaveLength(1);
  });

  it('creates a separate gateway when the device name differs', async () => {
    const a = await availableCgw(sim(), '47.254.72.128', 'edge-a');
    const b = await availableCgw(sim(), '47.254.72.128', 'edge-b');

    expect(a).not.toBe(b);
  });

  it('creates a new gateway once the identical one is deleted', async () => {
    const first = await availableCgw(sim());
    await ec2().send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: first }));

    const second = await availableCgw(sim());

    expect(second).not.toBe(first);
  });

  it.each([
    [{ Type: 'ipsec.1', IpAddress: '10.0.0.1' }, 'InvalidParameterValue', '10.0.0.1'],
    [{ Type: 'ipsec.1', IpAddress: 'not-an-ip' }, 'InvalidParameterValue', 'not-an-ip'],
    [{ Type: 'ipsec.1', IpAddress: '47.1.2.3', BgpAsn: 0 }, 'InvalidParameterValue', 'BgpAsn'],
    [{ Type: 'ipsec.1' }, 'MissingParameter', 'IpAddress'],
    [
      { Type: 'ipsec.1', IpAddress: '47.1.2.3', BgpAsn: 65000, BgpAsnExtended: 4200000000 },
      'InvalidParameterCombination',
      'BgpAsnExtended',
    ],
    [{ IpAddress: '47.1.2.3' }, 'MissingParameter', 'Type'],
  ])('rejects %j with %s', async (input, code, mentioned) => {
    const err = await failure(ec2().send(new CreateCustomerGatewayCommand(input as CreateCustomerGatewayCommandInput)));

    expect(err).toMatchObject({ name: code, status: 400 });
    expect(err.message).toContain(mentioned);
  });

  it('refuses a 51st customer gateway with CustomerGatewayLimitExceeded', async () => {
    for (let i = 1; i <= 50; i++)
      await ec2().send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: `47.100.0.${i}` }));

    const err = await failure(
      ec2().send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '47.100.1.1' })),
    );

    expect(err).toMatchObject({ name: 'CustomerGatewayLimitExceeded', status: 400 });
  });
});

describe('DescribeCustomerGateways', () => {
  it('filters by ip-address, bgp-asn and state', async () => {
    const eu = await availableCgw(sim(), '47.254.72.128');
    await availableCgw(sim(), '8.213.1.1');
    await ec2().send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '47.254.72.129' })); // pending

    const out = await ec2().send(
      new DescribeCustomerGatewaysCommand({
        Filters: [
          { Name: 'ip-address', Values: ['47.254.72.*'] },
          { Name: 'bgp-asn', Values: ['65000'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    );

    expect(out.CustomerGateways?.map((c) => c.CustomerGatewayId)).toEqual([eu]);
  });

  it('answers InvalidCustomerGatewayID.NotFound for an id inside the eventual-consistency window', async () => {
    const out = await ec2().send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '47.254.72.128' }));

    const err = await failure(describeCgw(out.CustomerGateway?.CustomerGatewayId as string));

    expect(err).toMatchObject({ name: 'InvalidCustomerGatewayID.NotFound', status: 400 });
  });
});

describe('DeleteCustomerGateway', () => {
  it('deletes a gateway: deleting, deleted, then gone after the visibility window', async () => {
    const id = await availableCgw(sim());

    await ec2().send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: id }));
    const during = await describeCgw(id);
    wait(sim(), 'aws.customerGateway.delete');
    const after = await describeCgw(id);
    wait(sim(), 'aws.deletedVisibility');
    const gone = await failure(describeCgw(id));

    expect(during?.State).toBe('deleting');
    expect(after?.State).toBe('deleted');
    expect(gone.name).toBe('InvalidCustomerGatewayID.NotFound');
  });

  it('refuses to delete a gateway used by a VPN connection with IncorrectState, until the connection is deleted', async () => {
    const cgwId = await availableCgw(sim());
    const vpn = await availableVpn(sim(), { CustomerGatewayId: cgwId });

    const refused = await failure(ec2().send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgwId })));
    await ec2().send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId }));
    wait(sim(), 'aws.vpnConnection.delete');
    await ec2().send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgwId }));

    expect(refused).toMatchObject({ name: 'IncorrectState', status: 400 });
    expect((await describeCgw(cgwId))?.State).toBe('deleting');
  });

  it('answers InvalidCustomerGatewayID.NotFound for an unknown gateway', async () => {
    const err = await failure(
      ec2().send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: 'cgw-0000000000000000a' })),
    );

    expect(err).toMatchObject({ name: 'InvalidCustomerGatewayID.NotFound', status: 400 });
  });
});
