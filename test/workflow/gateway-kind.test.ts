import { operatorDeps } from '../../local/operator';
import type { AliRegionState } from '../../sim/types';
import type { ConnectionSpec, GatewayMode } from '../../src/spec';
import { freshWorld, inventory, type LocalWorld, provision, spec, useLocalWorld } from '../helpers/workflow';

// The topology follows the Alibaba VPN gateway that was created (a dual-tunnel gateway has a disaster-recovery IP),
// not a guess about the region; alibaba.gatewayMode pins it, and a created gateway of the other kind fails the run
// before any IPsec connection is made, naming the field.

const world = useLocalWorld(1000);

async function specWith(w: LocalWorld, region: string, mode?: GatewayMode, onFailure: 'keep' | 'rollback' = 'keep') {
  const s = await spec(w, { alibabaRegion: region, onFailure });
  return mode ? ({ ...s, alibaba: { ...s.alibaba, gatewayMode: mode } } satisfies ConnectionSpec) : s;
}

async function recordOf(name: string) {
  return (await operatorDeps().registry.require(name)).record;
}

describe('alibaba.gatewayMode auto (the default)', () => {
  it('builds the dual-tunnel topology where the created gateway has a disaster-recovery IP', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await specWith(w, 'eu-central-1');

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.status).toBe('ACTIVE');
    const record = await recordOf(s.name);
    expect(record.topology).toBe('dual-tunnel');
    expect(record.gatewayKind).toBe('dual-tunnel');
    expect(inventory(w.sim)).toMatchObject({ awsVpnConnections: 2, alibabaConnections: 1 });
  });

  it('builds the single-tunnel topology where the region ignores the disaster-recovery vSwitch it was given', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await specWith(w, 'me-east-1');

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.status).toBe('ACTIVE');
    const record = await recordOf(s.name);
    expect(record.topology).toBe('single-tunnel');
    expect(record.gatewayKind).toBe('single-tunnel');
    expect(inventory(w.sim)).toMatchObject({ awsVpnConnections: 1, alibabaConnections: 2, alibabaVpnGateways: 1 });
  });

  it('orders again with one vSwitch where the region refuses the disaster-recovery vSwitch, and builds single-tunnel', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    (w.sim.ctx.state.alibaba.regions['me-east-1'] as AliRegionState).singleTunnelDisasterRecoveryVSwitch = 'refused';
    const s = await specWith(w, 'me-east-1');

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.status).toBe('ACTIVE');
    expect((await recordOf(s.name)).topology).toBe('single-tunnel');
    expect(inventory(w.sim)).toMatchObject({ alibabaVpnGateways: 1, awsVpnConnections: 1, alibabaConnections: 2 });
  });
});

describe('a pinned alibaba.gatewayMode', () => {
  it('dual-tunnel where the created gateway is single-tunnel fails before any IPsec connection, naming the field', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await specWith(w, 'me-east-1', 'dual-tunnel');

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.status).toBe('FAILED');
    expect(report.execution.error).toBe('GatewayKindMismatch');
    expect(report.execution.cause).toContain('alibaba.gatewayMode is dual-tunnel');
    expect(report.execution.cause).toContain('single-tunnel');
    expect(inventory(w.sim)).toMatchObject({
      alibabaVpnGateways: 1,
      alibabaConnections: 0,
      alibabaCustomerGateways: 0,
      awsCustomerGateways: 0,
      awsVpnConnections: 0,
    });
  });

  it('dual-tunnel with rollback leaves nothing behind', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await specWith(w, 'me-east-1', 'dual-tunnel', 'rollback');

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.execution.error).toBe('GatewayKindMismatch');
    const left = inventory(w.sim);
    expect({ ...left, secrets: 0 }).toEqual(Object.fromEntries(Object.keys(left).map((k) => [k, 0])));
  });

  it('single-tunnel where gateways are dual-tunnel fails at the gateway order, before any IPsec connection', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await specWith(w, 'eu-central-1', 'single-tunnel');

    // Act
    const report = await provision(w, s);

    // Assert
    expect(report.status).toBe('FAILED');
    expect(report.execution.cause).toContain('DisasterRecoveryVSwitchId');
    expect(inventory(w.sim)).toMatchObject({ alibabaVpnGateways: 0, alibabaConnections: 0, awsCustomerGateways: 0 });
  });

  it('that contradicts the gateway an earlier run made is refused by preflight, naming the field', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await specWith(w, 'eu-central-1');
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const before = inventory(w.sim);

    // Act
    const again = await provision(w, { ...s, alibaba: { ...s.alibaba, gatewayMode: 'single-tunnel' } });

    // Assert
    expect(again.execution.error).toBe('PreflightFailed');
    expect(again.execution.cause).toContain('alibaba.gatewayMode');
    expect(inventory(w.sim)).toEqual(before);
  });
});
