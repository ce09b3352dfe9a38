import { diffConnection } from '../../src/drift/diff';
import type { DriftRow } from '../../src/registry/record';
import { type Fresh, fresh } from './drift-fixtures';

// The pure expected-vs-actual diff of one connection: a fresh connection shows nothing, and each kind of
// drift shows exactly its row.

const diff = (f: Fresh) => diffConnection(f.record, f.plan, f.observed);
const pick = (rows: DriftRow[]) =>
  rows.map(({ cloud, resource, attribute, expected, actual, kind, severity, repairable }) => ({
    cloud,
    resource,
    attribute,
    expected,
    actual,
    kind,
    severity,
    repairable,
  }));

describe('diffConnection on a freshly provisioned connection', () => {
  const cases = [
    { topology: 'dual-tunnel', profile: 'recommended' },
    { topology: 'dual-tunnel', profile: 'article-2018' },
    { topology: 'single-tunnel', profile: 'recommended' },
    { topology: 'single-tunnel', profile: 'article-2018' },
  ] as const;

  it.each(cases)('reports no drift for a $topology connection with the $profile profile', (c) => {
    // Prepare
    const f = fresh({ ...c, vpnRoutes: true });

    // Act
    const rows = diff(f);

    // Assert
    expect(rows).toEqual([]);
  });

  it.each(cases)('reports no drift when the VPN route entries were not fetched ($topology, $profile)', (c) => {
    // Prepare
    const f = fresh({ ...c, vpnRoutes: false });

    // Act
    const rows = diff(f);

    // Assert
    expect(rows).toEqual([]);
  });

  it('normalises Alibaba read-backs: numbers and booleans as strings, subnet lists in another order', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const conn = f.observed.alibabaConnections['ipsec-1'];
    const master = conn?.tunnels[0];
    if (!conn || !master) throw new Error('fixture');
    Object.assign(master.ike, { IkeLifetime: '28800' as unknown as number });
    Object.assign(master.ipsec, { IpsecLifetime: '3600' as unknown as number });
    conn.localSubnet = ' 0.0.0.0/0 ';

    // Act
    const rows = diff(f);

    // Assert
    expect(rows).toEqual([]);
  });
});

describe('diffConnection: deleted routes are MISSING and repairable', () => {
  it('reports the AWS VPC route to the VGW', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const table = f.observed.awsRouteTables['rtb-1'];
    if (!table) throw new Error('fixture');
    table.routes = table.routes.filter((r) => r.gatewayId !== 'vgw-1');

    // Act
    const rows = diff(f);

    // Assert
    expect(rows).toEqual([
      {
        connection: 'conn-1',
        cloud: 'aws',
        resource: 'route-table/rtb-1',
        attribute: 'route 192.168.1.0/24',
        expected: 'vgw-1',
        actual: '(none)',
        kind: 'MISSING',
        severity: 'high',
        repairable: true,
        repairStep: 'awsVpcRoute',
      },
    ]);
  });

  it('reports the VPN connection static route', () => {
    // Prepare
    const f = fresh({ topology: 'single-tunnel', profile: 'recommended' });
    const conn = f.observed.awsConnections['vpn-1'];
    if (!conn) throw new Error('fixture');
    conn.routes = [];

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'aws',
        resource: 'vpn-connection/vpn-11',
        attribute: 'static route 192.168.1.0/24',
        expected: 'available',
        actual: '(none)',
        kind: 'MISSING',
        severity: 'high',
        repairable: true,
      },
    ]);
    expect(rows[0]?.repairStep).toBe('awsVpnConnectionRoute');
  });

  it('reports the Alibaba VPC route entry to the VPN gateway', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    f.observed.alibabaRouteEntries = [];

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'alibaba',
        resource: 'route-table/vtb-1',
        attribute: 'route 172.17.0.0/16',
        expected: 'vpn-gw1',
        actual: '(none)',
        kind: 'MISSING',
        severity: 'high',
        repairable: true,
      },
    ]);
    expect(rows[0]?.repairStep).toBe('alibabaVpcRoute');
  });

  it('reports a missing Alibaba VPN route entry when the entries were fetched', () => {
    // Prepare
    const f = fresh({ topology: 'single-tunnel', profile: 'article-2018', vpnRoutes: true });
    f.observed.alibabaVpnRouteEntries = f.observed.alibabaVpnRouteEntries?.filter((e) => e.weight !== 0);

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'alibaba',
        resource: 'vpn-gateway/vpn-gw1',
        attribute: 'vpn route 172.17.0.0/16 via vco-12',
        expected: 'weight 0',
        actual: '(none)',
        kind: 'MISSING',
        severity: 'high',
        repairable: true,
      },
    ]);
    expect(rows[0]?.repairStep).toBe('alibabaVpnRoute');
  });

  it('does not offer a repair for a connection that never became ACTIVE', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    f.record.everActive = false;
    f.record.status = 'FAILED';
    f.observed.alibabaRouteEntries = [];

    // Act
    const rows = diff(f);

    // Assert
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(expect.objectContaining({ kind: 'MISSING', repairable: false }));
    expect(rows[0]?.repairStep).toBeUndefined();
  });

  it('reports a route that now points elsewhere as CHANGED and not repairable', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const route = f.observed.awsRouteTables['rtb-1']?.routes.find((r) => r.gatewayId === 'vgw-1');
    if (!route) throw new Error('fixture');
    route.gatewayId = 'igw-123';

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'aws',
        resource: 'route-table/rtb-1',
        attribute: 'route 192.168.1.0/24',
        expected: 'vgw-1',
        actual: 'igw-123',
        kind: 'CHANGED',
        severity: 'critical',
        repairable: false,
      },
    ]);
  });
});

