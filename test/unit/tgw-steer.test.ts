import { turnOf } from '../../src/workflow/tgw-failover';
import { decideSteer, type SteerConnection, type SteerInput } from '../../src/workflow/tgw-steer';

// Which attachment the transit gateway routes of a dual-tunnel connection point at: the active VPN connection's while
// its used tunnel is UP, else the standby's while UP, else as they are; a rotation moves them off one role. Pure.

const DESTS = ['192.168.0.0/16', '10.60.0.0/16'];

function input(
  vpn1: SteerConnection['status'],
  vpn2: SteerConnection['status'],
  routedTo: string | undefined,
  extra: Partial<SteerInput> = {},
): SteerInput {
  return {
    connections: [
      { role: 'vpn-1', attachmentId: 'tgw-attach-1', status: vpn1 },
      { role: 'vpn-2', attachmentId: 'tgw-attach-2', status: vpn2 },
    ],
    destinations: DESTS,
    routes: routedTo ? DESTS.map((destination) => ({ destination, attachmentId: routedTo })) : [],
    routeTableId: 'tgw-rtb-1',
    ...extra,
  };
}

const summary = (d: ReturnType<typeof decideSteer>) => ({
  target: d.target?.role,
  changes: d.changes.map((c) => `${c.destination}: ${c.from} -> ${c.to}`),
});

describe('decideSteer', () => {
  it.each([
    ['UP', 'UP', 'tgw-attach-1', 'vpn-1', []],
    ['DOWN', 'UP', 'tgw-attach-1', 'vpn-2', DESTS.map((d) => `${d}: tgw-attach-1 -> tgw-attach-2`)],
    ['UP', 'UP', 'tgw-attach-2', 'vpn-1', DESTS.map((d) => `${d}: tgw-attach-2 -> tgw-attach-1`)],
    ['UP', 'DOWN', 'tgw-attach-2', 'vpn-1', DESTS.map((d) => `${d}: tgw-attach-2 -> tgw-attach-1`)],
    ['DOWN', 'UP', 'tgw-attach-2', 'vpn-2', []],
    ['DOWN', 'DOWN', 'tgw-attach-2', undefined, []],
    ['DOWN', 'DOWN', 'tgw-attach-1', undefined, []],
  ])('vpn-1 %s, vpn-2 %s, routed to %s: targets %s', (vpn1, vpn2, routedTo, target, changes) => {
    // Act
    const d = decideSteer(input(vpn1, vpn2, routedTo));

    // Assert
    expect(summary(d)).toEqual({ target, changes });
  });

  it('moves the routes off the avoided role when the other one is UP, and again changes nothing once there', () => {
    // Act
    const away = decideSteer(input('UP', 'UP', 'tgw-attach-1', { avoid: 'vpn-1' }));
    const again = decideSteer(input('UP', 'UP', 'tgw-attach-2', { avoid: 'vpn-1' }));

    // Assert
    expect(summary(away)).toEqual({
      target: 'vpn-2',
      changes: DESTS.map((d) => `${d}: tgw-attach-1 -> tgw-attach-2`),
    });
    expect(summary(again)).toEqual({ target: 'vpn-2', changes: [] });
  });

  it('refuses to move the routes off a role when the other one is not UP, naming it', () => {
    // Act
    const act = () => decideSteer(input('UP', 'DOWN', 'tgw-attach-1', { avoid: 'vpn-1' }));

    // Assert
    expect(act).toThrow(expect.objectContaining({ name: 'SteerRefused' }));
    expect(act).toThrow('cannot move the transit gateway routes off vpn-1: vpn-2 is DOWN');
  });

  it('refuses when the other role has no attachment listed yet', () => {
    // Prepare
    const i = input('UP', 'UP', 'tgw-attach-1', { avoid: 'vpn-1' });
    i.connections[1] = { role: 'vpn-2', status: 'UP' };

    // Act
    const act = () => decideSteer(i);

    // Assert
    expect(act).toThrow('vpn-2 is without an attachment');
  });

  it('never replaces a route toward an attachment that is not the connection’s, and names it', () => {
    // Prepare
    const i = input('DOWN', 'UP', 'tgw-attach-1');
    i.routes[1] = { destination: '10.60.0.0/16', attachmentId: 'tgw-attach-foreign' };

    // Act
    const act = () => decideSteer(i);

    // Assert
    expect(act).toThrow(expect.objectContaining({ name: 'ProviderRejected' }));
    expect(act).toThrow('tgw-rtb-1 routes 10.60.0.0/16 to tgw-attach-foreign');
  });

  it('leaves a destination without a route to the provisioning step', () => {
    // Prepare
    const i = input('DOWN', 'UP', 'tgw-attach-1');
    i.routes = i.routes.slice(0, 1);

    // Act
    const d = decideSteer(i);

    // Assert
    expect(summary(d).changes).toEqual(['192.168.0.0/16: tgw-attach-1 -> tgw-attach-2']);
  });
});

describe('turnOf (the failover watcher’s bound per run)', () => {
  it('takes everything under the bound, and beyond it covers every item over consecutive minutes', () => {
    // Prepare
    const items = ['a', 'b', 'c', 'd', 'e'];
    const minute = (m: number) => new Date(Date.UTC(2026, 11, 6, 17, m));

    // Act
    const small = turnOf(items, 5, minute(0));
    const runs = [0, 1, 2].map((m) => turnOf(items, 2, minute(m)));

    // Assert
    expect(small).toEqual(items);
    expect(runs.every((r) => r.length === 2)).toBe(true);
    expect(new Set(runs.flat())).toEqual(new Set(items));
  });
});
