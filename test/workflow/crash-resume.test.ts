import { provisionLocally } from '../../local/operations';
import { operatorDeps } from '../../local/operator';
import { type LocalExecution, lambdaHandlers, loadDefinition, startLocalExecution } from '../../local/runner';
import { runDriftCheck } from '../../src/workflow/drift';
import { awsCreateRoutes } from '../../src/workflow/provision';
import { freshWorld, inventory, provision, spec, teardown, useLocalWorld } from '../helpers/workflow';

// Resuming after a crash anywhere (issue item 6). A run that dies between creating a resource and writing its id
// to the record must be resumable: the connection's own resources are recognised by their tags, not only by ids in
// the record. And a route to the peer CIDR whose VPN gateway is gone (an orphan a crash or a race left) is reported
// by the drift check and removed by the teardown.

const TIME_SCALE = 1000;
const world = useLocalWorld(TIME_SCALE);

/** run the provisioning state machine in this process and stop it dead right after `state` finished */
async function crashAfter(state: string, input: unknown, name: string): Promise<void> {
  let exec: LocalExecution | undefined;
  let crashed = false;
  exec = startLocalExecution({
    definition: loadDefinition('provision.asl.json'),
    input,
    name,
    timeScale: TIME_SCALE,
    handlers: lambdaHandlers(),
    onEvent: (e) => {
      if (e.type === 'StateExited' && e.state === state && !crashed) {
        crashed = true;
        exec?.abort();
      }
    },
  });
  const r = await exec.result;
  if (!crashed) throw new Error(`the run ended ${r.status} before ${state} finished`);
  // let a Lambda that was already running when the process "died" finish, as it would in the cloud
  await new Promise((resolve) => setTimeout(resolve, 200));
}

describe('a provisioning killed between AwsCreateRoutes and the next record write', () => {
  it('is taken over by the command the tool suggests and ends ACTIVE with exactly one of each resource', async () => {
    // Prepare: what a clean run builds, then a run that dies with its route created but no VGW id recorded
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { name: 'crash-routes' });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const clean = inventory(w.sim);
    await teardown(w, s.name);
    await freshWorld(w);
    await crashAfter('AwsCreateRoutes', { spec: s }, 'crash-routes-provision-crashed');
    const held = (await operatorDeps().registry.require(s.name)).record;
    expect(held.resources.aws.vpnGatewayId).toBeUndefined();
    expect(inventory(w.sim).awsVgwRoutes).toBe(1);

    // Act: a plain re-run is refused (the crashed run still holds the connection), naming the way on
    const blocked = await provisionLocally(w.access, s);
    const resumed = await provisionLocally(w.access, s, { takeOver: true });

    // Assert
    expect(blocked.execution.error).toBe('OperationInProgress');
    expect(blocked.execution.cause).toContain('crash-routes-provision-crashed');
    expect(blocked.execution.cause).toContain('--force');
    expect(resumed.execution.cause).toBeUndefined();
    expect(resumed.status).toBe('ACTIVE');
    expect(resumed.replaced?.executionName).toBe('crash-routes-provision-crashed');
    expect(inventory(w.sim)).toEqual(clean);
  });
});

describe('a route to the peer CIDR whose VPN gateway no longer exists', () => {
  it('is reported by the drift check as an orphan and removed by the teardown', async () => {
    // Prepare: a connection on both route tables of the VPC; in one of them its route now points at a VGW that is
    // gone (what a teardown racing a provisioning, or a crash, left behind)
    const w = world();
    await freshWorld(w);
    const region = w.sim.ctx.state.aws.regions['us-east-1'];
    const tables = Object.values(region?.routeTables ?? {});
    const s = await spec(w, { name: 'orphan-one' });
    s.aws.routeTableIds = tables.map((t) => t.RouteTableId);
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const other = tables.find((t) => !t.Main);
    const route = other?.Routes.find((r) => r.DestinationCidrBlock === s.alibaba.cidr);
    if (!other || !route) throw new Error('fixture: no route in the second table');
    route.GatewayId = 'vgw-0dead00000000beef';

    // Act
    const drift = await runDriftCheck(operatorDeps(), { names: [s.name], write: false });
    const down = await teardown(w, s.name);

    // Assert
    const rows = drift.results[0]?.rows ?? [];
    const orphan = rows.find((r) => r.resource === `route-table/${other.RouteTableId}`);
    expect(orphan).toEqual(
      expect.objectContaining({
        attribute: `route ${s.alibaba.cidr}`,
        actual: 'vgw-0dead00000000beef (blackhole)',
        kind: 'CHANGED',
        repairable: false,
      }),
    );
    expect(orphan?.note).toMatch(/^orphan route to a VPN gateway that is gone or detached/);
    expect(down.status).toBe('DELETED');
    expect(tables.flatMap((t) => t.Routes.filter((r) => r.GatewayId?.startsWith('vgw-')))).toEqual([]);
  });

  it('is left alone by the teardown when it routes another CIDR than the connection’s', async () => {
    // Prepare: a blackhole to another CIDR in the same VPC (not this connection's)
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { name: 'orphan-two' });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const table = Object.values(w.sim.ctx.state.aws.regions['us-east-1']?.routeTables ?? {}).find((t) => !t.Main);
    table?.Routes.push({
      DestinationCidrBlock: '10.77.0.0/16',
      GatewayId: 'vgw-0dead00000000beef',
      State: 'active',
      Origin: 'CreateRoute',
    });

    // Act
    const down = await teardown(w, s.name);

    // Assert
    expect(down.status).toBe('DELETED');
    expect(table?.Routes.map((r) => `${r.DestinationCidrBlock} ${r.GatewayId}`)).toContain(
      '10.77.0.0/16 vgw-0dead00000000beef',
    );
  });
});

describe('a drift repair that meets a teardown', () => {
  it('re-creates no route once the teardown holds the connection (it would outlive the gateway)', async () => {
    // Prepare: an ACTIVE connection whose VPC route was deleted, then a teardown takes the connection
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { name: 'repair-late' });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const main = Object.values(w.sim.ctx.state.aws.regions['us-east-1']?.routeTables ?? {}).find((t) => t.Main);
    if (!main) throw new Error('fixture: no main table');
    main.Routes = main.Routes.filter((r) => r.DestinationCidrBlock !== s.alibaba.cidr);
    await operatorDeps().registry.update(s.name, (r) => {
      r.status = 'DELETING';
      r.operation = { kind: 'teardown', executionName: 'repair-late-teardown-x', startedAt: new Date().toISOString() };
      return r;
    });

    // Act
    const err = await awsCreateRoutes(operatorDeps(), { name: s.name }).catch((e: unknown) => e);

    // Assert
    expect((err as Error).name).toBe('OperationInProgress');
    expect((err as Error).message).toBe('repair-late is DELETING: its routes are not re-created');
    expect(main.Routes.some((r) => r.DestinationCidrBlock === s.alibaba.cidr)).toBe(false);
  });
});
