import { planConnection } from '../../src/plan';
import { newRecord } from '../../src/registry/record';
import { parseSpec } from '../../src/spec';
import { rotationDue, rotationOrder } from '../../src/workflow/rotate';

// Which tunnels a key rotation changes, in which order, and when the schedule starts one. Pure.

function spec(tunnels: Record<string, unknown> = {}) {
  const p = parseSpec({
    name: 'gdn-china',
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16' },
    tunnels,
  });
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.spec;
}

describe('rotationOrder', () => {
  it('rotates the standby tunnel first and never an unused one, in both topologies', () => {
    // Act
    const dual = rotationOrder(planConnection(spec(), 'dual-tunnel').tunnels).map((t) => `${t.id} ${t.role}`);
    const single = rotationOrder(planConnection(spec(), 'single-tunnel').tunnels).map((t) => `${t.id} ${t.role}`);

    // Assert
    expect(dual).toEqual(['vpn-2/1 standby', 'vpn-1/1 active']);
    expect(single).toEqual(['vpn-1/2 standby', 'vpn-1/1 active']);
  });
});

describe('rotationDue', () => {
  const day = 86_400_000;
  const created = '2026-01-01T00:00:00.000Z';
  const at = (days: number) => new Date(Date.parse(created) + days * day);

  it('is due once the last successful rotation (or the creation) is rotateEveryDays old', () => {
    // Prepare
    const r = newRecord(spec({ rotateEveryDays: 30 }), 'dev', 'g', created);
    r.status = 'ACTIVE';

    // Act
    const early = rotationDue(r, at(29.9));
    const fromCreation = rotationDue(r, at(30));
    r.lastRotation = { at: at(30).toISOString(), result: 'SUCCEEDED', tunnels: ['vpn-2/1', 'vpn-1/1'] };
    const afterRotation = rotationDue(r, at(31));
    r.lastRotation = { at: at(30).toISOString(), result: 'FAILED', tunnels: [] };
    const afterFailure = rotationDue(r, at(31));

    // Assert
    expect([early, fromCreation, afterRotation, afterFailure]).toEqual([false, true, false, true]);
  });

  it('is never due without the setting, or for a connection that is not ACTIVE', () => {
    // Prepare
    const without = newRecord(spec(), 'dev', 'g', created);
    without.status = 'ACTIVE';
    const failed = newRecord(spec({ rotateEveryDays: 1 }), 'dev', 'g', created);
    failed.status = 'FAILED';

    // Assert
    expect(rotationDue(without, at(400))).toBe(false);
    expect(rotationDue(failed, at(400))).toBe(false);
  });

  it('takes whole days from 1 to 365 and names the field otherwise', () => {
    // Act
    const bad = [0, 1.5, 366, 'weekly'].map((v) => {
      const p = parseSpec({ ...spec(), tunnels: { rotateEveryDays: v } });
      return p.ok ? 'accepted' : p.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    });

    // Assert
    expect(spec({ rotateEveryDays: 90 }).tunnels.rotateEveryDays).toBe(90);
    for (const b of bad) expect(b).toMatch(/^tunnels\.rotateEveryDays: must be a whole number of days, 1-365/);
  });
});
