import Table from 'cli-table3';
import { alibabaEnd, awsEnd } from '../../src/ike';
import { type ConnectionState, readConnection, type TunnelPair } from './cloud-state';
import { DataplaneFailed } from './errors';
import { assertDataplaneReady } from './preflight';
import { type Resources, sweepStale, withResources } from './system';
import { type PairRun, Testbed } from './testbed';

// `vpn-bridge dataplane <name>`: the tunnels of a provisioned connection as real IKE daemons, real TCP through
// the active tunnel, then a forced failover to the standby. Every wait is bounded; everything it made is
// removed on every exit path (system.ts).

export interface TunnelSnapshot {
  id: string;
  role: TunnelPair['role'];
  alibaba?: string;
  simulator: string;
  ike: { aws: string; alibaba: string; version: string; proposal: string };
  child: { aws: string; alibaba: string; proposal: string; localTs: string[]; remoteTs: string[] };
  bytes: number;
  packets: number;
  /** provider settings strongSwan could not express exactly (from the mapping) */
  notes: string[];
}

export interface DataplaneStep {
  step: string;
  /** the tunnel that carried the test traffic */
  via?: string;
  echoedBytes?: number;
  tunnels: TunnelSnapshot[];
}

export interface DataplaneReport {
  name: string;
  awsHost: string;
  alibabaHost: string;
  steps: DataplaneStep[];
  ok: boolean;
  problems: string[];
}

export interface DataplaneOptions {
  url: string;
  name: string;
  admin: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  progress?: (line: string) => void;
  /** bound on each tunnel's negotiation, ms */
  negotiateMs?: number;
  /** read instead of the simulator (tests) */
  state?: ConnectionState;
}

interface SimLine {
  aws: { vpnConnectionId: string; tunnel: number } | null;
  status: string;
  reason: string;
}

async function simulatorView(o: DataplaneOptions): Promise<Map<string, string>> {
  const { tunnels } = await o.admin<{ tunnels: SimLine[] }>('GET', '/_sim/tunnels');
  const out = new Map<string, string>();
  for (const t of tunnels) if (t.aws) out.set(`${t.aws.vpnConnectionId}/${t.aws.tunnel}`, t.status);
  return out;
}

async function snapshot(
  tb: Testbed,
  pairs: TunnelPair[],
  runs: Map<string, PairRun>,
  sim: Map<string, string>,
): Promise<TunnelSnapshot[]> {
  const out: TunnelSnapshot[] = [];
  for (const p of pairs) {
    const r = runs.get(p.id);
    const base = {
      id: p.id,
      role: p.role,
      alibaba: p.alibaba ? `${p.alibaba.vpnConnectionId} ${p.alibaba.role}` : undefined,
      simulator: sim.get(p.id) ?? '-',
    };
    if (!r) {
      out.push({
        ...base,
        ike: { aws: '-', alibaba: '-', version: '-', proposal: '-' },
        child: { aws: '-', alibaba: '-', proposal: '-', localTs: [], remoteTs: [] },
        bytes: 0,
        packets: 0,
        notes: [],
      });
      continue;
    }
    const s = await tb.state(r);
    const awsChild = s.aws.ike?.children.find((c) => c.state === 'INSTALLED') ?? s.aws.ike?.children[0];
    const aliChild = s.alibaba.ike?.children.find((c) => c.state === 'INSTALLED') ?? s.alibaba.ike?.children[0];
    const all = s.aws.ike?.children ?? [];
    out.push({
      ...base,
      ike: {
        aws: s.aws.ike?.state ?? 'none',
        alibaba: s.alibaba.ike?.state ?? 'none',
        version: s.aws.ike ? `IKEv${s.aws.ike.version}` : '-',
        proposal: s.aws.ike?.proposal ?? '-',
      },
      child: {
        aws: awsChild?.state ?? 'none',
        alibaba: aliChild?.state ?? 'none',
        proposal: awsChild?.proposal ?? '-',
        localTs: awsChild?.localTs ?? [],
        remoteTs: awsChild?.remoteTs ?? [],
      },
      bytes: all.reduce((n, c) => n + c.bytesIn + c.bytesOut, 0),
      packets: all.reduce((n, c) => n + c.packetsIn + c.packetsOut, 0),
      notes: [...r.aws.end.notes.map((n) => `AWS: ${n}`), ...r.alibaba.end.notes.map((n) => `Alibaba: ${n}`)],
    });
  }
  return out;
}

