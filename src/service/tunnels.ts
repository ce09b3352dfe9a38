import { type TunnelHealth, tunnelHealth } from '../health/tunnels';
import { type Plan, planConnection } from '../plan';
import type { ConnectionRecord } from '../registry/record';
import type { Deps } from '../workflow/deps';
import { load } from '../workflow/load';
import { findAll } from '../workflow/observe';

// Live per-tunnel status of a connection on both clouds, with each tunnel's role (docs/sources.md#the-article-and-the-interoperability-guides-interop), as the
// API, chat and the CLI show it.

export interface TunnelView {
  id: string;
  role: TunnelHealth['role'];
  up: boolean;
  aws: { vpnConnectionId?: string; tunnel: 1 | 2; outsideIp?: string; status: string; statusMessage?: string };
  alibaba?: { vpnConnectionId?: string; tunnelId?: string; role: string; status: string };
  reason?: string;
}

export function toView(h: TunnelHealth): TunnelView {
  return {
    id: h.id,
    role: h.role,
    up: h.up,
    aws: {
      vpnConnectionId: h.aws.vpnConnectionId,
      tunnel: h.aws.tunnel,
      outsideIp: h.aws.outsideIp,
      status: h.aws.status,
      statusMessage: h.aws.statusMessage,
    },
    alibaba: h.alibaba
      ? {
          vpnConnectionId: h.alibaba.vpnConnectionId,
          tunnelId: h.alibaba.tunnelId,
          role: h.alibaba.role,
          status: h.alibaba.status,
        }
      : undefined,
    reason: h.reason,
  };
}

/** a record whose tunnels can be looked at: validated (topology, resolved defaults) and not torn down */
export function observable(r: ConnectionRecord | undefined): r is ConnectionRecord & {
  topology: NonNullable<ConnectionRecord['topology']>;
  resolved: NonNullable<ConnectionRecord['resolved']>;
} {
  return Boolean(r?.spec && r.topology && r.resolved && r.status !== 'DELETED');
}

/** live per-tunnel health of a connection, from both clouds (nothing for a connection not validated yet) */
export async function liveTunnels(deps: Deps, name: string): Promise<{ plan?: Plan; tunnels: TunnelView[] }> {
  const got = await deps.registry.get(name);
  if (!observable(got?.record)) return { tunnels: [] };
  const l = await load(deps, { name });
  return { plan: l.plan, tunnels: tunnelHealth(l.plan, await findAll(l)).map(toView) };
}

/** the same, for a record already read (no second registry read) */
export async function tunnelsOfRecord(deps: Deps, record: ConnectionRecord, arn = ''): Promise<TunnelView[]> {
  if (!observable(record)) return [];
  const plan = planConnection(record.spec, record.topology);
  plan.routes.awsRouteTableIds = record.resolved.awsRouteTableIds;
  plan.routes.alibabaRouteTableId = record.resolved.alibabaRouteTableId;
  const found = await findAll({
    record,
    arn,
    plan,
    aws: deps.aws(record.spec.aws.region),
    alibaba: await deps.alibaba(record.spec.alibaba.region),
  });
  return tunnelHealth(plan, found).map(toView);
}