describe('diffConnection: orphan routes', () => {
  it('reports a route to the peer CIDR whose VPN gateway is gone as an orphan, with how to remove it', () => {
    // Prepare: the route points at a VGW that no longer exists (blackhole) instead of the connection's own
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const route = f.observed.awsRouteTables['rtb-1']?.routes.find((r) => r.gatewayId === 'vgw-1');
    if (!route) throw new Error('fixture');
    route.gatewayId = 'vgw-0deadbeef';
    route.state = 'blackhole';

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'aws',
        resource: 'route-table/rtb-1',
        attribute: 'route 192.168.1.0/24',
        expected: 'vgw-1',
        actual: 'vgw-0deadbeef (blackhole)',
        kind: 'CHANGED',
        severity: 'critical',
        repairable: false,
      },
    ]);
    expect(rows[0]?.note).toMatch(
      /^orphan route .*delete-route --route-table-id rtb-1 --destination-cidr-block 192\.168\.1\.0\/24/,
    );
  });
});

describe('diffConnection: changed attributes', () => {
  it('reports a changed AWS tunnel option with the expected and actual values', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const t1 = f.observed.awsConnections['vpn-1']?.tunnels[0];
    if (!t1) throw new Error('fixture');
    t1.phase1Encryption = ['AES128', 'AES256'];

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'aws',
        resource: 'vpn-connection/vpn-11',
        attribute: 'tunnel 1 phase1.encryption',
        expected: 'AES256',
        actual: 'AES128,AES256',
        kind: 'CHANGED',
        severity: 'high',
        repairable: false,
      },
    ]);
  });

  it('reports a changed Alibaba lifetime and startup setting per tunnel', () => {
    // Prepare
    const f = fresh({ topology: 'single-tunnel', profile: 'article-2018' });
    const conn = f.observed.alibabaConnections['ipsec-2'];
    const t = conn?.tunnels[0];
    if (!conn || !t) throw new Error('fixture');
    t.ike.IkeLifetime = 86400;
    conn.effectImmediately = false;

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'alibaba',
        resource: 'ipsec-connection/vco-12',
        attribute: 'EffectImmediately',
        expected: 'true',
        actual: 'false',
        kind: 'CHANGED',
        severity: 'medium',
        repairable: false,
      },
      {
        cloud: 'alibaba',
        resource: 'ipsec-connection/vco-12',
        attribute: 'tunnel phase1.lifetimeSeconds',
        expected: '28800',
        actual: '86400',
        kind: 'CHANGED',
        severity: 'high',
        repairable: false,
      },
    ]);
  });

  it('reports an AWS PSK that differs from the stored one as CHANGED critical, without the key', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const t1 = f.observed.awsConnections['vpn-2']?.tunnels[0];
    if (!t1) throw new Error('fixture');
    const stored = f.record.handoffs.awsTunnels['vpn-2/1']?.psk ?? '';
    t1.psk = 'SomebodyElsesKey123';

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'aws',
        resource: 'vpn-connection/vpn-12',
        attribute: 'tunnel 1 psk',
        expected: '(stored)',
        actual: '(differs)',
        kind: 'CHANGED',
        severity: 'critical',
        repairable: false,
      },
    ]);
    const text = JSON.stringify(rows);
    expect(stored.length).toBeGreaterThan(8);
    expect(text).not.toContain(stored);
    expect(text).not.toContain('SomebodyElsesKey123');
  });

  it('accepts the previous or the next key of a tunnel in rotation on either cloud, and nothing else', () => {
    // Prepare: a rotation of vpn-2/1 half done (Alibaba holds the new key, AWS still the old one)
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const previous = f.record.handoffs.awsTunnels['vpn-2/1']?.psk ?? '';
    const next = 'Rotated.next.key.0123456789';
    f.record.handoffs.rotation = { 'vpn-2/1': { previous, next } };
    const slave = f.observed.alibabaConnections['ipsec-1']?.tunnels.find((t) => t.role === 'slave');
    const active = f.observed.awsConnections['vpn-1']?.tunnels[0];
    if (!slave || !active) throw new Error('fixture');
    slave.ike.Psk = next;

    // Act
    const midway = diff(f);
    active.psk = next;
    const wrongTunnel = diff(f);

    // Assert
    expect(midway).toEqual([]);
    // the key in rotation of one tunnel is no excuse for another tunnel
    expect(pick(wrongTunnel).map((r) => `${r.resource} ${r.attribute} ${r.kind}`)).toEqual([
      'vpn-connection/vpn-11 tunnel 1 psk CHANGED',
    ]);
    expect(JSON.stringify(wrongTunnel)).not.toContain(next);
  });

  it.each(['', '******'])('treats a masked Alibaba PSK (%p) as unreadable, not as drift', (masked) => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'article-2018' });
    for (const t of f.observed.alibabaConnections['ipsec-1']?.tunnels ?? []) t.ike.Psk = masked;

    // Act
    const rows = diff(f);

    // Assert
    expect(rows).toEqual([]);
  });

  it('reports a readable Alibaba PSK that differs from the stored one', () => {
    // Prepare
    const f = fresh({ topology: 'single-tunnel', profile: 'recommended' });
    const t = f.observed.alibabaConnections['ipsec-1']?.tunnels[0];
    if (!t) throw new Error('fixture');
    t.ike.Psk = 'AnotherKey12345';

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      expect.objectContaining({
        cloud: 'alibaba',
        resource: 'ipsec-connection/vco-11',
        attribute: 'tunnel psk',
        expected: '(stored)',
        actual: '(differs)',
        kind: 'CHANGED',
        severity: 'critical',
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('AnotherKey12345');
  });

  it('reports wrong pairing: master and slave leaving from each other’s IP', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const [master, slave] = f.observed.alibabaConnections['ipsec-1']?.tunnels ?? [];
    if (!master || !slave) throw new Error('fixture');
    [master.sourceIp, slave.sourceIp] = [slave.sourceIp, master.sourceIp];

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'alibaba',
        resource: 'ipsec-connection/vco-11',
        attribute: 'master tunnel pairing (source-ip)',
        expected: '47.0.1.1',
        actual: '47.0.1.2',
        kind: 'CHANGED',
        severity: 'critical',
        repairable: false,
      },
      {
        cloud: 'alibaba',
        resource: 'ipsec-connection/vco-11',
        attribute: 'slave tunnel pairing (source-ip)',
        expected: '47.0.1.2',
        actual: '47.0.1.1',
        kind: 'CHANGED',
        severity: 'critical',
        repairable: false,
      },
    ]);
  });

  it('reports wrong pairing: single-tunnel connections pointed at each other’s customer gateway', () => {
    // Prepare
    const f = fresh({ topology: 'single-tunnel', profile: 'recommended' });
    const a = f.observed.alibabaConnections['ipsec-1']?.tunnels[0];
    const b = f.observed.alibabaConnections['ipsec-2']?.tunnels[0];
    if (!a || !b) throw new Error('fixture');
    [a.customerGatewayId, b.customerGatewayId] = [b.customerGatewayId, a.customerGatewayId];

    // Act
    const rows = diff(f);

    // Assert
    expect(rows.map((r) => [r.resource, r.attribute, r.kind])).toEqual([
      ['ipsec-connection/vco-11', 'tunnel pairing (customer-gateway)', 'CHANGED'],
      ['ipsec-connection/vco-12', 'tunnel pairing (customer-gateway)', 'CHANGED'],
    ]);
  });
});

