import {
  api,
  articleSpec,
  body,
  fault,
  finished,
  freshWorld,
  type Inventory,
  nothingLeft,
  orphanRoutes,
  type ServedWorld,
  settle,
  useServedWorld,
} from '../api/served-world';
import { inventory } from '../helpers/workflow';

// The concurrency evidence for "one operation per connection": 50 rounds of POST / DELETE mixes sent at the same
// instant through `vpn-bridge serve --local` (real HTTP, the deployment's handlers, the simulator's Step Functions
// running the state machines). After each round: every accepted operation succeeded, no two of them ran at the same
// time, and the connection is either working with exactly one of each resource or gone with nothing left, and no
// route anywhere points at a VPN gateway that no longer exists. Every third round Step Functions answers slowly
// (what let two operations through when "is anything running?" was the only guard). About 30 s on 2 cores, so it
// runs with the fidelity suite (`npm run test:fidelity`); test/api/one-operation.test.ts is the quick one in `npm test`.
// Run: npx jest --config jest.fidelity.config.js test/fidelity/concurrency.test.ts

const TIME_SCALE = 2000;
const ROUNDS = 50;
const NAME = 'conc-one';
const MIXES: string[][] = [
  ['POST', 'DELETE'],
  ['DELETE', 'POST'],
  ['POST', 'POST', 'DELETE'],
  ['POST', 'DELETE', 'DELETE'],
  ['DELETE', 'DELETE', 'POST', 'POST'],
  ['POST', 'POST'],
  ['DELETE', 'POST', 'DELETE', 'POST', 'POST'],
];

const world = useServedWorld(TIME_SCALE);

interface Round {
  round: number;
  mix: string;
  answers: string;
  outcome: 'ACTIVE' | 'none';
}

/** the accepted executions of a round never overlap in time */
function overlapping(w: ServedWorld, arns: string[]): string[] {
  const runs = arns.map((a) => w.sim.ctx.state.aws.executions[a]).filter((x) => x !== undefined);
  const out: string[] = [];
  for (const a of runs)
    for (const b of runs)
      if (a !== b && a.startDate < b.startDate && (a.stopDate ?? Number.POSITIVE_INFINITY) > b.startDate)
        out.push(`${a.name} still ran when ${b.name} started`);
  return out;
}

describe(`${ROUNDS} rounds of same-instant POST/DELETE mixes through serve`, () => {
  const rounds: Round[] = [];
  let working: Inventory;

  beforeAll(async () => {
    const w = world();
    await freshWorld(w);
    const r = await api(w, 'POST', '/connections', await articleSpec(w, NAME));
    expect(await finished(w, body(r).executionArn)).toBe('SUCCEEDED');
    working = inventory(w.sim);
  });

  afterAll(() => {
    const tally: Record<string, number> = {};
    for (const r of rounds) tally[r.outcome] = (tally[r.outcome] ?? 0) + 1;
    process.stdout.write(`concurrency: ${rounds.length} rounds, outcomes ${JSON.stringify(tally)}\n`);
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i ends with a working connection or none, and nothing orphaned',
    async (round) => {
      // Prepare
      const w = world();
      const spec = await articleSpec(w, NAME);
      const mix = MIXES[(round - 1) % MIXES.length] ?? [];
      const slow = round % 3 === 0;
      if (slow)
        await fault(w, {
          service: 'stepfunctions',
          action: 'ListExecutions',
          kind: 'latency',
          latencyMs: 200,
          count: 0,
        });

      // Act
      const answers = await Promise.all(
        mix.map((m) =>
          m === 'POST' ? api(w, 'POST', '/connections', spec) : api(w, 'DELETE', `/connections/${NAME}`),
        ),
      );
      if (slow) await fault(w);
      await settle(w);
      const got = await api(w, 'GET', `/connections/${NAME}`);

      // Assert
      const accepted = [...new Set(answers.filter((a) => a.status === 202).map((a) => String(body(a).executionArn)))];
      for (const a of answers) expect([202, 404, 409]).toContain(a.status);
      for (const arn of accepted) expect(await finished(w, arn)).toBe('SUCCEEDED');
      expect(overlapping(w, accepted)).toEqual([]);
      expect(orphanRoutes(w)).toEqual([]);
      const status = got.status === 200 ? String(body(got).status) : 'absent';
      const outcome = status === 'ACTIVE' ? 'ACTIVE' : 'none';
      if (outcome === 'ACTIVE') expect(inventory(w.sim)).toEqual(working);
      else {
        expect(['DELETED', 'absent']).toContain(status);
        expect(nothingLeft(w)).toBe(true);
      }
      rounds.push({ round, mix: mix.join('+'), answers: answers.map((a) => a.status).join(','), outcome });
    },
  );
});
