import type { FaultRuleInput } from '../../sim';
import { freshWorld, inventory, type LocalWorld, provision, spec, teardown, useLocalWorld } from '../helpers/workflow';

// Eventual consistency of listings: a resource made moments ago is missing from tag-filtered describes. EC2's VPN
// creates carry no ClientToken, so a retry that looked up by tag right after a create whose answer was lost would
// make a second one; a rollback that looked right after a create would leave it behind. Under a 30 s list lag the
// product must still end with exactly one of each, and a rollback with nothing.
//
// A low time scale keeps handler time from stretching the simulated gaps between a failure and its retry (at 1000x
// every real millisecond a handler takes is a simulated second, which would hide the lag).

const world = useLocalWorld(100);
const LAG = 30;

async function lagged(w: LocalWorld): Promise<void> {
  await freshWorld(w);
  w.sim.configure({ lag: { 'ec2.list': LAG, 'alibaba-vpc.list': LAG } });
}

afterAll(() => world().sim.configure({ lag: { 'ec2.list': 10, 'alibaba-vpc.list': 5 } }));

/**
 * The Alibaba gateway order refused ~10 simulated seconds after it was sent: the AWS branch has made its VGW by then,
 * so what follows (rollback or teardown) starts well inside the list lag of that VGW
 */
const FAIL_SOON_AFTER_THE_VGW: FaultRuleInput[] = [
  { service: 'alibaba-vpc', action: 'CreateVpnGateway', kind: 'latency', latencyMs: 100, count: 0 },
  {
    service: 'alibaba-vpc',
    action: 'CreateVpnGateway',
    kind: 'error',
    code: 'Resource.QuotaFull',
    status: 400,
    count: 0,
  },
];

const clean = { eu: undefined as ReturnType<typeof inventory> | undefined };

describe(`under a ${LAG} s list lag`, () => {
  beforeAll(async () => {
    const w = world();
    await lagged(w);
    const report = await provision(w, await spec(w, { alibabaRegion: 'eu-central-1' }));
    expect(report.status).toBe('ACTIVE');
    clean.eu = inventory(w.sim);
  });

  it.each<[string, FaultRuleInput]>([
    ['one lost CreateVpnGateway response', { service: 'ec2', action: 'CreateVpnGateway', kind: 'lost-response' }],
    ['one lost CreateVpnConnection response', { service: 'ec2', action: 'CreateVpnConnection', kind: 'lost-response' }],
    [
      'the second CreateVpnConnection throttled after the first one was made',
      { service: 'ec2', action: 'CreateVpnConnection', kind: 'throttle', skip: 1, count: 1 },
    ],
    [
      'the record write after both VPN connections were made failing once',
      {
        service: 'secretsmanager',
        action: 'PutSecretValue',
        kind: 'error',
        code: 'InternalServiceError',
        status: 500,
        skip: 1,
        count: 3,
      },
    ],
  ])('%s ends ACTIVE with exactly one of each resource', async (_what, fault) => {
    // Prepare
    const w = world();
    await lagged(w);
    await w.access.admin('POST', '/_sim/faults', fault);

    // Act
    const report = await provision(w, await spec(w, { alibabaRegion: 'eu-central-1' }));

    // Assert
    const faults = await w.access.admin<{ faults: Array<{ fired: number }> }>('GET', '/_sim/faults');
    expect(faults.faults[0]?.fired).toBeGreaterThan(0);
    expect(report.status).toBe('ACTIVE');
    expect(inventory(w.sim)).toEqual(clean.eu);
  });

  it('a provisioning that fails moments after creating the VGW rolls back everything, the VGW included', async () => {
    // Prepare
    const w = world();
    await lagged(w);
    await w.access.admin('POST', '/_sim/faults', FAIL_SOON_AFTER_THE_VGW);

    // Act
    const report = await provision(w, await spec(w, { alibabaRegion: 'eu-central-1', onFailure: 'rollback' }));

    // Assert
    expect(report.execution.error).toBe('QuotaExceeded');
    expect(w.sim.metrics.requests.ec2?.CreateVpnGateway?.count).toBe(1);
    expect({ ...inventory(w.sim), secrets: 0 }).toEqual(
      Object.fromEntries(Object.keys(inventory(w.sim)).map((k) => [k, 0])),
    );
  });

  it('a teardown right after a failed provisioning (kept) deletes what the listings do not show yet', async () => {
    // Prepare
    const w = world();
    await lagged(w);
    await w.access.admin('POST', '/_sim/faults', FAIL_SOON_AFTER_THE_VGW);
    const s = await spec(w, { alibabaRegion: 'eu-central-1', onFailure: 'keep' });
    expect((await provision(w, s)).status).toBe('FAILED');
    expect(w.sim.metrics.requests.ec2?.CreateVpnGateway?.count).toBe(1);
    await w.access.admin('DELETE', '/_sim/faults');

    // Act
    const report = await teardown(w, s.name);

    // Assert
    expect(report.status).toBe('DELETED');
    expect(inventory(w.sim)).toEqual(Object.fromEntries(Object.keys(inventory(w.sim)).map((k) => [k, 0])));
  });
});
