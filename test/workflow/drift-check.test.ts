import { DeleteRouteEntryRequest, DeleteVpnRouteEntryRequest } from '@alicloud/vpc20160428';
import { DeleteRouteCommand, DeleteVpnConnectionRouteCommand } from '@aws-sdk/client-ec2';
import { demoSpec } from '../../local/demo';
import { operatorDeps } from '../../local/operator';
import { driftExitCode } from '../../src/drift/render';
import type { DriftReportOutput } from '../../src/drift/types';
import type { ConnectionRecord } from '../../src/registry/record';
import type { ConnectionSpecInput } from '../../src/spec';
import { runDriftCheck } from '../../src/workflow/drift';
import { clientsFor } from '../helpers/sim';
import { allPsks, leaks } from '../helpers/workflow';
import {
  admin,
  counters,
  type DriftWorld,
  delta,
  execute,
  provisionConnection,
  resetWorld,
  useDriftWorld,
} from './drift-world';

// The drift re-check against the simulator, end to end: connections provisioned through the provisioning state
// machine (StartExecution through the SDK), changes made behind the product's back with the SDKs and the
// simulator's admin API, the drift-check state machine run the same way, repair included.

const world = useDriftWorld(1000);

async function record(name: string): Promise<ConnectionRecord> {
  const got = await operatorDeps().registry.get(name);
  if (!got) throw new Error(`no record ${name}`);
  return got.record;
}

async function drift(w: DriftWorld, input: unknown): Promise<{ output: DriftReportOutput; history: string }> {
  const { execution, described } = await execute(w, 'drift', input);
  if (execution.status !== 'SUCCEEDED')
    throw new Error(`drift ${execution.status}: ${execution.error}: ${execution.cause}`);
  return {
    output: JSON.parse(described.output ?? '{}') as DriftReportOutput,
    history: JSON.stringify(execution.history),
  };
}

const shape = (o: DriftReportOutput) =>
  o.results
    .flatMap((r) => r.rows ?? [])
    .map((r) => ({
      cloud: r.cloud,
      resource: r.resource,
      attribute: r.attribute,
      kind: r.kind,
      severity: r.severity,
      repairable: r.repairable,
    }))
    .sort((a, b) => `${a.cloud}${a.resource}`.localeCompare(`${b.cloud}${b.resource}`));

