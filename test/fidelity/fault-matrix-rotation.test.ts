import { type RunReport, rotateLocally } from '../../local/operations';
import { operatorDeps } from '../../local/operator';
import type { RunEvent } from '../../local/runner';
import type { Simulator } from '../../sim';
import { TAG_CONNECTION, TAG_ROLE } from '../../src/plan/naming';
import { faultFor, freshClients, type Kind, type Service } from '../helpers/fault-matrix';
import { routedTunnel, type UserTgw, userTransitGateway } from '../helpers/transit-gateway';
import { allPsks, freshWorld, leaks, provision, spec, useLocalWorld } from '../helpers/workflow';

// Fault-injection matrix, key rotation: each mutating call a rotation makes (the AWS tunnel modify, Alibaba's modify
// for the topology, the record writes) x {throttle, 5xx, lost response} x {once, always}, on both topologies. After
// every cell: no used tunnel is left on a key the other cloud does not have, every used tunnel is UP, the record
// holds the key the clouds hold (both keys only while a rotation is recorded as unfinished), and no key that
// existed during the cell appears in the logs, the execution events or the report.
//
// Budgets (test/helpers/fault-matrix.ts): a single fault is absorbed (the state's Retry re-reads and changes only
// what differs); `always` exhausts the retries of the step that makes the call, except a lost answer to a modify,
// which the re-read finds done. A run that fails ends with the tunnel set back to its previous key.
//
// Through a transit gateway (dual-tunnel) the rotation also moves the gateway's static routes off the active VPN
// connection before its key change and back after (ReplaceTransitGatewayRoute): those cells add that the routed
// tunnel is UP at every sample of the simulated clock, and that the routes end on the active connection (or, when
// the move failed past its retries, never left it: the rotation fails as SteerRefused with the active tunnel untouched).

const world = useLocalWorld(1000);

interface Cell {
  service: Service;
  action: string;
  kind: Kind;
  level: 'once' | 'always';
  /** matching requests let through first (the record writes before the first tunnel's key is recorded) */
  skip?: number;
}

const calls = (topology: string): Array<Pick<Cell, 'service' | 'action'>> => [
  { service: 'ec2', action: 'ModifyVpnTunnelOptions' },
  {
    service: 'alibaba-vpc',
    action: topology === 'dual-tunnel' ? 'ModifyTunnelAttribute' : 'ModifyVpnConnectionAttribute',
  },
  { service: 'secretsmanager', action: 'PutSecretValue' },
];

function cells(topology: string, throughTgw: boolean): Cell[] {
  if (throughTgw)
    return (['throttle', '5xx', 'lost'] as const).flatMap((kind) =>
      (['once', 'always'] as const).map(
        (level): Cell => ({ service: 'ec2', action: 'ReplaceTransitGatewayRoute', kind, level }),
      ),
    );
  const plain = calls(topology).flatMap((c) =>
    (['throttle', '5xx', 'lost'] as const).flatMap((kind) =>
      (['once', 'always'] as const).map((level): Cell => ({ ...c, kind, level })),
    ),
  );
  // the record cannot be written once both clouds hold the standby's new key (rotateStart wrote twice: the lock and
  // the keys): the tunnel goes back to its previous key, and the failure itself cannot be recorded
  const afterKeysChanged = (['throttle', '5xx', 'lost'] as const).map(
    (kind): Cell => ({ service: 'secretsmanager', action: 'PutSecretValue', kind, level: 'always', skip: 2 }),
  );
  return [...plain, ...afterKeysChanged];
}

/** what the run must end with: one fault is absorbed; always-lost modifies are found done; the rest fail */
function expected(c: Cell): 'SUCCEEDED' | 'FAILED' {
  if (c.level === 'once') return 'SUCCEEDED';
  if (c.kind === 'lost' && c.service !== 'secretsmanager') return 'SUCCEEDED';
  return 'FAILED';
}

interface TunnelKeys {
  id: string;
  up: boolean;
  aws: string;
  alibaba: string;
}

/** the used tunnels of `name` as the simulator holds them: UP, and the key on each side */
function usedTunnels(sim: Simulator, name: string, topology: string): TunnelKeys[] {
  const st = sim.ctx.state;
  const conns = Object.values(st.aws.regions).flatMap((r) =>
    Object.values(r.vpnConnections).filter(
      (c) => c.State !== 'deleted' && c.Tags?.some((t) => t.Key === TAG_CONNECTION && t.Value === name),
    ),
  );
  return conns.flatMap((c) =>
    (topology === 'single-tunnel' ? [0, 1] : [0]).map((i) => {
      const opts = c.TunnelOptions[i];
      const ali = Object.values(st.alibaba.regions).flatMap((r) =>
        Object.values(r.vpnConnections).flatMap((x) =>
          x.Tunnels.filter((t) => r.customerGateways[t.CustomerGatewayId]?.IpAddress === opts?.OutsideIpAddress),
        ),
      )[0];
      return {
        id: `${c.Tags?.find((t) => t.Key === TAG_ROLE)?.Value}/${i + 1}`,
        up: c.VgwTelemetry[i]?.Status === 'UP' && ali?.Status === 'ipsec_sa_established',
        aws: opts?.PreSharedKey ?? '',
        alibaba: ali?.TunnelIkeConfig.Psk ?? '',
      };
    }),
  );
}

