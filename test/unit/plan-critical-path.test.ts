import { criticalPathSeconds, planConnection, scheduleSteps, sequentialSeconds, stepGraph } from '../../src/plan';
import { type ConnectionSpec, parseSpec } from '../../src/spec';

function spec(): ConnectionSpec {
  const result = parseSpec({
    name: 'gdn-china',
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

/** A small hand-made latency table (simulated seconds); distinct values make the arithmetic traceable. */
const LATENCIES: Record<string, number> = {
  'alibaba.vpnGateway.create': 100,
  'aws.vpnGateway.create': 30,
  'aws.vpnGateway.attach': 10,
  'aws.customerGateway.create': 5,
  'aws.vpnConnection.create': 200,
  'aws.vpnConnectionRoute.create': 3,
  'alibaba.vpnGateway.update': 7,
  'alibaba.routeEntry.create': 2,
  'tunnel.negotiation': 11,
};

describe('stepGraph', () => {
  it('lists the single-tunnel steps in the article order', () => {
    // Act
    const ids = stepGraph(planConnection(spec(), 'single-tunnel')).map((s) => s.id);

    // Assert
    expect(ids).toEqual([
      'alibaba.gateway',
      'aws.vgw',
      'aws.vgw.attach',
      'aws.cgw-1',
      'aws.vpn-1.create',
      'aws.vpn-1.available',
      'aws.vpn-1.route',
      'alibaba.alibaba-cgw-1',
      'alibaba.ipsec-1',
      'tunnel.vpn-1/1',
      'alibaba.alibaba-cgw-2',
      'alibaba.ipsec-2',
      'tunnel.vpn-1/2',
      'alibaba.vpnRoute.ipsec-1',
      'alibaba.vpnRoute.ipsec-2',
      'alibaba.vpcRoute',
      'aws.vpcRoutes',
    ]);
  });

  it('encodes the dependencies of README.md', () => {
    // Act
    const steps = new Map(stepGraph(planConnection(spec(), 'single-tunnel')).map((s) => [s.id, s.dependsOn]));

    // Assert
    expect(steps.get('aws.cgw-1')).toEqual(['alibaba.gateway']);
    expect(steps.get('alibaba.alibaba-cgw-2')).toEqual(['aws.vpn-1.create']);
    expect(steps.get('alibaba.ipsec-2')).toEqual(['alibaba.gateway', 'alibaba.alibaba-cgw-2', 'alibaba.ipsec-1']);
    expect(steps.get('tunnel.vpn-1/2')).toEqual(['aws.vpn-1.available', 'alibaba.ipsec-2']);
    expect(steps.get('alibaba.vpnRoute.ipsec-1')).toEqual(['alibaba.ipsec-1', 'alibaba.ipsec-2']);
    expect(steps.get('alibaba.vpnRoute.ipsec-2')).toEqual(['alibaba.ipsec-2', 'alibaba.vpnRoute.ipsec-1']);
    expect(steps.get('aws.vpcRoutes')).toEqual(['aws.vgw.attach']);
  });

  it('has no tunnel step for unused AWS tunnels of the dual-tunnel shape', () => {
    // Act
    const ids = stepGraph(planConnection(spec(), 'dual-tunnel')).map((s) => s.id);

    // Assert
    expect(ids.filter((id) => id.startsWith('tunnel.'))).toEqual(['tunnel.vpn-1/1', 'tunnel.vpn-2/1']);
    expect(ids).toContain('aws.vpn-2.available');
  });
});

describe('criticalPathSeconds', () => {
  it('finds the longest chain of the single-tunnel plan', () => {
    // Act
    const result = criticalPathSeconds(planConnection(spec(), 'single-tunnel'), LATENCIES);

    // Assert
    // Alibaba gateway 0->100; AWS CGW 100->105 (the VGW was available at 30); VPN connection created at 105,
    // available 105->305; tunnel 1 negotiates once both ends are ready: max(305, ipsec-1 at 112) + 11 = 316.
    // Off the path: ipsec-1 105->112, ipsec-2 112->119, VPN routes ->126 ->133, VPC route ->135, VPN route 305->308.
    expect(result).toEqual({
      seconds: 316,
      path: ['alibaba.gateway', 'aws.cgw-1', 'aws.vpn-1.create', 'aws.vpn-1.available', 'tunnel.vpn-1/1'],
    });
  });

  it('finds the longest chain of the dual-tunnel plan', () => {
    // Act
    const result = criticalPathSeconds(planConnection(spec(), 'dual-tunnel'), LATENCIES);

    // Assert
    // Both CGWs 100->105 in parallel, both VPN connections 105->305 in parallel, both tunnels 305->316.
    expect(result).toEqual({
      seconds: 316,
      path: ['alibaba.gateway', 'aws.cgw-1', 'aws.vpn-1.create', 'aws.vpn-1.available', 'tunnel.vpn-1/1'],
    });
  });

  it('moves to the Alibaba side when the gateway updates dominate', () => {
    // Prepare
    const slowUpdates = { ...LATENCIES, 'alibaba.vpnGateway.update': 150 };

    // Act
    const result = criticalPathSeconds(planConnection(spec(), 'single-tunnel'), slowUpdates);

    // Assert
    // ipsec-1 105->255, ipsec-2 255->405, VPN routes 405->555->705, VPC route 705->707.
    expect(result.seconds).toBe(707);
    expect(result.path.slice(-4)).toEqual([
      'alibaba.ipsec-2',
      'alibaba.vpnRoute.ipsec-1',
      'alibaba.vpnRoute.ipsec-2',
      'alibaba.vpcRoute',
    ]);
  });

  it('throws when the latency table lacks a key the plan needs', () => {
    // Prepare
    const { 'tunnel.negotiation': _omitted, ...partial } = LATENCIES;

    // Act
    const act = () => criticalPathSeconds(planConnection(spec(), 'single-tunnel'), partial);

    // Assert
    expect(act).toThrow("latency table has no usable value for 'tunnel.negotiation'");
  });
});

describe('sequentialSeconds', () => {
  it('adds up the single-tunnel steps done one after another, as in the article', () => {
    // Act
    const seconds = sequentialSeconds(planConnection(spec(), 'single-tunnel'), LATENCIES);

    // Assert
    // gateway 100 + VGW 30 + attach 10 + CGW 5 + VPN available 200 + VPN route 3
    // + ipsec-1 7 + tunnel 1 up 11 + ipsec-2 7 + tunnel 2 up 11 + 2 VPN routes 7+7 + VPC route 2 = 400
    expect(seconds).toBe(400);
  });

  it('lets the second dual-tunnel tunnel negotiate while the operator waits for the first', () => {
    // Act
    const seconds = sequentialSeconds(planConnection(spec(), 'dual-tunnel'), LATENCIES);

    // Assert
    // gateway 100 + VGW 30 + attach 10 + 2 CGWs 5+5 + vpn-1 available 200 + route 3 + vpn-2 available 200 + route 3
    // + ipsec-1 7 (both tunnels) + tunnels up 11 (both negotiate at once, so the second wait is 0)
    // + VPN route 7 + VPC route 2 = 583
    expect(seconds).toBe(583);
  });

  it('is never shorter than the critical path', () => {
    // Prepare
    const tables = [
      LATENCIES,
      { ...LATENCIES, 'alibaba.vpnGateway.update': 150 },
      { ...LATENCIES, 'aws.vpnGateway.create': 500 },
    ];

    for (const table of tables) {
      for (const kind of ['single-tunnel', 'dual-tunnel'] as const) {
        // Act
        const plan = planConnection(spec(), kind);

        // Assert
        expect(sequentialSeconds(plan, table)).toBeGreaterThanOrEqual(criticalPathSeconds(plan, table).seconds);
      }
    }
  });
});

describe('scheduleSteps', () => {
  it('starts each parallel step when its dependencies finish', () => {
    // Act
    const schedule = new Map(
      scheduleSteps(planConnection(spec(), 'dual-tunnel'), LATENCIES, 'parallel').map((s) => [s.id, s]),
    );

    // Assert
    expect(schedule.get('aws.vgw.attach')).toEqual({ id: 'aws.vgw.attach', start: 30, finish: 40 });
    expect(schedule.get('aws.cgw-2')).toEqual({ id: 'aws.cgw-2', start: 100, finish: 105 });
    expect(schedule.get('alibaba.ipsec-1')).toEqual({ id: 'alibaba.ipsec-1', start: 105, finish: 112 });
    expect(schedule.get('tunnel.vpn-2/1')).toEqual({ id: 'tunnel.vpn-2/1', start: 305, finish: 316 });
  });
});