describe('drift re-check of a dual-tunnel connection (recommended profile)', () => {
  let spec: ConnectionSpecInput;
  let ids: { rtb: string; vtb: string; gateway: string; vpn1: string; vpn1Route: string; aliConn: string };

  beforeAll(async () => {
    const w = world();
    spec = await demoSpec(w.url, {
      name: 'drift-dual',
      alibabaRegion: 'eu-central-1',
      profile: 'recommended',
      psk: 'from-aws-config',
    });
    await provisionConnection(w, spec);
    const r = await record('drift-dual');
    ids = {
      rtb: r.resolved?.awsRouteTableIds[0] ?? '',
      vtb: r.resolved?.alibabaRouteTableId ?? '',
      gateway: r.resources.alibaba.vpnGatewayId ?? '',
      vpn1: r.resources.aws.vpnConnections['vpn-1'] ?? '',
      vpn1Route: spec.alibaba.cidr ?? '',
      aliConn: r.resources.alibaba.connections['ipsec-1'] ?? '',
    };
  });

  it('shows no drift on the freshly provisioned connection, through the state machine and directly', async () => {
    // Prepare
    const w = world();

    // Act
    const { output } = await drift(w, { repair: false });
    const direct = await runDriftCheck(operatorDeps(), { names: ['drift-dual'] });

    // Assert
    expect(output.summary).toEqual(
      expect.objectContaining({ connections: 1, clean: 1, drifted: 0, rows: 0, unmanaged: 0, repaired: 0 }),
    );
    expect(output.results).toEqual([]);
    expect(driftExitCode(output)).toBe(0);
    expect(direct.results.map((r) => [r.name, r.status, r.rows])).toEqual([['drift-dual', 'clean', []]]);
    expect((await record('drift-dual')).lastDrift).toEqual(expect.objectContaining({ clean: true, rows: [] }));
  });

  it('reports exactly the routes deleted behind its back and the tunnel forced down', async () => {
    // Prepare
    const w = world();
    const c = clientsFor(w.sim);
    await c.ec2().send(new DeleteRouteCommand({ RouteTableId: ids.rtb, DestinationCidrBlock: spec.alibaba.cidr }));
    await c.alibaba('eu-central-1').deleteRouteEntry(
      new DeleteRouteEntryRequest({
        regionId: 'eu-central-1',
        routeTableId: ids.vtb,
        destinationCidrBlock: spec.aws.cidr,
        nextHopId: ids.gateway,
      }),
    );
    w.sim.advance(10);
    await admin(w, 'POST', '/_sim/tunnels/down', { cloud: 'aws', vpnConnectionId: ids.vpn1, tunnel: 1 });
    const before = await counters(w);

    // Act
    const { output, history } = await drift(w, { repair: false });

    // Assert
    expect(shape(output)).toEqual([
      {
        cloud: 'alibaba',
        resource: `route-table/${ids.vtb}`,
        attribute: `route ${spec.aws.cidr}`,
        kind: 'MISSING',
        severity: 'high',
        repairable: true,
      },
      {
        cloud: 'aws',
        resource: `route-table/${ids.rtb}`,
        attribute: `route ${spec.alibaba.cidr}`,
        kind: 'MISSING',
        severity: 'high',
        repairable: true,
      },
      {
        cloud: 'aws',
        resource: 'tunnel/vpn-1/1',
        attribute: 'status (active)',
        kind: 'DOWN',
        severity: 'high',
        repairable: false,
      },
    ]);
    expect(output.summary).toEqual(expect.objectContaining({ drifted: 1, rows: 3, repairable: 1 }));
    expect(driftExitCode(output)).toBe(2);
    // the anomaly made it read this gateway's VPN route entries (still there: no row)
    expect(delta(before, await counters(w))['alibaba-vpc:DescribeVpnRouteEntries']).toBe(1);
    expect((await record('drift-dual')).lastDrift?.rows).toHaveLength(3);
    const psks = allPsks(w.sim);
    expect(psks.length).toBeGreaterThan(0);
    expect(leaks(psks, JSON.stringify(output))).toEqual([]);
    expect(leaks(psks, history)).toEqual([]);
  });

  it('writes nothing to the record when the drift did not change', async () => {
    // Prepare
    const w = world();
    const before = await counters(w);

    // Act
    const { output } = await drift(w, { repair: false });

    // Assert
    const calls = delta(before, await counters(w));
    expect(output.summary.rows).toBe(3);
    expect(output.written).toBe(0);
    expect(calls['secretsmanager:PutSecretValue']).toBeUndefined();
  });

  it('repairs the deleted routes through the provisioning steps; the recheck shows only the DOWN tunnel', async () => {
    // Prepare
    const w = world();

    // Act
    const { output } = await drift(w, { repair: true });

    // Assert
    expect(output.summary).toEqual(expect.objectContaining({ repaired: 1, drifted: 1, rows: 1, repairable: 0 }));
    expect(output.repairErrors).toEqual({});
    expect(shape(output)).toEqual([expect.objectContaining({ kind: 'DOWN', resource: 'tunnel/vpn-1/1' })]);
    const table = w.sim.ctx.state.aws.regions['us-east-1']?.routeTables[ids.rtb];
    expect(table?.Routes.find((r) => r.DestinationCidrBlock === spec.alibaba.cidr)?.GatewayId).toMatch(/^vgw-/);
    const entry = Object.values(w.sim.ctx.state.alibaba.regions['eu-central-1']?.routeEntries ?? {}).find(
      (e) => e.DestinationCidrBlock === spec.aws.cidr,
    );
    expect(entry).toEqual(expect.objectContaining({ NextHopId: ids.gateway, Status: 'Available' }));
    expect((await record('drift-dual')).lastDrift?.rows.map((r) => r.kind)).toEqual(['DOWN']);
  });

  it('is clean again once the tunnel is released', async () => {
    // Prepare
    const w = world();
    await admin(w, 'POST', '/_sim/tunnels/up', { cloud: 'aws', vpnConnectionId: ids.vpn1, tunnel: 1 });
    w.sim.advance(60);

    // Act
    const run = await runDriftCheck(operatorDeps());

    // Assert
    expect(run.summary).toEqual(expect.objectContaining({ connections: 1, clean: 1, rows: 0 }));
    expect(driftExitCode(run)).toBe(0);
    expect((await record('drift-dual')).lastDrift).toEqual(expect.objectContaining({ clean: true, rows: [] }));
  });

  it('repairs a deleted static route and VPN route entry directly (the CLI path)', async () => {
    // Prepare
    const w = world();
    const c = clientsFor(w.sim);
    await c.ec2().send(new DeleteRouteCommand({ RouteTableId: ids.rtb, DestinationCidrBlock: spec.alibaba.cidr }));
    await c
      .ec2()
      .send(
        new DeleteVpnConnectionRouteCommand({ VpnConnectionId: ids.vpn1, DestinationCidrBlock: spec.alibaba.cidr }),
      );
    await c.alibaba('eu-central-1').deleteVpnRouteEntry(
      new DeleteVpnRouteEntryRequest({
        regionId: 'eu-central-1',
        vpnGatewayId: ids.gateway,
        routeDest: spec.aws.cidr,
        nextHop: ids.aliConn,
        weight: 100,
        overlayMode: 'Ipsec',
      }),
    );
    w.sim.advance(60);
    const seen = await runDriftCheck(operatorDeps(), { write: false });

    // Act
    const run = await runDriftCheck(operatorDeps(), { repair: true, pollMs: 20 });

    // Assert
    expect(
      seen.results
        .flatMap((r) => r.rows)
        .map((r) => [r.kind, r.repairStep])
        .sort(),
    ).toEqual([
      ['MISSING', 'alibabaVpnRoute'],
      ['MISSING', 'awsVpcRoute'],
      ['MISSING', 'awsVpnConnectionRoute'],
    ]);
    expect(run.repaired).toEqual(['drift-dual']);
    expect(run.repairErrors).toEqual({});
    expect(run.summary).toEqual(expect.objectContaining({ clean: 1, drifted: 0, rows: 0, repaired: 1 }));
  });
});

