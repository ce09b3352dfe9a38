import { operatorDeps } from '../../local/operator';
import { runDriftCheck } from '../../src/workflow/drift';
import { freshWorld, provision, spec, useLocalWorld } from '../helpers/workflow';

// Two stacks (stages) in one account: each lists, drift-checks and reads only its own connections; the other
// stage's resources are neither its connections nor orphans. (Before stages were part of record names and tags,
// every stack saw every connection.)

const world = useLocalWorld();
let saved: string | undefined;

beforeEach(() => {
  saved = process.env.VPN_BRIDGE_STAGE;
});

afterEach(() => {
  if (saved === undefined) delete process.env.VPN_BRIDGE_STAGE;
  else process.env.VPN_BRIDGE_STAGE = saved;
});

describe('a connection of one stage, seen from another stage of the same account', () => {
  it('is not listed, read, drift-checked or reported as an orphan there, and still is in its own stage', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { name: 'iso-link' });
    expect((await provision(w, s)).status).toBe('ACTIVE');

    // Act: the other stage
    process.env.VPN_BRIDGE_STAGE = 'other';
    const other = operatorDeps();
    const listed = await other.registry.list();
    const read = await other.registry.get('iso-link');
    const drift = await runDriftCheck(other, { write: false });

    // Act: back in its own stage
    process.env.VPN_BRIDGE_STAGE = saved ?? '';
    const own = operatorDeps();
    const ownDrift = await runDriftCheck(own, { write: false });

    // Assert
    expect(other.registry.stage).toBe('other');
    expect(listed).toEqual([]);
    expect(read).toBeUndefined();
    expect(drift.results).toEqual([]);
    expect(drift.unmanaged).toEqual([]);
    expect((await own.registry.list()).map((r) => [r.stage, r.name, r.status])).toEqual([
      ['local', 'iso-link', 'ACTIVE'],
    ]);
    expect(ownDrift.results.map((r) => [r.name, r.status])).toEqual([['iso-link', 'clean']]);
  });
});