const results: string[] = [];
afterAll(() => {
  process.stdout.write(
    `\n### fault matrix: key rotation\n\n| topology | call | fault | level | outcome | tunnels consistent and UP | keys leaked |\n|---|---|---|---|---|---|---|\n${results.join('\n')}\n`,
  );
});

describe.each([
  ['dual-tunnel', 'eu-central-1'],
  ['single-tunnel', 'me-east-1'],
])('rotation faults on a %s connection', (topology, alibabaRegion) => {
  const name = `rotfault-${topology === 'dual-tunnel' ? 'd' : 's'}`;

  beforeAll(async () => {
    await freshWorld(world());
    const r = await provision(world(), await spec(world(), { alibabaRegion, name }));
    if (r.status !== 'ACTIVE') throw new Error(`provisioning failed: ${r.execution.cause}`);
  }, 180_000);

  it.each(
    cells(topology, false).map(
      (c) => [`${c.action} ${c.kind} ${c.level}${c.skip ? ` after ${c.skip} writes` : ''}`, c] as const,
    ),
  )(
    '%s: no tunnel on a key the other side lacks, all UP, no key leaked',
    async (_label, cell) => {
      // Prepare: fresh SDK clients (a cold container), the fault, and every key that exists during the run
      const w = world();
      freshClients(w);
      const logsBefore = w.logs.length;
      const seen = new Set<string>();
      const collect = () => {
        for (const k of allPsks(w.sim)) seen.add(k);
      };
      w.sim.ctx.tickHooks.push(collect);
      await w.access.admin('POST', '/_sim/faults', [
        { ...faultFor(cell, cell.kind, cell.level === 'once' ? 1 : 0), ...(cell.skip ? { skip: cell.skip } : {}) },
      ]);
      const events: RunEvent[] = [];

      // Act
      let report: RunReport;
      try {
        report = await rotateLocally(w.access, name, { takeOver: true, onEvent: (e) => events.push(e) });
      } finally {
        await w.access.admin('DELETE', '/_sim/faults');
        w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(collect), 1);
      }
      // the last replacement may still be settling when a failed run ends: let the clouds finish
      w.sim.advance(600);
      collect();
      const tunnels = usedTunnels(w.sim, name, topology);
      const record = (await operatorDeps().registry.require(name)).record;
      for (const k of [
        ...Object.values(record.handoffs.awsTunnels).map((t) => t.psk),
        ...Object.values(record.handoffs.rotation ?? {}).flatMap((k) => [k.previous, k.next]),
      ])
        seen.add(k);
      const mismatched = tunnels.filter((t) => t.aws !== t.alibaba).map((t) => t.id);
      const down = tunnels.filter((t) => !t.up).map((t) => t.id);
      const outOfRecord = tunnels
        .filter((t) => {
          const pending = record.handoffs.rotation?.[t.id];
          const allowed = [record.handoffs.awsTunnels[t.id]?.psk, pending?.previous, pending?.next];
          return !allowed.includes(t.aws);
        })
        .map((t) => t.id);
      const text = [w.logs.slice(logsBefore).join('\n'), JSON.stringify(events), JSON.stringify(report)].join('\n');
      const leaked = leaks([...seen], text);
      results.push(
        `| ${topology} | ${cell.action} | ${cell.kind} | ${cell.level}${cell.skip ? ` after ${cell.skip} writes` : ''} | ${report.execution.status}${report.execution.error ? ` (${report.execution.error})` : ''} | ${mismatched.length === 0 && down.length === 0 ? 'yes' : `no: ${[...mismatched, ...down].join(', ')}`} | ${leaked.length} |`,
      );

      // Assert
      expect(report.execution.status).toBe(expected(cell));
      expect(tunnels).toHaveLength(2);
      expect(mismatched).toEqual([]);
      expect(down).toEqual([]);
      expect(outOfRecord).toEqual([]);
      expect(seen.size).toBeGreaterThanOrEqual(2);
      expect(leaked).toHaveLength(0);
      if (report.execution.status === 'FAILED') {
        expect(report.execution.cause ?? '').toMatch(
          /tunnel vpn-\d\/\d|record|PutSecretValue|UpdateSecretVersionStage/,
        );
      } else {
        expect(record.handoffs.rotation).toBeUndefined();
        expect(record.lastRotation?.result).toBe('SUCCEEDED');
      }
    },
    180_000,
  );
});

