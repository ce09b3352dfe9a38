import { type ConnectionKey, resourceName } from '../plan/naming';
import { type ObservedResources, type PlanPreview, previewPlan } from '../plan/preview';
import { parseSpec } from '../spec/parse';
import { preflight, recordConflicts } from '../spec/preflight';
import type { ConnectionSpec } from '../spec/schema';
import type { Deps } from '../workflow/deps';
import { byRole } from '../workflow/observe';

// `vpn-bridge plan` / `POST /plan`: preflight plus the planner, read-only, on both clouds. What the connection's
// steps would find (by the same tags and names they create with) is adopted; the rest is created.

async function observe(spec: ConnectionSpec, clouds: Deps, key: ConnectionKey): Promise<ObservedResources> {
  const aws = clouds.aws(spec.aws.region);
  const alibaba = await clouds.alibaba(spec.alibaba.region);
  const [vgws, cgws, vpns, tables, gateway, aliCgws] = await Promise.all([
    aws.findVpnGateways(key),
    aws.findCustomerGateways(key),
    aws.findVpnConnections(key),
    aws.describeRouteTables({ vpcId: spec.aws.vpcId }),
    alibaba.findVpnGateway(spec.alibaba.vpcId, resourceName(key, 'alibaba-gateway')),
    alibaba.listCustomerGateways(),
  ]);
  const vgw = vgws[0];
  const live = (x: { state: string }) => x.state !== 'deleted' && x.state !== 'deleting';
  const [aliConns, vpnRoutes] = gateway
    ? await Promise.all([alibaba.listVpnConnections(gateway.id), alibaba.listVpnRouteEntries(gateway.id)])
    : [[], []];
  const aliRouteTable =
    spec.alibaba.routeTableId ?? (await alibaba.describeVpc(spec.alibaba.vpcId))?.systemRouteTableId;
  const vpcRoutes = gateway && aliRouteTable ? await alibaba.listRouteEntries(aliRouteTable) : [];
  const byName = (names: string[], items: Array<{ id: string; name: string }>) =>
    Object.fromEntries(
      names.flatMap((n) => items.filter((x) => x.name === resourceName(key, n as 'ipsec-1')).map((x) => [n, x.id])),
    );
  return {
    awsVpnGateway: vgw && live(vgw) ? vgw.id : undefined,
    awsCustomerGateways: Object.fromEntries(Object.entries(byRole(cgws.filter(live)).map).map(([k, v]) => [k, v?.id])),
    awsVpnConnections: Object.fromEntries(Object.entries(byRole(vpns.filter(live)).map).map(([k, v]) => [k, v?.id])),
    awsRoutesPresent: vgw
      ? tables
          .filter((t) => t.routes.some((r) => r.destination === spec.alibaba.cidr && r.gatewayId === vgw.id))
          .map((t) => t.id)
      : [],
    alibabaGateway: gateway ? { id: gateway.id, kind: gateway.kind } : undefined,
    alibabaCustomerGateways: byName(['alibaba-cgw-1', 'alibaba-cgw-2'], aliCgws),
    alibabaConnections: byName(['ipsec-1', 'ipsec-2'], aliConns),
    alibabaVpnRoutePresent: vpnRoutes.some((r) => r.routeDest === spec.aws.cidr),
    alibabaVpcRoutePresent: vpcRoutes.some((r) => r.destination === spec.aws.cidr && r.nextHopId === gateway?.id),
  };
}

const NOTHING: ObservedResources = {
  awsCustomerGateways: {},
  awsVpnConnections: {},
  awsRoutesPresent: [],
  alibabaCustomerGateways: {},
  alibabaConnections: {},
  alibabaVpnRoutePresent: false,
  alibabaVpcRoutePresent: false,
};

/** the plan of a spec (any JSON-like value) against both clouds; reads only */
export async function planSpec(
  specInput: unknown,
  clouds: Deps,
  latencies: Readonly<Record<string, number>>,
): Promise<PlanPreview> {
  const parsed = parseSpec(specInput);
  if (!parsed.ok) {
    const name = (specInput as { name?: unknown } | undefined)?.name;
    return {
      name: typeof name === 'string' ? name : '',
      ok: false,
      changes: false,
      errors: parsed.errors.map((e) => ({ path: e.path, message: e.message })),
      warnings: [],
      aws: [],
      alibaba: [],
      pairing: [],
      summary: { create: 0, adopt: 0 },
    };
  }
  const spec = parsed.spec;
  const key = { stage: clouds.registry.stage, name: spec.name };
  const prior = (await clouds.registry.get(spec.name))?.record;
  const pf = await preflight(
    spec,
    { aws: clouds.aws(spec.aws.region), alibaba: await clouds.alibaba(spec.alibaba.region) },
    { key },
  );
  const errors = [...pf.errors, ...recordConflicts(prior, spec, pf.gatewayKind)];
  const observed = errors.length === 0 ? await observe(spec, clouds, key) : NOTHING;
  return previewPlan({
    spec,
    errors,
    warnings: [...parsed.warnings, ...pf.warnings],
    expectedKind: pf.gatewayKind,
    resolved: pf.resolved,
    observed,
    latencies,
  });
}
