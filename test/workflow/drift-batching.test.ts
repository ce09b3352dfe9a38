import { demoSpec } from '../../local/demo';
import { operatorDeps } from '../../local/operator';
import type { ConnectionRecord } from '../../src/registry/record';
import { runDriftCheck } from '../../src/workflow/drift';
import { cloneConnection } from '../helpers/fleet';
import { counters, type DriftWorld, delta, execute, provisionConnection, useDriftWorld } from './drift-world';

// The batching property of the drift check: API calls grow with pages of resources, not with connections.
//
// Many managed connections, cheaply: ONE connection is provisioned for real through the provisioning state
// machine, then copied in the simulator's world state (test/helpers/fleet.ts); each copy gets its own record
// through the registry (CreateSecret, as provisioning writes it).

const world = useDriftWorld(1000);
const TEMPLATE = 'bulk-template';

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

/** the calls a drift check over `k` dual-tunnel connections in one AWS and one Alibaba region must make */
function expectedCalls(k: number): Record<string, number> {
  return {
    'ec2:DescribeVpnGateways': 1,
    'ec2:DescribeCustomerGateways': 1,
    'ec2:DescribeVpnConnections': 1,
    'ec2:DescribeRouteTables': 1,
    'alibaba-vpc:DescribeVpnGateways': pages(k, 50),
    'alibaba-vpc:DescribeVpnConnections': pages(k, 50),
    'alibaba-vpc:DescribeCustomerGateways': pages(2 * k, 50),
    // the system route table: the two vSwitch routes plus one route per connection, 100 per page
    'alibaba-vpc:DescribeRouteEntryList': pages(k + 2, 100),
    'secretsmanager:BatchGetSecretValue': pages(k, 20),
  };
}

describe('the drift check over many connections', () => {
  let template: ConnectionRecord;
  let made = 0;

  async function grow(w: DriftWorld, total: number): Promise<void> {
    const registry = operatorDeps().registry;
    while (made + 1 < total) {
      made++;
      await registry.put(cloneConnection(w.sim, template, made, TEMPLATE));
    }
    w.sim.advance(60); // one negotiation period: the copies' tunnels come UP
  }

  beforeAll(async () => {
    const w = world();
    const spec = await demoSpec(w.url, {
      name: TEMPLATE,
      alibabaRegion: 'eu-central-1',
      profile: 'recommended',
      psk: 'from-aws-config',
    });
    await provisionConnection(w, spec);
    await execute(w, 'drift', {}); // writes the template's first lastDrift (clean)
    const got = await operatorDeps().registry.get(TEMPLATE);
    if (!got) throw new Error('template record');
    template = got.record;
  });

  it('makes describe calls that grow with pages, not with connections (N = 16 vs 3N = 48)', async () => {
    // Prepare
    const w = world();
    const n = 16;
    await grow(w, n);
    // the operator's Alibaba AccessKey is read once per process (a cold start), not per check: read it now
    await (await operatorDeps().alibaba('eu-central-1')).listVpnGateways();
    const before1 = await counters(w);

    // Act
    const small = await runDriftCheck(operatorDeps());
    const calls1 = delta(before1, await counters(w));
    await grow(w, 3 * n);
    const before3 = await counters(w);
    const large = await runDriftCheck(operatorDeps());
    const calls3 = delta(before3, await counters(w));

    // Assert: every copy is a clean, healthy connection (no anomaly, so no per-connection call)
    expect(small.summary).toEqual(expect.objectContaining({ connections: n, clean: n, rows: 0 }));
    expect(large.summary).toEqual(expect.objectContaining({ connections: 3 * n, clean: 3 * n, rows: 0 }));
    // Assert: exactly the paged describes, and nothing per connection (no record writes either)
    expect(calls1).toEqual(expectedCalls(n));
    expect(calls3).toEqual(expectedCalls(3 * n));
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(calls3) - total(calls1)).toBeLessThanOrEqual(4);
    expect(total(calls3)).toBeLessThan(3 * n);
  });
});
