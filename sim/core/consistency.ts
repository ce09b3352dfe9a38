// Eventual consistency of reads after a create, per service and kind of call: for `lag` simulated seconds after a
// resource is created, a read of that kind does not see it. Two kinds of read differ on every provider:
//   byId   a describe that names the resource (EC2 `VpnGatewayIds=[...]`, Alibaba `DescribeVpnGateway`): NotFound
//   list   a listing or filtered describe (EC2 `Filters=[tag:...]`, Alibaba `DescribeVpnGateways`): left out
// One table, overridable (`startSimulator({ lag })`, `PUT /_sim/config {"lag": {...}}`). Sources and the reasons for
// each default: docs/simulator-fidelity.md ("Eventual consistency").
//
// Only creates lag. State changes and deletions show at once (a simplification: real lists may also show a deleted
// resource for a while, which the product tolerates because deletes treat not-found as done).

export const DEFAULT_LAG = {
  /** EC2 describe by id after a create: InvalidXxxID.NotFound ("a couple of seconds", the EC2 API guide) */
  'ec2.byId': 2,
  /** EC2 filtered describes (tags, state) after a create: the new resource is missing (assumed: 10 s) */
  'ec2.list': 10,
  /** Alibaba VPC describe by id (DescribeVpnGateway, ...): the API guide describes it right after the create (0) */
  'alibaba-vpc.byId': 0,
  /**
   * Alibaba VPC listings of instances (DescribeVpnGateways, DescribeCustomerGateways, DescribeVpnConnections) after a
   * create (assumed: 5 s). Route entry listings show an entry at once, Pending before Available (their state is what
   * callers poll).
   */
  'alibaba-vpc.list': 5,
} as const;

export type LagKey = keyof typeof DEFAULT_LAG;
export type Lag = Record<LagKey, number>;

export function resolveLag(overrides: Partial<Record<string, number>> = {}): Lag {
  const out: Lag = { ...DEFAULT_LAG };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in DEFAULT_LAG)) throw new Error(`unknown lag key "${k}"; known: ${Object.keys(DEFAULT_LAG).join(', ')}`);
    if (typeof v !== 'number' || !(v >= 0)) throw new Error(`lag "${k}" must be a number >= 0`);
    out[k as LagKey] = v;
  }
  return out;
}

/** has a resource created at `createdAt` (epoch ms; undefined = seeded) reached reads of this kind by `now`? */
export function visible(lag: Lag, key: LagKey, now: number, createdAt: number | undefined): boolean {
  return createdAt === undefined || now - createdAt >= lag[key] * 1000;
}
