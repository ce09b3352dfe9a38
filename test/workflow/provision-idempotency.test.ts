import { freshWorld, inventory, provision, spec, useLocalWorld } from '../helpers/workflow';

// Every step is safe to re-run: a whole re-execution creates nothing, and a crash after a create call
// succeeded (the simulator loses the response) is recovered by a retry that finds what was made.

const world = useLocalWorld(1000);

const MUTATING = /^(Create|Attach|Put|Tag|Modify|Delete|Detach)/;

describe('re-running provisioning', () => {
  it('changes nothing on a connection that is already ACTIVE and reports ACTIVE again', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: 'eu-central-1' });
    const first = await provision(w, s);
    expect(first.status).toBe('ACTIVE');
    const before = inventory(w.sim);

    // Act
    const second = await provision(w, s);

    // Assert
    expect(second.status).toBe('ACTIVE');
    const creates = Object.entries(second.metrics.apiCallsByAction).filter(
      ([k]) => MUTATING.test(k.split(':')[1] ?? '') && !k.startsWith('secretsmanager:'),
    );
    expect(creates).toEqual([]);
    expect(inventory(w.sim)).toEqual(before);
  });
});

// every call the provisioning workflow makes that creates or changes something
const CREATE_CALLS = [
  ['ec2', 'CreateVpnGateway'],
  ['ec2', 'AttachVpnGateway'],
  ['ec2', 'CreateRoute'],
  ['ec2', 'CreateCustomerGateway'],
  ['ec2', 'CreateVpnConnection'],
  ['ec2', 'CreateVpnConnectionRoute'],
  ['alibaba-vpc', 'CreateVpnGateway'],
  ['alibaba-vpc', 'CreateCustomerGateway'],
  ['alibaba-vpc', 'CreateVpnConnection'],
  ['alibaba-vpc', 'CreateVpnRouteEntry'],
  ['alibaba-vpc', 'CreateRouteEntry'],
  ['secretsmanager', 'CreateSecret'],
  ['secretsmanager', 'PutSecretValue'],
] as const;

describe.each(['eu-central-1', 'me-east-1'])('a lost response after the action happened (Alibaba %s)', (region) => {
  let expected: ReturnType<typeof inventory>;

  beforeAll(async () => {
    const w = world();
    await freshWorld(w);
    const clean = await provision(w, await spec(w, { alibabaRegion: region }));
    expect(clean.status).toBe('ACTIVE');
    expected = inventory(w.sim);
  });

  it.each(CREATE_CALLS)('on %s %s is retried and leaves exactly one of each resource', async (service, action) => {
    // Prepare
    const w = world();
    await freshWorld(w);
    await w.access.admin('POST', '/_sim/faults', { service, action, kind: 'lost-response', count: 1 });

    // Act
    const report = await provision(w, await spec(w, { alibabaRegion: region }));

    // Assert
    const faults = await w.access.admin<{ faults: Array<{ fired: number }> }>('GET', '/_sim/faults');
    expect(faults.faults[0]?.fired).toBe(1);
    expect(report.status).toBe('ACTIVE');
    expect(inventory(w.sim)).toEqual(expected);
  });
});