async function exercise(r: Resources, o: DataplaneOptions, state: ConnectionState): Promise<DataplaneReport> {
  const say = o.progress ?? (() => undefined);
  const tb = new Testbed(r, state.awsVpcCidr, state.alibabaVpcCidr);
  await tb.create();
  const used = state.pairs.filter((p) => p.alibaba);
  const runs = new Map<string, PairRun>();
  const problems: string[] = [];
  say(`namespaces ${r.prefix}-*: AWS VPC host ${tb.awsHost}, Alibaba VPC host ${tb.alibabaHost}`);
  for (const [i, p] of used.entries()) {
    if (!p.alibaba) continue;
    const ends = { aws: awsEnd(p.aws, 'aws'), alibaba: alibabaEnd(p.alibaba.state, 'alibaba') };
    runs.set(p.id, await tb.addPair(i + 1, ends));
  }
  say(`negotiating ${used.length} tunnel(s) (one charon per tunnel end)...`);
  await Promise.all(
    used.map(async (p) => {
      const run = runs.get(p.id);
      if (!run) return;
      await tb.negotiate(run);
      const up = await tb.waitUp(run, o.negotiateMs ?? 20_000);
      say(`  ${p.id} (${p.role}): ${up ? 'IKE SA and CHILD SA up' : 'did not come up'}`);
      if (!up) problems.push(`${p.id} (${p.role}) did not come up within ${(o.negotiateMs ?? 20_000) / 1000} s`);
    }),
  );
  const steps: DataplaneStep[] = [];
  const traffic = async (step: string, p: TunnelPair) => {
    const i = used.indexOf(p) + 1;
    await tb.routeVia(i);
    say(`${step}: TCP ${tb.awsHost} -> ${tb.alibabaHost}:8080 through ${p.id}...`);
    const echoed = await tb.tcp().catch(() => 0);
    if (echoed === 0) problems.push(`${step}: no traffic passed through ${p.id}`);
    steps.push({
      step,
      via: p.id,
      echoedBytes: echoed,
      tunnels: await snapshot(tb, state.pairs, runs, await simulatorView(o)),
    });
  };
  const active = used.find((p) => p.role === 'active') ?? used[0];
  if (!active) throw new DataplaneFailed('no AWS tunnel of this connection is paired with an Alibaba tunnel');
  await traffic('active tunnel', active);
  const standby = used.find((p) => p.role === 'standby');
  if (standby) {
    say(`forcing ${active.id} down through the simulator admin API and stopping its SA...`);
    await o.admin('POST', '/_sim/tunnels/down', {
      cloud: 'aws',
      vpnConnectionId: active.awsVpnConnectionId,
      tunnel: active.awsTunnel,
    });
    try {
      await runs.get(active.id)?.aws.terminate();
      await traffic('after failover', standby);
    } finally {
      await o.admin('POST', '/_sim/tunnels/up', {
        cloud: 'aws',
        vpnConnectionId: active.awsVpnConnectionId,
        tunnel: active.awsTunnel,
      });
    }
  }
  return { name: o.name, awsHost: tb.awsHost, alibabaHost: tb.alibabaHost, steps, ok: problems.length === 0, problems };
}

export async function runDataplane(o: DataplaneOptions): Promise<DataplaneReport> {
  await assertDataplaneReady();
  const stale = await sweepStale();
  if (stale.length > 0) o.progress?.(`removed ${stale.length} namespace(s)/dir(s) left by killed runs`);
  const state = o.state ?? (await readConnection(o.url, o.name));
  return withResources((r) => exercise(r, o, state));
}

/** one table per step: the per-tunnel view the issue asks for (proposals on a second line keep it narrow) */
export function dataplaneText(report: DataplaneReport): string {
  const lines = [`dataplane ${report.name}: AWS VPC host ${report.awsHost} -> Alibaba VPC host ${report.alibabaHost}`];
  for (const s of report.steps) {
    lines.push(`\n${s.step}: TCP through ${s.via ?? '-'} (${s.echoedBytes ?? 0} bytes echoed)`);
    const t = new Table({
      head: ['tunnel', 'role', 'simulator', 'IKE SA (AWS/Alibaba)', 'CHILD SA (AWS/Alibaba)', 'selectors', 'bytes'],
      style: { head: [], border: [] },
    });
    for (const x of s.tunnels)
      t.push([
        `${x.id}${x.alibaba ? `\n${x.alibaba}` : ''}`,
        x.role,
        x.simulator,
        x.ike.aws === '-' ? '-' : `${x.ike.aws}/${x.ike.alibaba} ${x.ike.version}\n${x.ike.proposal}`,
        x.child.aws === '-' ? '-' : `${x.child.aws}/${x.child.alibaba}\n${x.child.proposal}`,
        x.child.localTs.length > 0 ? `${x.child.localTs.join(',')}\n=== ${x.child.remoteTs.join(',')}` : '-',
        String(x.bytes),
      ]);
    lines.push(t.toString());
  }
  lines.push(report.ok ? '\nresult: OK' : `\nresult: FAILED\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
  return lines.join('\n');
}
