import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { OPERATOR_AWS } from '../../local/constants';
import { LOCAL_STAGE } from '../../local/environment';
import { alarmNamePrefix } from '../../src/plan/naming';
import { freshWorld, inventory, provision, spec, teardown, useLocalWorld } from '../helpers/workflow';

// The CloudWatch alarms on AWS/VPN TunnelState: the provisioning workflow puts one per USED tunnel (never one on a
// tunnel the topology leaves unused), teardown and rollback find them by the same names and delete them. Read back
// with the real CloudWatch client over HTTP.

const world = useLocalWorld(1000);

async function alarmsOf(url: string, name: string): Promise<MetricAlarm[]> {
  const cw = new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials: OPERATOR_AWS });
  try {
    const out = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: `${alarmNamePrefix(LOCAL_STAGE)}${name}.` }),
    );
    return out.MetricAlarms ?? [];
  } finally {
    cw.destroy();
  }
}

const dimension = (a: MetricAlarm, n: string) => a.Dimensions?.find((d) => d.Name === n)?.Value;

describe.each([
  { region: 'eu-central-1', topology: 'dual-tunnel', names: ['vpn-1.tunnel-1', 'vpn-2.tunnel-1'] },
  { region: 'me-east-1', topology: 'single-tunnel', names: ['vpn-1.tunnel-1', 'vpn-1.tunnel-2'] },
])('the tunnel alarms of a $topology connection', (c) => {
  it('are exactly the used tunnels, on their VPN connection and outside IP, and teardown deletes them', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: c.region });

    // Act
    const report = await provision(w, s);
    const alarms = await alarmsOf(w.access.url, s.name);

    // Assert: one per used tunnel, none on an unused one
    expect(report.execution.cause ?? '').toBe('');
    expect(report.status).toBe('ACTIVE');
    expect(report.topology).toBe(c.topology);
    const prefix = `vpn-bridge.${LOCAL_STAGE}.${s.name}.`;
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(c.names.map((n) => `${prefix}${n}`));
    const used = report.tunnels.filter((t) => t.role !== 'unused');
    const unused = report.tunnels.filter((t) => t.role === 'unused');
    expect(alarms.map((a) => [dimension(a, 'VpnId'), dimension(a, 'TunnelIpAddress')]).sort()).toEqual(
      used.map((t) => [t.aws.vpnConnectionId, t.aws.outsideIp]).sort(),
    );
    for (const t of unused) expect(alarms.map((a) => dimension(a, 'TunnelIpAddress'))).not.toContain(t.aws.outsideIp);
    for (const a of alarms) {
      expect(a).toEqual(
        expect.objectContaining({
          Namespace: 'AWS/VPN',
          MetricName: 'TunnelState',
          ComparisonOperator: 'LessThanThreshold',
          Threshold: 1,
          TreatMissingData: 'breaching',
        }),
      );
    }

    // Act: teardown
    const down = await teardown(w, s.name);

    // Assert
    expect(down.status).toBe('DELETED');
    expect(await alarmsOf(w.access.url, s.name)).toEqual([]);
    expect(inventory(w.sim).awsAlarms).toBe(0);
  });
});

describe('a rollback after the alarms were put', () => {
  it('finds the alarms by their names and deletes them with the rest', async () => {
    // Prepare: once the alarms exist, every record write is refused (Finalize's, then RecordFailure's: the rollback
    // is decided from the validated spec)
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: 'eu-central-1', onFailure: 'rollback' });
    let armed = false;
    const hook = () => {
      if (!armed && inventory(w.sim).awsAlarms > 0) {
        armed = true;
        w.sim.faults.add({
          service: 'secretsmanager',
          action: 'PutSecretValue',
          kind: 'error',
          code: 'AccessDeniedException',
          status: 400,
          count: 0,
        });
      }
    };
    w.sim.ctx.tickHooks.unshift(hook);

    // Act
    let report: Awaited<ReturnType<typeof provision>>;
    try {
      report = await provision(w, s);
    } finally {
      w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(hook), 1);
      w.sim.faults.clear();
    }

    // Assert: Finalize failed after PutTunnelAlarms, and the rollback left no alarm (nor anything else)
    expect(armed).toBe(true);
    expect(report.status).toBe('FAILED');
    expect(report.execution.cause).toMatch(/PutSecretValue/);
    expect(await alarmsOf(w.access.url, s.name)).toEqual([]);
    const inv = inventory(w.sim);
    expect(inv.awsAlarms).toBe(0);
    expect(inv.awsVpnConnections).toBe(0);
    expect(inv.alibabaConnections).toBe(0);
  });
});
