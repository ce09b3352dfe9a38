import { demoSpec } from '../local/demo';
import { configureEnvironment, seedCredentials } from '../local/environment';
import { provisionLocally } from '../local/operations';
import { operatorDeps } from '../local/operator';
import { startSimulator } from '../sim';
import { parseSpec } from '../src/spec';
import { runDriftCheck } from '../src/workflow/drift';
import { cloneConnection } from '../test/helpers/fleet';

// The drift check's cost at fleet sizes 1 / 10 / 100 / 1000 / 2000 / 5000: one connection is provisioned for real, the
// rest are copies in the simulator's world with their own records (test/helpers/fleet.ts). Each size is
// measured on a steady fleet (a first check writes every record's lastDrift once; the measured, second one
// is what the schedule pays every time): API calls by action from the simulator's counters, wall time.

export interface DriftFigure {
  connections: number;
  apiCalls: number;
  describeCalls: number;
  byAction: Record<string, number>;
  wallMs: number;
  clean: number;
}

const TEMPLATE = 'fleet-template';

async function counters(url: string): Promise<Record<string, number>> {
  const m = (await (await fetch(`${url}/_sim/metrics`)).json()) as {
    requests: Record<string, Record<string, { count: number }>>;
  };
  const out: Record<string, number> = {};
  for (const [svc, actions] of Object.entries(m.requests))
    for (const [a, c] of Object.entries(actions)) out[`${svc}:${a}`] = c.count;
  return out;
}

export async function measureDrift(sizes: number[]): Promise<DriftFigure[]> {
  const timeScale = 1000;
  const sim = await startSimulator({ timeScale });
  try {
    configureEnvironment(sim.url);
    await seedCredentials(sim.url);
    const parsed = parseSpec(
      await demoSpec(sim.url, {
        name: TEMPLATE,
        alibabaRegion: 'eu-central-1',
        profile: 'recommended',
        psk: 'from-aws-config',
      }),
    );
    if (!parsed.ok) throw new Error('demo spec');
    const access = {
      url: sim.url,
      sim,
      simNow: async () => sim.ctx.clock.now(),
      admin: async <T>(m: string, p: string) => (await (await fetch(`${sim.url}${p}`, { method: m })).json()) as T,
      stop: async () => undefined,
    };
    const r = await provisionLocally(access, parsed.spec);
    if (r.status !== 'ACTIVE') throw new Error(`template connection ${r.status}`);
    const deps = operatorDeps();
    const template = (await deps.registry.require(TEMPLATE)).record;
    let made = 1;
    const out: DriftFigure[] = [];
    for (const size of [...sizes].sort((a, b) => a - b)) {
      // the copies first, then their records (the world changes once, not between every two writes)
      const records = [];
      while (made < size) {
        records.push(cloneConnection(sim, template, made, TEMPLATE));
        made++;
      }
      for (const record of records) await deps.registry.put(record);
      sim.advance(60); // one negotiation period: the copies' tunnels come UP
      await runDriftCheck(deps); // settles lastDrift for the new copies
      const before = await counters(sim.url);
      const t0 = performance.now();
      const run = await runDriftCheck(deps);
      const wallMs = Math.round(performance.now() - t0);
      const after = await counters(sim.url);
      const byAction: Record<string, number> = {};
      for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) byAction[k] = v - (before[k] ?? 0);
      const apiCalls = Object.values(byAction).reduce((a, b) => a + b, 0);
      const describeCalls = Object.entries(byAction)
        .filter(([k]) => /:(Describe|List|BatchGet)/.test(k))
        .reduce((a, [, v]) => a + v, 0);
      out.push({ connections: size, apiCalls, describeCalls, byAction, wallMs, clean: run.summary.clean });
    }
    return out;
  } finally {
    await sim.stop();
  }
}
