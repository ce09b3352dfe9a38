import { provisionLocally } from '../../local/operations';
import { operatorDeps } from '../../local/operator';
import { freshWorld, inventory, provision, spec, teardown, useLocalWorld } from '../helpers/workflow';

// Failures end in FAILED with a cause a human can act on; with onFailure=rollback nothing the run
// created remains (found by the same naming/tagging the creating steps used).

const world = useLocalWorld(1000);

const NOTHING = {
  awsVpnGateways: 0,
  awsCustomerGateways: 0,
  awsVpnConnections: 0,
  awsVpnStaticRoutes: 0,
  awsVgwRoutes: 0,
  alibabaVpnGateways: 0,
  alibabaCustomerGateways: 0,
  alibabaConnections: 0,
  alibabaVpnRoutes: 0,
  alibabaVpcRoutes: 0,
  awsAlarms: 0,
};

const failures = [
  {
    what: 'a non-retryable rejection of the Alibaba VPN route entry (late, after both clouds are built)',
    region: 'eu-central-1',
    fault: {
      service: 'alibaba-vpc',
      action: 'CreateVpnRouteEntry',
      kind: 'error',
      code: 'IllegalParam.RouteDest',
      status: 400,
      count: 0,
    },
    error: 'ProviderRejected',
  },
  {
    what: 'throttling of the AWS VPN static route beyond the retry budget',
    region: 'me-east-1',
    fault: { service: 'ec2', action: 'CreateVpnConnectionRoute', kind: 'throttle', count: 0 },
    error: 'Throttled',
  },
  {
    what: 'a rejected Alibaba VPN gateway order while the AWS side is being built in parallel',
    region: 'eu-central-1',
    fault: {
      service: 'alibaba-vpc',
      action: 'CreateVpnGateway',
      kind: 'error',
      code: 'Resource.QuotaFull',
      status: 400,
      count: 0,
    },
    error: 'QuotaExceeded',
  },
] as const;

describe.each(failures)('$what', (f) => {
  it('with onFailure=rollback ends FAILED and leaves nothing it created', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    await w.access.admin('POST', '/_sim/faults', f.fault);
    const s = await spec(w, { alibabaRegion: f.region, onFailure: 'rollback' });

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.status).toBe('FAILED');
    expect(report.execution).toEqual(expect.objectContaining({ error: f.error }));
    expect(report.execution.cause).toContain(f.fault.action);
    expect(inventory(w.sim)).toEqual({ ...NOTHING, secrets: 1 });
    const { record } = await operatorDeps().registry.require(s.name);
    expect(record.status).toBe('FAILED');
    expect(record.statusReason).toMatch(/^rolled back after: /);
    expect(record.failure?.error).toBe(f.error);
  });
});

describe('a failure with onFailure=keep', () => {
  it('ends FAILED with the cause and keeps what was built for inspection or a re-run', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    await w.access.admin('POST', '/_sim/faults', failures[0].fault);
    const s = await spec(w, { alibabaRegion: 'eu-central-1', onFailure: 'keep' });

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.status).toBe('FAILED');
    expect(report.execution.cause).toMatch(/CreateVpnRouteEntry .*IllegalParam\.RouteDest/);
    const inv = inventory(w.sim);
    expect(inv.awsVpnConnections).toBe(2);
    expect(inv.alibabaConnections).toBe(1);
    expect(inv.alibabaVpnRoutes).toBe(0);

    // Act again: the fault is gone, a re-run finishes the job
    await w.access.admin('DELETE', '/_sim/faults');
    const again = await provision(w, s);

    // Assert
    expect(again.status).toBe('ACTIVE');
    expect(inventory(w.sim).alibabaVpnRoutes).toBe(1);
  });
});

describe('a tunnel that never comes up', () => {
  it('fails after the bounded wait with TunnelsDown naming the tunnel', async () => {
    // Prepare: force the first AWS VPN connection's tunnel 1 down as soon as it exists
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: 'me-east-1', onFailure: 'keep' });
    let forced = false;
    const hook = () => {
      const conn = Object.values(w.sim.ctx.state.aws.regions['us-east-1']?.vpnConnections ?? {})[0];
      if (conn && !forced) {
        w.sim.ctx.state.forcedDown[`aws:${conn.VpnConnectionId}:1`] = true;
        forced = true;
      }
    };
    w.sim.ctx.tickHooks.unshift(hook);

    // Act
    let report: Awaited<ReturnType<typeof provision>>;
    try {
      report = await provision(w, s);
    } finally {
      w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(hook), 1);
    }

    // Assert
    expect(forced).toBe(true);
    expect(report.status).toBe('FAILED');
    expect(report.execution.error).toBe('TunnelsDown');
    expect(report.execution.cause).toMatch(/tunnel vpn-1\/1 \(active\)/);
    expect(report.execution.cause).toMatch(/AWS says DOWN \(IPSEC IS DOWN\)/);
    expect(report.execution.cause).not.toMatch(/vpn-1\/2/);
    expect(report.metrics.polls.WaitTunnelsUp).toBeGreaterThan(10);
  });
});

describe('a record left PROVISIONING by a run that was stopped or crashed', () => {
  it('blocks a plain re-run with OperationInProgress and is taken over when the caller says nothing runs', async () => {
    // Prepare: a finished connection whose record claims another execution is still provisioning it
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: 'me-east-1' });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    await operatorDeps().registry.update(s.name, (r) => {
      r.status = 'PROVISIONING';
      r.operation = { kind: 'provision', executionName: 'crashed-run', startedAt: new Date().toISOString() };
      return r;
    });

    // Act
    const blocked = await provision(w, s);
    const takenOver = await provisionLocally(w.access, s, { takeOver: true });

    // Assert
    expect(blocked.status).toBe('FAILED');
    expect(blocked.execution.error).toBe('OperationInProgress');
    expect(blocked.execution.cause).toMatch(/PROVISIONING by provision \(local run crashed-run, started .*--force/);
    expect(takenOver.status).toBe('ACTIVE');
    expect(takenOver.replaced?.executionName).toBe('crashed-run');
    const after = (await operatorDeps().registry.require(s.name)).record;
    expect(after.operation?.replaces).toEqual(
      expect.objectContaining({ kind: 'provision', executionName: 'crashed-run', status: 'FORCED' }),
    );
    expect(after.operation?.finishedAt).toBeDefined();
  });
});

describe('a teardown that fails', () => {
  it('records FAILED with the cause, and a second teardown finishes the job', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: 'eu-central-1' });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    await w.access.admin('POST', '/_sim/faults', {
      service: 'alibaba-vpc',
      action: 'DeleteVpnConnection',
      kind: 'error',
      code: 'Forbidden',
      status: 403,
      count: 0,
    });

    // Act
    const failed = await teardown(w, s.name);

    // Assert
    expect(failed.execution.status).toBe('FAILED');
    expect(failed.execution.error).toBe('AccessDenied');
    const { record } = await operatorDeps().registry.require(s.name);
    expect(record.status).toBe('FAILED');
    expect(record.statusReason).toMatch(/^teardown failed: AccessDenied: DeleteVpnConnection/);

    // Act again without the fault
    await w.access.admin('DELETE', '/_sim/faults');
    const done = await teardown(w, s.name);

    // Assert
    expect(done.status).toBe('DELETED');
    expect(inventory(w.sim)).toEqual({ ...NOTHING, secrets: 0 });
  });
});
