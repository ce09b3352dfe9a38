import { getDeps } from '../../functions/lib/deps';
import { demoSpec } from '../../src/local/demo';
import { insideCidrs } from '../../src/plan';
import type { ConnectionRecord } from '../../src/registry/record';
import { runDriftCheck } from '../../src/workflow/drift';
import { counters, type DriftWorld, delta, execute, provisionConnection, useDriftWorld } from './drift-world';

// The batching property of the drift check: API calls grow with pages of resources, not with connections.
//
// Many managed connections, cheaply: ONE connection is provisioned for real through the provisioning state
// machine, then copied directly in the simulator's world state (sim.ctx.state, in-process) with fresh ids,
// names/tags, public and inside addresses and CIDRs, plus a route to each copy in the AWS route table and the
// Alibaba route table; each copy gets its own record through the registry (CreateSecret, as provisioning
// writes it). The copies pair and negotiate like the original (the negotiation model reads the world state),
// so after one simulated negotiation period every copy is a clean, healthy connection.

const world = useDriftWorld(1000);
const TEMPLATE = 'bulk-template';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** a deep copy with exact-match replacements (ids, addresses, CIDRs) and the connection name renamed */
function copy<T>(value: T, exact: Map<string, string>, name: string): T {
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return exact.get(v) ?? v.split(TEMPLATE).join(name);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(JSON.parse(JSON.stringify(value)) as Json) as T;
}

function cloneConnection(w: DriftWorld, t: ConnectionRecord, i: number): ConnectionRecord {
  const st = w.sim.ctx.state;
  const aws = st.aws.regions['us-east-1'];
  const ali = st.alibaba.regions[t.spec.alibaba.region];
  if (!aws || !ali) throw new Error('regions');
  const name = `bulk-${String(i).padStart(3, '0')}`;
  const exact = new Map<string, string>();
  const id = (x: string | undefined) => {
    if (x) exact.set(x, `${x}x${i}`);
  };
  // ids of everything the connection owns
  id(t.resources.aws.vpnGatewayId);
  for (const x of Object.values(t.resources.aws.customerGateways)) id(x);
  for (const x of Object.values(t.resources.aws.vpnConnections)) id(x);
  id(t.resources.alibaba.vpnGatewayId);
  for (const x of Object.values(t.resources.alibaba.customerGateways)) id(x);
  for (const x of Object.values(t.resources.alibaba.connections)) id(x);
  const aliConns = Object.values(ali.vpnConnections).filter((c) => c.VpnGatewayId === t.resources.alibaba.vpnGatewayId);
  for (const c of aliConns) for (const tun of c.Tunnels) id(tun.TunnelId);
  // public addresses, inside /30s, CIDRs
  const ips = [t.handoffs.alibabaGatewayIps?.InternetIp, t.handoffs.alibabaGatewayIps?.DisasterRecoveryInternetIp];
  ips.push(...Object.values(t.handoffs.awsTunnels).map((x) => x.outsideIp));
  ips.forEach((ip, k) => {
    if (ip) exact.set(ip, `198.18.${i}.${k + 1}`);
  });
  const [oldInside, newInside] = [insideCidrs(TEMPLATE), insideCidrs(name)];
  oldInside.forEach((c, k) => {
    exact.set(c, newInside[k] ?? c);
  });
  const [awsCidr, aliCidr] = [`10.1.${i}.0/24`, `10.2.${i}.0/24`];
  exact.set(t.spec.aws.cidr, awsCidr);
  exact.set(t.spec.alibaba.cidr, aliCidr);

  const put = <T>(store: Record<string, T>, oldId: string | undefined, key: (x: T) => string) => {
    const x = oldId ? store[oldId] : undefined;
    if (!x) throw new Error(`template resource ${oldId} not found`);
    const c = copy(x, exact, name);
    store[key(c)] = c;
  };
  put(aws.vpnGateways, t.resources.aws.vpnGatewayId, (x) => x.VpnGatewayId);
  for (const x of Object.values(t.resources.aws.customerGateways))
    put(aws.customerGateways, x, (c) => c.CustomerGatewayId);
  for (const x of Object.values(t.resources.aws.vpnConnections)) put(aws.vpnConnections, x, (c) => c.VpnConnectionId);
  const rtb = aws.routeTables[t.resolved?.awsRouteTableIds[0] ?? ''];
  const vgwRoute = rtb?.Routes.find((r) => r.GatewayId === t.resources.aws.vpnGatewayId);
  if (!rtb || !vgwRoute) throw new Error('template VPC route');
  rtb.Routes.push(copy(vgwRoute, exact, name));

  put(ali.vpnGateways, t.resources.alibaba.vpnGatewayId, (x) => x.VpnGatewayId);
  for (const x of Object.values(t.resources.alibaba.customerGateways))
    put(ali.customerGateways, x, (c) => c.CustomerGatewayId);
  for (const c of aliConns) put(ali.vpnConnections, c.VpnConnectionId, (x) => x.VpnConnectionId);
  const entry = Object.values(ali.routeEntries).find((e) => e.NextHopId === t.resources.alibaba.vpnGatewayId);
  if (!entry) throw new Error('template Alibaba route entry');
  const e = copy(entry, exact, name);
  e.RouteEntryId = `${entry.RouteEntryId}x${i}`;
  ali.routeEntries[e.RouteEntryId] = e;
  for (const v of ali.vpnRouteEntries.filter((x) => x.VpnInstanceId === t.resources.alibaba.vpnGatewayId))
    ali.vpnRouteEntries.push(copy(v, exact, name));

  const record = copy(t, exact, name);
  record.lastDrift = { at: '2024-01-01T00:00:00.000Z', clean: true, rows: [] };
  return record;
}

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
    const registry = getDeps().registry;
    while (made + 1 < total) {
      made++;
      await registry.put(cloneConnection(w, template, made));
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
    const got = await getDeps().registry.get(TEMPLATE);
    if (!got) throw new Error('template record');
    template = got.record;
  });

  it('makes describe calls that grow with pages, not with connections (N = 16 vs 3N = 48)', async () => {
    // Prepare
    const w = world();
    const n = 16;
    await grow(w, n);
    const before1 = await counters(w);

    // Act
    const small = await runDriftCheck(getDeps());
    const calls1 = delta(before1, await counters(w));
    await grow(w, 3 * n);
    const before3 = await counters(w);
    const large = await runDriftCheck(getDeps());
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
