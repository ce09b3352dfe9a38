import { AssociateVpcCidrBlockCommand, DeleteRouteCommand } from '@aws-sdk/client-ec2';
import { demoSpec } from '../../local/demo';
import { operatorDeps } from '../../local/operator';
import type { DriftReportOutput } from '../../src/drift/types';
import type { ConnectionSpecInput } from '../../src/spec';
import { clientsFor } from '../helpers/sim';
import { inventory } from '../helpers/workflow';
import { execute, provisionConnection, resetWorld, useDriftWorld } from './drift-world';

// Several CIDRs per side (`aws.cidrs`, `alibaba.cidrs`): both topologies reach ACTIVE through the provisioning state
// machine with one route per CIDR on both clouds (AWS VPC routes and VPN static routes; Alibaba VPC route entries and
// VPN route entries), and the drift check reports one deleted route as exactly one MISSING row.

const world = useDriftWorld(1000);

/** the AWS VPC's second CIDR, associated in the test through AssociateVpcCidrBlock */
const AWS_SECOND = '10.80.0.0/16';
const ALIBABA_CIDRS = ['192.168.0.0/17', '192.168.128.0/17'];

const cases = [
  { region: 'eu-central-1', topology: 'dual-tunnel', awsConnections: 2, alibabaConnections: 1 },
  { region: 'me-east-1', topology: 'single-tunnel', awsConnections: 1, alibabaConnections: 2 },
] as const;

describe.each(cases)('a $topology connection with two CIDRs on each side', (c) => {
  const name = `cidrs-${c.topology}`;
  let spec: ConnectionSpecInput;

  beforeAll(async () => {
    const w = world();
    await resetWorld(w);
    const base = await demoSpec(w.url, { name, alibabaRegion: c.region, profile: 'recommended', psk: 'generated' });
    await clientsFor(w.sim)
      .ec2()
      .send(new AssociateVpcCidrBlockCommand({ VpcId: base.aws.vpcId, CidrBlock: AWS_SECOND }));
    spec = {
      ...base,
      aws: { region: base.aws.region, vpcId: base.aws.vpcId, cidrs: [base.aws.cidr ?? '', AWS_SECOND] },
      alibaba: { region: base.alibaba.region, vpcId: base.alibaba.vpcId, cidrs: ALIBABA_CIDRS },
    };
    await provisionConnection(w, spec);
  });

  it('reaches ACTIVE with a route per CIDR on both clouds', async () => {
    // Prepare
    const deps = operatorDeps();
    const awsCidrs = spec.aws.cidrs ?? [];

    // Act
    const got = await deps.registry.get(name);
    const record = got?.record;
    const aws = deps.aws(spec.aws.region);
    const alibaba = await deps.alibaba(spec.alibaba.region);
    const vgwId = record?.resources.aws.vpnGatewayId ?? '';
    const gwId = record?.resources.alibaba.vpnGatewayId ?? '';
    const tables = await aws.describeRouteTables({ ids: record?.resolved?.awsRouteTableIds ?? [] });
    const vpns = await aws.findVpnConnections({ stage: deps.registry.stage, name });
    const vtb = record?.resolved?.alibabaRouteTableId ?? '';
    const vpcRoutes = await alibaba.listRouteEntries(vtb, { nextHopId: gwId });
    const vpnRoutes = await alibaba.listVpnRouteEntries(gwId);

    // Assert
    expect(record?.status).toBe('ACTIVE');
    expect(record?.topology).toBe(c.topology);
    expect(tables).toHaveLength(1);
    for (const t of tables)
      expect(
        t.routes
          .filter((r) => r.gatewayId === vgwId)
          .map((r) => r.destination)
          .sort(),
      ).toEqual(ALIBABA_CIDRS);
    expect(vpns).toHaveLength(c.awsConnections);
    for (const v of vpns)
      expect(v.routes.map((r) => `${r.destination} ${r.state}`).sort()).toEqual(
        ALIBABA_CIDRS.map((x) => `${x} available`),
      );
    expect(
      vpcRoutes
        .filter((e) => e.nextHopId === gwId)
        .map((e) => `${e.destination} ${e.status}`)
        .sort(),
    ).toEqual(awsCidrs.map((x) => `${x} Available`).sort());
    const conns = Object.values(record?.resources.alibaba.connections ?? {});
    expect(conns).toHaveLength(c.alibabaConnections);
    for (const id of conns)
      expect(
        vpnRoutes
          .filter((r) => r.nextHop === id)
          .map((r) => r.routeDest)
          .sort(),
      ).toEqual([...awsCidrs].sort());
  });

  it('reports a deleted route of one CIDR as exactly one MISSING row', async () => {
    // Prepare
    const w = world();
    const got = await operatorDeps().registry.get(name);
    const rtb = got?.record.resolved?.awsRouteTableIds[0] ?? '';
    const gone = ALIBABA_CIDRS[1] ?? '';
    await clientsFor(w.sim)
      .ec2()
      .send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: gone }));

    // Act
    const { execution, described } = await execute(w, 'drift', { names: [name], repair: false });

    // Assert
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(described.output ?? '{}') as DriftReportOutput;
    const rows = output.results.flatMap((r) => r.rows ?? []);
    expect(rows.map((r) => ({ resource: r.resource, attribute: r.attribute, kind: r.kind }))).toEqual([
      { resource: `route-table/${rtb}`, attribute: `route ${gone}`, kind: 'MISSING' },
    ]);
  });

  it('tears down every route of every CIDR on both clouds', async () => {
    // Prepare
    const w = world();
    const deps = operatorDeps();
    const record = (await deps.registry.get(name))?.record;
    const gwId = record?.resources.alibaba.vpnGatewayId ?? '';
    const vtb = record?.resolved?.alibabaRouteTableId ?? '';

    // Act
    const { execution } = await execute(w, 'teardown', { name });

    // Assert
    expect(execution.status).toBe('SUCCEEDED');
    expect((await deps.registry.get(name))?.record.status).toBe('DELETED');
    const tables = await deps.aws(spec.aws.region).describeRouteTables({ vpcId: spec.aws.vpcId });
    expect(tables.flatMap((t) => t.routes).filter((r) => r.gatewayId?.startsWith('vgw-'))).toEqual([]);
    const alibaba = await deps.alibaba(spec.alibaba.region);
    expect(await alibaba.listRouteEntries(vtb, { nextHopId: gwId })).toEqual([]);
    const left = inventory(w.sim);
    expect(left).toEqual(Object.fromEntries(Object.keys(left).map((k) => [k, 0])));
  });
});
