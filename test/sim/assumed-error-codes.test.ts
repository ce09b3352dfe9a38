import { DeleteVpnGatewayRequest } from '@alicloud/vpc20160428';
import { DeleteCustomerGatewayCommand, DeleteVpnGatewayCommand } from '@aws-sdk/client-ec2';
import { DEFAULT_LAG, DEFAULT_LATENCIES } from '../../sim';
import { UNKNOWN_CODE } from '../../sim/core/error-codes';
import { useSimulator } from '../helpers/sim';
import { createCgw, createDualConnection, createGateway, DUAL, sdkError } from './alibaba-fixtures';
import { attachedVgw, availableCgw, availableVpn, failure, seededVpcId } from './ec2-fixtures';

// `assumedErrorCodes: 'unknown'`: every code no provider document gives for the case (docs/error-codes.md) is
// answered as an unknown one; documented codes, and codes a test injects, are answered as they are.

const sim = useSimulator({ timeScale: 1 });

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ latencies: { ...DEFAULT_LATENCIES }, lag: { ...DEFAULT_LAG }, assumedErrorCodes: 'unknown' });
});

afterAll(() => sim().sim.configure({ assumedErrorCodes: 'as-is' }));

describe('with assumedErrorCodes unknown', () => {
  it('answers an assumed Alibaba code (DeleteVpnGateway with connections) as the unknown code and counts it', async () => {
    const client = sim().alibaba(DUAL);
    const gw = await createGateway(client, sim().sim, DUAL);
    const cgws: [string, string] = [await createCgw(client, DUAL, '3.3.3.1'), await createCgw(client, DUAL, '3.3.3.2')];
    await createDualConnection(client, sim().sim, gw, cgws);

    const err = await sdkError(
      client.deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: gw })),
    );

    expect(err.code).toBe(UNKNOWN_CODE);
    expect(err.message).toContain('DependencyViolation.VpnConnection');
    expect(sim().sim.metrics.assumedReplaced).toEqual({
      'alibaba-vpc:DeleteVpnGateway:DependencyViolation.VpnConnection': 1,
    });
  });

  it('answers a documented Alibaba code as it is', async () => {
    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: 'vpn-nope' })),
    );

    expect(err.code).toBe('InvalidVpnGatewayInstanceId.NotFound');
  });

  it('answers a code a test injects as it is, assumed or not', async () => {
    sim().sim.faults.add({
      service: 'alibaba-vpc',
      action: 'DeleteVpnGateway',
      kind: 'error',
      code: 'DependencyViolation.VpnConnection',
      status: 400,
    });

    const err = await sdkError(
      sim()
        .alibaba(DUAL)
        .deleteVpnGateway(new DeleteVpnGatewayRequest({ regionId: DUAL, vpnGatewayId: 'vpn-x' })),
    );

    expect(err.code).toBe('DependencyViolation.VpnConnection');
  });

  it('tells a documented EC2 code used in an assumed case (IncorrectState for a customer gateway in use) from its documented case (a VGW still attached)', async () => {
    const vpcId = await seededVpcId(sim());
    const vgw = await attachedVgw(sim(), vpcId);
    const cgw = await availableCgw(sim());
    await availableVpn(sim(), { VpnGatewayId: vgw, CustomerGatewayId: cgw });

    const cgwInUse = await failure(
      sim()
        .ec2()
        .send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw })),
    );
    const vgwAttached = await failure(
      sim()
        .ec2()
        .send(new DeleteVpnGatewayCommand({ VpnGatewayId: vgw })),
    );

    expect(cgwInUse.name).toBe(UNKNOWN_CODE);
    expect(vgwAttached.name).toBe('IncorrectState');
  });
});
