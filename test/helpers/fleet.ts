import type { Simulator } from '../../sim';
import { insideCidrs } from '../../src/plan';
import type { ConnectionRecord } from '../../src/registry/record';

// Many managed connections, cheaply, for the drift batching test and the drift benchmark: ONE connection is
// provisioned for real, then copied directly in the simulator's world state with fresh ids, names/tags,
// public and inside addresses and CIDRs, plus a route to each copy in the AWS and Alibaba route tables; each
// copy gets its own record (written through the registry by the caller, as provisioning writes it). The
// copies pair and negotiate like the original (the negotiation model reads the world state), so after one
// negotiation period every copy is a clean, healthy connection. (Quotas are not applied to copies: a real
// region would hold fewer; the point is how the drift check's cost grows.)

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** a deep copy with exact-match replacements (ids, addresses, CIDRs) and the connection name renamed */
function copy<T>(value: T, exact: Map<string, string>, name: string, template: string): T {
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return exact.get(v) ?? v.split(template).join(name);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(JSON.parse(JSON.stringify(value)) as Json) as T;
}

export function cloneConnection(sim: Simulator, t: ConnectionRecord, i: number, template: string): ConnectionRecord {
  const st = sim.ctx.state;
  const aws = st.aws.regions['us-east-1'];
  const ali = st.alibaba.regions[t.spec.alibaba.region];
  if (!aws || !ali) throw new Error('regions');
  const name = `bulk-${String(i).padStart(4, '0')}`;
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
  // room for 65536 copies: the high byte picks the second octet
  ips.forEach((ip, k) => {
    if (ip) exact.set(ip, `198.${18 + (i >> 8)}.${i & 255}.${k + 1}`);
  });
  const [oldInside, newInside] = [insideCidrs(template), insideCidrs(name)];
  oldInside.forEach((c, k) => {
    exact.set(c, newInside[k] ?? c);
  });
  const [awsCidr, aliCidr] = [`10.${1 + 2 * (i >> 8)}.${i & 255}.0/24`, `10.${2 + 2 * (i >> 8)}.${i & 255}.0/24`];
  // the template connection uses the one-CIDR form
  if (t.spec.aws.cidr) exact.set(t.spec.aws.cidr, awsCidr);
  if (t.spec.alibaba.cidr) exact.set(t.spec.alibaba.cidr, aliCidr);

  const put = <T>(store: Record<string, T>, oldId: string | undefined, key: (x: T) => string) => {
    const x = oldId ? store[oldId] : undefined;
    if (!x) throw new Error(`template resource ${oldId} not found`);
    const c = copy(x, exact, name, template);
    store[key(c)] = c;
  };
  put(aws.vpnGateways, t.resources.aws.vpnGatewayId, (x) => x.VpnGatewayId);
  for (const x of Object.values(t.resources.aws.customerGateways))
    put(aws.customerGateways, x, (c) => c.CustomerGatewayId);
  for (const x of Object.values(t.resources.aws.vpnConnections)) put(aws.vpnConnections, x, (c) => c.VpnConnectionId);
  const rtb = aws.routeTables[t.resolved?.awsRouteTableIds[0] ?? ''];
  const vgwRoute = rtb?.Routes.find((r) => r.GatewayId === t.resources.aws.vpnGatewayId);
  if (!rtb || !vgwRoute) throw new Error('template VPC route');
  rtb.Routes.push(copy(vgwRoute, exact, name, template));

  put(ali.vpnGateways, t.resources.alibaba.vpnGatewayId, (x) => x.VpnGatewayId);
  for (const x of Object.values(t.resources.alibaba.customerGateways))
    put(ali.customerGateways, x, (c) => c.CustomerGatewayId);
  for (const c of aliConns) put(ali.vpnConnections, c.VpnConnectionId, (x) => x.VpnConnectionId);
  const entry = Object.values(ali.routeEntries).find((e) => e.NextHopId === t.resources.alibaba.vpnGatewayId);
  if (!entry) throw new Error('template Alibaba route entry');
  const e = copy(entry, exact, name, template);
  e.RouteEntryId = `${entry.RouteEntryId}x${i}`;
  ali.routeEntries[e.RouteEntryId] = e;
  for (const v of ali.vpnRouteEntries.filter((x) => x.VpnInstanceId === t.resources.alibaba.vpnGatewayId))
    ali.vpnRouteEntries.push(copy(v, exact, name, template));

  // edited behind the simulator's back: its derived state (tunnel status) must be recomputed
  sim.ctx.touch();
  const record = copy(t, exact, name, template);
  record.lastDrift = { at: '2024-01-01T00:00:00.000Z', clean: true, rows: [] };
  return record;
}
