import { diffConnection } from '../../src/drift/diff';
import { claimsOf, observeFromSnapshots, orphanRows } from '../../src/drift/inventory';
import { TAG_CONNECTION, TAG_ROLE, TAG_STAGE } from '../../src/plan';
import { fresh, STAGE, snapshotsOf } from './drift-fixtures';

// Cutting each connection's observed state out of region-wide lists (the batched describes), with the
// creation naming/tagging; and resources that carry vpn-bridge tags/names but belong to no record.

describe('observeFromSnapshots', () => {
  it('finds each connection’s own resources in shared region lists: fresh connections show no drift', () => {
    // Prepare
    const conns = [1, 2, 3].map((n) => fresh({ topology: 'dual-tunnel', profile: 'recommended', n }));
    const snaps = snapshotsOf(conns);
    const ali = snaps.alibaba['eu-central-1'];
    if (!ali) throw new Error('fixture');

    // Act
    const rows = conns.map((c) =>
      diffConnection(c.record, c.plan, observeFromSnapshots(c.record, c.plan, snaps.aws, ali)),
    );

    // Assert
    expect(rows).toEqual([[], [], []]);
    const second = conns[1];
    if (!second) throw new Error('fixture');
    const o = observeFromSnapshots(second.record, second.plan, snaps.aws, ali);
    expect(o.awsVpnGateway?.id).toBe('vgw-2');
    expect(o.alibabaGateway?.id).toBe('vpn-gw2');
    expect(Object.values(o.alibabaConnections).map((c) => c?.id)).toEqual(['vco-21']);
    expect(o.alibabaOwnCustomerGateways['alibaba-cgw-2']?.id).toBe('cgw-ali22');
  });

  it('keeps the recorded resource and reports a second tagged VPN connection of the same role as UNMANAGED', () => {
    // Prepare
    const c = fresh({ topology: 'single-tunnel', profile: 'recommended' });
    const snaps = snapshotsOf([c]);
    const real = snaps.aws.inventory.vpnConnections[0];
    if (!real) throw new Error('fixture');
    snaps.aws.inventory.vpnConnections.unshift({ ...real, id: 'vpn-copy', tunnels: [] });
    const ali = snaps.alibaba['me-east-1'];
    if (!ali) throw new Error('fixture');

    // Act
    const o = observeFromSnapshots(c.record, c.plan, snaps.aws, ali);
    const rows = diffConnection(c.record, c.plan, o);

    // Assert
    expect(o.awsConnections['vpn-1']?.id).toBe(real.id);
    expect(rows.map((r) => [r.kind, r.cloud, r.resource])).toEqual([['UNMANAGED', 'aws', 'vpn-connection/vpn-copy']]);
  });

  it('reports a deleted Alibaba route table as MISSING', () => {
    // Prepare
    const c = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const snaps = snapshotsOf([c]);
    const ali = snaps.alibaba['eu-central-1'];
    if (!ali) throw new Error('fixture');
    ali.routeEntries = {};
    ali.missingRouteTables = ['vtb-1'];

    // Act
    const rows = diffConnection(c.record, c.plan, observeFromSnapshots(c.record, c.plan, snaps.aws, ali));

    // Assert
    expect(rows.map((r) => [r.kind, r.cloud, r.resource, r.attribute])).toEqual([
      ['MISSING', 'alibaba', 'route-table/vtb-1', 'exists'],
    ]);
  });
});

describe('orphanRows', () => {
  it('reports a leftover tagged VGW whose connection has no record as UNMANAGED', () => {
    // Prepare
    const c = fresh({ topology: 'dual-tunnel', profile: 'recommended' });
    const snaps = snapshotsOf([c]);
    snaps.aws.inventory.vpnGateways.push({
      id: 'vgw-left',
      state: 'available',
      attachments: [],
      tags: { [TAG_CONNECTION]: 'old-link', [TAG_STAGE]: STAGE, [TAG_ROLE]: 'vgw' },
    });
    const ali = snaps.alibaba['eu-central-1'];
    if (!ali) throw new Error('fixture');

    // Act
    const rows = orphanRows(STAGE, [snaps.aws], [ali], claimsOf([c.record]));

    // Assert
    expect(rows).toEqual([
      {
        connection: 'old-link',
        cloud: 'aws',
        resource: 'vpn-gateway/vgw-left',
        attribute: 'managed by',
        expected: 'a record vpn-bridge/dev/old-link (us-east-1)',
        actual: 'no record (vgw)',
        kind: 'UNMANAGED',
        severity: 'medium',
        repairable: false,
        note: expect.stringContaining('no managed connection owns it'),
      },
    ]);
  });

  it('reports Alibaba resources named for a connection without a record, but not those of a connection being torn down', () => {
    // Prepare
    const kept = fresh({ topology: 'dual-tunnel', profile: 'recommended', n: 1 });
    const deleting = fresh({ topology: 'dual-tunnel', profile: 'recommended', n: 2 });
    const gone = fresh({ topology: 'dual-tunnel', profile: 'recommended', n: 3 });
    deleting.record.status = 'DELETING';
    gone.record.status = 'DELETED';
    const snaps = snapshotsOf([kept, deleting, gone]);
    const ali = snaps.alibaba['eu-central-1'];
    if (!ali) throw new Error('fixture');

    // Act
    const rows = orphanRows(STAGE, [], [ali], claimsOf([kept.record, deleting.record, gone.record]));

    // Assert
    expect(rows.map((r) => [r.connection, r.resource])).toEqual([
      ['conn-3', 'vpn-gateway/vpn-gw3'],
      ['conn-3', 'customer-gateway/cgw-ali31'],
      ['conn-3', 'customer-gateway/cgw-ali32'],
      ['conn-3', 'ipsec-connection/vco-31'],
    ]);
    expect(rows.every((r) => r.kind === 'UNMANAGED')).toBe(true);
  });

  it('leaves another stage’s resources alone: they belong to that stage’s records', () => {
    // Prepare: a connection of stage "dev" without a record, seen by the check of stage "prod"
    const gone = fresh({ topology: 'dual-tunnel', profile: 'recommended', n: 5 });
    const snaps = snapshotsOf([gone]);
    const ali = snaps.alibaba['eu-central-1'];
    if (!ali) throw new Error('fixture');

    // Act
    const prod = orphanRows('prod', [snaps.aws], [ali], claimsOf([]));
    const dev = orphanRows(STAGE, [snaps.aws], [ali], claimsOf([]));

    // Assert
    expect(prod).toEqual([]);
    expect(dev.length).toBeGreaterThan(0);
  });

  it('limits orphans to the asked-for names', () => {
    // Prepare
    const gone = fresh({ topology: 'single-tunnel', profile: 'recommended', n: 4 });
    const snaps = snapshotsOf([gone]);

    // Act
    const other = orphanRows(STAGE, [snaps.aws], [], claimsOf([]), new Set(['someone-else']));
    const mine = orphanRows(STAGE, [snaps.aws], [], claimsOf([]), new Set(['conn-4']));

    // Assert
    expect(other).toEqual([]);
    expect(mine.map((r) => r.resource)).toEqual([
      'vpn-gateway/vgw-4',
      'customer-gateway/cgw-41',
      'vpn-connection/vpn-41',
    ]);
  });
});