describe('diffConnection: tunnel health with roles', () => {
  it('reports the active tunnel DOWN with severity high and the reason', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const t1 = f.observed.awsConnections['vpn-1']?.tunnels[0];
    if (!t1) throw new Error('fixture');
    t1.telemetry = { status: 'DOWN', message: 'IPSEC IS DOWN' };

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'aws',
        resource: 'tunnel/vpn-1/1',
        attribute: 'status (active)',
        expected: 'UP',
        actual: 'AWS DOWN, Alibaba ipsec_sa_established',
        kind: 'DOWN',
        severity: 'high',
        repairable: false,
      },
    ]);
    expect(rows[0]?.note).toContain('AWS says DOWN');
  });

  it('reports the standby tunnel DOWN with severity medium', () => {
    // Prepare
    const f = fresh({ topology: 'single-tunnel', profile: 'recommended' });
    const standby = f.observed.alibabaConnections['ipsec-2']?.tunnels[0];
    if (!standby) throw new Error('fixture');
    standby.status = 'ike_sa_not_established';

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      expect.objectContaining({ resource: 'tunnel/vpn-1/2', kind: 'DOWN', severity: 'medium' }),
    ]);
  });

  it('does not report tunnel 2 of a dual-tunnel AWS connection: it is unused, not down', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    for (const role of ['vpn-1', 'vpn-2']) {
      const t2 = f.observed.awsConnections[role]?.tunnels[1];
      if (!t2) throw new Error('fixture');
      t2.telemetry = { status: 'DOWN', message: 'IPSEC IS DOWN' };
    }

    // Act
    const rows = diff(f);

    // Assert
    expect(f.observed.awsConnections['vpn-1']?.tunnels[1]?.telemetry?.status).toBe('DOWN');
    expect(rows).toEqual([]);
  });
});

describe('diffConnection: missing resources and extra copies', () => {
  it('reports a deleted Alibaba IPsec connection as MISSING critical (and its tunnel DOWN)', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    f.observed.alibabaConnections = {};

    // Act
    const rows = diff(f);

    // Assert
    expect(rows.map((r) => [r.kind, r.severity, r.resource])).toEqual([
      ['MISSING', 'critical', 'ipsec-connection/vco-11'],
      ['DOWN', 'high', 'tunnel/vpn-1/1'],
      ['DOWN', 'medium', 'tunnel/vpn-2/1'],
    ]);
  });

  it('reports a second VGW carrying the connection tags as UNMANAGED', () => {
    // Prepare
    const f = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    f.observed.duplicates = [{ cloud: 'aws', kind: 'vpn-gateway', id: 'vgw-extra', role: 'vgw' }];

    // Act
    const rows = diff(f);

    // Assert
    expect(pick(rows)).toEqual([
      {
        cloud: 'aws',
        resource: 'vpn-gateway/vgw-extra',
        attribute: 'managed by',
        expected: 'one vgw of conn-1',
        actual: 'another vgw',
        kind: 'UNMANAGED',
        severity: 'medium',
        repairable: false,
      },
    ]);
  });
});
