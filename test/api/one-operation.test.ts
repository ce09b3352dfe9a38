import { inventory } from '../helpers/workflow';
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
  settle,
  useServedWorld,
} from './served-world';

// One operation per connection (issue item 5), through `vpn-bridge serve --local` over real HTTP. The connection's
// lock is a compare-and-swap on its record: a provisioning and a teardown submitted at the same instant cannot both
// be accepted, however slowly Step Functions answers the "is anything running?" question (here: every ListExecutions
// delayed, which is what let both through when that question was the only guard).

const world = useServedWorld(500);
const NAME = 'race-one';

describe('a POST and a DELETE of one connection at the same instant', () => {
  let active: Inventory;

  beforeAll(async () => {
    const w = world();
    await freshWorld(w);
    const created = await api(w, 'POST', '/connections', await articleSpec(w, NAME));
    expect(await finished(w, body(created).executionArn)).toBe('SUCCEEDED');
    active = inventory(w.sim);
  });

  it.each([1, 2, 3])(
    'accepts exactly one of them and ends with the connection working or gone, never half (round %i)',
    async () => {
      // Prepare: the connection is ACTIVE; Step Functions answers ListExecutions 300 ms late
      const w = world();
      const spec = await articleSpec(w, NAME);
      await fault(w, { service: 'stepfunctions', action: 'ListExecutions', kind: 'latency', latencyMs: 300, count: 0 });

      // Act
      const [post, del] = await Promise.all([
        api(w, 'POST', '/connections', spec),
        api(w, 'DELETE', `/connections/${NAME}`),
      ]);
      await fault(w);
      await settle(w);
      const after = body(await api(w, 'GET', `/connections/${NAME}`));

      // Assert: one 202, one 409 naming the other operation; the winner finished; nothing orphaned
      const statuses = [post.status, del.status];
      expect(statuses.sort()).toEqual([202, 409]);
      const refused = post.status === 409 ? post : del;
      expect((refused.json as { error: { code: string } }).error.code).toBe('OperationInProgress');
      const winner = post.status === 202 ? post : del;
      expect(await finished(w, body(winner).executionArn)).toBe('SUCCEEDED');
      expect(orphanRoutes(w)).toEqual([]);
      if (post.status === 202) {
        expect(after.status).toBe('ACTIVE');
        expect(inventory(w.sim)).toEqual(active);
      } else {
        expect(after.status).toBe('DELETED');
        expect(nothingLeft(w)).toBe(true);
        // nothing left behind blocks the next provisioning
        const again = await api(w, 'POST', '/connections', spec);
        expect(again.status).toBe(202);
        expect(await finished(w, body(again).executionArn)).toBe('SUCCEEDED');
        expect(inventory(w.sim)).toEqual(active);
      }
    },
  );
});