describe('drift repair that fails for one connection', () => {
  it('reports the failure and the remaining drift, and the execution still succeeds', async () => {
    // Prepare
    const w = world();
    const r = await record('drift-dual');
    const rtb = r.resolved?.awsRouteTableIds[0] ?? '';
    await clientsFor(w.sim)
      .ec2()
      .send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: r.spec.alibaba.cidr }));
    await admin(w, 'POST', '/_sim/faults', {
      service: 'ec2',
      action: 'CreateRoute',
      kind: 'error',
      code: 'UnauthorizedOperation',
      status: 403,
      count: 0,
    });

    // Act
    const { output } = await drift(w, { repair: true, names: ['drift-dual'] });
    await admin(w, 'DELETE', '/_sim/faults');

    // Assert
    expect(Object.keys(output.repairErrors)).toEqual(['drift-dual']);
    expect(output.repairErrors['drift-dual']).toMatch(/UnauthorizedOperation/);
    expect(output.summary).toEqual(expect.objectContaining({ repaired: 0, drifted: 1, rows: 1 }));
    expect(shape(output)).toEqual([
      expect.objectContaining({ kind: 'MISSING', resource: `route-table/${rtb}`, repairable: true }),
    ]);
  });
});

describe('drift re-check of a single-tunnel connection (article-2018 profile)', () => {
  it('shows no drift on the freshly provisioned connection', async () => {
    // Prepare
    const w = world();
    await resetWorld(w);
    const spec = await demoSpec(w.url, {
      name: 'drift-single',
      alibabaRegion: 'me-east-1',
      profile: 'article-2018',
      psk: 'generated',
    });
    await provisionConnection(w, spec);

    // Act
    const { output } = await drift(w, {});

    // Assert
    expect(output.summary).toEqual(expect.objectContaining({ connections: 1, clean: 1, drifted: 0, rows: 0 }));
    expect(driftExitCode(output)).toBe(0);
  });
});

describe('drift re-check when a cloud does not answer', () => {
  it('marks the region’s connections as not checked (exit code 1) on access denied, and leaves 5xx to the retry', async () => {
    // Prepare
    const w = world();
    const fault = { service: 'alibaba-vpc', action: 'DescribeVpnGateways', kind: 'error', count: 1 };

    // Act
    await admin(w, 'POST', '/_sim/faults', { ...fault, code: 'Forbidden.RAM', status: 403 });
    const denied = await runDriftCheck(operatorDeps(), { write: false });
    await admin(w, 'POST', '/_sim/faults', fault);
    const unavailable = await runDriftCheck(operatorDeps(), { write: false }).catch((e: Error) => e);
    await admin(w, 'DELETE', '/_sim/faults');

    // Assert
    expect(denied.results).toEqual([
      expect.objectContaining({ name: 'drift-single', status: 'error', note: expect.stringMatching(/Forbidden\.RAM/) }),
    ]);
    expect(driftExitCode(denied)).toBe(1);
    expect(unavailable).toBeInstanceOf(Error);
    expect((unavailable as Error).name).toBe('ProviderUnavailable');
  });
});