describe('rotation faults on a dual-tunnel connection through a transit gateway', () => {
  const name = 'rotfault-t';
  let tgw: UserTgw;
  let cidr: string;

  beforeAll(async () => {
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: 'eu-central-1', name });
    tgw = await userTransitGateway(w.sim, s.aws.vpcId);
    cidr = s.alibaba.cidrs?.[0] ?? s.alibaba.cidr ?? '';
    const attach = { transitGateway: tgw.transitGatewayId, routeTableId: tgw.routeTableId };
    const r = await provision(w, { ...s, aws: { ...s.aws, attach } });
    if (r.status !== 'ACTIVE' || r.topology !== 'dual-tunnel') throw new Error(`provisioning: ${r.execution.cause}`);
  }, 180_000);

  it.each(cells('dual-tunnel', true).map((c) => [`${c.action} ${c.kind} ${c.level}`, c] as const))(
    '%s: the routed tunnel UP at every sample, no tunnel on a key the other side lacks, no key leaked',
    async (_label, cell) => {
      // Prepare: fresh SDK clients, the fault, every key that exists during the run, the route's target on the clock
      const w = world();
      freshClients(w);
      const logsBefore = w.logs.length;
      const seen = new Set<string>();
      const samples: Array<{ role: string; up: boolean }> = [];
      const hook = () => {
        for (const k of allPsks(w.sim)) seen.add(k);
        samples.push(routedTunnel(w.sim, name, tgw, cidr));
      };
      w.sim.ctx.tickHooks.push(hook);
      await w.access.admin('POST', '/_sim/faults', [faultFor(cell, cell.kind, cell.level === 'once' ? 1 : 0)]);
      const events: RunEvent[] = [];

      // Act
      let report: RunReport;
      let fired = 0;
      try {
        report = await rotateLocally(w.access, name, { takeOver: true, onEvent: (e) => events.push(e) });
      } finally {
        const f = await w.access.admin<{ faults: Array<{ fired: number }> }>('GET', '/_sim/faults');
        fired = f.faults[0]?.fired ?? 0;
        await w.access.admin('DELETE', '/_sim/faults');
        w.sim.ctx.tickHooks.splice(w.sim.ctx.tickHooks.indexOf(hook), 1);
      }
      w.sim.advance(600);
      const tunnels = usedTunnels(w.sim, name, 'dual-tunnel');
      const record = (await operatorDeps().registry.require(name)).record;
      for (const t of Object.values(record.handoffs.awsTunnels)) seen.add(t.psk);
      const mismatched = tunnels.filter((t) => t.aws !== t.alibaba || !t.up).map((t) => t.id);
      const lost = samples.filter((x) => !x.up);
      const text = [w.logs.slice(logsBefore).join('\n'), JSON.stringify(events), JSON.stringify(report)].join('\n');
      const leaked = leaks([...seen], text);
      const roles = samples.map((x) => x.role).filter((r, i, all) => i === 0 || all[i - 1] !== r);
      results.push(
        `| dual-tunnel via transit gateway | ${cell.action} | ${cell.kind} | ${cell.level} | ${report.execution.status}${report.execution.error ? ` (${report.execution.error})` : ''} | ${mismatched.length === 0 && lost.length === 0 ? 'yes' : `no: ${mismatched.join(', ')} ${lost.length} samples routed to a tunnel not UP`} | ${leaked.length} |`,
      );

      // Assert
      expect(fired).toBeGreaterThan(0);
      expect(report.execution.status).toBe(expected(cell));
      expect(mismatched).toEqual([]);
      expect(samples.length).toBeGreaterThan(10);
      expect(lost).toEqual([]);
      expect(routedTunnel(w.sim, name, tgw, cidr).role).toBe('vpn-1');
      expect(leaked).toHaveLength(0);
      if (report.execution.status === 'FAILED') {
        // the move off the active connection failed past its retries: the active tunnel was never touched
        expect(report.execution.error).toBe('SteerRefused');
        expect(report.execution.cause ?? '').toMatch(/could not be moved off tunnel vpn-1\/1/);
        expect(roles).toEqual(['vpn-1']);
        expect(record.lastRotation?.tunnels).toEqual(['vpn-2/1']);
      } else {
        expect(roles).toEqual(['vpn-1', 'vpn-2', 'vpn-1']);
        expect(record.handoffs.rotation).toBeUndefined();
        expect(record.lastRotation?.result).toBe('SUCCEEDED');
      }
    },
    180_000,
  );
});
